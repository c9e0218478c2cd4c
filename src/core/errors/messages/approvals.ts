import type { MessageTable } from '../message-template.js';

/** Messages raised under src/approvals/ (ids are unique across every domain file). */
export const approvalsMessages = {
  APPROVAL_REQUIRED: {
    code: 'HUSH_E_APPROVAL_REQUIRED',
    template:
      '"{capability}" on "{path}" needs {required} approval(s) from other identities holding "approve" on it',
    hint: 'ask for them with hush approve request {path} --capability {capability}, then retry once approved',
  },
  APPROVAL_REQUIRED_FOR_DIGEST: {
    code: 'HUSH_E_APPROVAL_REQUIRED',
    template:
      '"{capability}" on "{path}" needs {required} approval(s) from other identities holding "approve" on it (this request\'s digest: {requestDigest})',
    hint: 'ask for them with hush approve request {path} --capability {capability} --digest {requestDigest} to approve exactly this request, then retry it unchanged',
  },
  APPROVAL_NOT_NEEDED: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'no policy rule requires approvals for "{capability}" on "{path}" for {requester}',
    hint: 'use it directly; approval requests are for paths a rule guards with "approvals"',
  },
  NO_APPROVAL_REQUEST: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no approval request "{id}" visible to you',
    hint: 'list them with hush approve list',
  },
  APPROVAL_SELF: {
    code: 'HUSH_E_FORBIDDEN',
    template: 'nobody approves or denies their own request ({id})',
    hint: 'ask another identity holding "approve" on {path}',
  },
  APPROVAL_ALREADY_VOTED: {
    code: 'HUSH_E_ALREADY_EXISTS',
    template: '{approver} already approved request {id}',
    hint: 'another identity must give the remaining approvals',
  },
  APPROVAL_CLOSED: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'approval request {id} is {status}; it takes no more votes',
    hint: 'make a new request with hush approve request {path} --capability {capability}',
  },
  APPROVAL_DIGEST_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'request digest must be sha256: and 64 lowercase hex digits; got "{digest}"',
    hint: 'use the requestDigest a refused request named, or compute it with the SDK (requestDigest)',
  },
  APPROVAL_TTL_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'ttl must be 60 to {max} seconds; got {ttl}',
  },
  APPROVAL_WAIT_TIMED_OUT: {
    code: 'HUSH_E_APPROVAL_REQUIRED',
    template: 'approval request {id} was not approved within {seconds}s (status: {status})',
    hint: 'ask an approver to run hush approve grant {id}, or raise --gate-timeout',
  },
  APPROVAL_GATE_CLOSED: {
    code: 'HUSH_E_APPROVAL_REQUIRED',
    template: 'deploy gate "{gate}": approval request {id} is {status}',
    hint: 'make a new request (run the deploy again) and ask an approver',
  },
  ARTEFACT_CHANGED_AFTER_VERIFY: {
    code: 'HUSH_E_TRANSIT_INVALID',
    template: 'artefact {file} changed after its signature was verified; the command was not started',
    hint: 'something replaced the file while hush run waited at the gate: find out what, then deploy again',
  },
  RUN_VERIFY_SPEC_INVALID: {
    code: 'HUSH_E_USAGE',
    template:
      '--verify takes ARTEFACT:SIGNATURE:KEY (a transit key name, or a signer certificate file with --trust); got "{spec}"',
    hint: 'e.g. --verify app.tar:app.tar.sig:release (colons inside file names are not supported)',
  },
} as const satisfies MessageTable;
