import { z } from 'zod';
import { DEFAULT_LEAD_DAYS } from './cert-checks.js';

/** The server's `certs` config section (docs/certificates.md). */
export const certsConfigSchema = z.strictObject({
  /** Days before expiry at which a certificate is reported and alerted, one alert per stage. */
  leadDays: z
    .array(z.number().int().min(1).max(3650))
    .min(1)
    .max(10)
    .default([...DEFAULT_LEAD_DAYS]),
  /** How often the leader probes the remembered endpoints and re-checks the inventory. */
  probeIntervalSeconds: z.number().int().min(10).max(86_400).default(3600),
  /** Longest one probe (connect, STARTTLS, handshake) may take. */
  probeTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  /** Probes in flight at once. */
  probeConcurrency: z.number().int().min(1).max(64).default(8),
  /** Most certificates the inventory holds; a new one past it is a per-item HUSH_E_TOO_LARGE (known ones update). */
  maxItems: z.number().int().min(10).max(10_000_000).default(100_000),
});

/** The parsed `certs` section. */
export type CertsConfig = z.output<typeof certsConfigSchema>;
