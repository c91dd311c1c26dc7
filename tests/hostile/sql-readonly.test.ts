/**
 * Read-only SQL, as a property over generated blocks against a real PostgreSQL: a
 * seeded grammar writes hundreds of blocks from harmless and harmful parts (SELECTs with
 * subqueries, CTEs, LATERAL and function calls; DML hidden in CTEs, SELECT INTO, FOR
 * UPDATE, EXPLAIN ANALYZE of DML, COPY to files, DO, SET; volatile built-ins; a user
 * function that runs SQL text, one that shadows a built-in, a stable one; keywords hidden
 * in comments and dollar quotes). For each block:
 * - what the check accepts is, by a second walk of PostgreSQL's parse independent of the
 *   checker, plain reading statements calling allow-listed functions (or functions it
 *   warned about, which the runner asks the database about);
 * - every harmful block is refused, by the check or by the runner's question;
 * - every block both accept runs as the runner runs it and the database is unchanged.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSync } from 'libpg-query';
import { startPostgres, type Cluster } from '../fixtures/postgres.ts';
import { HARMLESS_VOLATILE, readSql } from '../../src/plugins/sql-reader.ts';
import { PG_CATALOG_NON_VOLATILE } from '../../src/plugins/snippets/pg-catalog.ts';
import { parseConnection, psqlArgs, psqlEnv, sessionOptions } from '../../src/plugins/run/psql.ts';
import { volatileRefusal } from '../../src/plugins/run/sql-guard.ts';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';

/** Whole numbers below 2^24 from mulberry32 (every residue of a small modulus comes up). */
function generator(seed: number): () => number {
  const next = mulberry32(seed);
  return () => Math.floor(next() * 2 ** 24);
}

/** A part of a statement, and whether it writes or acts. */
type Part = [string, boolean];

const HARMLESS_EXPRS: Part[] = [
  ['lower(max(key))', false],
  ['upper(min(key)) || length(max(key))', false],
  ['count(*)', false],
  ['max(id) + abs(-1)', false],
  ['now() IS NOT NULL', false],
  ['random() < 2', false],
  ['clock_timestamp() IS NOT NULL', false],
  ["pg_size_pretty(pg_relation_size('flags'))", false],
  ["current_setting('work_mem')", false],
  ['pg_is_in_recovery()', false],
  ["date_trunc('day', now()) IS NOT NULL", false],
  ['md5(max(body))', false],
  ["concat('a', 1)", false],
  ['app.bump_stable(1)', false],
  ['$$; DELETE FROM flags; $$', false],
  ["'nextval(''counter'')'", false],
  ['/* UPDATE flags SET enabled = false */ 1', false],
  ["pg_catalog.lower('X')", false],
  ['coalesce(NULL, 2)', false],
  ['greatest(1, 2)', false],
  ['(SELECT count(*) FROM notes)', false],
  ['EXISTS (SELECT 1 FROM flags WHERE enabled)', false],
];
const HARMFUL_EXPRS: Part[] = [
  ["nextval('counter')", true],
  ["setval('counter', 42)", true],
  ['pg_advisory_lock(7)', true],
  ["pg_notify('c', 'x')", true],
  ['lo_creat(-1)', true],
  ["(SELECT count(*) FROM pg_logical_slot_get_changes('app', NULL, NULL))", true],
  ['txid_current()', true],
  ["query_to_xml('SELECT 1', true, true, '')", true],
  ["run_sql('SELECT 1')", true],
  ['lower(41 + 1)', true],
  ['pg_stat_reset() IS NULL', true],
  ["set_config('work_mem', '1MB', false)", true],
];
/** Parts only the database can judge: a user function that runs SQL text, one that shadows a built-in (refused, whichever overload the call means), a stable one. */
const RUNTIME_ONLY: Part[] = [
  ["run_sql('SELECT 1')", true],
  ['lower(41 + 1)', true],
  ['lower(max(key))', false],
  ['app.bump_stable(1)', false],
  ["run_sql('UPDATE flags SET enabled = false')", true],
];
const SOURCES: Part[] = [
  ['flags', false],
  ['notes', false],
  ['(SELECT key, enabled FROM flags) AS f', false],
  ['generate_series(1, 3) AS g(n)', false],
  ['flags, LATERAL (SELECT count(*) AS c FROM notes WHERE notes.body = flags.key) AS l', false],
];

/** One statement from the grammar: [SQL, writes or acts]. */
function statement(next: () => number): Part {
  const pick = <T>(list: T[]) => list[next() % list.length];
  const expr = (): Part => (next() % 4 === 0 ? pick(HARMFUL_EXPRS) : pick(HARMLESS_EXPRS));
  const exprs = Array.from({ length: 1 + (next() % 3) }, expr);
  const list = exprs.map(([e], i) => `${e} AS c${i}`).join(', ');
  const bad = exprs.some(([, b]) => b);
  const [from] = pick(SOURCES);
  // Every expression is an aggregate or a constant, so any of them goes with any source; the source is chosen so every name exists.
  const select = `SELECT ${list} FROM ${from.startsWith('notes') ? 'notes, flags' : from.includes('flags') ? `${from}, notes` : `${from}, flags, notes`}`;
  const shapes: (() => Part)[] = [
    () => [`${select} LIMIT 1`, bad],
    () => [`WITH w AS (${select} LIMIT 1) SELECT * FROM w`, bad],
    () => [`SELECT * FROM (${select} LIMIT 1) AS s`, bad],
    () => [`WITH gone AS (DELETE FROM notes WHERE id < 0 RETURNING id) SELECT count(*) FROM gone`, true],
    () => [`WITH moved AS (UPDATE flags SET enabled = enabled WHERE false RETURNING key) ${select} LIMIT 1`, true],
    () => [`SELECT key INTO TEMP copy_${next()} FROM flags`, true],
    () => [`SELECT key FROM flags FOR UPDATE`, true],
    () => [`SELECT key FROM flags FOR SHARE SKIP LOCKED`, true],
    () => [`EXPLAIN ANALYZE UPDATE flags SET enabled = enabled`, true],
    () => [`EXPLAIN ${select} LIMIT 1`, bad],
    () => [`COPY (${select} LIMIT 1) TO STDOUT`, bad],
    () => [`COPY flags TO '/tmp/runbook-flags-${next()}'`, true],
    () => [`DO $$ BEGIN PERFORM 1; END $$`, true],
    () => [`SET work_mem = '1MB'`, true],
    () => [`UPDATE flags SET enabled = false WHERE key = 'none'`, true],
    () => [`INSERT INTO notes VALUES (9, 'x')`, true],
    () => [`SHOW work_mem`, false],
    () => [`BEGIN`, true],
    () => [`VALUES (1), (2)`, false],
    () => {
      const [e, b] = pick(RUNTIME_ONLY);
      return [`SELECT ${e} AS r FROM flags`, b];
    },
    () => {
      const [e, b] = pick(RUNTIME_ONLY);
      return [`WITH x AS (SELECT ${e} AS r FROM flags) SELECT * FROM x`, b];
    },
  ];
  return shapes[next() % shapes.length]();
}

/** A block: 1–3 statements, one per line, some behind comments. */
function block(next: () => number): Part {
  const parts = Array.from({ length: 1 + (next() % 3) }, () => statement(next));
  const text = parts
    .map(([s], i) => (i > 0 && next() % 5 === 0 ? `-- ; DROP TABLE flags;\n${s};` : `${s};`))
    .join('\n');
  return [text, parts.some(([, b]) => b)];
}

/** Whether `text` is, by a walk of its own over PostgreSQL's parse, only reading statements calling allow-listed (or warned-about) functions. */
function plainlyReading(text: string, warned: ReadonlySet<string>): string | undefined {
  const { stmts = [] } = parseSync(text.replace(/:'\w+'/g, "'x'")) as { stmts?: { stmt: Record<string, unknown> }[] };
  let problem: string | undefined;
  const visit = (v: unknown, top: boolean): void => {
    if (Array.isArray(v)) return v.forEach((x) => visit(x, false));
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const node = x as Record<string, unknown>;
      if (
        /Stmt$/.test(k) &&
        !(k === 'SelectStmt' || (top && ['ExplainStmt', 'VariableShowStmt', 'CopyStmt'].includes(k)))
      )
        problem ??= `statement ${k}`;
      if (k === 'SelectStmt' && (node.intoClause || node.lockingClause)) problem ??= 'INTO or locking';
      if (k === 'ExplainStmt' && JSON.stringify(node.options ?? []).includes('"analyze"'))
        problem ??= 'EXPLAIN ANALYZE';
      if (k === 'CopyStmt' && (node.is_from || node.filename || node.is_program)) problem ??= 'COPY to a file';
      if (k === 'FuncCall') {
        const parts = (node.funcname as { String: { sval: string } }[]).map((p) => p.String.sval);
        const name = parts.at(-1)!;
        const builtin = parts.length === 1 || parts[0] === 'pg_catalog';
        if (
          !(builtin && (PG_CATALOG_NON_VOLATILE.has(name) || HARMLESS_VOLATILE.has(name))) &&
          !warned.has(parts.join('.'))
        )
          problem ??= `function ${parts.join('.')}`;
      }
      visit(x, false);
    }
  };
  for (const { stmt } of stmts) visit(stmt, true);
  return problem;
}

let pg: Cluster;
let env: NodeJS.ProcessEnv;

/** What a read-only block must never change: rows, the sequence, the slot, large objects, tables, settings. */
const digest = () =>
  pg.sql(`SELECT md5(concat_ws('|',
    (SELECT string_agg(key || enabled, ',' ORDER BY key) FROM flags), (SELECT string_agg(id || body, ',' ORDER BY id) FROM notes),
    (SELECT last_value::text || is_called::text FROM counter), (SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = 'app'),
    (SELECT count(*) FROM pg_largeobject_metadata), (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace),
    (SELECT count(*) FROM pg_db_role_setting)))`);

beforeAll(() => {
  pg = startPostgres(['wal_level=logical', 'max_replication_slots=4']);
  pg.sql(`CREATE TABLE flags (key text PRIMARY KEY, enabled boolean NOT NULL); INSERT INTO flags VALUES ('checkout', true), ('search', false);
    CREATE TABLE notes (id int, body text); INSERT INTO notes VALUES (1, 'checkout');
    CREATE SEQUENCE counter;
    SELECT pg_create_logical_replication_slot('app', 'test_decoding');
    INSERT INTO notes VALUES (2, 'after the slot');
    CREATE FUNCTION run_sql(q text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN EXECUTE q; RETURN 'ran'; END $$;
    CREATE FUNCTION public.lower(n integer) RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT nextval('counter')::text $$;
    CREATE SCHEMA app;
    CREATE FUNCTION app.bump_stable(a integer) RETURNS integer LANGUAGE sql STABLE AS $$ SELECT a + 1 $$;`);
  const connection = parseConnection(pg.url);
  if ('error' in connection) throw new Error(connection.error);
  env = psqlEnv(
    { PATH: process.env.PATH, LANG: 'C.UTF-8' },
    connection,
    new Map(),
    sessionOptions({ safety: 'read-only' }, 10),
    'runbook property',
    'rbprop',
  );
}, 120_000);

afterAll(() => pg?.stop());

describe('read-only SQL, generated', () => {
  it('check and runner together refuse every harmful block; what they accept reads only and changes nothing', async () => {
    const next = generator(18);
    const before = digest();
    let accepted = 0;
    let refusedAtRun = 0;
    const batch: string[] = [];
    const runBatch = () => {
      if (!batch.length) return;
      const r = spawnSync('psql', psqlArgs([], false, true), { input: `${batch.join('\n')}\n`, env, encoding: 'utf8' });
      expect(r.status, `${batch.join('\n')}\n${r.stderr}`).toBe(0);
      expect(digest(), batch.join('\n')).toBe(before);
      batch.length = 0;
    };
    for (let n = 0; n < 300; n++) {
      const [text, harmful] = block(next);
      const reading = readSql(text, true);
      const errors = reading.findings.filter((f) => f.kind !== 'unknown-function');
      if (errors.length) continue;
      const warned = new Set(
        reading.findings
          .filter((f) => f.kind === 'unknown-function')
          .map((f) => /`([^`]+)\(\)`/.exec(f.message)?.[1] ?? ''),
      );
      expect(plainlyReading(text, warned), text).toBeUndefined();
      const refusal = await volatileRefusal(text, env, process.cwd(), []);
      if (refusal) {
        refusedAtRun++;
        continue;
      }
      expect(harmful, `accepted by check and runner, but harmful:\n${text}`).toBe(false);
      accepted++;
      batch.push(text);
      if (batch.length === 15) runBatch();
    }
    runBatch();
    expect(accepted).toBeGreaterThan(20);
    expect(refusedAtRun).toBeGreaterThan(5);
    // The harmful parts do act when nothing stands in the way: the test can fail.
    pg.sql("SELECT nextval('counter')");
    expect(digest()).not.toBe(before);
  }, 600_000);
});
