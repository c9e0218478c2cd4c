/**
 * `@hush-secrets/hush`: the library surface of Hush, for programs that embed it.
 *
 * - The HTTP client (also at `@hush-secrets/hush/client`), with its coded errors.
 * - The secret scanner on text (`scanText`, `redactText`, the built-in rules), the engine behind `hush scan`.
 * - Webhook signatures of alert deliveries (also at `@hush-secrets/hush/alerts`).
 *
 * Kept light on purpose: nothing here opens storage or loads native modules, so importing it is cheap.
 *
 * @example
 * import { createHushClient, scanText } from '@hush-secrets/hush';
 * const hush = createHushClient({ address: 'http://127.0.0.1:8200', token: process.env.HUSH_TOKEN });
 * const findings = scanText(await readFile('app.env', 'utf8'), { path: 'app.env' });
 */

export { signWebhook, verifyWebhook } from './alerts/webhook-signature.js';
export * from './client/index.js';
export { scanText } from './scan/engine/scan-text.js';
export type { Finding, ScanTextOptions } from './scan/engine/types.js';
export { redactText } from './scan/redact.js';
export { ALL_RULES, type Rule, type Severity } from './scan/rules/index.js';
