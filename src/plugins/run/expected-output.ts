/**
 * Doc-test output matching: a run block's stdout against its ```` ```output for=<id> ````
 * block, line by line and exact, except that `<...>` in an expected line stands for
 * any text on that line. Spaces at the end of a line and blank lines at the end are
 * not compared: editors strip them from the page, and psql's tables print them.
 */
import { trimEnd } from '../runbook/text.ts';

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
