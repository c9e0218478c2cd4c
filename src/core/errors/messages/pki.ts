import type { MessageTable } from '../message-template.js';

/** Messages raised by Hush's certificate authority (src/pki/, src/core/certs/pki-*.ts). */
export const pkiMessages = {
  PKI_NAME_NOT_ALLOWED: {
    code: 'HUSH_E_PKI_ROLE_BOUNDS',
    template: 'role {role} does not allow the name "{name}"',
    hint: 'allowed: {allowed}',
  },
  PKI_IP_NOT_ALLOWED: {
    code: 'HUSH_E_PKI_ROLE_BOUNDS',
    template: 'role {role} does not allow IP subject alternative names (asked for {ip})',
    hint: 'set allowIpSans on the role',
  },
  PKI_TTL_TOO_LONG: {
    code: 'HUSH_E_PKI_ROLE_BOUNDS',
    template: 'role {role} allows at most {max} seconds; asked for {ttl}',
    hint: 'ask for a shorter --ttl',
  },
  PKI_KEY_TYPE_NOT_ALLOWED: {
    code: 'HUSH_E_PKI_ROLE_BOUNDS',
    template: 'role {role} does not allow {keyType} keys',
    hint: 'allowed: {allowed}',
  },
  PKI_CA_EXPIRED: {
    code: 'HUSH_E_PKI_ROLE_BOUNDS',
    template: 'the issuing CA certificate expires at {notAfter}: too late to issue a certificate from it',
    hint: 'set up a new CA (hush pki ca init on a fresh server) before the intermediate expires',
  },
  PKI_NO_NAMES: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'a certificate needs a name: give --cn or --san',
  },
  PKI_NAME_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '"{name}" is not a DNS name or IP address',
  },
  PKI_TOO_MANY_NAMES: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'a certificate may carry at most {max} names; asked for {count}',
  },
  PKI_TTL_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'the TTL must be a whole number of seconds from 10 (or 30s, 15m, 1h, 7d); got {ttl}',
  },
  PKI_CSR_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'the certificate signing request was refused: {reason}',
  },
  PKI_ROLE_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'role {role}: {reason}',
  },
  PKI_ROLE_NOT_FOUND: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no PKI role {role}',
    hint: 'see hush pki roles list',
  },
  PKI_CA_NOT_INITIALIZED: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'the certificate authority is not set up',
    hint: 'run hush pki ca init',
  },
  PKI_CA_ALREADY_INITIALIZED: {
    code: 'HUSH_E_ALREADY_EXISTS',
    template: 'the certificate authority already exists',
  },
  PKI_SERIAL_NOT_FOUND: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no certificate with serial {serial} was issued by this CA',
  },
  PKI_SERIAL_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'a serial is hex digits (colons allowed); got "{serial}"',
  },
  PKI_ISSUED_LIMIT: {
    code: 'HUSH_E_TOO_LARGE',
    template: 'the CA has issued {count} certificates still on record; the limit is {max}',
    hint: 'let them expire (the hourly tidy forgets a certificate a day after it expires) or raise pki.maxIssued in the server config',
  },
  CERT_FLAG_INVALID: {
    code: 'HUSH_E_USAGE',
    template:
      '--cert expects NAME=ROLE:NAME[,NAME...][:TTL], e.g. TLS=web:localhost,127.0.0.1:1h; got "{text}"',
  },
  PKI_NEEDS_SERVER: {
    code: 'HUSH_E_USAGE',
    template:
      'certificates come from a Hush server: set HUSH_ADDR and HUSH_TOKEN (the CA is not in a local store)',
  },
} as const satisfies MessageTable;
