/**
 * The linear pre-scan every page passes before any parser sees it.
 *
 * The parsers behind a page (Sätteri's native Markdown and MDX parsers, micromark and
 * @mdx-js on `unified()`, parse5 for raw HTML, js-yaml and `yaml` for frontmatter) all
 * recurse once per level of nesting: a few kilobytes of `<a>`, `{(`, `> ` or `[` take
 * them past their stack (a native segfault in Sätteri's MDX parser, a RangeError in
 * parse5's tree builder) or into time that grows with depth × size. This scan reads the
 * text once, left to right, never backing up (every step moves forward or pops a frame
 * it pushed), and measures the nesting each of them would build. Where it errs, it errs
 * high: text it cannot place (an unclosed quote, a tag without `>`) counts as nesting.
 *
 * Measured (scripts/bench/limits.ts, Node 24's default stack): Sätteri's MDX parser
 * survives ~3,000 levels of JSX, braces or blockquotes and segfaults at 10,000;
 * @mdx-js and the remark pipeline throw past ~1,000–3,000; parse5 (hast-util-from-html)
 * overflows between 1,000 and 3,000 unclosed `<div>`; `yaml` takes seconds at 5,000
 * levels of block mappings. The limits below sit an order of magnitude under all of them
 * and far over what a runbook needs (the example site and 3,000 imported pages nest at
 * most a few levels: tests/hostile/limits.test.ts holds that).
 */

/** The limits, in levels. */
export const LIMITS = {
  /** Blockquotes and list items inside each other (`> > - - x`). */
  containers: 32,
  /** HTML or JSX elements left open, together with `{…}`, `(…)`, `[…]` inside MDX expressions. */
  nesting: 128,
  /** YAML (or TOML) frontmatter: block indentation levels, `- ` items and `[`/`{` flows inside each other. */
  frontmatter: 64,
  /**
   * Characters in one block of consecutive non-blank lines outside fenced code (a paragraph,
   * table, HTML block or quote). Not a nesting level: Sätteri's inline parser takes time
   * that grows with the square of a block's length for some runs (`_a_a…`: 80 KB in 1 s,
   * `&amp;&amp;…` or `::a[::a[…` at 300 KB past 30 s), where the same text cut into blocks is linear.
   */
  paragraph: 32_768,
} as const;

/** Which limit a page crossed. */
export type LimitKind = keyof typeof LIMITS;

/** Where a page first crossed a limit. */
export interface LimitBreach {
  kind: LimitKind;
  line: number;
  column: number;
  /** What was being nested when the limit was crossed, e.g. `<div>`, `(`, `>`. */
  what: string;
}

/** Elements HTML never leaves open. */
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isNameChar = (c: number) => isLetter(c) || isDigit(c) || c === 45 || c === 46 || c === 95; // - . _
const isSpace = (c: number) => c === 32 || c === 9 || c === 13;
const isIdentChar = (c: number) => isNameChar(c) || c === 36 || c > 127; // and $, non-ASCII

/** A level of nesting the scan keeps: an element (with the mode its children are in) or a bracket. */
interface Frame {
  kind: 'elem' | 'tag' | 'bracket' | 'template';
  /** Element name, or the bracket's opening character. */
  name: string;
  /** For elements: whether the children are Markdown (`md`) or JSX inside an expression (`jsx`). */
  children?: 'md' | 'jsx';
}

/**
 * Scans `source` (the whole file, frontmatter included) and returns the first place
 * where it crosses one of {@link LIMITS}, or undefined. `mdx` turns on JSX expressions.
 * Linear in the length of `source`: one pass, each character visited a bounded number
 * of times, no regular expressions.
 */
export function scanLimits(source: string, mdx: boolean): LimitBreach | undefined {
  const n = source.length;
  let pos = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  // --- Frontmatter: Astro's fences (optional blank lines, then `---` or `+++`, up to a line starting with either).
  let probe = pos;
  let probeLine = 1;
  for (;;) {
    let e = probe;
    while (e < n && isSpace(source.charCodeAt(e))) e++;
    if (e < n && source.charCodeAt(e) === 10) {
      probe = e + 1;
      probeLine++;
      continue;
    }
    break;
  }
  const fence = source.slice(probe, probe + 3);
  if ((fence === '---' || fence === '+++') && (probe === pos || probeLine > 1)) {
    const end = source.indexOf('\n', probe);
    if (end !== -1) {
      const breach = scanFrontmatter(source, end + 1, probeLine + 1);
      if (breach && 'kind' in breach) return breach;
      if (breach) {
        pos = breach.bodyAt;
        line = breach.bodyLine;
      }
    }
  }
  return scanBody(source, pos, line, mdx);
}

/** The frontmatter from `start` to its closing fence: the breach, or where the body starts. */
function scanFrontmatter(
  source: string,
  start: number,
  firstLine: number,
): LimitBreach | { bodyAt: number; bodyLine: number } | undefined {
  const n = source.length;
  const indents: number[] = [];
  let flow = 0;
  let quote = 0;
  let line = firstLine;
  let pos = start;
  while (pos < n) {
    let end = source.indexOf('\n', pos);
    if (end === -1) end = n;
    const head = source.slice(pos, pos + 3);
    if (head === '---' || head === '+++') return { bodyAt: Math.min(end + 1, n), bodyLine: line + 1 };
    let i = pos;
    while (i < end && (source.charCodeAt(i) === 32 || source.charCodeAt(i) === 9)) i++;
    const blank = i >= end || source.charCodeAt(i) === 35 || (i + 1 === end && source.charCodeAt(i) === 13);
    if (!blank && quote === 0 && flow === 0) {
      const indent = i - pos;
      while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
      // `- - - x` nests a sequence per dash.
      while (i + 1 < end && source.charCodeAt(i) === 45 && isSpace(source.charCodeAt(i + 1))) {
        indents.push(i - pos + 1);
        i += 2;
        while (i < end && source.charCodeAt(i) === 32) i++;
      }
      if (indents.length > LIMITS.frontmatter)
        return { kind: 'frontmatter', line, column: i - pos + 1, what: source.slice(i, Math.min(end, i + 20)).trim() };
    }
    for (; i < end; i++) {
      const c = source.charCodeAt(i);
      if (quote !== 0) {
        if (c === 92 && quote === 34) i++;
        else if (c === quote) quote = 0;
        continue;
      }
      // A quote opens a scalar only where one can start (`it's` is plain text).
      if ((c === 34 || c === 39) && scalarMayStart(source, i, pos)) quote = c;
      else if (c === 35 && (i === pos || isSpace(source.charCodeAt(i - 1))))
        break; // a comment
      else if (c === 91 || c === 123) {
        flow++;
        if (indents.length + flow > LIMITS.frontmatter)
          return { kind: 'frontmatter', line, column: i - pos + 1, what: String.fromCharCode(c) };
      } else if ((c === 93 || c === 125) && flow > 0) flow--;
    }
    // A single-quoted scalar may span lines; a double-quoted one too. Either way the count goes on.
    pos = end + 1;
    line++;
  }
  return undefined;
}

/** Whether a YAML scalar may start at `at`: first on its line, or after `:`, `-`, `?`, `,`, `[`, `{`. */
function scalarMayStart(source: string, at: number, lineStart: number): boolean {
  const p = previousSignificant(source, at, lineStart);
  return p === 0 || p === 58 || p === 45 || p === 63 || p === 44 || p === 91 || p === 123;
}

/** The characters that change the scan's state in Markdown or JSX children (what {@link scanBody} does not skip). */
const MARKUP = /[\\`{<]/g;

/** The body from `start`: containers per line, then elements and MDX expressions as one stack of frames. */
function scanBody(source: string, start: number, firstLine: number, mdx: boolean): LimitBreach | undefined {
  const n = source.length;
  const frames: Frame[] = [];
  /** Open elements by name, so a close tag pops only to an element that is open (parse5 ignores the rest). */
  const open = new Map<string, number>();
  /** Content columns of the list items the current line may sit in. */
  const items: number[] = [];
  let fenceChar = 0;
  let fenceLen = 0;
  /** A Markdown HTML block (a line starting with `<`, up to a blank line): raw text, no fences, code spans or escapes. */
  let htmlBlock = false;
  /** Inside `/* … *\/` in an expression, a quoted attribute value, or a string in an expression, across lines. */
  let blockComment = false;
  let attrQuote = 0;
  let strQuote = 0;
  /** Where the next `-->` is (a cache: found once, it answers every search before it; -1: none left). */
  let commentEnd = -2;
  /** Where the next backslash, backtick, { or < is (a cache like commentEnd, so the search stays linear; -1: none left). */
  let markupAt = -2;
  /** Characters of the block the current line belongs to (reset by a blank line; fenced code is not inline-parsed). */
  let block = 0;
  let tooLong: LimitBreach | undefined;
  let line = firstLine;
  let pos = start;
  const mode = (): 'md' | 'jsx' | 'expr' | 'tag' | 'template' => {
    const top = frames[frames.length - 1];
    if (!top) return 'md';
    if (top.kind === 'elem') return top.children ?? 'md';
    if (top.kind === 'bracket') return 'expr';
    return top.kind;
  };
  const push = (frame: Frame, column: number): LimitBreach | undefined => {
    frames.push(frame);
    if (frame.kind === 'elem' || frame.kind === 'tag') open.set(frame.name, (open.get(frame.name) ?? 0) + 1);
    return frames.length > LIMITS.nesting
      ? {
          kind: 'nesting',
          line,
          column,
          what: frame.kind === 'bracket' ? frame.name : frame.kind === 'template' ? '`' : `<${frame.name}>`,
        }
      : undefined;
  };
  const pop = () => {
    const f = frames.pop();
    if (f && (f.kind === 'elem' || f.kind === 'tag')) open.set(f.name, (open.get(f.name) ?? 1) - 1);
    return f;
  };
  /** A tag left open at the end of what can hold it counts as an open element. */
  const settleTag = () => {
    const f = frames[frames.length - 1];
    if (f?.kind === 'tag') {
      f.kind = 'elem';
      f.children = 'md';
    }
  };
  while (pos < n) {
    // A block found too long is reported once its line is done, so a nesting breach on that line wins.
    if (tooLong) return tooLong;
    let end = source.indexOf('\n', pos);
    if (end === -1) end = n;
    let i = pos;
    while (i < end && (source.charCodeAt(i) === 32 || source.charCodeAt(i) === 9)) i++;
    const indent = i - pos;
    const blank = i >= end || (i + 1 === end && source.charCodeAt(i) === 13);
    if (fenceChar !== 0) {
      // Inside fenced code: only its closing fence matters.
      let j = i;
      while (j < end && source.charCodeAt(j) === fenceChar) j++;
      let k = j;
      while (k < end && isSpace(source.charCodeAt(k))) k++;
      if (j - i >= fenceLen && k >= end) fenceChar = 0;
      pos = end + 1;
      line++;
      continue;
    }
    if (blank) {
      block = 0;
      htmlBlock = false;
      // Markdown's raw HTML ends at a blank line (a block, or a paragraph's inline tags); JSX goes on.
      if (!mdx) {
        attrQuote = 0;
        settleTag();
      }
      pos = end + 1;
      line++;
      continue;
    }
    block += end - pos + 1;
    if (block > LIMITS.paragraph)
      tooLong = { kind: 'paragraph', line, column: 1, what: source.slice(i, Math.min(end, i + 20)) };
    if (mode() === 'md' && !blockComment && attrQuote === 0 && strQuote === 0) {
      // Containers: blockquote markers and list items opening on this line.
      while (items.length > 0 && items[items.length - 1] > indent) items.pop();
      let quotes = 0;
      for (;;) {
        while (i < end && isSpace(source.charCodeAt(i))) i++;
        const c = source.charCodeAt(i);
        if (c === 62 && i < end) {
          if (++quotes + items.length > LIMITS.containers)
            return { kind: 'containers', line, column: i - pos + 1, what: '>' };
          i++;
          continue;
        }
        let j = i;
        if ((c === 45 || c === 42 || c === 43) && i < end) j = i + 1;
        else {
          while (j < end && j - i < 10 && isDigit(source.charCodeAt(j))) j++;
          j = j > i && (source.charCodeAt(j) === 46 || source.charCodeAt(j) === 41) ? j + 1 : i;
        }
        if (j > i && (j >= end || isSpace(source.charCodeAt(j)))) {
          items.push(j - pos + 1);
          if (quotes + items.length > LIMITS.containers)
            return { kind: 'containers', line, column: i - pos + 1, what: source.slice(i, j) };
          i = j;
          continue;
        }
        break;
      }
      // A fence opens code only where Markdown could start a block (not inside an HTML block, which runs to a blank line).
      const c = source.charCodeAt(i);
      if ((c === 96 || c === 126) && !htmlBlock && (indent <= 3 || items.length > 0 || quotes > 0)) {
        let j = i;
        while (j < end && source.charCodeAt(j) === c) j++;
        const tick = source.indexOf('`', j);
        if (j - i >= 3 && (c === 126 || tick === -1 || tick >= end)) {
          fenceChar = c;
          fenceLen = j - i;
          pos = end + 1;
          line++;
          continue;
        }
      }
      // A comment block (`<!--`) ends on the line that closes it; the others at a blank line.
      if (!mdx && c === 60)
        htmlBlock = !(
          source.startsWith('<!--', i) &&
          source.indexOf('-->', i + 4) !== -1 &&
          source.indexOf('-->', i + 4) < end
        );
    }
    // The rest of the line, character by character.
    const spans = htmlBlock ? new Map<number, number>() : codeSpanEnds(source, i, end);
    let regexTried = false;
    for (; i < end; i++) {
      const c = source.charCodeAt(i);
      const column = i - pos + 1;
      if (blockComment) {
        if (c === 42 && source.charCodeAt(i + 1) === 47) {
          blockComment = false;
          i++;
        }
        continue;
      }
      if (strQuote !== 0) {
        if (c === 92) i++;
        else if (c === strQuote) strQuote = 0;
        continue;
      }
      if (attrQuote !== 0) {
        if (c === attrQuote) attrQuote = 0;
        else if (!mdx && c === 60 && openTag(source, i, end)) {
          // In Markdown the quote may be no quote at all (text the parser leaves as it is): count what would open.
          const b = push({ kind: 'elem', name: '', children: 'md' }, column);
          if (b) return b;
        }
        continue;
      }
      const here = mode();
      if (here === 'md' || here === 'jsx') {
        if (c !== 92 && c !== 96 && c !== 123 && c !== 60) {
          // Only \ ` { < mean anything here: jump to the next one on the line with a native search
          // (a loop in JS over every character of prose was most of a cold check's scan).
          if (markupAt !== -1 && markupAt <= i) {
            MARKUP.lastIndex = i + 1;
            markupAt = MARKUP.exec(source)?.index ?? -1;
          }
          i = (markupAt === -1 ? end : Math.min(markupAt, end)) - 1;
          continue;
        }
        if (c === 92 && here === 'md' && !htmlBlock) {
          i++;
          continue;
        }
        if (c === 96 && here === 'md') {
          const close = spans.get(i);
          if (close !== undefined) i = close;
          else while (source.charCodeAt(i + 1) === 96) i++;
          continue;
        }
        if (c === 123 && mdx) {
          const b = push({ kind: 'bracket', name: '{' }, column);
          if (b) return b;
          continue;
        }
        if (c !== 60) continue;
        const next = source.charCodeAt(i + 1);
        if (!mdx && next === 33 && source.startsWith('<!--', i)) {
          // An HTML comment, when it is closed: its text is no markup.
          if (commentEnd !== -1 && commentEnd < i + 4) commentEnd = source.indexOf('-->', i + 4);
          if (commentEnd === -1) continue;
          while (pos < n && end < commentEnd) {
            pos = end + 1;
            line++;
            end = source.indexOf('\n', pos);
            if (end === -1) end = n;
          }
          i = commentEnd + 2;
          continue;
        }
        if (next === 47) {
          // A close tag pops to the element it names, when that one is open.
          let j = i + 2;
          while (j < end && isNameChar(source.charCodeAt(j))) j++;
          const name = source.slice(i + 2, j).toLowerCase();
          if ((open.get(name) ?? 0) > 0) {
            while (frames.length > 0) {
              const f = pop();
              if (f && f.kind === 'elem' && f.name === name) break;
            }
          }
          i = j - 1;
          continue;
        }
        const t = openTag(source, i, end);
        if (t !== undefined) {
          const b = push({ kind: 'tag', name: t.name }, column);
          if (b) return b;
          i = t.after - 1;
        }
        continue;
      }
      if (here === 'tag') {
        if (c === 34 || c === 39) attrQuote = c;
        else if (c === 123 && mdx) {
          const b = push({ kind: 'bracket', name: '{' }, column);
          if (b) return b;
        } else if (c === 47 && source.charCodeAt(i + 1) === 62 && mdx) {
          // JSX closes `<x />`; HTML ignores the slash on anything but a void element.
          pop();
          i++;
        } else if (c === 62) {
          const f = frames[frames.length - 1];
          const parent = frames[frames.length - 2];
          if (!mdx && VOID.has(f.name)) pop();
          else {
            f.kind = 'elem';
            // Children of an element written inside an expression are JSX; elsewhere Markdown.
            f.children = parent && (parent.kind === 'bracket' || parent.children === 'jsx') ? 'jsx' : 'md';
          }
        }
        continue;
      }
      if (here === 'template') {
        if (c === 92) i++;
        else if (c === 96) pop();
        else if (c === 36 && source.charCodeAt(i + 1) === 123) {
          const b = push({ kind: 'bracket', name: '{' }, column);
          if (b) return b;
          i++;
        }
        continue;
      }
      // An MDX expression: JavaScript.
      if (c === 34 || c === 39) {
        strQuote = c;
        continue;
      }
      if (c === 96) {
        const b = push({ kind: 'template', name: '`' }, column);
        if (b) return b;
        continue;
      }
      if (c === 47 && source.charCodeAt(i + 1) === 47) break;
      if (c === 47 && source.charCodeAt(i + 1) === 42) {
        blockComment = true;
        i++;
        continue;
      }
      if (c === 47 && !regexTried && regexMayStart(source, i, pos)) {
        // One failed search per line at most: a line of unclosed `/[` stays linear.
        const j = regexEnd(source, i + 1, end);
        if (j !== -1) i = j;
        else regexTried = true;
        continue;
      }
      if (c === 40 || c === 91 || c === 123) {
        const b = push({ kind: 'bracket', name: String.fromCharCode(c) }, column);
        if (b) return b;
        continue;
      }
      if (c === 41 || c === 93 || c === 125) {
        const opener = c === 41 ? '(' : c === 93 ? '[' : '{';
        if (frames[frames.length - 1].name === opener) pop();
        continue;
      }
      if (c === 60 && !isIdentChar(previousSignificant(source, i, pos))) {
        const t = openTag(source, i, end);
        if (t !== undefined) {
          const b = push({ kind: 'tag', name: t.name }, column);
          if (b) return b;
          i = t.after - 1;
        }
      }
    }
    // A string in an expression ends with its line, unless the line ends in a backslash.
    if (strQuote !== 0 && source.charCodeAt(end - 1) !== 92) strQuote = 0;
    pos = end + 1;
    line++;
  }
  return tooLong;
}

/** An opening tag at `at` (`<name` followed by a space, `>`, `/` or the line's end; `<>` is a fragment): its name and where its attributes start. */
function openTag(source: string, at: number, end: number): { name: string; after: number } | undefined {
  if (source.charCodeAt(at + 1) === 62) return { name: '', after: at + 1 };
  if (!isLetter(source.charCodeAt(at + 1))) return undefined;
  let j = at + 2;
  while (j < end && isNameChar(source.charCodeAt(j))) j++;
  const c = source.charCodeAt(j);
  if (j < end && !isSpace(c) && c !== 62 && c !== 47) return undefined;
  return { name: source.slice(at + 1, j).toLowerCase(), after: j };
}

/**
 * Code spans on one line: for each backtick run, the index of the last backtick of the
 * run that would close it (the next run of the same length). One pass from the right,
 * so a line of many unmatched runs stays linear.
 */
function codeSpanEnds(source: string, from: number, end: number): Map<number, number> {
  const out = new Map<number, number>();
  if (source.indexOf('`', from) === -1 || source.indexOf('`', from) >= end) return out;
  const runs: [number, number][] = [];
  for (let i = from; i < end; i++) {
    if (source.charCodeAt(i) !== 96) continue;
    let j = i;
    while (j < end && source.charCodeAt(j) === 96) j++;
    runs.push([i, j - i]);
    i = j - 1;
  }
  const nextOfLength = new Map<number, number>();
  const next: number[] = new Array(runs.length).fill(-1);
  for (let r = runs.length - 1; r >= 0; r--) {
    next[r] = nextOfLength.get(runs[r][1]) ?? -1;
    nextOfLength.set(runs[r][1], r);
  }
  // Every run maps to the next run of its length: which runs open a span depends on where the scan stands.
  for (let r = 0; r < runs.length; r++)
    if (next[r] !== -1) out.set(runs[r][0], runs[next[r]][0] + runs[next[r]][1] - 1);
  return out;
}

/** The last non-space character before `at` on its line (0 at the line start). */
function previousSignificant(source: string, at: number, lineStart: number): number {
  let j = at - 1;
  // Linear overall: a run of spaces is walked back once, by the character after it.
  while (j >= lineStart && isSpace(source.charCodeAt(j))) j--;
  return j >= lineStart ? source.charCodeAt(j) : 0;
}

/** Whether a `/` at `at` starts a regular expression literal (after an operator or opening bracket, as JavaScript reads it). */
function regexMayStart(source: string, at: number, lineStart: number): boolean {
  const p = previousSignificant(source, at, lineStart);
  return p === 0 || '(,=:[!&|?{};+-*%<>~^'.includes(String.fromCharCode(p));
}

/** The closing `/` of a regular expression literal that starts before `from`, on the same line, or -1. */
function regexEnd(source: string, from: number, end: number): number {
  let inClass = false;
  for (let j = from; j < end; j++) {
    const c = source.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 91) inClass = true;
    else if (c === 93) inClass = false;
    else if (c === 47 && !inClass) return j;
  }
  return -1;
}
