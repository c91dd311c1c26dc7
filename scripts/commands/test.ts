import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandArgs, inPaths, projectPaths } from '../cli/args.ts';
import { type Context, terminal } from '../cli/context.ts';
import { executeBlock } from '../../src/plugins/runner.ts';
import {
  DEFAULT_TEST_TIMEOUT_S,
  judgeTest,
  loadRunbooks,
  loadSqlParser,
  notTestable,
  prepareBlock,
  type RunBlock,
  type Runbook,
  TEST_SECRET,
  testEnv,
  testValues,
  type Verdict,
} from '../../src/plugins/reader.ts';
import { resolveRepoPath } from '../../src/plugins/index.ts';
import { projectFor } from '../cli/project.ts';

export const usage = `Usage: npx runbook test [paths…]

Doc-tests the run blocks marked \`test\` (all runbooks, or those in the given files
or folders). Each runs in a fresh temporary directory that holds a copy of the
script roots (ops/, bin/, scripts/), never in the checkout, with every variable set
to its \`example\` (a secret without one gets "${TEST_SECRET}"), HOME in that
directory, TZ=UTC and a 60 s timeout unless the block sets one. A block passes
when it exits 0 and its stdout matches its \`\`\`output for=<id> block, if any, line
by line; \`<...>\` in an expected line matches any text.
Exit code: 0 all passed, 1 a test failed, 2 usage error.`;

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
  const problem = notTestable(block);
  if (problem) return [problem];
  const values = testValues(runbook, block, env);
  if ('error' in values) return [values.error];
  return inScratch(root, scriptRoots, async (repo, home) => {
    const name = `${runbook.path}#${block.id}`;
    // A doc test runs in the scratch copy, with a clean environment (HOME in the scratch folder) and a default timeout;
    // its values are the page's examples, nothing secret (see PrepareOptions).
    const prepared = prepareBlock(block, runbook, values, {
      root: repo,
      env: testEnv(env.PATH, home),
      name,
      appName: `runbook test ${name}`,
      defaultTimeout: DEFAULT_TEST_TIMEOUT_S,
      secretValues: false,
    });
    if ('error' in prepared) return [prepared.error];
    const result = await executeBlock(prepared);
    if ('refused' in result) return [`#${block.id} not run: ${result.refused}.`];
    return judgeTest(block, result, prepared.timeout);
  });
}

/** Calls `use` with a fresh scratch repo/ holding a copy of the script roots and a home/ beside it; removes both after. */
async function inScratch<T>(
  root: string,
  scriptRoots: string[],
  use: (repo: string, home: string) => Promise<T>,
): Promise<T> {
  const scratch = mkdtempSync(join(tmpdir(), 'runbook-test-'));
  try {
    const repo = join(scratch, 'repo');
    const home = join(scratch, 'home');
    mkdirSync(repo);
    mkdirSync(home);
    // verbatimSymlinks: a relative link inside a script root keeps pointing inside the copy.
    for (const r of scriptRoots) cpSync(join(root, r), join(repo, r), { recursive: true, verbatimSymlinks: true });
    return await use(repo, home);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
