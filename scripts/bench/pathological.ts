/**
 * Seeded generators of pathological runbook pages, one per class of input that makes a
 * parser recurse, backtrack or rescan: deep nesting of each kind, unclosed tags, long
 * runs of one markup character, long lines, many small tokens. Shared by
 * tests/hostile/limits.test.ts (the property) and scripts/bench/limits.ts (the timing).
 */

import { LIMITS } from '../../src/plugins/reader.ts';
import { mulberry32 } from './mulberry32.ts';

/** The same seed gives the same pages. */
export const rng = mulberry32;

/** One generated page: its extension and its full text (frontmatter included). */
export interface Pathological {
  ext: 'md' | 'mdx';
  text: string;
}

/** A valid runbook head, so a page that passes the limits is a real runbook. */
export const HEAD =
  '---\ntitle: Generated\nowner: "@ops-team"\nreview:\n  log:\n    - { date: 2026-10-01, reviewer: "@ana", change: "x" }\n---\n\n';

/** Repeats `unit` (chosen afresh by `pick` each time) until the text reaches `bytes`. */
function fill(bytes: number, pick: () => string): string {
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const p = pick();
    parts.push(p);
    size += p.length;
  }
  return parts.join('');
}

/** A generator: a page of about `bytes` bytes from a random source. */
export type Generator = (bytes: number, random: () => number) => Pathological;

const oneOf = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const body = (ext: 'md' | 'mdx', text: string): Pathological => ({ ext, text: HEAD + text });
/** Nesting `depth` levels of `open` … `close` around `inner`, as deep as `bytes` allows. */
const nest = (bytes: number, open: string, close: string, inner = 'x') => {
  const depth = Math.max(1, Math.floor((bytes - inner.length) / (open.length + close.length)));
  return open.repeat(depth) + inner + close.repeat(depth);
};

/**
 * The classes. `crashes` marks the ones that took a parser past its stack before the
 * pre-scan (a native segfault or a RangeError): their property runs the real CLI in a
 * child process, where a segfault is an exit code and not the end of the test run.
 */
export const CLASSES: Record<string, { crashes: boolean; generate: Generator }> = {
  'jsx-nesting': {
    crashes: true,
    generate: (b, r) =>
      body('mdx', nest(b, oneOf(r, ['<a>', '<div>', '<Box>']), oneOf(r, ['</a>', '</div>', '</Box>']))),
  },
  'jsx-unclosed': {
    crashes: true,
    generate: (b, r) =>
      body(
        'mdx',
        fill(b, () => oneOf(r, ['<div>\n', '<a>', '<b>', '<C>\n'])),
      ),
  },
  'mdx-brackets': {
    crashes: true,
    generate: (b, r) => body('mdx', `{${nest(b - 2, oneOf(r, ['(', '[', '{', '[(']), '', '1')}}\n`),
  },
  'mdx-balanced-brackets': {
    crashes: true,
    generate: (b, r) => {
      const o = oneOf(r, ['(', '[']);
      return body('mdx', `{${nest(b - 2, o, o === '(' ? ')' : ']', '1')}}\n`);
    },
  },
  'html-unclosed': {
    crashes: true,
    generate: (b, r) =>
      body(
        'md',
        fill(b, () => oneOf(r, ['<div>\n', '<span>', '<section>\n', '<div class="x">'])),
      ),
  },
  'html-nesting': { crashes: true, generate: (b) => body('md', `${nest(b, '<div>', '</div>')}\n`) },
  blockquotes: {
    crashes: true,
    generate: (b, r) => body(oneOf(r, ['md', 'mdx'] as const), `${'> '.repeat(Math.floor(b / 2))}x\n`),
  },
  'blockquote-stairs': {
    crashes: true,
    generate: (b) => {
      const lines: string[] = [];
      let size = 0;
      for (let i = 0; size < b; i++) {
        const l = `${'> '.repeat(i % 400)}x`;
        lines.push(l);
        size += l.length + 1;
      }
      return body('md', lines.join('\n'));
    },
  },
  lists: {
    crashes: true,
    generate: (b, r) => {
      const lines: string[] = [];
      let size = 0;
      const marker = oneOf(r, ['- ', '* ', '1. ']);
      for (let i = 0; size < b; i++) {
        const l = `${' '.repeat(marker.length).repeat(i % 300)}${marker}x`;
        lines.push(l);
        size += l.length + 1;
      }
      return body('md', lines.join('\n'));
    },
  },
  'yaml-flow': {
    crashes: true,
    generate: (b, r) => ({
      ext: 'md',
      text: `---\ntitle: Deep\nx: ${nest(b, oneOf(r, ['[', '{a: ']), '', '1')}\n---\n\nx\n`,
    }),
  },
  'yaml-block': {
    crashes: true,
    generate: (b) => {
      const lines: string[] = [];
      let size = 0;
      for (let i = 0; size < b; i++) {
        const l = `${' '.repeat(i)}k${i}:`;
        lines.push(l);
        size += l.length + 1;
      }
      return { ext: 'md', text: `---\ntitle: Deep\n${lines.join('\n')} 1\n---\n\nx\n` };
    },
  },
  'run-of-gt': { crashes: false, generate: (b) => body('md', `${'>'.repeat(b)}\n`) },
  'run-of-stars': {
    crashes: false,
    generate: (b, r) => body('md', `${oneOf(r, ['*', '_', '**'] as const).repeat(Math.floor(b / 2))}x\n`),
  },
  'run-of-brackets': {
    crashes: false,
    generate: (b, r) =>
      body(oneOf(r, ['md', 'mdx'] as const), `${oneOf(r, ['[', '![', ']('] as const).repeat(Math.floor(b / 2))}x\n`),
  },
  'run-of-backticks': {
    crashes: false,
    generate: (b, r) =>
      body(
        'md',
        fill(b, () => '`'.repeat(1 + Math.floor(r() * 8)) + 'x'),
      ),
  },
  'run-of-lt': {
    crashes: false,
    generate: (b, r) =>
      body(
        'md',
        fill(b, () => oneOf(r, ['<', '<a', '< ', '</', '<!--'])),
      ),
  },
  'run-of-braces': {
    crashes: false,
    generate: (b, r) =>
      body(
        'md',
        fill(b, () => oneOf(r, ['{', '{{', '}'])),
      ),
  },
  'long-line': {
    crashes: false,
    generate: (b, r) =>
      body('md', `${fill(b, () => oneOf(r, ['word ', 'a_b ', '`c` ', '*d* ', '<e> ', '[f](g) ', 'h\\ ']))}\n`),
  },
  'many-tokens': {
    crashes: false,
    generate: (b, r) =>
      body(
        'md',
        fill(b, () =>
          oneOf(r, [
            '*a* ',
            '_b_ ',
            '`c` ',
            '[d](e) ',
            '<f> ',
            ':g[h] ',
            '\n',
            '\n\n',
            '- i\n',
            '> j\n',
            '# k\n',
            '| l | m |\n',
          ]),
        ),
      ),
  },
  // What made the old attribute regexes (`<…[^>]*?\s(?:id|name)=`) quadratic: tags that never end, and many images on one line.
  'html-attribute-runs': {
    crashes: false,
    generate: (b, r) =>
      body('md', `<p>\n${fill(b, () => oneOf(r, ['<a ', '<a id ', '<img src=x ', ' name', '=', '"']))}\n</p>\n`),
  },
  'many-images': { crashes: false, generate: (b) => body('md', `<p>${fill(b, () => '<img src="x.png" id=i>')}</p>\n`) },
  // Just under each limit, over and over to the size: parsed, so parse time must stay linear in size.
  'at-limit-blockquotes': {
    crashes: false,
    generate: (b) =>
      body(
        'md',
        fill(b, () => `${'> '.repeat(LIMITS.containers)}x\n\n`),
      ),
  },
  'at-limit-lists': {
    crashes: false,
    generate: (b) =>
      body(
        'md',
        fill(b, () => `${Array.from({ length: LIMITS.containers }, (_, i) => `${'  '.repeat(i)}- x`).join('\n')}\n\n`),
      ),
  },
  'at-limit-jsx': {
    crashes: false,
    generate: (b) =>
      body(
        'mdx',
        fill(b, () => `${'<a>'.repeat(LIMITS.nesting)}x${'</a>'.repeat(LIMITS.nesting)}\n\n`),
      ),
  },
  'at-limit-html': {
    crashes: false,
    generate: (b) =>
      body(
        'md',
        fill(b, () => `${'<div>'.repeat(LIMITS.nesting)}x${'</div>'.repeat(LIMITS.nesting)}\n\n`),
      ),
  },
  'at-limit-brackets': {
    crashes: false,
    generate: (b) =>
      body(
        'mdx',
        fill(b, () => `{${'('.repeat(LIMITS.nesting - 2)}1${')'.repeat(LIMITS.nesting - 2)}}\n\n`),
      ),
  },
  'markup-soup': {
    crashes: false,
    generate: (b, r) =>
      body(
        oneOf(r, ['md', 'mdx'] as const),
        fill(b, () =>
          oneOf(r, [
            '<a>',
            '</a>',
            '<b x="',
            '"',
            "'",
            '{',
            '}',
            '(',
            ')',
            '[',
            ']',
            '> ',
            '- ',
            '\n',
            '\n\n',
            '  ',
            '```\n',
            '`',
            '<!--',
            '-->',
            '/',
            '\\',
            'text ',
            '/*',
            '*/',
          ]),
        ),
      ),
  },
};
