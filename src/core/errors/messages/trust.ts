import type { MessageTable } from '../message-template.js';

/** Messages raised under src/trust/ and src/core/trust/ (ids are unique across every domain file). */
export const trustMessages = {
  CRL_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{source} is not a usable CRL: {problem}',
    hint: 'give a DER or PEM X.509 CRL, e.g. from openssl ca -gencrl',
  },
  CRL_NO_ISSUER: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'no CA certificate in trust store "{store}" signed the CRL {source}',
    hint: 'add its issuer first with hush trust add {store} ISSUER.pem --role root|intermediate',
  },
  TRUST_CERT_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{source} holds no X.509 certificate in PEM',
  },
  TRUST_ROLE_NOT_CA: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      '{subject} is not a CA certificate (basicConstraints CA:TRUE, and keyCertSign when it has a keyUsage), so it cannot be a {role}',
    hint: 'add it with --role signer',
  },
  TRUST_STORE_NAME_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'trust store name "{name}" is invalid: use 1-64 characters of a-z, 0-9, "_", "-", ".", starting with a letter or digit',
  },
  NO_TRUST_STORE: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no trust store "{name}"',
    hint: 'create it by adding a root: hush trust add {name} ROOT.pem --role root',
  },
  SIGNER_UNTRUSTED: {
    code: 'HUSH_E_UNTRUSTED_SIGNER',
    template: 'signer certificate {subject} is refused by trust store "{store}": {why}',
  },
} as const satisfies MessageTable;
