/**
 * The /r/<slug> redirect pages the build writes as files (src/plugins/shortlinks/redirect-page.ts),
 * over generated hostile slugs, titles and targets: every page parses, in a real HTML parser,
 * to exactly the elements we write, each value back where it was put and nowhere else; the
 * one script is ours and its policy allows nothing more; no file lands outside r/.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import type { Element, Nodes } from 'hast';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';
import { REDIRECT_SCRIPT, redirectPage, writeShortlinkPages } from '../../src/plugins/shortlinks/redirect-page.ts';
import { canonicalTarget, type PublishedShortlink } from '../../src/plugins/shortlinks/publish.ts';
import { auditPage, inlineScriptPolicy } from '../../src/plugins/site/csp.ts';

const PIECES = [
  '"',
  "'",
  '<',
  '>',
  '&',
  '&quot;',
  '&#34;',
  '&lt;',
  '</title><script>alert(1)</script>',
  '</script><script>alert(1)</script>',
  '"><script>alert(1)</script>',
  "' onload='alert(1)",
  '<!--',
  '-->',
  '<![CDATA[',
  '`',
  '${x}',
  '\\',
  '\n',
  '\r',
  '\r\n',
  '\t',
  ' ',
  '\u0000',
  '\u2028',
  '\u202e',
  'javascript:alert(1)',
  '//evil.example',
  'https://evil.example/',
  ';url=https://evil.example/',
  '#',
  '?',
  '%22',
  '/',
  '..',
  '../',
  'Ü',
  'db-down',
  'a',
];

const POLICY = inlineScriptPolicy(REDIRECT_SCRIPT);

const isElement = (n: Nodes): n is Element => n.type === 'element';
const elements = (n: Nodes): Element[] => ('children' in n ? (n.children as Nodes[]).filter(isElement) : []);
const text = (n: Nodes): string =>
  n.type === 'text' ? n.value : 'children' in n ? (n.children as Nodes[]).map(text).join('') : '';
/** What the HTML parser makes of any text (CR/LF normalised; a NUL dropped or replaced): compared as such. */
const parsed = (s: string) => s.replace(/\r\n?/g, '\n').replace(/[\0\ufffd]/g, '');

describe('the /r/ redirect page', () => {
  const next = mulberry32(21);
  const pick = () =>
    Array.from({ length: 1 + Math.floor(next() * 6) }, () => PIECES[Math.floor(next() * PIECES.length)]).join('');
  const links: PublishedShortlink[] = Array.from({ length: 600 }, (_, i) => {
    const external = i % 3 === 0;
    return {
      slug: i % 4 === 0 ? `ok-${i}` : pick(),
      target: i % 5 === 0 ? pick() : external ? `https://status.example.com/${pick()}` : `/ops/${pick()}/#${pick()}`,
      external,
      title: pick(),
      file: 'src/content/runbooks/ops/x.md',
      page: '/ops/x/',
    };
  });

  it('is exactly the elements we write, each value back in its own place, for 600 generated hostile links', () => {
    for (const link of links) {
      const site = next() < 0.5 ? '' : `https://${pick()}`;
      const html = redirectPage(link, site, POLICY);
      const why = JSON.stringify(link);
      const tree = fromHtml(html);
      const [root] = elements(tree);
      expect(root.tagName, why).toBe('html');
      const [head, body, ...rest] = elements(root);
      expect(rest, why).toEqual([]);
      expect(
        elements(head).map((e) => `${e.tagName}:${Object.keys(e.properties).join(',')}`),
        why,
      ).toEqual([
        'meta:charSet',
        'meta:httpEquiv,content',
        'title:',
        'meta:name,content',
        'meta:name,content',
        'script:',
        'meta:httpEquiv,content',
        'meta:name,content',
        'link:rel,href',
      ]);
      const [, csp, title, target, shortlink, script, refresh, robots, canonical] = elements(head);
      expect(csp.properties.content, why).toBe(POLICY);
      expect(parsed(text(title)), why).toBe(parsed(`/r/${link.slug} → ${link.title}`));
      expect(parsed(String(target.properties.content)), why).toBe(parsed(link.target));
      expect(parsed(String(shortlink.properties.content)), why).toBe(parsed(`/r/${link.slug}`));
      expect(text(script), why).toBe(REDIRECT_SCRIPT);
      expect(parsed(String(refresh.properties.content)), why).toBe(parsed(`0;url=${link.target}`));
      expect(robots.properties.content, why).toBe('noindex');
      expect(parsed(String(canonical.properties.href)), why).toBe(parsed(canonicalTarget(link, site)));
      const [p, ...more] = elements(body);
      expect(more, why).toEqual([]);
      const [a, ...others] = elements(p);
      expect(others, why).toEqual([]);
      expect(a.tagName, why).toBe('a');
      expect(Object.keys(a.properties), why).toEqual(['href']);
      expect(parsed(String(a.properties.href)), why).toBe(parsed(link.target));
      expect(parsed(text(p)), why).toBe(parsed(`Redirecting to ${link.title}…`));
      // The site's own audit: the policy first, only our script, and its hash listed.
      expect(auditPage(html), why).toEqual([]);
    }
  });

  const dist = mkdtempSync(join(tmpdir(), 'rb-r-pages-'));
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it('writes r/<slug>/index.html and r/<slug>.html only for a well-formed slug and target, never outside r/', () => {
    const written = writeShortlinkPages(dist, links, { site: 'https://runbooks.example', policy: POLICY });
    expect(readdirSync(dist)).toEqual(['r']);
    const names = readdirSync(join(dist, 'r')).sort();
    const good = links.filter(
      (l) => /^[a-z0-9][a-z0-9-]{0,62}$/.test(l.slug) && /^(\/(?!\/)|https:\/\/)/.test(l.target),
    );
    expect(written).toBe(good.length);
    expect(good.length).toBeGreaterThan(100);
    expect(names).toEqual([...new Set(good.flatMap((l) => [l.slug, `${l.slug}.html`]))].sort());
    for (const l of good) {
      const page = readFileSync(join(dist, 'r', l.slug, 'index.html'), 'utf8');
      expect(readFileSync(join(dist, 'r', `${l.slug}.html`), 'utf8')).toBe(page);
      expect(readdirSync(join(dist, 'r', l.slug))).toEqual(['index.html']);
    }
  });
});
