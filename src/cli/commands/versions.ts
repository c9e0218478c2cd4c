import type { Command } from 'commander';
import { emit, table } from '../io/output.js';
import { withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';

/** `hush versions ADDRESS`: metadata and the version history (no values). */
export function registerVersions(program: Command): void {
  withLocalOptions(program.command('versions <address>'))
    .description('show the metadata and version history of a secret (no values)')
    .action(async (address: string, _opts: unknown, cmd: Command) => {
      await runLocal(cmd, 'unsealed', async ({ store }, out) => {
        const info = await store.versions(address);
        emit(out, info, () => {
          const head = [`${info.path} (current version ${info.current})`];
          if (info.description) head.push(`description: ${info.description}`);
          const tags = Object.entries(info.tags);
          if (tags.length > 0) head.push(`tags: ${tags.map(([k, v]) => `${k}=${v}`).join(', ')}`);
          if (info.expiresAt) head.push(`expires: ${info.expiresAt}`);
          // The LABELS column appears once a secret has been staged, so plain secrets print as they always did.
          const labels = info.labels;
          const labelsOf = (version: number) =>
            Object.entries(labels ?? {})
              .filter(([, v]) => v === version)
              .map(([k]) => k)
              .join(',');
          const rows = info.versions.map((v) => [
            String(v.version),
            v.state,
            ...(labels ? [labelsOf(v.version) || '-'] : []),
            v.createdAt,
            v.createdBy,
          ]);
          const headers = ['VERSION', 'STATE', ...(labels ? ['LABELS'] : []), 'CREATED', 'BY'];
          return `${head.join('\n')}\n${table(headers, rows)}`;
        });
      });
    });
}
