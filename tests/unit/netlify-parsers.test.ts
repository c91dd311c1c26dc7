/**
 * Every `_redirects` and `_headers` we write, read by Netlify's own parsers (npm
 * `@netlify/redirect-parser`, `@netlify/headers-parser`): no errors, and each rule means
 * what we wrote: a redirect's from, to and status; a header rule's path and values.
 */
import { slug as githubSlug } from 'github-slugger';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';
import { collectProject } from '../../src/plugins/check/index.ts';
import { loadProject } from '../../src/plugins/project/load.ts';
import { entryUrl } from '../../src/plugins/runbook/facts.ts';
import { pageInfo, type PageInfo } from '../../src/plugins/runbook/page.ts';
import { externalProblem } from '../../src/plugins/shortlinks/entries.ts';
import { publishedShortlinks, redirectsFile, type PublishedShortlink } from '../../src/plugins/shortlinks/publish.ts';
import { headersRule } from '../../src/plugins/encode/headers.ts';
import { headersFile } from '../../src/plugins/deploy/headers.ts';
import { SECURITY_HEADERS, siteHeaders } from '../../src/plugins/site/headers.ts';
import { ROOT } from '../build/helpers.ts';
import { netlifyHeaders, netlifyRedirects } from '../fixtures/netlify.ts';

/** Where a link leads, as a browser resolves it: the same URL however it is spelt (raw or percent-encoded). */
const resolved = (target: string) => new URL(target, 'https://site.example').href;

/** Holds a `_redirects` text to the shortlinks it was written from: two forced 301s per link, nothing else. */
async function expectRedirects(text: string, links: readonly PublishedShortlink[]) {
  const { redirects, errors } = await netlifyRedirects(text);
  expect(errors).toEqual([]);
  expect(redirects.map((r) => ({ ...r, to: resolved(r.to) }))).toEqual(
    links.flatMap((l) =>
      [`/r/${l.slug}`, `/r/${l.slug}/`].map((from) => ({
        from,
        to: resolved(l.target),
        status: 301,
        force: true,
        query: {},
        conditions: {},
        headers: {},
      })),
    ),
  );
}

/** Words for page names, headings and paths: unicode, punctuation, look-alikes of the formats' syntax. */
const PIECES = [
  'db',
  'down',
  'Über',
  'störung',
  '日本',
  'ﬁ',
  'é',
  'ß',
  '🚀',
  'a b',
  ':splat',
  '*',
  '!',
  '#',
  '%20',
  "'",
  '(x)',
  '--',
  '_',
];

/** A site's worth of runbooks with shortlinks, as the check lets them through (valid slugs, anchors and hosts). */
function generatedPages(seed: number, count: number): PageInfo[] {
  const next = mulberry32(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  const words = () => Array.from({ length: 1 + int(3) }, () => pick(PIECES)).join(' ');
  const slugs = new Set<string>();
  const slug = () => {
    for (;;) {
      const len = next() < 0.1 ? 63 : 1 + int(20);
      let s = '';
      for (let i = 0; i < len; i++) s += 'abcdefghijklmnopqrstuvwxyz0123456789-'[int(i === 0 ? 36 : 37)];
      if (!slugs.has(s)) return (slugs.add(s), s);
    }
  };
  return Array.from({ length: count }, (_, i) => {
    const entry = `${githubSlug(words()) || 'x'}/${words()}-${i}.md`;
    const shortlinks = Array.from({ length: int(4) }, () => {
      const roll = next();
      if (roll < 0.4) return slug();
      // An anchor is a heading's slug (the check holds it to the page's headings).
      if (roll < 0.75) return { slug: slug(), anchor: githubSlug(words()) || 'top' };
      const url = new URL(`https://status.example.com/${words()}?q=${words()}`).href;
      return { slug: slug(), url: externalProblem(url, ['status.example.com']) ? 'https://status.example.com/' : url };
    });
    return { file: `src/content/runbooks/${entry}`, url: entryUrl(entry), data: { title: words(), shortlinks } };
  });
}

describe("Netlify's redirect parser", () => {
  it("reads the example site's _redirects as one forced 301 per shortlink and slash form", async () => {
    const links = publishedShortlinks(collectProject(loadProject(ROOT)).map(pageInfo));
    expect(links.length).toBeGreaterThan(20);
    await expectRedirects(redirectsFile(links), links);
  });

  it('reads a page named in Unicode as the redirect to it, percent-encoded (it was left out)', async () => {
    const links = publishedShortlinks([
      {
        file: 'src/content/runbooks/dienste/störung.md',
        url: '/dienste/störung/',
        data: { shortlinks: ['stoerung', { slug: 'abschnitt', anchor: 'prüfen' }] },
      },
    ]);
    const text = redirectsFile(links);
    expect(text).toContain('\n/r/stoerung /dienste/st%C3%B6rung/ 301!\n');
    expect(text).toContain('\n/r/abschnitt/ /dienste/st%C3%B6rung/#pr%C3%BCfen 301!\n');
    await expectRedirects(text, links);
  });

  it('reads 200 generated shortlink sets (unicode pages and anchors, long slugs) as exactly what we meant', async () => {
    let rules = 0;
    for (let seed = 0; seed < 200; seed++) {
      const links = publishedShortlinks(generatedPages(seed, 1 + (seed % 12)));
      await expectRedirects(redirectsFile(links), links);
      rules += links.length * 2;
    }
    expect(rules).toBeGreaterThan(2000);
  });

  it('reads one site with 3,000 shortlinks', async () => {
    const links = publishedShortlinks(generatedPages(99, 2000));
    expect(links.length).toBeGreaterThan(2500);
    await expectRedirects(redirectsFile(links), links);
  });
});

describe("Netlify's headers parser", () => {
  it('reads the site-wide rule: the policy, frame-ancestors and the security headers, on every path', async () => {
    const policy = "default-src 'self'; script-src 'self' 'sha256-AbC+/9=' 'wasm-unsafe-eval'; img-src 'self' data:";
    const { headers, errors } = await netlifyHeaders(headersFile(siteHeaders(policy), []));
    expect(errors).toEqual([]);
    expect(headers[0].for).toBe('/*');
    expect(headers[0].values).toEqual({
      'Content-Security-Policy': expect.stringMatching(/^default-src 'self'; script-src .*; frame-ancestors 'none'/),
      ...Object.fromEntries(SECURITY_HEADERS),
    });
    for (const path of ['/', '/index.html', '/services/db/db-down/', '/r/%C3%BC/'])
      expect(headers[0].forRegExp.test(path), path).toBe(true);
  });

  it('reads 300 generated rules (hostile paths and values) with the path and values we wrote', async () => {
    const next = mulberry32(23);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
    const rules = Array.from({ length: 300 }, (_, i) => {
      const segments = Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(PIECES) + pick(PIECES));
      const path = `/${segments.join('/')}-${i}${next() < 0.5 ? '/*' : '/'}`;
      const headers: [string, string][] = [
        [`X-Test-${i}`, `${pick(PIECES)}: ${pick(PIECES)} # ${pick(PIECES)}`],
        ['Cache-Control', `  max-age=${i}, ${pick(PIECES)} `],
      ];
      return { path, headers };
    });
    const { headers, errors } = await netlifyHeaders(rules.map((r) => headersRule(r.path, r.headers)).join(''));
    expect(errors).toEqual([]);
    expect(headers).toHaveLength(rules.length);
    headers.forEach((parsed, i) => {
      const { path, headers: values } = rules[i];
      expect(parsed.values).toEqual(Object.fromEntries(values.map(([n, v]) => [n, v.trim()])));
      // The parser keeps the path as we wrote it: percent-decoded, it is the path we meant;
      // it matches that path (and, for a splat, what is below it), so nothing in it acted
      // as a placeholder or a splat of its own.
      const literal = path.replace(/\*$/, '');
      const written = parsed.for.replace(/\*$/, '');
      expect(decodeURIComponent(written), parsed.for).toBe(literal);
      expect(parsed.forRegExp.test(written), `${path} → ${parsed.for}`).toBe(true);
      if (path.endsWith('/*')) expect(parsed.forRegExp.test(`${written}below/it`)).toBe(true);
      else expect(parsed.forRegExp.test(`${written}other`)).toBe(false);
    });
  });
});
