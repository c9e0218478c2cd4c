export * from './audit-files.js';
export * from './audit-log.js';
export * from './audit-sink.js';
export * from './jsonl-file-sink.js';
export * from './read-audit-files.js';
export * from './stdout-sink.js';
