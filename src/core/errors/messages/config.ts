import type { MessageTable } from '../message-template.js';

/** Messages raised under src/config/ (ids are unique across every domain file). */
export const configMessages = {
  ENV_NOT_WHOLE_NUMBER: {
    code: 'HUSH_E_CONFIG',
    template: '{name}="{text}" is not a whole number',
    hint: 'set it to e.g. {name}=1048576',
  },
  ENV_NOT_BOOLEAN: {
    code: 'HUSH_E_CONFIG',
    template: '{name}="{text}" is not a boolean',
    hint: 'use true/false (or 1/0)',
  },
  LISTEN_ADDRESS_NOT_HOST_PORT: {
    code: 'HUSH_E_CONFIG',
    template: '{source}: listen address "{text}" is not host:port',
    hint: 'use e.g. 127.0.0.1:8200 or [::1]:8200 (port 0-65535)',
  },
  CANNOT_READ_CONFIG_FILE: {
    code: 'HUSH_E_CONFIG',
    template: 'cannot read config file {file} ({code})',
    hint: 'check the --config path',
  },
  CONFIG_FILE_NOT_VALID_YAML: {
    code: 'HUSH_E_CONFIG',
    template: 'config file {file} is not valid YAML/JSON: {first}',
  },
  CONFIG_FILE_MUST_HOLD_MAPPING: {
    code: 'HUSH_E_CONFIG',
    template: 'config file {file} must hold a mapping (key: value), found {value}',
  },
  CONFIG_INVALID: { code: 'HUSH_E_CONFIG', template: '{source}: {issues}' },
  REFUSING_PLAIN_HTTP_NON_LOOPBACK: {
    code: 'HUSH_E_CONFIG',
    template: 'refusing plain HTTP on non-loopback address {host}',
    hint: 'give a TLS certificate and key (--tls-cert/--tls-key or HUSH_TLS_CERT/HUSH_TLS_KEY) or pass --insecure-listen if TLS is terminated in front',
  },
  TLS_CANNOT_USED: {
    code: 'HUSH_E_CONFIG',
    template: 'TLS {what} {file} cannot be used ({code})',
    hint: 'give a readable PEM file',
  },
  STORAGE_KIND_POSTGRES_NEEDS_EXACTLY: {
    code: 'HUSH_E_CONFIG',
    template: 'storage kind postgres needs exactly one of storage.url and storage.urlFile (found {value})',
    hint: 'set HUSH_STORAGE_URL or point storage.urlFile at a file holding the URL',
  },
  CANNOT_READ_STORAGE_URL_FILE: {
    code: 'HUSH_E_CONFIG',
    template: 'cannot read storage.urlFile {file} ({code})',
    hint: 'give a readable file holding the postgres:// URL',
  },
  STORAGE_URL_FILE_EMPTY: {
    code: 'HUSH_E_CONFIG',
    template: 'storage.urlFile {file} is empty',
    hint: 'write the postgres:// URL into it',
  },
} as const satisfies MessageTable;
