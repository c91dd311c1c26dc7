/**
 * The Markdown shapes `runbook import` looks for in a page, found by linear scans instead of
 * the regular expressions that were here: a page from a hostile folder could make those
 * backtrack quadratically (issue 18). Each function matches exactly what its regex did
 * (named in its comment, leftmost match first, the regex's backtracking worked out by hand);
 * tests/hostile/import-linear.test.ts compares both on generated text.
 */
import { nextIndex } from '../runbook/text.ts';

/** JavaScript's `\s`. */
const isSpace = (c: string): boolean => /\s/.test(c);
/** What `.` does not match. */
const isLineBreak = (c: string): boolean => c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';
/** `\w` (no `u` flag). */
const isWord = (c: string | undefined): boolean => c !== undefined && /\w/.test(c);
/** ASCII letters only, as `/…/i` without `u` compares them. */
const lower = (c: string | undefined): string | undefined =>
  c !== undefined && c >= 'A' && c <= 'Z' ? String.fromCharCode(c.charCodeAt(0) + 32) : c;
const startsWithCI = (s: string, at: number, word: string): boolean =>
  [...word].every((w, k) => lower(s[at + k]) === w);
const hasLineBreak = (s: string): boolean => [...s].some(isLineBreak);

/** A match found at one position: where it ends and what replaces it. */
interface Hit {
  end: number;
  text: string;
}

/** `text` with each leftmost non-overlapping hit replaced, as `String.replace` with a `g` regex does. */
function replaceEach(text: string, at: (i: number) => Hit | undefined): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length;) {
    const hit = at(i);
    if (!hit) {
      i++;
      continue;
    }
    out += text.slice(last, i) + hit.text;
    last = i = hit.end;
  }
  return out + text.slice(last);
}

/** `/^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line)`: a code fence line, as `[line, marker, rest]`. */
export function fenceOf(line: string): [string, string, string] | undefined {
  let i = 0;
  while (i < 3 && line[i] === ' ') i++;
  const c = line[i];
  if (c !== '`' && c !== '~') return undefined;
  let j = i;
  while (line[j] === c) j++;
  const rest = line.slice(j);
  return j - i >= 3 && !hasLineBreak(rest) ? [line, line.slice(i, j), rest] : undefined;
}

/** `/^ {0,3}#(?!#)\s+(.*)$/.exec(line)?.[1]`: the text of an ATX H1 (may be empty), or undefined. */
export function atxH1(line: string): string | undefined {
  let i = 0;
  while (i < 3 && line[i] === ' ') i++;
  if (line[i] !== '#' || line[i + 1] === '#') return undefined;
  let j = i + 1;
  while (j < line.length && isSpace(line[j])) j++;
  const rest = line.slice(j);
  return j > i + 1 && !hasLineBreak(rest) ? rest : undefined;
}

/** `heading.replace(/\s+#+\s*$/, '')`: an ATX heading without its closing hashes. */
export function withoutClosingHashes(heading: string): string {
  let end = heading.length;
  while (end > 0 && isSpace(heading[end - 1])) end--;
  let hashes = end;
  while (hashes > 0 && heading[hashes - 1] === '#') hashes--;
  let space = hashes;
  while (space > 0 && isSpace(heading[space - 1])) space--;
  return hashes < end && space < hashes ? heading.slice(0, space) : heading;
}

/** `text.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')`: links and images as their text. */
export function linksAsText(text: string): string {
  const close = nextIndex(text, (c) => c === ']');
  const paren = nextIndex(text, (c) => c === ')');
  return replaceEach(text, (q) => {
    const b = text[q] === '!' && text[q + 1] === '[' ? q + 1 : text[q] === '[' ? q : -1;
    if (b < 0) return undefined;
    const c = close[b + 1];
    if (text[c + 1] !== '(') return undefined;
    const d = paren[c + 2];
    return d < text.length ? { end: d + 1, text: text.slice(b + 1, c) } : undefined;
  });
}

/** `text.replace(/<[^>]+>/g, '')`: HTML tags dropped. */
export function withoutTags(text: string): string {
  const gt = nextIndex(text, (c) => c === '>');
  return replaceEach(text, (q) => {
    if (text[q] !== '<') return undefined;
    const c = gt[q + 1];
    return c > q + 1 && c < text.length ? { end: c + 1, text: '' } : undefined;
  });
}

/** `name.replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')`: `KubeAPIDown` → `KubeAPI-Down`. */
export function splitCapitalRuns(name: string): string {
  const upper = (c: string | undefined) => c !== undefined && c >= 'A' && c <= 'Z';
  let out = '';
  let i = 0;
  while (i < name.length) {
    if (!upper(name[i])) {
      out += name[i++];
      continue;
    }
    let r = i;
    while (upper(name[r])) r++;
    // Every start inside one run of capitals ends the run at the same place: one try per run.
    if (r - i >= 2 && name[r] >= 'a' && name[r] <= 'z') {
      out += `${name.slice(i, r - 1)}-${name.slice(r - 1, r + 1)}`;
      i = r + 1;
    } else {
      out += name.slice(i, r);
      i = r;
    }
  }
  return out;
}

/** Where each run of a link's parts ends in one line, computed once per line. */
function linkRuns(s: string) {
  return {
    close: nextIndex(s, (c) => c === ']'),
    nonSpace: nextIndex(s, (c) => !isSpace(c)),
    target: nextIndex(s, (c) => c === ')' || c === '>' || isSpace(c)),
    mdTarget: nextIndex(s, (c) => c === ')' || c === '>' || c === '#' || isSpace(c)),
    quote: nextIndex(s, (c) => c === '"'),
  };
}

/** The spans of `!?\[([^\]]*)\]\(\s*<?([^)\s>]+)>?((?:\s+"[^"]*")?\s*)\)` from the `[` at `b`. */
function imageLinkAt(
  s: string,
  b: number,
  runs: ReturnType<typeof linkRuns>,
): { end: number; alt: string; target: string; title: string } | undefined {
  const c = runs.close[b + 1];
  if (s[c + 1] !== '(') return undefined;
  const a = runs.nonSpace[c + 2];
  // `<?` then a run that may itself start with `<`: both end at the same place.
  const e = runs.target[a];
  const start = s[a] === '<' && e > a + 1 ? a + 1 : a;
  if (e === start) return undefined;
  const p = s[e] === '>' ? e + 1 : e;
  const w = runs.nonSpace[p];
  let x: number;
  if (w > p && s[w] === '"') {
    const q = runs.quote[w + 1];
    if (q >= s.length) return undefined;
    x = runs.nonSpace[q + 1];
    if (s[x] !== ')') return undefined;
  } else if (s[w] === ')') x = w;
  else return undefined;
  return { end: x + 1, alt: s.slice(b + 1, c), target: s.slice(start, e), title: s.slice(p, x) };
}

/**
 * `line.replace(/!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?((?:\s+"[^"]*")?\s*)\)/g, fn)`: each
 * Markdown image, with its alt text, target and what follows the target (the title).
 */
export function replaceImages(
  line: string,
  fn: (whole: string, alt: string, target: string, title: string) => string,
): string {
  const runs = linkRuns(line);
  return replaceEach(line, (q) => {
    if (line[q] !== '!' || line[q + 1] !== '[') return undefined;
    const m = imageLinkAt(line, q + 1, runs);
    return m && { end: m.end, text: fn(line.slice(q, m.end), m.alt, m.target, m.title) };
  });
}

/**
 * The targets of `/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi`
 * in `line`, in order: Markdown links and images, and `<img src>`.
 */
export function linkTargets(line: string): string[] {
  const n = line.length;
  const runs = linkRuns(line);
  const gt = nextIndex(line, (c) => c === '>');
  const anyQuote = nextIndex(line, (c) => c === '"' || c === "'");
  // `\bsrc\s*=\s*["']([^"']+)["']` at each position; `[^>]*` before it backtracks from the
  // first `>`, so the match is the last such position before it.
  const srcValueEnd = new Int32Array(n + 1).fill(-1);
  const lastSrcBefore = new Int32Array(n + 1);
  let lastSrc = -1;
  for (let k = 0; k <= n; k++) {
    lastSrcBefore[k] = lastSrc;
    if (k === n || isWord(line[k - 1]) || !startsWithCI(line, k, 'src')) continue;
    const eq = runs.nonSpace[k + 3];
    if (line[eq] !== '=') continue;
    const open = runs.nonSpace[eq + 1];
    if (line[open] !== '"' && line[open] !== "'") continue;
    const close = anyQuote[open + 1];
    if (close > open + 1 && close < n) {
      srcValueEnd[k] = close;
      lastSrc = k;
    }
  }
  const targets: string[] = [];
  for (let q = 0; q < n;) {
    const b = line[q] === '!' && line[q + 1] === '[' ? q + 1 : line[q] === '[' ? q : -1;
    if (b >= 0) {
      const m = imageLinkAt(line, b, runs);
      if (m) {
        targets.push(m.target);
        q = m.end;
        continue;
      }
    } else if (line[q] === '<' && startsWithCI(line, q + 1, 'img') && !isWord(line[q + 4])) {
      const k = lastSrcBefore[gt[q + 4]];
      if (k >= q + 4) {
        const close = srcValueEnd[k];
        targets.push(line.slice(runs.nonSpace[runs.nonSpace[k + 3] + 1] + 1, close));
        q = close + 1;
        continue;
      }
    }
    q++;
  }
  return targets;
}

/** The last index `j <= at` where `.md` starts (case-sensitive), for each `at`; -1 when none. */
function lastMd(s: string): Int32Array {
  const out = new Int32Array(s.length + 1);
  let last = -1;
  for (let i = 0; i <= s.length; i++) {
    if (s.startsWith('.md', i)) last = i;
    out[i] = last;
  }
  return out;
}

/**
 * `line.replace(/(\]\(\s*<?)([^)\s>#]+\.md)(#[^)\s>]*)?/g, fn)`: each link target naming a
 * `.md` file, with what opens it and its `#anchor` (undefined when none).
 */
export function replaceMdLinks(
  line: string,
  fn: (whole: string, open: string, target: string, hash: string | undefined) => string,
): string {
  const runs = linkRuns(line);
  const md = lastMd(line);
  return replaceEach(line, (p) => {
    if (line[p] !== ']' || line[p + 1] !== '(') return undefined;
    const a = runs.nonSpace[p + 2];
    const e = runs.mdTarget[a];
    // Greedy `[^)\s>#]+` gives back to the last `.md` of its run.
    const j = e >= 3 ? md[e - 3] : -1;
    const start = line[a] === '<' && j >= a + 2 ? a + 1 : a;
    if (j < start + 1) return undefined;
    const end = line[j + 3] === '#' ? runs.target[j + 4] : j + 3;
    return {
      end,
      text: fn(
        line.slice(p, end),
        line.slice(p, start),
        line.slice(start, j + 3),
        end > j + 3 ? line.slice(j + 3, end) : undefined,
      ),
    };
  });
}

/**
 * `line.replace(/(\]\(\s*<?)((?!\/|[a-z][a-z0-9+.-]*:)[^)\s>#]+\.md)(#[^)\s>]+)/gi, fn)`:
 * each relative link to a `.md` file with an anchor.
 */
export function replaceMdAnchorLinks(
  line: string,
  fn: (whole: string, open: string, rel: string, hash: string) => string,
): string {
  const runs = linkRuns(line);
  const scheme = nextIndex(line, (c) => !/[a-z0-9+.-]/i.test(c));
  const relative = (i: number) => line[i] !== '/' && !(/[a-z]/i.test(line[i] ?? '') && line[scheme[i + 1]] === ':');
  return replaceEach(line, (p) => {
    if (line[p] !== ']' || line[p + 1] !== '(') return undefined;
    const a = runs.nonSpace[p + 2];
    const e = runs.mdTarget[a];
    if (line[e] !== '#' || !startsWithCI(line, e - 3, '.md')) return undefined;
    const hashEnd = runs.target[e + 1];
    if (hashEnd === e + 1) return undefined;
    // `<?` taken first; given back when the rest fails without it.
    const start = line[a] === '<' && e - 3 >= a + 2 && relative(a + 1) ? a + 1 : a;
    if (e - 3 < start + 1 || !relative(start)) return undefined;
    return {
      end: hashEnd,
      text: fn(line.slice(p, hashEnd), line.slice(p, start), line.slice(start, e), line.slice(e, hashEnd)),
    };
  });
}
