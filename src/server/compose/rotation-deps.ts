import type { Alerting } from '../../alerts/index.js';
import type { AuditLog } from '../../audit/audit-log.js';
import { HushError, hushError } from '../../core/errors/index.js';
import type { RotateOne } from '../../incident/incident-service.js';
import type { OutboundGuard } from '../../rotation/hooks.js';
import { createRotationService, type RotationService, rotationJob } from '../../rotation/index.js';
import type { HushStore } from '../../store/index.js';

/**
 * Rotation as the server runs it: every rotation (manual, scheduled, on-deploy) is audited, a failure raises a
 * `rotation-failed` alert, the schedule runs as a leader-only job, and `hush incident rotate` rotates through it.
 */
export function composeRotation(
  store: HushStore,
  auditLog: Pick<AuditLog, 'append'>,
  alerting: Alerting,
  outbound?: OutboundGuard,
) {
  const rotation: RotationService = createRotationService({
    store,
    backend: store.readBackend,
    barrier: store.barrier,
    audit: (event) => auditLog.append(event),
    ...(outbound ? { outbound } : {}),
    onRotationFailed: (event) => {
      alerting.raise({
        rule: 'rotation-failed',
        severity: 'critical',
        path: event.path,
        key: `rotation-failed:${event.path}`,
        message: `${event.trigger} rotation of ${event.path} (${event.rotator}) failed: ${event.code}; current version unchanged`,
      });
    },
  });
  /** `incident rotate`: rotate under the secret's policy, or say why it needs a human. */
  const rotateOne: RotateOne = async (path) => {
    if (!(await rotation.effectivePolicy(path)))
      return {
        manual: 'no rotation policy covers it: change it at its provider, then `hush put` the new value',
      };
    const result = await rotation.rotate(path, { actor: 'incident', trigger: 'manual' });
    if (result.outcome === 'rotated' && result.version !== undefined) return { version: result.version };
    // The rotator's own message when it gave one (it says what failed at the provider); else the catalogue's.
    if (result.message !== undefined) throw new HushError('HUSH_E_ROTATION_FAILED', result.message);
    throw hushError('ROTATION_FAILED_WITH_CODE', { path, code: result.code });
  };
  return {
    rotation,
    rotateOne,
    job: rotationJob({ rotation, isSealed: () => store.isSealed() }),
  };
}
