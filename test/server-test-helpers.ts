import { appendFileSync } from 'node:fs';
import type { DenialEvent, ServerAudit } from '../src/server/server-deps.js';

/**
 * Audit sink appending denials to a JSONL file. Its last user is test/identity-support.ts, which composes identity
 * on its own barrier; moving that onto openServerDeps (real audit plugin, real seal control) removes this file.
 */
export function createFileAudit(file: string): ServerAudit {
  return {
    async recordDenial(_request: unknown, event: DenialEvent): Promise<void> {
      appendFileSync(file, `${JSON.stringify(event)}\n`, { mode: 0o600 });
    },
  };
}
