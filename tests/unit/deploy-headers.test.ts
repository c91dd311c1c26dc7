import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';
import { IMMUTABLE, isHashed } from '../../src/plugins/deploy/cache.ts';
import { headersFile, MAX_RULES, type SiteEntry } from '../../src/plugins/deploy/headers.ts';
import { SECURITY_HEADERS } from '../../src/plugins/site/headers.ts';
import { netlifyHeaders } from '../fixtures/netlify.ts';

// `_headers` cache rules on generated sites: under Cloudflare's 100 rules however many
// folders a site has; a hashed file immutable and nothing else, as Netlify reads it.

const HASHED = [
  '_astro/page.Ab12Cd.js',
  'pagefind/index/en_1.pf_index',
  'pagefind/fragment/en_2.pf_fragment',
  'pagefind/pagefind.en_3.pf_meta',
  'offline-manifest.0123456789abcdef.json',
];
const PLAIN = [
  'sw.js',
  'quickjump.json',
  'shortlinks.json',
  'pagefind/pagefind-entry.json',
  'pagefind/pagefind.js',
  'index.html',
  '404.html',
];
const NAMES = ['p', 'pa', 'page', '_a', '_astrology', 'ops', 'r', 'rules', 'Pagefind-notes', 'db', 'off', 'sw', 'x'];

function generatedSite(seed: number): SiteEntry[] {
  const next = mulberry32(seed);
  const folders = Array.from(
    { length: 40 + Math.floor(next() * 200) },
    (_, i) => `${NAMES[Math.floor(next() * NAMES.length)]}${next() < 0.5 ? '' : `-${i}`}`,
  );
  const entries: SiteEntry[] = [
    { path: '_astro', folder: true },
    { path: 'pagefind', folder: true },
    { path: 'pagefind/index', folder: true },
    { path: 'pagefind/fragment', folder: true },
    ...[...new Set(folders)].map((path) => ({ path, folder: true })),
    ...[...HASHED, ...PLAIN]
      .filter((p) => !p.startsWith('_astro/') && !/^pagefind\/(index|fragment)\//.test(p))
      .map((path) => ({ path, folder: false })),
  ];
  return entries.sort((a, b) => (a.path < b.path ? -1 : 1));
}

describe('_headers on generated sites', () => {
  it('100 sites of 40 to 240 folders: ≤ 100 rules, hashed files immutable and nothing else, sw.js always revalidated', async () => {
    let full = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const entries = generatedSite(seed);
      const { headers, errors } = await netlifyHeaders(headersFile(SECURITY_HEADERS, entries));
      expect(errors).toEqual([]);
      expect(headers.length).toBeLessThanOrEqual(MAX_RULES);
      if (headers.length === MAX_RULES) full++;
      const paths = [...HASHED, ...PLAIN, ...entries.filter((e) => e.folder).map((e) => `${e.path}/page/`)];
      for (const path of paths) {
        const values = headers
          .filter((h) => h.forRegExp.test(`/${path}`))
          .map((h) => h.values['Cache-Control'])
          .filter(Boolean);
        // A hashed file: only the immutable rule reaches it. Anything else: no immutable
        // rule, or (Netlify reading `/_astro/*` as reaching `/_astrology/`) a later,
        // more specific revalidate rule, which is the one Netlify serves.
        if (isHashed(path)) expect(values, path).toEqual([IMMUTABLE]);
        else expect(values.at(-1), `${seed} /${path}`).not.toBe(IMMUTABLE);
      }
      for (const path of ['/sw.js', '/quickjump.json', '/'])
        expect(
          [
            ...new Set(
              headers
                .filter((h) => h.forRegExp.test(path))
                .map((h) => h.values['Cache-Control'])
                .filter(Boolean),
            ),
          ],
          path,
        ).toEqual(['no-cache']);
    }
    // Some sites had more folders than rules: the budget really was reached.
    expect(full).toBeGreaterThan(10);
  });

  it("leaves room for a site's own public/_headers rules: the budget holds, the hashed rules come first", async () => {
    for (const budget of [7, 20, 60]) {
      const { headers, errors } = await netlifyHeaders(headersFile(SECURITY_HEADERS, generatedSite(3), budget));
      expect(errors).toEqual([]);
      expect(headers).toHaveLength(budget);
      expect(headers.slice(0, 5).map((h) => h.for)).toEqual([
        '/*',
        '/_astro/*',
        '/pagefind/index/*',
        '/pagefind/fragment/*',
        '/pagefind/filter/*',
      ]);
    }
  });
});
