import { describe, expect, it } from 'vitest';
import { checkStatements } from './pg-statement-check.js';

const CREATE = 'CREATE ROLE {{name}} LOGIN PASSWORD {{password}} VALID UNTIL {{expiration}};';
const refused = (sql: string) => () => checkStatements('creation', sql);

describe('statement allow-list: what PostgreSQL runs is what was checked', () => {
  it('ends a -- comment at a lone \\r as PostgreSQL does, so a statement after it is checked', () => {
    expect(refused(`${CREATE} -- note\rCOPY (SELECT 1) TO PROGRAM 'touch /tmp/x';`)).toThrow(
      /statement 2 \(COPY .*COPY statements are not on the allow-list/,
    );
    // A comment ended by \n or \r\n still reads as before.
    expect(() => checkStatements('creation', `-- note\r\n${CREATE}\n-- end`)).not.toThrow();
  });

  it('refuses characters JavaScript calls whitespace but PostgreSQL reads as part of a name', () => {
    expect(refused(`${CREATE}\u00a0GRANT SELECT ON t TO {{name}};`)).toThrow(/character/);
    expect(refused(`${CREATE}\u2028GRANT SELECT ON t TO {{name}};`)).toThrow(/character/);
  });

  it('refuses grants on system catalogs and pg_catalog functions (file read/write as the server)', () => {
    for (const sql of [
      'GRANT EXECUTE ON FUNCTION lo_export(oid, text) TO {{name}};',
      'GRANT EXECUTE ON FUNCTION app.f(int), lo_import(text) TO {{name}};',
      'GRANT EXECUTE ON FUNCTION pg_read_file(text) TO {{name}};',
      'GRANT EXECUTE ON FUNCTION pg_catalog.lo_export(oid, text) TO {{name}};',
      'GRANT SELECT ON pg_authid TO {{name}};',
      'GRANT SELECT ON "pg_authid" TO {{name}};',
      'GRANT ALL ON ALL TABLES IN SCHEMA pg_catalog TO {{name}};',
      'GRANT ALL ON ALL FUNCTIONS IN SCHEMA pg_catalog TO {{name}};',
      'GRANT SELECT ON ALL TABLES IN SCHEMA information_schema TO {{name}};',
    ])
      expect(refused(`${CREATE} ${sql}`), sql).toThrow(/statement 2 .*is refused: GRANT \.\.\. ON/);
  });

  it('still accepts ordinary grants, including schema-qualified functions', () => {
    for (const sql of [
      'GRANT SELECT ON ALL TABLES IN SCHEMA public TO {{name}};',
      'GRANT SELECT, INSERT ON app.orders, app.items TO {{name}} WITH GRANT OPTION;',
      'GRANT EXECUTE ON FUNCTION app.f(int, text), app.g() TO {{name}};',
      'GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA app TO {{name}};',
      'GRANT USAGE ON SCHEMA app TO {{name}};',
    ])
      expect(() => checkStatements('creation', `${CREATE} ${sql}`), sql).not.toThrow();
  });

  it("refuses REVOKE from any role but the lease's", () => {
    for (const sql of [
      'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {{name}}, postgres CASCADE;',
      'REVOKE CONNECT ON DATABASE app FROM PUBLIC;',
      'REVOKE SELECT ON t FROM postgres;',
    ])
      expect(refused(`${CREATE} ${sql}`), sql).toThrow(/REVOKE may only revoke FROM the lease's role/);
    for (const sql of [
      'REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA public FROM {{name}};',
      'REVOKE SELECT (a, b) ON app.t FROM {{name}} CASCADE;',
      'REVOKE app_reader FROM {{name}};',
    ])
      expect(() => checkStatements('revocation', sql), sql).not.toThrow();
  });
});
