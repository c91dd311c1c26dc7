/**
 * `runbook import` reads pages from a folder that may be hostile: the regular expressions it
 * matched pages with were super-linear (recheck, tests/hostile/regex.test.ts) and are now linear
 * scans (src/plugins/import/scan.ts). Property: on hundreds of seeded random strings built
 * from each pattern's significant pieces, every scan gives exactly what the old regex gave
 * (matches, captures, order). Then convertPage returns on each recheck attack string grown to
 * ~200 KB.
 */
import { describe, expect, it } from 'vitest';
import { convertPage } from '../../src/plugins/import/convert.ts';
import { plainTitle, slugFromPath, titleFromPath } from '../../src/plugins/import/title.ts';
import {
  atxH1,
  fenceOf,
  linksAsText,
  linkTargets,
  replaceImages,
  replaceMdAnchorLinks,
  replaceMdLinks,
  splitCapitalRuns,
  withoutClosingHashes,
  withoutTags,
} from '../../src/plugins/import/scan.ts';
import { trimBoth, trimEnd } from '../../src/plugins/runbook/text.ts';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';

/** The same strings on every run. */
const random = mulberry32;

/** `count` strings of up to `max` pieces drawn from `pieces`. */
function strings(seed: number, pieces: string[], count = 600, max = 14): string[] {
  const next = random(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: Math.floor(next() * (max + 1)) }, () => pieces[Math.floor(next() * pieces.length)]).join(''),
  );
}

/**
 * `count` strings of 1 to 3 shapes each, a shape being one pick from every slot of one of
 * `shapes` (so the rare paths of a pattern, like `<` given back, come up often).
 */
function shaped(seed: number, shapes: string[][][], count = 800): string[] {
  const next = random(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(shapes).map(pick).join('')).join(''),
  );
}

const IMAGE_SHAPE = [
  ['!', '', '!!', 'a'],
  ['['],
  ['', 'alt', ']', '['],
  [']', ''],
  ['(', ''],
  ['', ' ', '\t'],
  ['', '<', '<<'],
  ['', 'a', '"', '(', '<', 'x"y', ']('],
  ['', '>'],
  ['', ' ', '\t'],
  ['', '"t"', '"', '"a b"', '"x)'],
  ['', ' '],
  [')', '', '))'],
];
const IMG_SHAPE = [
  ['<img', '<IMG', '<imgx', '<img>', '<'],
  ['', ' ', ' a=1', '>'],
  ['', ' src', 'src', ' SRC', ' data-src', ' x', '_src'],
  ['', ' '],
  ['=', ''],
  ['', ' '],
  ['"', "'", ''],
  ['', 'a.png', 'a>b', '"'],
  ['"', "'", ''],
  ['', '>', ' src="b"', " src='c'>"],
];
const MD_SHAPE = [
  ['', 'a', ']', '](x', ')'],
  [']('],
  ['', ' ', '\t'],
  ['', '<', '<<'],
  ['', 'a', 'http', 'x+1', '/', 'Z', '<', '#'],
  ['', ':', 'b', '.md', ' '],
  ['.md', '.Md', '.mD', 'md', '', '.md.md'],
  ['#', '#', '', ')', '>'],
  ['', 'a', 'x)', '>', ' ', '#'],
];

/** A replace callback that shows every capture, so two replaces agree only if their matches do. */
const shown =
  (groups: number) =>
  (...args: unknown[]) =>
    `«${JSON.stringify(args.slice(0, groups + 1))}»`;

// The patterns as they were in src/plugins/import/convert.ts.
const OLD = {
  fence: /^ {0,3}(`{3,}|~{3,})(.*)$/,
  atx: /^ {0,3}#(?!#)\s+(.*)$/,
  closingHashes: /\s+#+\s*$/,
  links: /!?\[([^\]]*)\]\([^)]*\)/g,
  tags: /<[^>]+>/g,
  capitals: /([A-Z]+)([A-Z][a-z])/g,
  dashes: /^-+|-+$/g,
  targets: /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi,
  images: /!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?((?:\s+"[^"]*")?\s*)\)/g,
  mdLinks: /(\]\(\s*<?)([^)\s>#]+\.md)(#[^)\s>]*)?/g,
  mdAnchorLinks: /(\]\(\s*<?)((?!\/|[a-z][a-z0-9+.-]*:)[^)\s>#]+\.md)(#[^)\s>]+)/gi,
  fileName: /[^/]+$/,
  slashes: /\/+$/,
};

function oldPlainTitle(heading: string): string {
  return heading
    .replace(OLD.closingHashes, '')
    .replace(OLD.links, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(\*|_)(.+?)\1/g, '$2')
    .replace(OLD.tags, '')
    .trim();
}

function oldSlugFromPath(path: string): string | undefined {
  const name = path
    .split('/')
    .at(-1)!
    .replace(/\.mdx?$/i, '');
  if (/^(readme|index|_index)$/i.test(name)) return undefined;
  const slug = name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(OLD.capitals, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(OLD.dashes, '');
  return /^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) && slug.length <= 60 ? slug : undefined;
}

const SPACE = [' ', '\t', '\u00a0', '\u3000'];
const BREAK = ['\r', '\n', '\u2028', '\u2029'];

describe('import scans match the regular expressions they replace', () => {
  it('fences and ATX H1 lines', () => {
    for (const s of strings(1, [' ', ' ', '`', '`', '~', '~', 'a', '#', ...SPACE, ...BREAK])) {
      const f = OLD.fence.exec(s);
      expect(fenceOf(s), JSON.stringify(s)).toEqual(f ? [f[0], f[1], f[2]] : undefined);
    }
    for (const s of strings(2, [' ', ' ', '#', '#', 'a', '#a', ...SPACE, ...BREAK]))
      expect(atxH1(s), JSON.stringify(s)).toBe(OLD.atx.exec(s)?.[1]);
  });

  it('heading text: closing hashes, links, tags, and plainTitle as a whole', () => {
    for (const s of strings(3, ['#', '#', ' ', 'a', ...SPACE, ...BREAK]))
      expect(withoutClosingHashes(s), JSON.stringify(s)).toBe(s.replace(OLD.closingHashes, ''));
    for (const s of strings(4, ['!', '[', ']', '(', ')', 'a', '\n']))
      expect(linksAsText(s), JSON.stringify(s)).toBe(s.replace(OLD.links, '$1'));
    for (const s of strings(5, ['<', '>', 'a', '\n', '<>']))
      expect(withoutTags(s), JSON.stringify(s)).toBe(s.replace(OLD.tags, ''));
    for (const s of strings(6, ['#', ' ', '![', '[', ']', '(', ')', '<', '>', '`', '*', '_', 'a', '\t'], 600, 20))
      expect(plainTitle(s), JSON.stringify(s)).toBe(oldPlainTitle(s));
  });

  it('file names: capital runs, dashes, slugs, folders, slashes', () => {
    for (const s of strings(7, ['A', 'B', 'a', 'b', '-', '0', '\u00c9']))
      expect(splitCapitalRuns(s), JSON.stringify(s)).toBe(s.replace(OLD.capitals, '$1-$2'));
    for (const s of strings(8, ['-', '-', 'a', '\n']))
      expect(trimBoth(s, '-'), JSON.stringify(s)).toBe(s.replace(OLD.dashes, ''));
    for (const s of strings(9, ['/', '/', 'a', '\n']))
      expect(trimEnd(s, '/'), JSON.stringify(s)).toBe(s.replace(OLD.slashes, ''));
    for (const s of strings(10, ['A', 'PI', 'Down', 'a', '_', '-', '.md', '/', 'README', '0']))
      expect(slugFromPath(s), JSON.stringify(s)).toBe(oldSlugFromPath(s));
    // A page whose H1 is "README" takes its folder's name (the file name replaced by /[^/]+$/).
    for (const s of strings(11, ['/', 'a', 'b-c', 'X.md', '\n'], 300, 8)) {
      const page = convertPage('# README\n', { source: s, today: '2026-01-01', renamed: new Map() });
      expect(page.title, JSON.stringify(s)).toBe(titleFromPath(s.replace(OLD.fileName, 'README.md')));
    }
  });

  it('link and image targets (matchAll, both alternatives)', () => {
    const pieces = [
      '![',
      '[',
      ']',
      '](',
      '(',
      ')',
      '<',
      '>',
      ' ',
      '"',
      "'",
      'a',
      '#',
      '<img',
      '<IMG',
      ' src',
      'SRC',
      'src',
      '=',
      '\t',
      '_',
      'g',
    ];
    for (const s of [...strings(12, pieces, 800, 16), ...shaped(16, [IMAGE_SHAPE, IMG_SHAPE])])
      expect(linkTargets(s), JSON.stringify(s)).toEqual([...s.matchAll(OLD.targets)].map((m) => m[1] ?? m[2]));
  });

  it('images, links to .md pages, GitLab anchors (replace with every capture)', () => {
    for (const s of [
      ...strings(13, ['![', '[', ']', '](', '(', ')', '<', '>', ' ', '"', 'a', '\t', '!'], 800, 16),
      ...shaped(17, [IMAGE_SHAPE]),
    ]) {
      expect(replaceImages(s, shown(3)), JSON.stringify(s)).toBe(s.replace(OLD.images, shown(3)));
    }
    for (const s of [
      ...strings(14, [']', '](', '(', ')', '<', '>', ' ', '.md', '.MD', '.m', 'd', 'a', '#', '/'], 800, 16),
      ...shaped(18, [MD_SHAPE]),
    ]) {
      expect(replaceMdLinks(s, shown(3)), JSON.stringify(s)).toBe(s.replace(OLD.mdLinks, shown(3)));
    }
    for (const s of [
      ...strings(
        15,
        [']', '](', ')', '<', '>', ' ', '.md', '.Md', 'a', 'Z', '#', '/', 'http', ':', '+', '1', '<.md'],
        800,
        16,
      ),
      ...shaped(19, [MD_SHAPE]),
    ]) {
      expect(replaceMdAnchorLinks(s, shown(3)), JSON.stringify(s)).toBe(s.replace(OLD.mdAnchorLinks, shown(3)));
    }
  });
});

describe('convertPage on the recheck attack strings, grown to ~200 KB', () => {
  const grow = (unit: string, head = '', tail = '') => head + unit.repeat(Math.ceil(200_000 / unit.length)) + tail;
  const attacks: Record<string, string> = {
    gitlabAnchorLink: grow('](D', '', '\t'),
    fence: grow('~', '~~~', '\r'),
    closingHashes: grow('\t', '# a', '#\t#'),
    links: grow('[', '# ', '][]()'),
    tags: grow('<\u0000', '# '),
    atx: grow('\t ', '#\t', '\r#\t'),
    imgSrc: grow('<IMG!', '', '>'),
    images: grow('![](<'),
    mdLinks: grow('md](('),
  };
  for (const [name, body] of Object.entries(attacks)) {
    it(`${name} (plain, gitlab)`, () => {
      for (const from of ['plain', 'gitlab'] as const) {
        const page = convertPage(`${body}\n`, {
          source: 'a/page.md',
          today: '2026-01-01',
          renamed: new Map(),
          exists: () => false,
          from,
        });
        expect(page.text.startsWith('---')).toBe(true);
        expect(page.changes.length).toBeGreaterThan(0);
      }
    });
  }

  it('file names: capital runs, dashes, a folder-less README, alias slashes', () => {
    expect(slugFromPath(grow('A', '', '\u0000AAa'))).toBeUndefined();
    expect(slugFromPath(grow('-', '\u0000', '-\u0000'))).toBeUndefined();
    const source = grow('\u0000', '', '/\u0000');
    expect(convertPage('# README\n', { source, today: '2026-01-01', renamed: new Map() }).title).toBe(
      titleFromPath(`${source.slice(0, -1)}README.md`),
    );
    const hugo = convertPage(`---\ntitle: x\naliases: [${JSON.stringify(grow('/', '', '\u0000/'))}]\n---\nbody\n`, {
      source: 'p.md',
      today: '2026-01-01',
      renamed: new Map(),
      from: 'hugo',
    });
    expect(hugo.changes.some((c) => c.what.includes('aliases'))).toBe(true);
  });
});
