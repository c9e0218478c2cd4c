import { describe, expect, it } from 'vitest';
import { checkTemplate, DEFAULT_RENEWAL, DEFAULT_REVOCATION, renderTemplate } from './pg-template.js';

const CREATE = 'CREATE ROLE {{name}} LOGIN PASSWORD {{password}} VALID UNTIL {{expiration}};';

describe('role templates', () => {
  it('quotes the name as an identifier and the password and expiration as literals', () => {
    const sql = renderTemplate(`${CREATE} GRANT x TO {{ name }}; SELECT {{name_literal}};`, {
      name: 'h_main_ro_0011',
      password: 'pw',
      expiration: new Date('2026-06-01T01:05:00Z'),
    });
    expect(sql).toBe(
      `CREATE ROLE "h_main_ro_0011" LOGIN PASSWORD 'pw' VALID UNTIL '2026-06-01T01:05:00.000Z'; GRANT x TO "h_main_ro_0011"; SELECT 'h_main_ro_0011';`,
    );
  });

  it('cannot be broken out of by a value holding quotes or backslashes', () => {
    const sql = renderTemplate(CREATE, {
      name: 'a"; DROP TABLE t; --',
      password: "x'; DROP TABLE t; --\\",
      expiration: new Date(0),
    });
    expect(sql).toContain('"a""; DROP TABLE t; --"');
    expect(sql).toContain(" E'x''; DROP TABLE t; --\\\\'");
  });

  it('accepts the defaults and rejects unknown, missing and unbalanced placeholders', () => {
    expect(checkTemplate('revocation', DEFAULT_REVOCATION)).toBe(DEFAULT_REVOCATION);
    expect(checkTemplate('renewal', DEFAULT_RENEWAL)).toBe(DEFAULT_RENEWAL);
    expect(checkTemplate('creation', CREATE)).toBe(CREATE);
    expect(() => checkTemplate('creation', `${CREATE} {{db}}`)).toThrow(/unknown placeholder \{\{db\}\}/);
    expect(() => checkTemplate('renewal', 'ALTER ROLE {{name}}')).toThrow(/must use \{\{expiration\}\}/);
    expect(() => checkTemplate('revocation', 'DROP ROLE {{name}} }}')).toThrow(/unbalanced/);
    expect(() => checkTemplate('creation', 'x'.repeat(17_000))).toThrow(/17000 bytes; the limit is 16384/);
  });
});
