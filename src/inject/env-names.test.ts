import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HushError } from '../core/errors/hush-error.js';
import { envNameOf, mapSecretsToEnv, mergeEnv, type PrefixedSecret, parseMapFlags } from './env-names.js';
import { globMatches } from './glob.js';

const P = 'payments/prod';
const s = (rel: string, value: PrefixedSecret['value']): PrefixedSecret => ({
  path: `${P}/${rel}`,
  prefix: P,
  value,
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof HushError) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'no error';
}

const segment = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9._-]{0,8}$/);

describe('envNameOf / mapSecretsToEnv', () => {
  it('maps the path below the prefix: / - . become _, upper-cased', () => {
    expect(envNameOf('db/password')).toBe('DB_PASSWORD');
    expect(envNameOf('api-key.v2')).toBe('API_KEY_V2');
    const vars = mapSecretsToEnv([s('db/password', 'pw'), s('api-key', 'k')]);
    expect(vars).toEqual([
      { name: 'DB_PASSWORD', value: 'pw', source: `${P}/db/password` },
      { name: 'API_KEY', value: 'k', source: `${P}/api-key` },
    ]);
  });

  it('expands object values to one variable per field, or JSON with fields=json', () => {
    const db = s('db', { user: 'app', 'pass-word': 'x', port: 5432 });
    expect(mapSecretsToEnv([db]).map((v) => [v.name, v.value])).toEqual([
      ['DB_USER', 'app'],
      ['DB_PASS_WORD', 'x'],
      ['DB_PORT', '5432'],
    ]);
    expect(mapSecretsToEnv([db], { fields: 'json' })).toEqual([
      { name: 'DB', value: JSON.stringify(db.value), source: `${P}/db` },
    ]);
  });

  it('--map renames by derived name or relative path; --env-prefix applies to derived names only', () => {
    const vars = mapSecretsToEnv([s('db/password', 'pw'), s('db', { user: 'u' }), s('token', 't')], {
      map: parseMapFlags(['db/password=PGPASSWORD', 'db#user=PGUSER']),
      envPrefix: 'APP_',
    });
    expect(vars.map((v) => v.name)).toEqual(['PGPASSWORD', 'PGUSER', 'APP_TOKEN']);
    expect(codeOf(() => mapSecretsToEnv([s('a', 'x')], { map: parseMapFlags(['NOPE=X']) }))).toMatch(
      /HUSH_E_USAGE: --map NOPE=... matched no secret/,
    );
    expect(codeOf(() => parseMapFlags(['broken']))).toMatch(/HUSH_E_USAGE: --map expects SRC=DST/);
  });

  it('collisions name both secrets; names starting with a digit are refused', () => {
    expect(codeOf(() => mapSecretsToEnv([s('db/password', 'a'), s('db', { password: 'b' })]))).toBe(
      `HUSH_E_INVALID_INPUT: ${P}/db/password and ${P}/db#password both map to DB_PASSWORD; rename one with --map or narrow with --exclude`,
    );
    expect(codeOf(() => mapSecretsToEnv([s('db-pw', 'a'), s('db.pw', 'b')]))).toMatch(
      /db-pw and .*db\.pw both map to DB_PW/,
    );
    expect(codeOf(() => mapSecretsToEnv([s('1password', 'a')]))).toMatch(
      /HUSH_E_INVALID_INPUT: payments\/prod\/1password maps to "1PASSWORD", which is not a valid/,
    );
    expect(mapSecretsToEnv([s('1password', 'a')], { envPrefix: 'X_' })[0]?.name).toBe('X_1PASSWORD');
  });

  it('--include / --exclude globs over the relative path', () => {
    const all = [s('db/password', 'a'), s('db/user', 'b'), s('api/key', 'c')];
    const names = (o: Parameters<typeof mapSecretsToEnv>[1]) => mapSecretsToEnv(all, o).map((v) => v.name);
    expect(names({ include: ['db/*'] })).toEqual(['DB_PASSWORD', 'DB_USER']);
    expect(names({ exclude: ['db/pass*'] })).toEqual(['DB_USER', 'API_KEY']);
    expect(names({ include: ['**'], exclude: ['api/**'] })).toEqual(['DB_PASSWORD', 'DB_USER']);
  });

  it('mergeEnv: secrets win unless override is false', () => {
    const vars = [{ name: 'HOME', value: 'secret-home', source: 'x' }];
    expect(mergeEnv({ HOME: '/root', A: '1' }, vars).HOME).toBe('secret-home');
    expect(mergeEnv({ HOME: '/root' }, vars, false).HOME).toBe('/root');
  });

  it('property: every produced name is a valid env name, unique, and values are kept exactly', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.array(segment, { minLength: 1, maxLength: 3 }), { maxLength: 8 }),
        fc.string(),
        (paths, value) => {
          const secrets = paths.map((segs) => s(segs.join('/'), value));
          let vars: ReturnType<typeof mapSecretsToEnv>;
          try {
            vars = mapSecretsToEnv(secrets);
          } catch (err) {
            // Only a collision can fail here (segments start with a letter or _), and it must be real.
            expect(err).toBeInstanceOf(HushError);
            const names = secrets.map((x) => envNameOf(x.path.slice(P.length + 1)));
            expect(new Set(names).size).toBeLessThan(names.length);
            return;
          }
          expect(vars).toHaveLength(secrets.length);
          expect(new Set(vars.map((v) => v.name)).size).toBe(vars.length);
          for (const v of vars) {
            expect(v.name).toMatch(/^[A-Z_][A-Z0-9_]*$/);
            expect(v.value).toBe(value);
          }
        },
      ),
    );
  });

  it('property: the name is independent of the prefix it was found under', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 3 }), (segs) => {
        const rel = segs.join('/');
        const a = mapSecretsToEnv([{ path: `p/e/${rel}`, prefix: 'p/e', value: 'v' }]);
        const b = mapSecretsToEnv([{ path: `q/f/x/${rel}`, prefix: 'q/f/x/', value: 'v' }]);
        expect(a[0]?.name).toBe(b[0]?.name);
      }),
    );
  });
});

describe('globMatches', () => {
  it('* stays in a segment, ** crosses segments, ? is one character', () => {
    expect(globMatches('db/*', 'db/password')).toBe(true);
    expect(globMatches('db/*', 'db/a/b')).toBe(false);
    expect(globMatches('db/**', 'db/a/b')).toBe(true);
    expect(globMatches('**/key', 'key')).toBe(true);
    expect(globMatches('**/key', 'a/b/key')).toBe(true);
    expect(globMatches('d?', 'db')).toBe(true);
    expect(globMatches('d?', 'd/')).toBe(false);
    expect(globMatches('a.b', 'aXb')).toBe(false);
  });
});
