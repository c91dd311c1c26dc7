import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directives, pagePolicy } from '../../src/plugins/site/csp.ts';
import { IMMUTABLE, isHashed } from '../../src/plugins/deploy/cache.ts';
import { netlifyHeaders, type NetlifyHeaders } from '../fixtures/netlify.ts';
import { startNginx, type Nginx } from '../fixtures/nginx.ts';
import { astroBuild, type BuildResult, scratchSite } from './helpers.ts';

// Served like production: a real build's `_headers` as Netlify reads it, and its
// `_nginx.conf` in Debian's nginx, started unprivileged on a local port, asked over HTTP.

const REVIEW = 'review:\n  log:\n    - { date: 2026-12-01, reviewer: "@ana", change: "First version" }\n';
let build: BuildResult;
let nginx: Nginx;
const dist = () => join(build.dir, 'dist');

beforeAll(async () => {
  build = astroBuild(
    scratchSite('basic', 'deploy', {
      'runbooks.config.yaml': 'shortlinks:\n  allowHosts: [status.example.com]\n',
      'src/content/runbooks/ops/restart.md': `---\ntitle: Restart\nowner: "@ops-team"\nseverity: P2\nshortlinks: [{ slug: restart-step, anchor: restart }, restart, { slug: status, url: "https://status.example.com/incidents?open=1" }]\n${REVIEW}---\n\n## Restart\n\nRestart it.\n`,
      'src/content/runbooks/dienste/störung.md': `---\ntitle: Störung\nowner: "@ops-team"\nseverity: P2\nshortlinks: [stoerung]\n${REVIEW}---\n\nEine Störung.\n`,
    }),
  );
  if (build.status === 0) nginx = await startNginx(dist());
});
afterAll(async () => {
  await nginx?.stop();
});

const get = (path: string) => fetch(`${nginx.origin}${path}`, { redirect: 'manual' });
const policyOf = (file: string) => pagePolicy(readFileSync(join(dist(), file), 'utf8'))!;

describe('the built site, served by nginx', () => {
  it('builds and nginx starts on it', () => {
    expect(build.status, build.output).toBe(0);
    expect(nginx.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('/r/<slug> is one 301 straight to the runbook, with and without the slash, #anchor kept', async () => {
    for (const [path, to] of [
      ['/r/restart', '/ops/restart/'],
      ['/r/restart/', '/ops/restart/'],
      ['/r/restart-step', '/ops/restart/#restart'],
      ['/r/restart-step/', '/ops/restart/#restart'],
      ['/r/queue-stuck', '/ops/queue-stuck/'],
      ['/r/stoerung/', '/dienste/st%C3%B6rung/'],
      ['/r/status', 'https://status.example.com/incidents?open=1'],
    ]) {
      const res = await get(path);
      expect(res.status, `${path}\n${nginx.log()}`).toBe(301);
      expect(res.headers.get('location'), path).toBe(to);
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
    }
    // …and the runbook is there: the hop ends on a page.
    const page = await get('/ops/restart/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="restart"');
    expect((await get('/dienste/st%C3%B6rung/')).status).toBe(200);
  });

  it('an unknown path is a 404 with our 404 page, its headers and policy', async () => {
    for (const path of ['/no/such/page/', '/r/no-such-slug', '/_astro/missing.js', '/_nginx.conf', '/_headers']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toBe(readFileSync(join(dist(), '404.html'), 'utf8'));
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
    }
  });

  it('every page gets the security headers and a policy that allows what its own <meta> allows', async () => {
    for (const [path, file] of [
      ['/', 'index.html'],
      ['/ops/restart/', 'ops/restart/index.html'],
      ['/r/', 'r/index.html'],
      ['/404.html', '404.html'],
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('permissions-policy')).toContain('camera=()');
      const site = directives(res.headers.get('content-security-policy')!);
      for (const [name, sources] of directives(policyOf(file)))
        expect(site.get(name), `${path} ${name}`).toEqual(expect.arrayContaining(sources));
      expect(site.get('frame-ancestors')).toEqual(["'none'"]);
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
    }
  });

  it('sw.js and the JSON indexes are revalidated; hashed files are immutable for a year, with the security headers', async () => {
    const sw = await get('/sw.js');
    expect(sw.status).toBe(200);
    expect(sw.headers.get('content-type')).toMatch(/javascript/);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    for (const path of [
      '/quickjump.json',
      '/shortlinks.json',
      '/pagefind/pagefind-entry.json',
      '/pagefind/pagefind.js',
    ])
      expect((await get(path)).headers.get('cache-control'), path).toBe('no-cache');
    const html = readFileSync(join(dist(), 'index.html'), 'utf8');
    const asset = /\/_astro\/[^"']+\.(js|css)/.exec(html)![0];
    const hashed = [
      asset,
      ...['pagefind/fragment', 'pagefind/index', '.'].flatMap((dir) =>
        readdirNames(dir)
          .map((f) => (dir === '.' ? f : `${dir}/${f}`))
          .filter(isHashed)
          .slice(0, 1)
          .map((f) => `/${f}`),
      ),
    ];
    expect(hashed.some((p) => p.startsWith('/offline-manifest.'))).toBe(true);
    for (const path of hashed) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe(IMMUTABLE);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
    }
  });

  it('a folder without its slash is redirected to it relative to the site, not to the index file', async () => {
    const res = await get('/ops/restart');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/ops/restart/');
  });
});

const readdirNames = (dir: string) => readdirSync(join(dist(), dir)).sort();

describe("the built _headers, as Netlify's parser reads it", () => {
  let rules: NetlifyHeaders[];
  beforeAll(async () => {
    const parsed = await netlifyHeaders(readFileSync(join(dist(), '_headers'), 'utf8'));
    expect(parsed.errors).toEqual([]);
    rules = parsed.headers;
  });
  const matching = (path: string) => rules.filter((r) => r.forRegExp.test(path));
  const cacheOf = (path: string) =>
    matching(path)
      .map((r) => r.values['Cache-Control'])
      .filter(Boolean);

  it("stays under Cloudflare's 100 rules, and the first is the site-wide one with the policy", () => {
    expect(rules.length).toBeLessThanOrEqual(100);
    expect(rules[0].for).toBe('/*');
    expect(rules[0].values['Content-Security-Policy']).toContain("frame-ancestors 'none'");
    expect(rules[0].values['Cache-Control']).toBeUndefined();
  });

  it('every file of the site gets one Cache-Control value at most, and the right one', () => {
    const walk = (dir: string): string[] =>
      readdirSync(join(dist(), dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
      );
    const files = walk('.').map((f) => f.replace(/^\.\//, ''));
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      // Netlify reads `/r/*` as `^/r/?(.*)`, so it matches /rules/ too: two no-cache rules
      // may meet on a path (the same value twice is still no-cache); two values never do.
      const values = [...new Set(cacheOf(`/${file}`))];
      expect(values.length, file).toBeLessThanOrEqual(1);
      if (isHashed(file)) expect(values, file).toEqual([IMMUTABLE]);
      else expect(values, file).not.toContain(IMMUTABLE);
    }
    for (const path of [
      '/',
      '/sw.js',
      '/quickjump.json',
      '/shortlinks.json',
      '/ops/restart/',
      '/r/restart/',
      '/pagefind/pagefind-entry.json',
    ])
      expect(cacheOf(path), path).toEqual(['no-cache']);
  });
});
