import { describe, expect, it } from 'vitest';
import { COMMAND_HOOK_PATH, policyWriteGrants } from './policy-grants.js';

describe('policyWriteGrants', () => {
  it('asks rotate on the target, admin for a command hook, read on the connection, in that order', () => {
    expect(
      policyWriteGrants({
        path: 'app/prod/db',
        hook: { command: ['/bin/true'] },
        connection: 'app/prod/admin',
      }),
    ).toEqual({
      target: 'app/prod/db',
      grants: [
        { path: 'app/prod/db', capability: 'rotate' },
        { path: COMMAND_HOOK_PATH, capability: 'admin' },
        { path: 'app/prod/admin', capability: 'read' },
      ],
    });
  });

  it('checks a prefix without its trailing slash but audits it as written', () => {
    expect(policyWriteGrants({ prefix: 'app/prod/' })).toEqual({
      target: 'app/prod/',
      grants: [{ path: 'app/prod', capability: 'rotate' }],
    });
  });

  it('a webhook hook asks no admin; fields of the wrong type ask nothing (the service refuses them)', () => {
    expect(policyWriteGrants({ path: 'a/b/c', hook: { url: 'https://x.example' } }).grants).toEqual([
      { path: 'a/b/c', capability: 'rotate' },
    ]);
    expect(policyWriteGrants({ path: 7, connection: 8 })).toEqual({ grants: [] });
  });
});
