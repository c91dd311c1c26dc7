import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandArgs, inPaths, projectPaths } from '../cli/args.ts';
import { type Context, terminal } from '../cli/context.ts';
import { executeBlock } from '../../src/plugins/runner.ts';
import {
  diffLines,
  loadRunbooks,
  loadSqlParser,
  outputLines,
  outputMatches,
  prepareBlock,
  type RunBlock,
  type Runbook,
  unrunnable,
  usedVars,
  valueProblem,
} from '../../src/plugins/reader.ts';
import { dbVariable, resolveRepoPath } from '../../src/plugins/index.ts';
import { projectFor } from '../cli/project.ts';

/** Value given to a secret variable that has no example. */
export const TEST_SECRET = 'test-secret';

export const usage = `Usage: runbook test [paths…]

Doc-tests the run blocks marked \`test\` (all runbooks, or those in the given files
or folders). Each runs in a fresh temporary directory that holds a copy of the
script roots (ops/, bin/, scripts/), never in the checkout, with every variable set
to its \`example\` (a secret without one gets "${TEST_SECRET}"), HOME in that
directory, TZ=UTC and a 60 s timeout unless the block sets one. A block passes
when it exits 0 and its stdout matches its \`\`\`output for=<id> block, if any, line
by line; \`<...>\` in an expected line matches any text.
Exit code: 0 all passed, 1 a test failed, 2 usage error.`;

/** Timeout for a test block that sets none, so CI never hangs. */
const DEFAULT_TIMEOUT_S = 60;

/** The verdict on one test block: undefined when it passed, else the lines that say why. */
type Verdict = string[] | undefined;

/** `runbook test [paths…]`: runs the `test` blocks in a scratch copy and compares their output. */
export async function test(args: string[], context: Context): Promise<number> {
  const parsed = commandArgs('test', args, {}, usage, context, true);
  if (typeof parsed === 'number') return parsed;
  const ctx = terminal(context);
  const root = ctx.cwd;
  const only = projectPaths(parsed.positionals, ctx);
  if (!only) return 2;
  const project = projectFor('No test run', ctx);
  if (typeof project === 'number') return project;
  const scriptRoots = project.config.scriptRoots.filter((r) => resolveRepoPath(root, r).status === 'ok');
  const inScope = (file: string) => inPaths(file, only);

  let passed = 0;
  let failed = 0;
  for (const runbook of loadRunbooks(root).filter((r) => inScope(r.file))) {
    for (const block of runbook.blocks.filter((b) => b.test)) {
      const verdict = await testBlock(runbook, block, root, scriptRoots, ctx.env);
      if (verdict) {
        failed++;
        ctx.out(`✖ ${runbook.path}#${block.id}  (${runbook.file}:${block.line})`);
        for (const line of verdict) ctx.out(`    ${line}`);
      } else {
        passed++;
        ctx.out(`✔ ${runbook.path}#${block.id}`);
      }
    }
  }
  ctx.out(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

/** Runs one test block in a fresh scratch copy and judges it. */
async function testBlock(
  runbook: Runbook,
  block: RunBlock,
  root: string,
  scriptRoots: string[],
  env: NodeJS.ProcessEnv,
): Promise<Verdict> {
  await loadSqlParser([block]);
  const problem = unrunnable(block);
  if (problem) return [problem];
  // Doc tests run unattended in CI: nobody is there to answer a prompt, and a terminal is never attached.
  if (block.safety !== 'read-only')
    return [
      `#${block.id} is ${block.safety}; only read-only blocks can be doc tests. Test a --dry-run preview block instead.`,
    ];
  if (block.interactive) return [`#${block.id} is interactive; interactive blocks never run in tests.`];

  const values = new Map<string, string>();
  const db = dbVariable(block);
  if (db !== undefined && !runbook.vars.has(db))
    return [`#${block.id} runs against ${db}, which is not declared under vars:; runbook check reports it.`];
  for (const spec of usedVars(block, runbook.vars)) {
    if (spec.name === db) {
      // The doc-test database comes from the environment (CI's scratch database), else the example.
      const url = env[db] ?? spec.example;
      if (url === undefined)
        return [
          `#${block.id} runs against ${db}: set ${db} to a test database's postgresql:// URL, or give ${db} an example.`,
        ];
      const bad = valueProblem(spec, url);
      if (bad) return [`${db} (${env[db] !== undefined ? 'from the environment' : 'its example'}) ${bad}.`];
      values.set(db, url);
      continue;
    }
    const value = spec.example ?? (spec.secret ? TEST_SECRET : undefined);
    if (value === undefined) return [`Variable ${spec.name} has no example; add \`example:\` to it under vars:.`];
    const bad = spec.example !== undefined ? valueProblem(spec, value) : undefined;
    if (bad) return [`The example of ${spec.name} (${JSON.stringify(value)}) ${bad}.`];
    values.set(spec.name, value);
  }

  const scratch = mkdtempSync(join(tmpdir(), 'runbook-test-'));
  try {
    const repo = join(scratch, 'repo');
    const home = join(scratch, 'home');
    mkdirSync(repo);
    mkdirSync(home);
    // verbatimSymlinks: a relative link inside a script root keeps pointing inside the copy.
    for (const r of scriptRoots) cpSync(join(root, r), join(repo, r), { recursive: true, verbatimSymlinks: true });
    const name = `${runbook.path}#${block.id}`;
    // A doc test runs in the scratch copy, with a clean environment (HOME in the scratch folder) and a default timeout;
    // its values are the page's examples, nothing secret (see PrepareOptions).
    const clean = { PATH: env.PATH, HOME: home, TMPDIR: home, LANG: 'C.UTF-8', TZ: 'UTC', RUNBOOK_TEST: '1' };
    const prepared = prepareBlock(block, runbook, values, {
      root: repo,
      env: clean,
      name,
      appName: `runbook test ${name}`,
      defaultTimeout: DEFAULT_TIMEOUT_S,
      secretValues: false,
    });
    if ('error' in prepared) return [prepared.error];
    const result = await executeBlock(prepared);
    if ('refused' in result) return [`#${block.id} not run: ${result.refused}.`];
    const why: string[] = [];
    if (result.timedOut) why.push(`timed out after ${prepared.timeout} s`);
    else if (result.exitCode !== 0) why.push(`exited ${result.exitCode}, expected 0`);
    const actual = outputLines(result.stdout);
    if (block.expected !== undefined) {
      const expected = outputLines(block.expected);
      if (!outputMatches(expected, actual)) {
        why.push(
          `stdout differs from \`\`\`output for=${block.id}:`,
          `--- expected (output for=${block.id})`,
          '+++ actual (stdout)',
        );
        why.push(...diffLines(expected, actual).map((d) => `${d.op}${d.text}`));
      }
    }
    if (why.length === 0) return undefined;
    if (result.exitCode !== 0)
      why.push(
        'last lines of its output (stdout and stderr):',
        ...outputLines(result.output)
          .slice(-20)
          .map((l) => `  ${l}`),
      );
    return why;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
