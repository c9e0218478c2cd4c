import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import { writeSecretFileAtomic } from '../../fs/atomic-file.js';
import { parseDuration } from '../../inject/duration.js';
import { fingerprintAddresses, watchRender } from '../../inject/render-watch.js';
import { parseTemplate } from '../../inject/template-parse.js';
import { renderTemplate } from '../../inject/template-render.js';
import { emit } from '../io/output.js';
import { withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';
import { serverCertRenewals } from '../remote/server-cert-renewals.js';

interface RenderFlags {
  out?: string;
  prefix?: string;
  reveal?: boolean;
  watch?: boolean;
  interval: string;
}

/** `hush render TEMPLATE --out FILE`: fill `{{ secret "ADDR" }}` directives; the file is written 0600, atomically. */
export function registerRender(program: Command): void {
  withLocalOptions(program.command('render <template>'))
    .description('render a template with secrets into a 0600 file (atomic), or stdout with --out -')
    .requiredOption('--out <file>', 'the output file (mode 0600), or - for stdout')
    .option('--prefix <prefix>', 'resolve secret addresses in the template below this prefix')
    .option('--reveal', 'allow printing to a terminal with --out -')
    .option('--watch', 'keep running: render again when a secret changes or a certificate is due for renewal')
    .option('--interval <duration>', 'with --watch: how often to check', '5s')
    .action(async (template: string, opts: RenderFlags, cmd: Command) => {
      const out = opts.out ?? '-';
      if (out === '-' && process.stdout.isTTY === true && opts.reveal !== true) {
        throw hushError('RENDER_WOULD_PRINT_SECRET_VALUES');
      }
      if (opts.watch === true && out === '-') throw hushError('RENDER_WATCH_NEEDS_FILE');
      const intervalMs = parseDuration(opts.interval, '--interval', 100);
      const nodes = parseTemplate(await readTemplate(template));
      const wantsCerts = nodes.some((n) => n.kind === 'pki');
      const certs = wantsCerts ? serverCertRenewals() : undefined;
      if (wantsCerts && !certs) throw hushError('PKI_NEEDS_SERVER');
      await runLocal(cmd, 'unsealed', async ({ store }, output) => {
        const addresses = nodes.flatMap((n) => (n.kind === 'secret' ? [n.address] : []));
        const render = async () => {
          const text = await renderTemplate(nodes, {
            readSecret: async (address) => (await store.get(address)).value,
            env: process.env,
            ...(opts.prefix !== undefined ? { prefix: opts.prefix } : {}),
            ...(certs ? { certs } : {}),
          });
          if (out !== '-') await writeSecretFileAtomic(out, text);
          return text;
        };
        const text = await render();
        if (out === '-') {
          process.stdout.write(text);
          return;
        }
        const secrets = nodes.filter((n) => n.kind === 'secret').length;
        emit(
          output,
          { out, bytes: Buffer.byteLength(text), directives: secrets },
          () => `rendered ${template} to ${out}`,
        );
        if (opts.watch !== true) return;
        await watchRender({
          render,
          intervalMs,
          fingerprint: async () =>
            new Map([
              ...(await fingerprintAddresses(store, addresses, opts.prefix)),
              ...(certs?.fingerprint() ?? []),
            ]),
          log: (line) => process.stderr.write(`${line}\n`),
          target: out,
        });
      });
    });
}

async function readTemplate(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw hushError('CANNOT_READ_TEMPLATE', { path, code });
  }
}
