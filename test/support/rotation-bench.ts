import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { AuditEventInput } from '../../src/audit/audit-log.js';
import type { RotationFailedEvent } from '../../src/rotation/rotate-secret.js';
import { createRotationService, type RotationService } from '../../src/rotation/rotation-service.js';
import { KeyFileSeal } from '../../src/seal/key-file/key-file-seal.js';
import { openSqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import { createStore, type HushStore } from '../../src/store/index.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

/** A rotation test bench: a real SQLite store, a settable clock, recorded audit events and failure alerts. */
export interface Bench {
  readonly dir: string;
  readonly store: HushStore;
  readonly rotation: RotationService;
  readonly audit: AuditEventInput[];
  readonly alerts: RotationFailedEvent[];
  now: Date;
}

/** Register cleanup and return a factory of benches (used by the co-located rotation tests). */
export function rotationBenches(): () => Promise<Bench> {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  return async () => {
    const dir = await makeTempDir('rotation');
    const backend = await openSqliteBackend({ path: join(dir, 'hush.db') });
    const bench = { dir, audit: [], alerts: [], now: new Date('2026-01-01T00:00:00Z') } as unknown as Bench;
    const clock = () => bench.now;
    const store = createStore({ backend, seal: new KeyFileSeal({ path: join(dir, 'root.key') }), clock });
    await store.init();
    const rotation = createRotationService({
      store,
      backend: store.readBackend,
      barrier: store.barrier,
      clock,
      audit: async (e) => bench.audit.push(e),
      onRotationFailed: (e) => {
        bench.alerts.push(e);
      },
    });
    Object.assign(bench, { store, rotation });
    cleanups.push(async () => {
      await store.close();
      await removeTempDir(dir);
    });
    return bench;
  };
}
