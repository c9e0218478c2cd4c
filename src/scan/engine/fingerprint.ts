import { createHash } from 'node:crypto';

/** Hex SHA-256 of `ruleId:secret`: the stable identity of a finding (baselines, dedup), independent of location. */
export function fingerprintOf(ruleId: string, secret: string): string {
  return createHash('sha256').update(`${ruleId}:${secret}`).digest('hex');
}
