/** The certificate inventory: records, sources (uploads, store secrets, TLS endpoints), checks, alerts, metrics. */
export * from './cert-alerts.js';
export * from './cert-evaluate.js';
export * from './cert-metrics.js';
export * from './cert-probe-job.js';
export * from './cert-records.js';
export * from './cert-service.js';
export * from './starttls.js';
export * from './tls-probe.js';
