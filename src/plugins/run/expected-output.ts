/**
 * Doc-test output matching: a run block's stdout against its ```` ```output for=<id> ````
 * block, line by line and exact, except that `<...>` in an expected line stands for
 * any text on that line. Spaces at the end of a line and blank lines at the end are
 * not compared: editors strip them from the page, and psql's tables print them.
 */
import type { RunBlock } from './block.ts';
import type { Execution } from './execute.ts';
import type { Runbook } from './runbooks.ts';
import { unrunnable } from './shell.ts';
import { usedVars, valueProblem } from './vars.ts';
import { trimEnd } from '../runbook/text.ts';
import { dbVariable } from '../snippets/snippet.ts';

/** The wildcard an expected line may contain. */
export const WILDCARD = '<...>';

/** The lines of `text` without trailing spaces; blank lines at the end do not count. */
export function outputLines(text: string): string[] {
  const lines = text.split('\n').map((l) => trimEnd(l, ' \t\r'));
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

const patterns = new Map<string, RegExp>();

/** Whether `actual` matches the expected line: equal, or equal around each `<...>`. */
export function lineMatches(expected: string, actual: string): boolean {
  if (!expected.includes(WILDCARD)) return expected === actual;
  let pattern = patterns.get(expected);
  if (!pattern) {
    const parts = expected.split(WILDCARD).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    pattern = new RegExp(`^${parts.join('.*')}$`, 's');
    patterns.set(expected, pattern);
  }
  return pattern.test(actual);
}

/** One line of a diff: kept (` `), expected but missing (`-`), or printed but not expected (`+`). */
export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

/** A line diff of expected against actual (longest common subsequence, wildcard-aware). */
export function diffLines(expected: readonly string[], actual: readonly string[]): DiffLine[] {
  const n = expected.length;
  const m = actual.length;
  // lcs[i][j]: length of the longest common subsequence of expected[i..] and actual[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = lineMatches(expected[i], actual[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && lineMatches(expected[i], actual[j])) {
      out.push({ op: ' ', text: actual[j] });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push({ op: '-', text: expected[i++] });
    } else {
      out.push({ op: '+', text: actual[j++] });
    }
  }
  return out;
}

/** Whether every line matches. */
export const outputMatches = (expected: readonly string[], actual: readonly string[]) =>
  expected.length === actual.length && expected.every((line, i) => lineMatches(line, actual[i]));

// `runbook test`: which run blocks can be doc tests, the values they run with (the page's
// examples; the database from the environment, CI's scratch one), the clean environment
// of the scratch copy, and the verdict on what a block did.

/** Value given to a secret variable that has no example. */
export const TEST_SECRET = 'test-secret';

/** Timeout for a test block that sets none, so CI never hangs. */
export const DEFAULT_TEST_TIMEOUT_S = 60;

/** The verdict on one test block: undefined when it passed, else the lines that say why. */
export type Verdict = string[] | undefined;

/** Why a block cannot be a doc test (it cannot run here, is not read-only, or is interactive), or undefined. */
export function notTestable(block: RunBlock): string | undefined {
  const problem = unrunnable(block);
  if (problem) return problem;
  // Doc tests run unattended in CI: nobody is there to answer a prompt, and a terminal is never attached.
  if (block.safety !== 'read-only')
    return `#${block.id} is ${block.safety}; only read-only blocks can be doc tests. Test a --dry-run preview block instead.`;
  if (block.interactive) return `#${block.id} is interactive; interactive blocks never run in tests.`;
  return undefined;
}

/** The values a test block runs with: each variable's example (a secret without one gets {@link TEST_SECRET}), the database from `env` first; or why there is none. */
export function testValues(
  runbook: Runbook,
  block: RunBlock,
  env: NodeJS.ProcessEnv,
): Map<string, string> | { error: string } {
  const values = new Map<string, string>();
  const db = dbVariable(block);
  if (db !== undefined && !runbook.vars.has(db))
    return {
      error: `#${block.id} runs against ${db}, which is not declared under vars:; \`npx runbook check\` reports it.`,
    };
  for (const spec of usedVars(block, runbook.vars)) {
    if (spec.name === db) {
      // The doc-test database comes from the environment (CI's scratch database), else the example.
      const url = env[db] ?? spec.example;
      if (url === undefined)
        return {
          error: `#${block.id} runs against ${db}: set ${db} to a test database's postgresql:// URL, or give ${db} an example.`,
        };
      const bad = valueProblem(spec, url);
      if (bad) return { error: `${db} (${env[db] !== undefined ? 'from the environment' : 'its example'}) ${bad}.` };
      values.set(db, url);
      continue;
    }
    const value = spec.example ?? (spec.secret ? TEST_SECRET : undefined);
    if (value === undefined)
      return { error: `Variable ${spec.name} has no example; add \`example:\` to it under vars:.` };
    const bad = spec.example !== undefined ? valueProblem(spec, value) : undefined;
    if (bad) return { error: `The example of ${spec.name} (${JSON.stringify(value)}) ${bad}.` };
    values.set(spec.name, value);
  }
  return values;
}

/** The clean environment a doc test runs in: PATH, HOME and TMPDIR in the scratch folder, C.UTF-8, UTC. */
export const testEnv = (path: string | undefined, home: string): NodeJS.ProcessEnv => ({
  PATH: path,
  HOME: home,
  TMPDIR: home,
  LANG: 'C.UTF-8',
  TZ: 'UTC',
  RUNBOOK_TEST: '1',
});

/** The verdict on a test block that ran for at most `timeout` seconds: exit 0 and stdout as its ```output block says. */
export function judgeTest(block: RunBlock, result: Execution, timeout: number | undefined): Verdict {
  const why: string[] = [];
  if (result.timedOut) why.push(`timed out after ${timeout} s`);
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
}
