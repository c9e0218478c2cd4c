import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import { writeSecretFileAtomic } from '../../fs/atomic-file.js';
import { parseTemplate } from '../../inject/template-parse.js';
import { renderTemplate } from '../../inject/template-render.js';
import { emit } from '../io/output.js';
import { withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';

interface RenderFlags {
  out?: string;
  prefix?: string;
  reveal?: boolean;
}

/** `hush render TEMPLATE --out FILE`: fill `{{ secret "ADDR" }}` directives; the file is written 0600, atomically. */
export function registerRender(program: Command): void {
  withLocalOptions(program.command('render <template>'))
    .description('render a template with secrets into a 0600 file (atomic), or stdout with --out -')
    .requiredOption('--out <file>', 'the output file (mode 0600), or - for stdout')
    .option('--prefix <prefix>', 'resolve secret addresses in the template below this prefix')
    .option('--reveal', 'allow printing to a terminal with --out -')
    .action(async (template: string, opts: RenderFlags, cmd: Command) => {
      const out = opts.out ?? '-';
      if (out === '-' && process.stdout.isTTY === true && opts.reveal !== true) {
        throw hushError('RENDER_WOULD_PRINT_SECRET_VALUES');
      }
      const nodes = parseTemplate(await readTemplate(template));
      await runLocal(cmd, 'unsealed', async ({ store }, output) => {
        const text = await renderTemplate(nodes, {
          readSecret: async (address) => (await store.get(address)).value,
          env: process.env,
          ...(opts.prefix !== undefined ? { prefix: opts.prefix } : {}),
        });
        if (out === '-') {
          process.stdout.write(text);
          return;
        }
        await writeSecretFileAtomic(out, text);
        const secrets = nodes.filter((n) => n.kind === 'secret').length;
        emit(
          output,
          { out, bytes: Buffer.byteLength(text), directives: secrets },
          () => `rendered ${template} to ${out}`,
        );
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
