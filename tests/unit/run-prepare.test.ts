/**
 * prepareBlock, the one function that makes a block ready to run for `runbook run` and
 * `runbook test`: the differences between the two are its options, pinned here as the
 * two commands pass them.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureProject, runbookMd } from '../fixtures/run/project.ts';
import {
  loadRunbooks,
  prepareBlock,
  type PrepareOptions,
  type PreparedBlock,
  type Runbook,
} from '../../src/plugins/reader.ts';

const md = runbookMd({
  shortlinks: '[prep]',
  vars: [
    'DATABASE_URL: { description: "Database", secret: true }',
    'TOKEN: { description: "An API token", secret: true }',
    'NAME: { description: "A name", example: "web" }',
  ],
  body: `
\`\`\`bash run id=shell safety=read-only
echo "$NAME $TOKEN"
\`\`\`

\`\`\`bash run id=limited safety=read-only timeout=5 cwd=ops
echo "$NAME"
\`\`\`

\`\`\`bash run id=elsewhere safety=read-only cwd=nowhere
true
\`\`\`

\`\`\`sql run id=query safety=read-only
SELECT :'TOKEN' IS NOT NULL, :'NAME';
\`\`\`

\`\`\`sql run id=change safety=mutating timeout=7
UPDATE t SET name = :'NAME';
\`\`\`
`,
});

let root: string;
let runbook: Runbook;
const values = new Map([
  ['DATABASE_URL', 'postgresql://app:pw-in-url@db1:5433/orders'],
  ['TOKEN', 's3cr3t-token'],
  ['NAME', 'web'],
]);
const operatorEnv = {
  PATH: '/usr/bin',
  HOME: '/home/op',
  OTHER_SECRET: 'x',
  TOKEN: 'token-in-env',
  PSQL_PAGER: 'less',
};

/** The options `runbook run` passes: the checkout, the operator's environment, no default timeout, real secrets. */
const asRun = (name: string): PrepareOptions => ({
  root,
  env: operatorEnv,
  name,
  appName: `runbook ${name}`,
  secretValues: true,
});
/** The options `runbook test` passes: a scratch copy, a clean environment, 60 s, the page's examples. */
const asTest = (name: string): PrepareOptions => ({
  root,
  env: { PATH: '/usr/bin', HOME: '/scratch/home' },
  name,
  appName: `runbook test ${name}`,
  defaultTimeout: 60,
  secretValues: false,
});

const block = (id: string) => runbook.blocks.find((b) => b.id === id)!;
function prepared(id: string, options: PrepareOptions): PreparedBlock {
  const p = prepareBlock(block(id), runbook, values, options);
  if ('error' in p) throw new Error(p.error);
  return p;
}

beforeAll(() => {
  root = fixtureProject({ 'src/content/runbooks/prep.md': md });
  mkdirSync(join(root, 'ops'));
  runbook = loadRunbooks(root)[0];
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('prepareBlock', () => {
  it("runs a shell block as bash in the root with the block's values in the given environment, for run and test alike", () => {
    for (const options of [asRun('prep#shell'), asTest('prep/prep#shell')]) {
      const p = prepared('shell', options);
      expect(p.invocation).toEqual({
        program: 'bash',
        args: ['--noprofile', '--norc', '-euo', 'pipefail', '-c', block('shell').text, options.name],
      });
      expect(p.cwd).toBe(root);
      expect(p.env).toMatchObject({ ...options.env, SHLVL: '1', NAME: 'web', TOKEN: 's3cr3t-token' });
      expect(p.env.DATABASE_URL).toBeUndefined(); // only the values the block uses
      expect([...p.values.keys()]).toEqual(['NAME', 'TOKEN']);
      expect(p.sql).toBeUndefined();
    }
    expect(prepared('limited', asRun('prep#limited')).cwd).toBe(join(root, 'ops'));
  });

  it('gives a block without timeout= no limit in run, and the default in test; its own timeout= in both', () => {
    expect(prepared('shell', asRun('x'))).toMatchObject({ timeout: undefined, timeoutMs: undefined });
    expect(prepared('shell', asTest('x'))).toMatchObject({ timeout: 60, timeoutMs: 60_000 });
    expect(prepared('limited', asRun('x'))).toMatchObject({ timeout: 5, timeoutMs: 5000 });
    expect(prepared('limited', asTest('x'))).toMatchObject({ timeout: 5, timeoutMs: 5000 });
    // SQL: the server's statement_timeout first, the kill a second later.
    expect(prepared('change', asRun('x'))).toMatchObject({ timeout: 7, timeoutMs: 8000 });
    expect(prepared('change', asRun('x')).env.PGOPTIONS).toBe(
      '-c statement_timeout=7s -c standard_conforming_strings=on',
    );
    expect(prepared('query', asRun('x')).env.PGOPTIONS).toBe(
      '-c default_transaction_read_only=on -c standard_conforming_strings=on',
    );
    expect(prepared('query', asTest('x')).env.PGOPTIONS).toBe(
      '-c default_transaction_read_only=on -c statement_timeout=60s -c standard_conforming_strings=on',
    );
    expect(prepared('query', asTest('x')).timeoutMs).toBe(61_000);
  });

  it('masks real secrets in run (every secret of the runbook, from the values and the environment), none in test', () => {
    expect(prepared('shell', asRun('x')).secrets.sort()).toEqual(
      ['postgresql://app:pw-in-url@db1:5433/orders', 's3cr3t-token', 'token-in-env'].sort(),
    );
    expect(prepared('shell', asTest('x')).secrets).toEqual([]);
    // SQL: also as psql quotes them, and the URL's password in both.
    const run = prepared('query', asRun('x')).secrets;
    expect(run).toContain('s3cr3t-token');
    expect(run).toContain('pw-in-url');
    expect(new Set(prepared('query', asTest('x')).secrets)).toEqual(new Set(['pw-in-url']));
  });

  it('keeps psql quiet about a bound secret in run only; a read-only block is one transaction in both', () => {
    const quiet = ['-v', 'VERBOSITY=terse', '-v', 'SHOW_CONTEXT=never'];
    const run = prepared('query', asRun('prep#query')).invocation;
    const test = prepared('query', asTest('prep/prep#query')).invocation;
    expect(run.program).toBe('psql');
    expect(run.args.join(' ')).toContain(quiet.join(' '));
    expect(test.args.join(' ')).not.toContain('VERBOSITY');
    for (const args of [run.args, test.args]) expect(args).toContain('--single-transaction');
    expect(run.input).toBe(`${block('query').text}\n`);
    // A mutating block binds no secret: the same in both, and not one transaction.
    expect(prepared('change', asRun('x')).invocation.args).toEqual(prepared('change', asTest('x')).invocation.args);
    expect(prepared('change', asRun('x')).invocation.args).not.toContain('--single-transaction');
  });

  it('connects psql through PG* variables, values under RUNBOOK_SQL_, the application name saying which command asks', () => {
    const p = prepared('query', asRun('prep#query'));
    expect(p.sql?.connection.label).toBe('orders on db1:5433');
    expect(p.env).toMatchObject({
      PGHOST: 'db1',
      PGPORT: '5433',
      PGUSER: 'app',
      PGPASSWORD: 'pw-in-url',
      PGDATABASE: 'orders',
      RUNBOOK_SQL_TOKEN: 's3cr3t-token',
      RUNBOOK_SQL_NAME: 'web',
    });
    expect(p.env.PSQL_PAGER).toBeUndefined();
    expect(p.env.PGAPPNAME).toBe(`runbook prep#query ${p.sql?.tag}`);
    const t = prepared('query', asTest('prep/prep#query'));
    expect(t.env.PGAPPNAME).toBe(`runbook test prep/prep#query ${t.sql?.tag}`);
    expect(t.env.HOME).toBe('/scratch/home');
  });

  it('says why a block cannot run with what it was given', () => {
    expect(prepareBlock(block('elsewhere'), runbook, values, asRun('x'))).toEqual({
      error: '#elsewhere has cwd=nowhere, which is not a folder in the repository.',
    });
    const bad = prepareBlock(block('query'), runbook, new Map([['DATABASE_URL', 'host=db1 password=pw']]), asTest('x'));
    expect(bad).toMatchObject({ error: expect.stringMatching(/^DATABASE_URL is not a postgresql:\/\/ URL/) });
  });
});
