/**
 * SQL run blocks against a real PostgreSQL (a throwaway cluster on a Unix socket, see
 * tests/fixtures/postgres.ts): values bound as psql variables change nothing however
 * hostile, read-only is enforced by the database, mutating blocks ask first, timeout=
 * cancels the statement, and a secret never reaches the terminal, the transcript or
 * psql's command line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type Cluster } from '../fixtures/postgres.ts';
import { fillSql } from '../../src/plugins/snippets/snippet.ts';
import { cli, fixtureProject, runbookMd, transcriptEntries } from '../fixtures/run/project.ts';

const API_KEY = 'k3y-Zq9xV7\'"\\-s3cr3t';

const md = runbookMd({
  shortlinks: '[orders-db]',
  vars: [
    'DATABASE_URL: { description: "Orders database", secret: true }',
    'VALUE: { description: "Any text" }',
    'JOB_ID: { description: "Job id", pattern: "^[0-9]+$", example: "7" }',
    'FLAG: { description: "Flag key", example: "checkout" }',
    'API_KEY: { description: "A secret the query needs", secret: true }',
  ],
  body: `
\`\`\`sql run id=echo safety=read-only
SELECT encode(convert_to(:'VALUE', 'UTF8'), 'hex') AS hex;
\`\`\`

\`\`\`sql run id=store safety=mutating
INSERT INTO notes (body) VALUES (:'VALUE');
\`\`\`

\`\`\`sql run id=as-identifier safety=read-only
SELECT count(*) FROM :"VALUE";
\`\`\`

\`\`\`sql run id=mislabelled safety=read-only
UPDATE flags SET enabled = false WHERE key = :'FLAG';
\`\`\`

\`\`\`sql run id=kill-switch safety=mutating title="Turn the flag off"
UPDATE flags SET enabled = false WHERE key = :'FLAG';
\`\`\`

\`\`\`sql run id=by-id safety=read-only
SELECT body FROM notes WHERE id = :JOB_ID;
\`\`\`

\`\`\`sql run id=slow safety=read-only timeout=2
SELECT pg_sleep(60);
\`\`\`

\`\`\`sql run id=wait safety=read-only
SELECT pg_sleep(1.5), :'API_KEY' IS NOT NULL AS given;
\`\`\`

\`\`\`sql run id=bad-key safety=read-only
SELECT :'API_KEY'::int;
\`\`\`

\`\`\`sql run id=reschedule safety=mutating
CREATE OR REPLACE FUNCTION flag_off(k text) RETURNS void AS $body$
BEGIN
  UPDATE flags SET enabled = false WHERE key = k; -- $1 and :'X' are plain text here
END
$body$ LANGUAGE plpgsql;
SELECT flag_off(:'FLAG');
SELECT $$it's $$ || 'done' AS status;
\`\`\`
`,
});

let pg: Cluster;
let root: string;
const t = (name: string) => join(root, `${name}.jsonl`);

beforeAll(() => {
  pg = startPostgres();
  pg.sql(`CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL);
    CREATE TABLE flags (key text PRIMARY KEY, enabled boolean NOT NULL);
    INSERT INTO flags VALUES ('checkout', true), ('search', true);
    INSERT INTO notes (body) VALUES ('seventh') ;`);
  root = fixtureProject({ 'src/content/runbooks/db/orders.md': md });
});

afterAll(() => pg?.stop());

const env = () => ({ DATABASE_URL: pg.url, API_KEY });

/** A deterministic pseudo-random sequence (an LCG's high bits: its low bits cycle fast). */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor(state / 65536);
  };
}

/** Deterministic hostile values: SQL, psql and shell syntax, quotes, backslashes, newlines, unicode. */
function hostileValues(): string[] {
  const parts = [
    "'",
    "''",
    '"',
    '\\',
    '\\\\',
    ';',
    '--',
    '/*',
    '*/',
    '$$',
    '$1',
    ':',
    ":'VALUE'",
    ':VALUE',
    '\\!',
    '\\o |',
    '`id`',
    '$(id)',
    '\n',
    '\r\n',
    '\t',
    ' ',
    'DROP TABLE notes;',
    'é',
    '🚀',
    '\u202e',
    'E',
    'x',
  ];
  const out = [
    "'; DROP TABLE notes; --",
    "it's",
    'back\\slash',
    'line one\nline two',
    'ünïcødé 🚀',
    '\\! touch /tmp/pwned-by-runbook\n',
    "'); DELETE FROM flags; --",
    ':"VALUE"',
    "E'\\x27'",
  ];
  const next = generator(7);
  while (out.length < 120) {
    let v = '';
    const n = 1 + (next() % 6);
    for (let i = 0; i < n; i++) v += parts[next() % parts.length];
    out.push(v);
  }
  return out;
}

describe('SQL blocks on a real PostgreSQL', () => {
  it('binds every hostile value as data: the query returns it unchanged and nothing else runs', async () => {
    const values = hostileValues();
    for (const value of values) {
      const r = await cli(['run', 'orders-db#echo', '--var', `VALUE=${value}`, '--transcript', t('echo')], root, {
        env: env(),
      });
      expect(r.code, JSON.stringify(value)).toBe(0);
      // The server received exactly the value, byte for byte.
      expect(r.live.split('\n')[2].trim(), JSON.stringify(value)).toBe(Buffer.from(value, 'utf8').toString('hex'));
    }
    expect(existsSync('/tmp/pwned-by-runbook')).toBe(false);
    expect(pg.sql('SELECT count(*) FROM notes')).toBe('1');
    expect(pg.sql("SELECT string_agg(key || '=' || enabled, ',' ORDER BY key) FROM flags")).toBe(
      'checkout=true,search=true',
    );
  }, 400_000);

  it('stores hostile values byte for byte through a mutating block', async () => {
    const values = hostileValues().slice(0, 40);
    for (const value of values) {
      const r = await cli(
        ['run', 'orders-db#store', '--yes', '--var', `VALUE=${value}`, '--transcript', t('store')],
        root,
        { env: env() },
      );
      expect(r.code, JSON.stringify(value)).toBe(0);
    }
    const stored = pg
      .sql("SELECT string_agg(encode(convert_to(body, 'UTF8'), 'hex'), ',' ORDER BY id) FROM notes WHERE id > 1")
      .split(',');
    // psql reads values from the environment, where a \r\n stays \r\n: compare bytes.
    expect(stored).toEqual(values.map((v) => Buffer.from(v, 'utf8').toString('hex')));
    expect(pg.sql("SELECT string_agg(key || '=' || enabled, ',' ORDER BY key) FROM flags")).toBe(
      'checkout=true,search=true',
    );
    pg.sql('DELETE FROM notes WHERE id > 1');
  }, 300_000);

  it('quotes an identifier: a hostile table name is an unknown relation, not SQL', async () => {
    const r = await cli(
      ['run', 'orders-db#as-identifier', '--var', 'VALUE=notes"; DROP TABLE notes; --', '--transcript', t('ident')],
      root,
      { env: env() },
    );
    expect(r.code).toBe(3);
    expect(r.live).toContain('psql:<stdin>:1: ERROR:  relation "notes"; DROP TABLE notes; --" does not exist');
    expect(pg.sql('SELECT count(*) FROM notes')).toBe('1');
  });

  it("refuses a mislabelled read-only block before it connects: PostgreSQL's parse says it writes", async () => {
    const r = await cli(['run', 'orders-db#mislabelled', '--transcript', t('ro')], root, {
      env: { ...env(), FLAG: 'checkout' },
    });
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      '#mislabelled is read-only, but: `UPDATE` is not a statement a read-only block may run: it may run SELECT, VALUES, TABLE, EXPLAIN, SHOW and COPY … TO STDOUT; `npx runbook check` reports it.',
    );
    expect(r.live).toBe('');
    expect(pg.sql("SELECT enabled FROM flags WHERE key = 'checkout'")).toBe('t');
  });

  it('asks before a mutating block, showing the database but never the password, then writes', async () => {
    const no = await cli(['run', 'orders-db#kill-switch', '--var', 'FLAG=checkout', '--transcript', t('mut')], root, {
      env: env(),
      tty: true,
      answers: [false],
    });
    expect(no.code).toBe(1);
    expect(no.asked).toEqual([{ kind: 'confirm', message: 'Run it?' }]);
    expect(no.err).toMatch(/database: postgres on socket \/tmp\/runbook-pg-\S+ — from DATABASE_URL/);
    expect(no.err).not.toContain(pg.password);
    expect(pg.sql("SELECT enabled FROM flags WHERE key = 'checkout'")).toBe('t');

    const yes = await cli(['run', 'orders-db#kill-switch', '--var', 'FLAG=checkout', '--transcript', t('mut')], root, {
      env: env(),
      tty: true,
      answers: [true],
    });
    expect(yes.code).toBe(0);
    expect(yes.live).toContain('UPDATE 1');
    expect(pg.sql("SELECT enabled FROM flags WHERE key = 'checkout'")).toBe('f');
    const entry = transcriptEntries(t('mut')).at(-1)!;
    expect(entry).toMatchObject({
      block: 'kill-switch',
      exitCode: 0,
      rowsAffected: 1,
      vars: { DATABASE_URL: '••••', FLAG: 'checkout' },
    });
    expect(entry.database).toMatch(/^postgres on socket \/tmp\/runbook-pg-/);
    const timeline = await cli(['timeline', t('mut')], root);
    expect(timeline.out).toMatch(
      /\| orders-db#kill-switch \| mutating \| exit 0 \(on postgres on socket \/tmp\/runbook-pg-\S+; 1 row changed\) \|/,
    );
    pg.sql("UPDATE flags SET enabled = true WHERE key = 'checkout'");
  });

  it('refuses a mutating block without a terminal unless --yes, as for shell blocks', async () => {
    const r = await cli(['run', 'orders-db#kill-switch', '--var', 'FLAG=search', '--transcript', t('notty')], root, {
      env: env(),
    });
    expect(r.code).toBe(1);
    expect(r.err).toContain('it is mutating and there is no terminal to confirm in');
    expect(pg.sql("SELECT enabled FROM flags WHERE key = 'search'")).toBe('t');
  });

  it('passes a bare :NAME only when the value is a number', async () => {
    const ok = await cli(['run', 'orders-db#by-id', '--var', 'JOB_ID=1', '--transcript', t('bare')], root, {
      env: env(),
    });
    expect(ok.code).toBe(0);
    expect(ok.live).toContain('seventh');
    const bad = await cli(['run', 'orders-db#by-id', '--var', 'JOB_ID=1 OR true', '--transcript', t('bare')], root, {
      env: env(),
    });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(
      'Variable JOB_ID = "1 OR true" from --var is pasted into the SQL unquoted (:JOB_ID), so it must be digits only',
    );
    expect(pg.sql('SELECT count(*) FROM notes')).toBe('1');
  });

  it('cancels a statement at timeout= and reports a timeout', async () => {
    const started = Date.now();
    const r = await cli(['run', 'orders-db#slow', '--transcript', t('slow')], root, { env: env() });
    const took = Date.now() - started;
    expect(r.code).toBe(124);
    // Far below the 60 s the statement asks for; the rest is the CLI's start on a loaded machine.
    expect(took).toBeLessThan(2000 + 6000);
    expect(r.live).toContain('canceling statement due to statement timeout');
    expect(r.err).toContain('✖ orders-db#slow timed out after 2 s');
    expect(transcriptEntries(t('slow')).at(-1)).toMatchObject({ exitCode: 124, timedOut: true });
    // The server is not left running it.
    expect(
      pg.sql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()"),
    ).toBe('0');
  });

  it("keeps the connection URL, its password and secret values off psql's command line", async () => {
    // Watch for as long as the run lasts (not a fixed time: on a busy machine psql starts late).
    let done = false;
    const running = cli(['run', 'orders-db#wait', '--transcript', t('cmdline')], root, { env: env() }).finally(
      () => (done = true),
    );
    const seen: string[] = [];
    while (!done && seen.length === 0) {
      for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
        try {
          const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
          if (/(^|\/)psql$/.test(argv[0])) seen.push(argv.join(' '));
        } catch {
          // gone already
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const r = await running;
    expect(r.code).toBe(0);
    expect(seen.length).toBeGreaterThan(0);
    for (const argv of seen) {
      // The block, or the question the runner asks the database first about the functions it calls.
      expect(argv).toMatch(
        /^(\S*\/)?psql -X (-v ON_ERROR_STOP=1 -v VERBOSITY=terse -v SHOW_CONTEXT=never --single-transaction -c \\getenv API_KEY RUNBOOK_SQL_API_KEY|-q -At -v ON_ERROR_STOP=1) -f - $/,
      );
      expect(argv).not.toContain(pg.password);
      expect(argv).not.toContain(API_KEY);
    }
  });

  it('masks secrets in what psql echoes back, quoted its way, on the terminal and in the transcript', async () => {
    const r = await cli(['run', 'orders-db#bad-key', '--transcript', t('echoed')], root, { env: env() });
    expect(r.code).toBe(3);
    // psql shows the failing statement with the value as it quoted it (E'…' with doubled quotes and backslashes).
    expect(r.live).toContain('invalid input syntax for type integer');
    const transcript = readFileSync(t('echoed'), 'utf8');
    for (const text of [r.live, r.err, r.out, transcript]) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(API_KEY.replace(/'/g, "''"));
      expect(text).not.toContain(API_KEY.replace(/\\/g, '\\\\').replace(/'/g, "''"));
      expect(text).not.toContain(pg.password);
      expect(text).not.toContain('Zq9xV7');
    }
    expect(r.live).toContain('••••');
  });

  it('runs dollar-quoted bodies and $1 as SQL, exactly as written', async () => {
    const r = await cli(
      ['run', 'orders-db#reschedule', '--yes', '--var', 'FLAG=search', '--transcript', t('dollar')],
      root,
      { env: env() },
    );
    expect(r.code).toBe(0);
    expect(r.live).toContain("it's done");
    expect(pg.sql("SELECT enabled FROM flags WHERE key = 'search'")).toBe('f');
    pg.sql("UPDATE flags SET enabled = true WHERE key = 'search'");
  });

  it('shows in a dry run the database, the psql command and the session settings, and runs nothing', async () => {
    const r = await cli(['run', 'orders-db#slow', '--dry-run'], root, { env: env() });
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'psql:     psql -X -v ON_ERROR_STOP=1 --single-transaction -f -\n            (the SQL on standard input; the connection in PG* variables and values in the environment, never on the command line)',
    );
    expect(r.out).toContain(
      'session:  default_transaction_read_only=on, statement_timeout=2s, standard_conforming_strings=on',
    );
    expect(r.out).toMatch(/database: postgres on socket \/tmp\/runbook-pg-\S+ — from DATABASE_URL/);
    expect(r.out).not.toContain(pg.password);
  });

  it('refuses a connection URL it cannot pass without the command line, and says why', async () => {
    const r = await cli(['run', 'orders-db#echo', '--var', 'VALUE=x'], root, {
      env: { DATABASE_URL: 'host=/tmp dbname=postgres password=hunter2' },
    });
    expect(r.code).toBe(2);
    expect(r.err).toContain('Variable DATABASE_URL from the environment is not a postgresql:// URL');
    expect(r.err).not.toContain('hunter2');
  });

  it('doc-tests an SQL test block against the database in DATABASE_URL, comparing its output', async () => {
    const dir = fixtureProject({
      'src/content/runbooks/db/doc.md': runbookMd({
        shortlinks: '[doc-sql]',
        vars: ['DATABASE_URL: { description: "Test database", secret: true }', 'FLAG: { example: "checkout" }'],
        body: "```sql run id=flag test safety=read-only\nSELECT key, enabled FROM flags WHERE key = :'FLAG';\n```\n\n```output for=flag\n   key    | enabled\n----------+---------\n checkout | t\n(1 row)\n```\n\n```sql run id=wrong test safety=read-only\nSELECT 'other' AS key;\n```\n\n```output for=wrong\nnope\n```\n",
      }),
    });
    const r = await cli(['test'], dir, { env: { DATABASE_URL: pg.url } });
    expect(r.out).toContain('✔ db/doc#flag');
    expect(r.out).toContain('✖ db/doc#wrong');
    expect(r.out).toContain('1 passed, 1 failed');
    expect(r.out).not.toContain(pg.password);
    const missing = await cli(['test'], dir, { env: {} });
    expect(missing.out).toContain(
      "#flag runs against DATABASE_URL: set DATABASE_URL to a test database's postgresql:// URL, or give DATABASE_URL an example.",
    );
  });

  it('doc-tests an SQL block the server cancels for its timeout as timed out, as runbook run reports it', async () => {
    const dir = fixtureProject({
      'src/content/runbooks/db/slow.md': runbookMd({
        shortlinks: '[doc-slow]',
        vars: ['DATABASE_URL: { description: "Test database", secret: true }'],
        body: '```sql run id=slow test safety=read-only timeout=1\nSELECT pg_sleep(30);\n```\n',
      }),
    });
    const r = await cli(['test'], dir, { env: { DATABASE_URL: pg.url } });
    expect(r.out).toContain('✖ db/slow#slow');
    expect(r.out).toContain('timed out after 1 s');
    expect(r.out).toContain('canceling statement due to statement timeout');
  });

  it("the page's copy is a psql command that sends every hostile value byte for byte, and keeps read-only", () => {
    // A line `SQL` inside the text: the here-document must end elsewhere.
    const text =
      "SELECT encode(convert_to(:'VALUE', 'UTF8'), 'hex') AS hex, length(:'API_KEY') AS secret_length, length('\nSQL\n') AS tricky;\n";
    const paste = (command: string) =>
      spawnSync('bash', ['--noprofile', '--norc', '-c', command], {
        env: { PATH: process.env.PATH, LANG: 'C.UTF-8', DATABASE_URL: pg.url, API_KEY },
        encoding: 'utf8',
      });
    for (const value of hostileValues()) {
      const command = fillSql(
        text,
        { db: 'DATABASE_URL', safety: 'read-only', timeout: 5 },
        { VALUE: value, API_KEY: 'never pasted' },
        new Set(['API_KEY']),
      );
      expect(command).not.toContain('never pasted');
      const r = paste(command);
      expect(r.status, `${JSON.stringify(value)}\n${r.stderr}`).toBe(0);
      expect(
        r.stdout
          .split('\n')[2]
          .split('|')
          .map((c) => c.trim()),
        JSON.stringify(value),
      ).toEqual([Buffer.from(value, 'utf8').toString('hex'), String(API_KEY.length), '5']);
    }
    const write = paste(
      fillSql(
        "UPDATE flags SET enabled = false WHERE key = :'FLAG';",
        { db: 'DATABASE_URL', safety: 'read-only' },
        { FLAG: 'checkout' },
      ),
    );
    expect(write.status).toBe(3);
    expect(write.stderr).toContain('cannot execute UPDATE in a read-only transaction');
    expect(pg.sql("SELECT enabled FROM flags WHERE key = 'checkout'")).toBe('t');
  }, 120_000);

  it('check clean ⇔ psql binds every variable: generated SQL through the checker and the runner', async () => {
    // Fragments of a SELECT list: [text, whether the check must flag it]. Flagged ones put a
    // variable where psql would not substitute it (inside quotes, `$NAME`); clean ones must run.
    const fragments: [string, boolean][] = [
      [":'A'", false],
      [":'A' || '-x'", false],
      ["length(:'A')", false],
      ['1 AS :"B"', false],
      [':C + 1', false],
      ["'12:30'::time", false],
      ["/* :'A' /* nested */ $A */ 2", false],
      ["E'it\\'s'", false],
      ['$$ $1 :x $$', false],
      ['$q$ a $q$::text', false],
      ["U&'\\0041'", false],
      ['"B"', false],
      [':{?A}', false],
      ["'x :A y'", true],
      ["':A'", true],
      ["$$ :'A' $$", true],
      ['$A', true],
      ['${A}', true],
      ["'$A'", true],
      ['$t$ $A $t$', true],
    ];
    const next = generator(11);
    const used = new Set<string>();
    const dir = fixtureProject({});
    const pageOf = (sql: string) =>
      runbookMd({
        shortlinks: '[gen]',
        vars: [
          'DATABASE_URL: { secret: true }',
          'A: { example: "a" }',
          'B: { example: "b" }',
          'C: { pattern: "^[0-9]+$", example: "3" }',
        ],
        body: `\`\`\`sql run id=q safety=read-only\nSELECT ${sql} FROM (SELECT 1 AS "B") AS t;\n\`\`\`\n`,
      });
    const { writeFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'src/content/runbooks'), { recursive: true });
    let clean = 0;
    for (let n = 0; n < 150; n++) {
      const picked = Array.from({ length: 1 + (next() % 4) }, () => fragments[next() % fragments.length]);
      for (const [text] of picked) used.add(text);
      const sql = picked
        .map(([text], i) => (text.includes(' AS ') ? text.replace(':"B"', `:"B"`) : `${text} AS c${i}`))
        .join(', ');
      writeFileSync(join(dir, 'src/content/runbooks/gen.md'), pageOf(sql));
      const check = await cli(['check', '--format', 'json'], dir);
      const findings = (JSON.parse(check.out) as { diagnostics: { ruleId: string }[] }).diagnostics.filter(
        (d) => d.ruleId !== 'var-unused',
      );
      const flagged = picked.some(([, bad]) => bad);
      expect(findings.length > 0, `${sql}\n${JSON.stringify(findings)}`).toBe(flagged);
      if (flagged) continue;
      clean++;
      const r = await cli(
        ['run', 'gen#q', '--var', 'A=a', '--var', 'B=B', '--var', 'C=3', '--transcript', join(dir, 't.jsonl')],
        dir,
        { env: { DATABASE_URL: pg.url } },
      );
      expect(r.code, `${sql}\n${r.live}`).toBe(0);
    }
    expect(clean).toBeGreaterThan(30);
    expect(used.size).toBe(fragments.length);
  }, 400_000);
});
