import { basename, dirname, join } from 'node:path';
import { AUDIT_KEY_FILE } from '../../audit/audit-key-file.js';
import type { AuditSink } from '../../audit/audit-sink.js';
import { createAuditLog, createJsonlFileSink, createStdoutSink } from '../../audit/index.js';
import { createAuditKeyHolder, ensureStoredAuditKey } from '../../audit/stored-audit-key.js';
import type { ServerConfig } from '../../config/server-config-schema.js';
import type { HushStore } from '../../store/index.js';
import { AUDIT_VIEW, openSealedView } from '../../store/sealed-view/index.js';
import { auditPlugin } from '../plugins/audit.js';
import type { Terminal } from './start-up.js';

/**
 * The audit trail as the server runs it: its HMAC key lives in the store (sealed, shared by every node; records
 * written before this node's first unseal HMAC under a throwaway key, see docs/audit.md), its sinks are the
 * configured file and stdout, and its plugin audits every request (fail closed).
 */
export async function composeAudit(config: ServerConfig, store: HushStore, terminal: Terminal) {
  const auditKey = createAuditKeyHolder(() =>
    ensureStoredAuditKey(
      openSealedView(store.readBackend, store.barrier, AUDIT_VIEW),
      join(config.dataDir, AUDIT_KEY_FILE),
      (text) => terminal.write(text),
    ),
  );
  const hmacKey = () => auditKey.current();
  const auditLog = await openAuditLog(config, hmacKey);
  return { auditKey, hmacKey, auditLog, audit: auditPlugin(auditLog) };
}

async function openAuditLog(config: ServerConfig, hmacKey: () => Uint8Array) {
  const sinks: AuditSink[] = [];
  const file = config.audit.file;
  if (file)
    sinks.push(
      createJsonlFileSink({
        dir: dirname(file.path),
        fileName: basename(file.path),
        maxBytes: file.maxBytes,
        sync: file.sync,
      }),
    );
  if (config.audit.stdout) sinks.push(createStdoutSink());
  return createAuditLog({
    sinks,
    hmacKey,
  });
}
