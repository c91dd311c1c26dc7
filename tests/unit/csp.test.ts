import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import type { Element } from 'hast';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';
import {
  auditPage,
  cspHash,
  hoistPolicy,
  InlineScriptError,
  inlineScriptHashes,
  pagePolicy,
  unionPolicy,
} from '../../src/plugins/site/csp.ts';

const META = (policy: string) => `<meta http-equiv="content-security-policy" content="${policy}">`;
const POLICY = (hashes: string[] = []) =>
  `default-src 'self'; script-src 'self' ${hashes.map((h) => `'${h}'`).join(' ')}; script-src-attr 'none'; style-src 'self'`;
const doc = (head: string, body = '') => `<!DOCTYPE html><html><head>${head}</head><body>${body}</body></html>`;

describe('inlineScriptHashes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csp-'));
  it('hashes each is:inline script of the .astro files under a folder, as the browser will', () => {
    writeFileSync(
      join(dir, 'A.astro'),
      '---\n---\n<script is:inline>\n\tone();\n</script><script>bundled()</script><script is:inline aria-hidden="true">two()</script>',
    );
    expect(inlineScriptHashes([dir])).toEqual([cspHash('\n\tone();\n'), cspHash('two()')].sort());
  });
  it('refuses an is:inline script with define:vars: its text differs per page', () => {
    writeFileSync(join(dir, 'B.astro'), '<script is:inline define:vars={{ to }}>go(to)</script>');
    expect(() => inlineScriptHashes([dir])).toThrow(InlineScriptError);
    expect(() => inlineScriptHashes([dir])).toThrow(/B\.astro: an is:inline script with define:vars/);
  });
  it('refuses a folder that is not there', () => {
    expect(() => inlineScriptHashes([join(dir, 'missing')])).toThrow(/missing is missing/);
  });
  it("matches the hash Astro and Chromium compute for Starlight's theme script (the build test checks the rest)", () => {
    expect(cspHash('two()')).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/);
  });
});

describe('hoistPolicy', () => {
  it('moves the policy <meta> right after <meta charset>, ahead of scripts and Starlight head entries', () => {
    const html = doc(
      `<meta charset="utf-8"><title>t</title><script>theme()</script>${META(POLICY())}<link rel="stylesheet" href="/a.css">`,
    );
    expect(hoistPolicy(html)).toEqual({
      html: doc(
        `<meta charset="utf-8">${META(POLICY())}<title>t</title><script>theme()</script><link rel="stylesheet" href="/a.css">`,
      ),
      policy: POLICY(),
    });
  });
  it("takes Astro's own policy, the last in <head>, not one a page's head entries put before it", () => {
    const fake = META("script-src * 'unsafe-inline'");
    const html = doc(`<meta charset="utf-8">${fake}<script>x()</script>${META(POLICY())}`);
    expect(hoistPolicy(html)).toEqual({
      html: doc(`<meta charset="utf-8">${META(POLICY())}${fake}<script>x()</script>`),
      policy: POLICY(),
    });
  });
  it('without a charset <meta>, puts it first in <head>; leaves a page without a policy alone', () => {
    expect(hoistPolicy(doc(`<title>t</title>${META(POLICY())}`)).html).toBe(doc(`${META(POLICY())}<title>t</title>`));
    const none = doc('<title>t</title>');
    expect(hoistPolicy(none)).toEqual({ html: none });
  });
});

describe('hoistPolicy reads only the head, and gives what a parse of the whole page gives', () => {
  // Heads that end early, hold `</head>` as text (script, style, title, comment, attribute
  // as Astro escapes it), close implicitly, or are written in capitals: the parse of the
  // text up to the first `</head>` stands for the page's only when that tag closed the head.
  const PARTS = [
    '<meta charset="utf-8">',
    '<title>Disk full</title>',
    '<title>a </head> b</title>',
    '<script>theme()</script>',
    '<script>document.write("</head>")</script>',
    '<style>p{}</style>',
    '<style>/* </head> */</style>',
    '<!-- </head> -->',
    '<link rel="stylesheet" href="/a.css">',
    '<meta name="description" content="a &lt;/head&gt; b">',
    META("script-src * 'unsafe-inline'"),
    '</HEAD>',
    '<div>not head</div>',
    '<noscript><p>x</p></noscript>',
    // Not what Astro writes (it escapes `<` in attributes), but the cut must not trust it.
    '<meta name="x" content="</head><body>">',
    '</head><body>',
  ];
  const elements = (html: string): Element[] => {
    const root = fromHtml(html);
    const htmlEl = root.children.find((c): c is Element => c.type === 'element');
    const head = htmlEl?.children.find((c): c is Element => c.type === 'element' && c.tagName === 'head');
    return (head?.children ?? []).filter((c): c is Element => c.type === 'element');
  };
  const isPolicy = (e: Element) => e.tagName === 'meta' && e.properties.httpEquiv !== undefined;
  it('on 400 generated pages: the policy is the last of the whole head, moved first, and nothing else moves', () => {
    const rand = mulberry32(0xc5b);
    for (let n = 0; n < 400; n++) {
      const parts = Array.from({ length: Math.floor(rand() * 7) }, () => PARTS[Math.floor(rand() * PARTS.length)]);
      parts.splice(Math.floor(rand() * (parts.length + 1)), 0, META(POLICY([`sha256-${n}`])));
      const page = doc(parts.join(''), '<p>body</p><script>late()</script>');
      const before = elements(page);
      const own = before.filter(isPolicy).at(-1);
      const { html, policy } = hoistPolicy(page);
      expect(policy, page).toBe(own ? String(own.properties.content) : undefined);
      if (!own) continue;
      const after = elements(html);
      const first = after.findIndex(isPolicy);
      expect(String(after[first].properties.content), page).toBe(policy);
      expect(
        after.slice(0, first).every((e) => e.tagName === 'meta' && e.properties.charSet !== undefined),
        page,
      ).toBe(true);
      // The rest of the page is the page as it was, less the meta that moved.
      const cut = (h: string) => h.replaceAll(META(String(policy)), '');
      expect(html.split(META(String(policy))).length, page).toBe(page.split(META(String(policy))).length);
      expect(cut(html), page).toBe(cut(page));
    }
  });
});

describe('auditPage', () => {
  const script = 'theme()';
  it('passes a page whose inline scripts are all hashed and whose policy comes first', () => {
    expect(
      auditPage(
        doc(
          `<meta charset="utf-8">${META(POLICY([cspHash(script)]))}<script>${script}</script>`,
          '<script src="/_astro/a.js"></script>',
        ),
      ),
    ).toEqual([]);
  });
  it('names a page without a policy', () => {
    expect(auditPage(doc('<title>t</title>'))).toEqual(['no Content-Security-Policy <meta> in <head>']);
  });
  it('names a policy that comes after a script, which then runs unchecked', () => {
    expect(auditPage(doc(`<script>${script}</script>${META(POLICY([cspHash(script)]))}`))).toEqual([
      'the policy <meta> comes after <script>, which it then does not govern',
    ]);
  });
  it('names an inline script in the body whose hash is not listed', () => {
    expect(auditPage(doc(META(POLICY()), '<p>x</p><script>steal()</script>'))).toEqual([
      `an inline <script> ("steal()") whose hash '${cspHash('steal()')}' the policy does not list`,
    ]);
  });
  it("names 'unsafe-inline', 'unsafe-eval', a wildcard and a missing script-src-attr 'none'", () => {
    const problems = auditPage(doc(META("script-src 'self' 'unsafe-inline' 'unsafe-eval' https: *")));
    expect(problems).toEqual([
      "script-src allows 'unsafe-inline' 'unsafe-eval' https: *",
      "script-src-attr is not 'none'",
    ]);
  });
  it('names a policy that restricts no script at all', () => {
    expect(auditPage(doc(META("img-src 'self'")))).toEqual(['the policy does not restrict scripts']);
  });
});

describe('pagePolicy and unionPolicy', () => {
  it('reads the first policy of <head> and merges several into one that allows what each allows', () => {
    expect(pagePolicy(doc(META('script-src a')))).toBe('script-src a');
    expect(pagePolicy(doc('', META('script-src a')))).toBeUndefined();
    expect(
      unionPolicy(["script-src 'self' 'sha256-a'; style-src 'self';", "script-src 'self' 'sha256-b'; img-src data:"]),
    ).toBe("script-src 'self' 'sha256-a' 'sha256-b'; style-src 'self'; img-src data:");
  });
});
