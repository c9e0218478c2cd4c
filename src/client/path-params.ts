import { checkPolicyName } from '../core/policy/policy-schema.js';
import { parseAddress, parsePrefix } from '../core/secrets/address.js';
import { checkName } from '../engines/engine-names.js';
import { assertRoleName } from '../identity/names.js';

// Every helper validates before a value goes into a URL path: fetch normalises `..` out of URLs, which would
// silently address another secret or another endpoint.

/** Encode a validated address/prefix for a URL path, segment by segment (a `/` inside a segment cannot occur). */
function segments(text: string): string {
  return text.split('/').map(encodeURIComponent).join('/');
}

/** A secret address (`project/env/path`), validated and encoded. */
export function addr(address: string): string {
  parseAddress(address);
  return segments(address);
}

/** A prefix (a trailing `/` is dropped; '' = the root), validated and encoded. */
export function prefix(text: string): string {
  const trimmed = text.replace(/\/$/, '');
  if (trimmed === '') return '';
  parsePrefix(trimmed);
  return segments(trimmed);
}

/** A policy name, validated (one URL segment). */
export function policyName(name: string): string {
  return encodeURIComponent(checkPolicyName(name));
}

/** A secrets-engine or engine-role name, validated (one URL segment). */
export function engineName(name: string, what: 'engine' | 'role'): string {
  return encodeURIComponent(checkName(name, what));
}

/** An AppRole or JWT role name, validated (one URL segment). */
export function roleName(name: string, kind: 'AppRole' | 'JWT'): string {
  return encodeURIComponent(assertRoleName(name, kind));
}
