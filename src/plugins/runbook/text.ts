/**
 * String edits that a regular expression would make with backtracking (`/\/+$/` on a long
 * run of slashes not at the end is quadratic), done in one pass. The regex test
 * (tests/hostile/regex.test.ts) sends every super-linear pattern here or to its allow-list.
 */

/** `text` without any run of `chars` at its end (`/\/+$/`). */
export function trimEnd(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1])) end--;
  return text.slice(0, end);
}

/** `text` without any run of `chars` at either end (`/^\/+|\/+$/g`). */
export function trimBoth(text: string, chars: string): string {
  let start = 0;
  while (start < text.length && chars.includes(text[start])) start++;
  return trimEnd(text.slice(start), chars);
}

/** `text` up to the first of `chars` (`/[?#].*$/s`): a URL without its query or fragment. */
export function cutAt(text: string, chars: string): string {
  for (let i = 0; i < text.length; i++) if (chars.includes(text[i])) return text.slice(0, i);
  return text;
}

/**
 * For every index `i` of `text` (and `text.length`), the first index `j >= i` whose character
 * passes `test`, or `text.length`: built in one backward pass, so a scan that asks "where does
 * this run end" from many starts stays linear where a regex would rescan the run each time.
 */
export function nextIndex(text: string, test: (char: string) => boolean): Int32Array {
  const out = new Int32Array(text.length + 1);
  out[text.length] = text.length;
  for (let i = text.length - 1; i >= 0; i--) out[i] = test(text[i]) ? i : out[i + 1];
  return out;
}

/** The index of the last start at or before `line` (binary search over ascending starts; 0 when none). */
export function lastAtOrBefore(starts: readonly number[], line: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= line) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
