/**
 * The frontmatter class of attacks: values for every field of Starlight's page schema,
 * drawn by a seeded generator from hostile text (tags, handlers, script URLs, entities,
 * raw SVG, mappings where text is expected), combined into pages. `runbook check` sorts
 * them; the pages it finds clean go into one real `astro build`, and the property is
 * asserted on each built page: no element or attribute outside the set the baseline
 * pages carry, no event handler, no script URL, no script or style of its own.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Nodes } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkProject } from '../../src/plugins/check/index.ts';
import type { Diagnostic } from '../../src/plugins/runbook/diagnostic.ts';
import { starlightFieldNames } from '../../src/plugins/runbook/starlight-fields.ts';
import { astroBuild, type BuildResult, scratchSite } from '../build/helpers.ts';
import { TODAY } from '../fixtures/bad-input.ts';
import { seeded } from '../fixtures/seeded.ts';

const PAGES = 400;
const DIR = 'src/content/runbooks/gen';

const g = seeded(18);

/** Text that becomes markup, a handler or a script URL if any field lets it through. */
const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "' onmouseover='alert(1)' x='",
  '<svg><script>alert(1)</script></svg>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;img src=x onerror=alert(1)&#62;',
  '<a href="javascript:alert(1)">x</a>',
  '<iframe src="https://evil.example/"></iframe>',
  '<style>body{display:none}</style>',
  '</title><script>alert(1)</script>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  'javascript:alert(1)',
  '<b>bold</b>',
  'x\u2028y\u0000z',
];
const BENIGN = [
  'Queue stuck',
  'R&D on-call',
  'Step 1 > step 2',
  'Lag < 5 s',
  'Déjà vu — ünïcödé',
  'a "quoted" word',
  "it's",
];
const URLS = [
  '/ops/queue-stuck/',
  '../',
  '#top',
  'https://example.com/x',
  'http://example.com/',
  '//evil.example/x',
  'javascript:alert(1)',
  ' java\tscript:alert(1)',
  'JaVaScRiPt:alert(1)',
  '&#106;avascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  '"><script>alert(1)</script>',
  'https://example.com/" onmouseover="alert(1)',
];
const ICONS = [
  'right-arrow',
  'rocket',
  'seti:html',
  '<svg onload="alert(1)"></svg>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><a href="javascript:alert(1)"><text>x</text></a></svg>',
  'nope',
];
const ATTRS = [
  'onclick',
  'onmouseover',
  'onfocus',
  'href',
  'src',
  'style',
  'class',
  'id',
  'autofocus',
  'data-x',
  'aria-label',
  'x" onload="alert(1)',
  'formaction',
];
const HEAD_ATTRS = [
  'name',
  'property',
  'content',
  'rel',
  'href',
  'http-equiv',
  'charset',
  'onload',
  'src',
  'type',
  'media',
  'sizes',
  'title',
  'hreflang',
  'itemprop',
];
const RELS = [
  'alternate',
  'canonical',
  'icon',
  'author',
  'stylesheet',
  'preload',
  'modulepreload',
  'alternate stylesheet',
  'dns-prefetch',
];

const text = () => (g.chance(0.6) ? g.pick(HOSTILE) : g.pick(BENIGN));
/** A value of the wrong kind: a mapping, a list, a number, a boolean or nothing where text is expected. */
const wrong = () => g.pick<unknown>([{ html: g.pick(HOSTILE) }, [g.pick(HOSTILE)], 42, true, null]);
const textish = () => (g.chance(0.1) ? wrong() : text());
const url = () => (g.chance(0.1) ? wrong() : g.pick(URLS));
const subset = <T>(xs: readonly T[], p = 0.4) => xs.filter(() => g.chance(p));
const attrs = (names: readonly string[]) =>
  Object.fromEntries(
    subset(names, 0.25).map((n) => [
      n,
      n === 'href' || n === 'src' ? g.pick(URLS) : n === 'rel' ? g.pick(RELS) : text(),
    ]),
  );
/** Only the keys that were drawn. */
const some = (fields: Record<string, () => unknown>, p = 0.5) =>
  Object.fromEntries(subset(Object.keys(fields), p).map((k) => [k, fields[k]()]));

/** One generator per field of Starlight's page schema (the table test below holds it to the schema). */
const FIELDS: Record<string, () => unknown> = {
  title: () => (g.chance(0.7) ? g.pick(BENIGN) : g.pick(HOSTILE)),
  description: () => textish(),
  editUrl: () => g.pick<() => unknown>([() => false, () => true, url, () => 'https://git.example/edit/x.md'])(),
  head: () =>
    g.some(3, () =>
      g.chance(0.5)
        ? g.pick([
            { tag: 'meta', attrs: { name: text(), content: text() } },
            { tag: 'link', attrs: { rel: g.pick(RELS), href: g.pick(URLS), title: text() } },
          ])
        : {
            tag: g.pick(['title', 'base', 'link', 'style', 'meta', 'script', 'noscript', 'template']),
            ...(g.chance(0.8) ? { attrs: attrs(HEAD_ATTRS) } : {}),
            ...(g.chance(0.3) ? { content: text() } : {}),
          },
    ),
  tableOfContents: () =>
    g.pick<() => unknown>([
      () => true,
      () => false,
      () => ({ minHeadingLevel: 2, maxHeadingLevel: g.pick([3, 4]) }),
      () => ({ minHeadingLevel: text() }),
    ])(),
  template: () => g.pick(['doc', 'splash', 'splash', text()]),
  hero: () =>
    g.chance(0.4)
      ? {
          title: g.pick(BENIGN),
          tagline: g.pick(BENIGN),
          actions: g.some(2, () => ({ text: text(), link: g.pick(URLS.slice(0, 5)), icon: g.pick(ICONS.slice(0, 3)) })),
        }
      : some(
          {
            title: textish,
            tagline: textish,
            image: () =>
              g.pick<() => unknown>([
                () => ({ html: g.pick(HOSTILE) }),
                () => ({ file: './pic.png', alt: text() }),
                () => ({ dark: './pic.png', light: './pic.png', alt: text() }),
              ])(),
            actions: () =>
              g.some(3, () => ({
                text: textish(),
                link: url(),
                ...some(
                  {
                    variant: () => g.pick(['primary', 'secondary', 'minimal']),
                    icon: () => g.pick(ICONS),
                    attrs: () => attrs(ATTRS),
                  },
                  0.4,
                ),
              })),
          },
          0.6,
        ),
  lastUpdated: () => g.pick<unknown>([new Date('2026-10-01T00:00:00Z'), true, false, text()]),
  prev: () =>
    g.pick<() => unknown>([
      () => true,
      () => false,
      text,
      () => ({ link: url(), label: textish() }),
      () => ({ link: url() }),
      () => ({ label: text(), attrs: { onclick: 'alert(1)' } }),
    ])(),
  next: () => g.pick<() => unknown>([() => true, () => false, text, () => ({ link: url(), label: textish() })])(),
  sidebar: () =>
    some({
      order: () => g.pick<unknown>([1, 2.5, text()]),
      label: textish,
      hidden: () => g.pick<unknown>([false, false, true, text()]),
      badge: () =>
        g.pick<() => unknown>([
          text,
          () => ({
            text: textish(),
            ...some({ variant: () => g.pick(['note', 'danger', 'tip', text()]), class: text }),
          }),
        ])(),
      attrs: () => attrs(ATTRS),
    }),
  banner: () => (g.chance(0.9) ? { content: textish() } : { content: text(), class: text() }),
  pagefind: () => g.pick<unknown>([true, false, text()]),
  draft: () => g.pick([false, false, false, true]),
};

/** A page: a title and one to four other Starlight fields. */
function generatedPage(): Record<string, unknown> {
  const others = Object.keys(FIELDS).filter((k) => k !== 'title');
  const chosen = new Set<string>();
  const count = 1 + Math.floor(g.next() * 4);
  while (chosen.size < count) chosen.add(g.pick(others));
  return { title: FIELDS.title(), runbook: false, ...Object.fromEntries([...chosen].map((k) => [k, FIELDS[k]()])) };
}

const md = (data: Record<string, unknown>, body = 'Generated page.') => `---\n${stringify(data)}---\n\n${body}\n`;

/** The baseline: a page with no Starlight fields, and one using each allowed field with harmless values. */
const BASELINE = {
  [`${DIR}/base-plain.md`]: md(
    { title: 'Plain page', runbook: false },
    '## A heading\n\nSome text, a [link](/ops/queue-stuck/) and an image:\n\n![A picture](./pic.png)',
  ),
  [`${DIR}/base-fields.md`]: md({
    title: 'Fields page',
    runbook: false,
    description: 'A page using every allowed field',
    template: 'splash',
    editUrl: 'https://git.example/edit/x.md',
    head: [
      { tag: 'meta', attrs: { name: 'robots', property: 'og:x', content: 'noindex' } },
      {
        tag: 'link',
        attrs: {
          rel: 'alternate',
          href: '/feed.xml',
          hreflang: 'en',
          type: 'application/rss+xml',
          title: 'Feed',
          sizes: 'any',
          media: 'screen',
        },
      },
    ],
    hero: {
      title: 'Hero',
      tagline: 'Tagline',
      image: { file: './pic.png', alt: 'Picture' },
      actions: ICONS.slice(0, 3).map((icon) => ({ text: 'Go', link: '/ops/queue-stuck/', icon, variant: 'minimal' })),
    },
    lastUpdated: new Date('2026-10-01T00:00:00Z'),
    prev: { link: '/ops/queue-stuck/', label: 'Back' },
    next: { link: 'https://example.com/', label: 'On' },
    sidebar: { order: 1, label: 'Fields', badge: { text: 'New', variant: 'tip' } },
    banner: { content: 'A notice' },
    pagefind: true,
    draft: false,
  }),
  [`${DIR}/base-toc.md`]: md(
    {
      title: 'Contents page',
      runbook: false,
      tableOfContents: { minHeadingLevel: 2, maxHeadingLevel: 4 },
      sidebar: { badge: 'Text badge' },
    },
    '## One\n\n### Two\n\n#### Three',
  ),
  [`${DIR}/base-hero.md`]: md({
    title: 'Title as hero',
    runbook: false,
    hero: { tagline: 'No title of its own', image: { dark: './pic.png', light: './pic.png', alt: 'x' } },
    prev: 'Back',
    next: true,
  }),
};
/** A 1×1 PNG for hero.image and body images. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const generated = Array.from({ length: PAGES }, (_, i) => ({
  file: `${DIR}/p${String(i).padStart(3, '0')}.md`,
  data: generatedPage(),
}));

/** The element and attribute names of a built page, its script and style texts, and the URLs and handlers it carries. */
function inventory(html: string) {
  const pairs = new Set<string>();
  const texts = new Set<string>();
  const bad: string[] = [];
  const walk = (node: Nodes) => {
    if (node.type === 'element') {
      const el = node;
      pairs.add(el.tagName);
      for (const [name, value] of Object.entries(el.properties)) {
        pairs.add(`${el.tagName}[${name}]`);
        if (/^on/i.test(name)) bad.push(`${el.tagName}[${name}] is an event handler`);
        if (
          /^(href|src|action|formAction|xLinkHref|poster|data|cite|srcSet|ping|background)$/.test(name) &&
          typeof value === 'string'
        ) {
          const protocol = new URL(value, 'https://site.invalid/').protocol;
          if (protocol !== 'https:' && protocol !== 'http:')
            bad.push(`${el.tagName}[${name}]=${JSON.stringify(value)} uses ${protocol}`);
        }
      }
      if (/^(script|style|template|noscript)$/.test(el.tagName))
        texts.add(
          `${el.tagName}:${JSON.stringify(el.properties)}:${el.children.map((c) => ('value' in c ? c.value : '')).join('')}`,
        );
      if (el.tagName === 'template' && 'content' in el) walk(el.content as Nodes);
    }
    if ('children' in node) for (const child of node.children) walk(child);
  };
  walk(fromHtml(html));
  return { pairs, texts, bad };
}

const built = (build: BuildResult, file: string) =>
  readFileSync(
    join(build.dir, 'dist', file.replace(/^src\/content\/runbooks\//, '').replace(/\.md$/, ''), 'index.html'),
    'utf8',
  );

describe('frontmatter: every Starlight field, generated hostile values, a real build', () => {
  let found: Diagnostic[];
  let clean: typeof generated;
  let refused: typeof generated;
  let build: BuildResult;

  beforeAll(() => {
    const files: Record<string, string> = { ...BASELINE };
    for (const p of generated) files[p.file] = md(p.data);
    const dir = scratchSite('basic', 'frontmatter-fields', files);
    writeFileSync(join(dir, DIR, 'pic.png'), PNG);
    found = checkProject(dir, { today: TODAY });
    const failing = new Set(found.filter((d) => d.severity === 'error').map((d) => d.file));
    clean = generated.filter((p) => !failing.has(p.file));
    refused = generated.filter((p) => failing.has(p.file));
    for (const p of refused) rmSync(join(dir, p.file));
    build = astroBuild(dir);
  }, 900_000);

  it("has a generator for every field of Starlight's page schema", () => {
    expect(Object.keys(FIELDS).sort()).toEqual(starlightFieldNames().sort());
  });

  it('keeps the baseline pages clean', () => {
    expect(found.filter((d) => d.file.includes('/base-'))).toEqual([]);
  });

  it('finds each refused page at a place inside its frontmatter, and builds the rest', () => {
    // Both sides are well populated: the property is asserted on many pages carrying hostile text.
    expect(clean.length).toBeGreaterThan(80);
    expect(refused.length).toBeGreaterThan(80);
    expect(clean.filter((p) => JSON.stringify(p.data).includes('<')).length).toBeGreaterThan(20);
    for (const d of found.filter((x) => x.file.startsWith(`${DIR}/p`) && x.ruleId === 'html-unsafe')) {
      const lines =
        md(generated.find((p) => p.file === d.file)!.data)
          .split('\n')
          .indexOf('---', 1) + 1;
      expect(d.line, `${d.file}:${d.line} ${d.message}`).toBeGreaterThan(1);
      expect(d.line, `${d.file}:${d.line} ${d.message}`).toBeLessThan(lines);
      expect(d.hint.length).toBeGreaterThan(10);
    }
    expect(build.status, build.output.slice(-3000)).toBe(0);
  });

  it('every field is exercised on both sides: in some clean page and in some refused page', () => {
    for (const field of Object.keys(FIELDS)) {
      expect(
        clean.some((p) => field in p.data),
        `${field} in a clean page`,
      ).toBe(true);
      if (field !== 'title')
        expect(
          refused.some((p) => field in p.data),
          `${field} in a refused page`,
        ).toBe(true);
    }
  });

  it('never lets a check-clean page carry an element, attribute, script or style the baseline pages do not, nor a handler or script URL', () => {
    const base = Object.keys(BASELINE).map((f) => inventory(built(build, f)));
    const pairs = new Set(base.flatMap((b) => [...b.pairs]));
    const texts = new Set(base.flatMap((b) => [...b.texts]));
    expect(base.flatMap((b) => b.bad)).toEqual([]);
    // What the allowed fields add over a plain page, pinned: nothing that runs.
    const plain = base[0].pairs;
    expect(
      [...pairs]
        .filter((p) => !plain.has(p))
        .filter((p) => /^(script|style|iframe|object|embed|base|form)|\[on/.test(p)),
    ).toEqual([]);
    let pages = 0;
    for (const p of clean) {
      if (p.data.draft === true) continue;
      const page = inventory(built(build, p.file));
      const where = `${p.file}: ${JSON.stringify(p.data)}`;
      expect(
        [...page.pairs].filter((x) => !pairs.has(x)),
        where,
      ).toEqual([]);
      expect(
        [...page.texts].filter((x) => !texts.has(x)),
        where,
      ).toEqual([]);
      expect(page.bad, where).toEqual([]);
      pages++;
    }
    expect(pages).toBeGreaterThan(30);
  });
});
