/**
 * Read-only SQL against a real PostgreSQL (wal_level=logical, so a logical replication
 * slot exists to be consumed): the two attacks found (a function that runs SQL text, and
 * pg_logical_slot_get_changes) are reported by check with exact diagnostics and refused
 * by the runner before any SQL runs, also where the check cannot know the function (a
 * user function, one that shadows a built-in, an operator). The snapshot of pg_catalog's
 * volatility is held against the server, and `runbook db-check` tells a read-only role
 * from a writable one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type Cluster } from '../fixtures/postgres.ts';
import { cli, fixtureProject, runbookMd, transcriptEntries } from '../fixtures/run/project.ts';
import { PG_CATALOG_NON_VOLATILE, PG_CATALOG_VOLATILE } from '../../src/plugins/snippets/pg-catalog.ts';
import { HARMLESS_VOLATILE } from '../../src/plugins/sql-reader.ts';
import { join } from 'node:path';

/** [id, SQL] of the read-only blocks under test. */
const blocks: [string, string][] = [
  ['slot', "SELECT data FROM pg_logical_slot_get_changes('app', NULL, NULL);"],
  [
    'run-sql',
    "SELECT run_sql('SET default_transaction_read_only = off');\nSELECT run_sql('UPDATE flags SET enabled = false');",
  ],
  ['shadow', 'SELECT lower(41 + 1) AS shadowed;'],
  ['operator', 'SELECT 1 ## 2 AS bumped;'],
  ['qualified', "SELECT app.bump_stable(1), pg_catalog.lower('OK') AS fine;"],
  [
    'harmless',
    "SELECT count(*), upper(max(key)), random() < 2 AS r, pg_size_pretty(pg_relation_size('flags')) IS NOT NULL AS s FROM flags;",
  ],
];

let pg: Cluster;
let root: string;
const env = () => ({ DATABASE_URL: pg.url });
const state = () =>
  pg.sql(
    "SELECT (SELECT string_agg(key || '=' || enabled, ',' ORDER BY key) FROM flags) || ' ' || (SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = 'app') || ' ' || (SELECT last_value || ' ' || is_called FROM counter)",
  );

beforeAll(() => {
  pg = startPostgres(['wal_level=logical', 'max_replication_slots=4']);
  pg.sql(`CREATE TABLE flags (key text PRIMARY KEY, enabled boolean NOT NULL);
    INSERT INTO flags VALUES ('checkout', true);
    CREATE SEQUENCE counter;
    SELECT pg_create_logical_replication_slot('app', 'test_decoding');
    INSERT INTO flags VALUES ('search', true);
    CREATE FUNCTION run_sql(q text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN EXECUTE q; RETURN 'ran'; END $$;
    CREATE FUNCTION public.lower(n integer) RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT nextval('counter')::text $$;
    CREATE FUNCTION bump(a integer, b integer) RETURNS integer LANGUAGE sql VOLATILE AS $$ SELECT (nextval('counter') * 0 + a + b)::integer $$;
    CREATE OPERATOR ## (leftarg = integer, rightarg = integer, function = bump);
    CREATE SCHEMA app;
    CREATE FUNCTION app.bump_stable(a integer) RETURNS integer LANGUAGE sql STABLE AS $$ SELECT a + 1 $$;`);
  const body = blocks.map(([id, sql]) => `\`\`\`sql run id=${id} safety=read-only\n${sql}\n\`\`\`\n`).join('\n');
  root = fixtureProject({
    'src/content/runbooks/atk.md': runbookMd({ shortlinks: '[atk]', vars: ['DATABASE_URL: { secret: true }'], body }),
  });
}, 120_000);

afterAll(() => pg?.stop());

describe('read-only SQL on a real PostgreSQL', () => {
  it('the snapshot of pg_catalog agrees with the server: non-volatile names have no volatile overload, volatile ones have one', () => {
    const rows = pg
      .sql(
        "SELECT proname || ' ' || bool_or(provolatile = 'v') FROM pg_proc WHERE pronamespace = 'pg_catalog'::regnamespace GROUP BY proname",
      )
      .split('\n');
    const volatile = new Map(rows.map((r) => r.split(' ') as [string, string]).map(([n, v]) => [n, v === 'true']));
    const wrong = [...PG_CATALOG_NON_VOLATILE]
      .filter((n) => volatile.get(n) !== false)
      .concat([...PG_CATALOG_VOLATILE].filter((n) => volatile.get(n) !== true));
    expect(wrong).toEqual([]);
    expect([...HARMLESS_VOLATILE].filter((n) => !volatile.has(n))).toEqual([]);
  });

  it('check reports the built-in that consumes a slot as an error and the unknown functions as warnings, at their place', async () => {
    const r = await cli(['check', '--format', 'json'], root);
    const found = (
      JSON.parse(r.out) as {
        diagnostics: { ruleId: string; line: number; column: number; severity: string; message: string }[];
      }
    ).diagnostics;
    expect(found.map((d) => [d.ruleId, d.line, d.column, d.severity, d.message])).toEqual([
      [
        'sql-read-only',
        14,
        18,
        'error',
        'PostgreSQL declares `pg_logical_slot_get_changes()` volatile: it can act beyond the read-only transaction (locks, sequences, replication slots, settings, files, other sessions)',
      ],
      [
        'sql-read-only-function',
        18,
        8,
        'warning',
        '`run_sql()` is not a built-in known to be harmless: runbook run asks the database and refuses it if the database declares it volatile',
      ],
      [
        'sql-read-only-function',
        19,
        8,
        'warning',
        '`run_sql()` is not a built-in known to be harmless: runbook run asks the database and refuses it if the database declares it volatile',
      ],
      [
        'sql-read-only-function',
        31,
        8,
        'warning',
        '`app.bump_stable()` is not a built-in known to be harmless: runbook run asks the database and refuses it if the database declares it volatile',
      ],
    ]);
  });

  it('the runner refuses each attack before any SQL runs, and nothing changes: the slot, the flags, the sequence', async () => {
    const before = state();
    const slot = await cli(['run', 'atk#slot', '--transcript', join(root, 't.jsonl')], root, { env: env() });
    expect(slot.code).toBe(2);
    expect(slot.err).toContain('#slot is read-only, but: PostgreSQL declares `pg_logical_slot_get_changes()` volatile');
    const expected: [string, string][] = [
      ['run-sql', 'function run_sql(text)'],
      ['shadow', 'function lower(integer)'],
      ['operator', 'operator ##(integer,integer) (bump(integer,integer))'],
    ];
    for (const [id, what] of expected) {
      const r = await cli(['run', `atk#${id}`, '--transcript', join(root, 't.jsonl')], root, { env: env() });
      expect(r.code, `${id}: ${r.err}`).toBe(1);
      expect(r.err).toContain(
        `✖ atk#${id} not run: it is read-only, but the database declares volatile (able to write or act) what it calls: ${what}. Mark the block safety=mutating if it is meant to act; nothing ran`,
      );
      expect(r.live).toBe('');
      expect(transcriptEntries(join(root, 't.jsonl')).at(-1)).toMatchObject({
        block: id,
        refused: expect.stringContaining(what),
      });
    }
    expect(state()).toBe(before);
    // The same attacks run without the runner's question do act: the test can fail.
    pg.sql('SELECT lower(1); SELECT 1 ## 2;');
    expect(state()).not.toBe(before);
  });

  it('runs a block whose functions the database declares stable or immutable, and the harmless volatile built-ins', async () => {
    for (const id of ['qualified', 'harmless']) {
      const r = await cli(['run', `atk#${id}`, '--transcript', join(root, 't.jsonl')], root, { env: env() });
      expect(r.code, `${id}: ${r.err}${r.live}`).toBe(0);
    }
  });

  it('db-check: a read-only role passes, a writable one is listed with what it can write', async () => {
    pg.sql(`CREATE ROLE ro LOGIN PASSWORD 'ro-pw'; GRANT SELECT ON flags TO ro;
      REVOKE EXECUTE ON FUNCTION lo_creat(integer), lo_create(oid), lo_from_bytea(oid, bytea), lo_import(text), lo_import(text, oid) FROM PUBLIC;
      CREATE ROLE rw LOGIN PASSWORD 'rw-pw'; GRANT SELECT, INSERT, UPDATE ON flags TO rw; GRANT CREATE ON SCHEMA app TO rw; GRANT USAGE ON SEQUENCE counter TO rw;`);
    const as = (user: string) => pg.url.replace(/^postgresql:\/\/runbook:[^@]*@/, `postgresql://${user}:${user}-pw@`);
    const ro = await cli(['db-check', 'atk'], root, { env: { DATABASE_URL: as('ro') } });
    expect(ro.err).toBe('');
    expect(ro.out).toMatch(/^✔ DATABASE_URL \(postgres on socket \/tmp\/runbook-pg-\S+\): the role is read-only\.$/);
    expect(ro.code).toBe(0);
    const rw = await cli(['db-check', 'atk', '--var', `DATABASE_URL=${as('rw')}`], root, { env: {} });
    expect(rw.code).toBe(1);
    expect(rw.out.split('\n').slice(1)).toEqual([
      '  - can CREATE in schema app',
      '  - can INSERT, UPDATE flags',
      '  - can advance sequence counter',
    ]);
    expect(rw.out).not.toContain('rw-pw');
    const admin = await cli(['db-check', 'atk#slot'], root, { env: env() });
    expect(admin.code).toBe(1);
    expect(admin.out).toContain('  - is a superuser');
  });
});
