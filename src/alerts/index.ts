export type { Alert, AlertSeverity } from '../core/alerts/alert.js';
export {
  type AlertsConfig,
  type AlertsConfigInput,
  alertsConfigSchema,
} from '../core/alerts/alerts-config.js';
export type { AlertLogger } from './alert-logger.js';
export { type AlertInput, type Alerting, type AlertingDeps, createAlerting } from './create-alerting.js';
export { type ExpiryJobDeps, expiryAlertJob } from './expiry-job.js';
export type { WebhookStats } from './webhook-delivery.js';
export {
  SIGNATURE_HEADER,
  signWebhook,
  type VerifyWebhookOptions,
  verifyWebhook,
} from './webhook-signature.js';
