import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readOfflineManifest, type OfflineEntry } from '../../src/plugins/offline/build.ts';
import { astroBuild, type BuildResult, scratchSite } from './helpers.ts';

// The offline service worker's manifest, as a property of the built dist/: everything a
// reader may open offline is precached, and nothing is listed that the build did not write.

const runbook = (title: string, body: string) => `---
title: ${title}
owner: "@ops-team"
severity: P1
services: [queue]
shortlinks: [${title.toLowerCase().replace(/\W+/g, '-')}]
review:
  every: 30
  log:
    - { date: 2025-01-10, reviewer: "@ana", change: "First version" }
---

${body}
`;

const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) =>
      join(e.parentPath, e.name)
        .slice(dir.length + 1)
        .split('\\')
        .join('/'),
    );

describe('the offline service worker of a built site', () => {
  let first: BuildResult;
  let second: BuildResult;
  let one: { manifest: string; entries: OfflineEntry[]; worker: string };
  let two: typeof one;
  beforeAll(() => {
    const extra = {
      'src/content/runbooks/ops/disk-full.md': runbook('Disk full', 'Free space on the volume.'),
      // Another feature's quick-jump index, published at this fixed path when present.
      'public/quickjump.json': '{"version":1}\n',
    };
    first = astroBuild(scratchSite('basic', 'offline-1', extra));
    second = astroBuild(
      scratchSite('basic', 'offline-2', {
        ...extra,
        'src/content/runbooks/ops/disk-full.md': runbook(
          'Disk full',
          'Free space on the volume, then rotate the logs.',
        ),
      }),
    );
    one = readOfflineManifest(join(first.dir, 'dist'));
    two = readOfflineManifest(join(second.dir, 'dist'));
  });

  it('is written by the build', () => {
    expect(first.status, first.output).toBe(0);
    expect(first.output).toMatch(/offline: sw\.js precaches \d+ files/);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiles the built worker to prove it parses; never called
    expect(() => new Function(one.worker)).not.toThrow();
    expect(one.worker).toMatch(/"built":"\d{4}-\d\d-\d\dT[\d:.]+Z"/);
  });

  it('precaches every HTML page, every asset, Pagefind and the JSON outputs, and nothing else', () => {
    const dist = join(first.dir, 'dist');
    const all = files(dist);
    const listed = one.entries.map(([path]) => path);
    expect(new Set(listed).size).toBe(listed.length);
    const redirectPage = /^r\/(?!index\.html$)[^/]+(\/index)?\.html$/;
    const wanted = all.filter(
      (f) =>
        (/\.html$/.test(f) && !redirectPage.test(f)) ||
        /^(_astro|pagefind)\//.test(f) ||
        ['quickjump.json', 'shortlinks.json', 'runbooks.json', 'favicon.svg'].includes(f),
    );
    expect(listed.sort()).toEqual(wanted.sort());
    // The runbooks and the reference pages are among them.
    for (const page of [
      'index.html',
      'ops/queue-stuck/index.html',
      'ops/disk-full/index.html',
      'r/index.html',
      'slos/index.html',
      'rules/index.html',
      '404.html',
    ]) {
      expect(listed).toContain(page);
    }
    // Each /r/<slug>/ page the build wrote is answered by the worker from the kept shortlinks.json.
    const slugs = JSON.parse(readFileSync(join(dist, 'shortlinks.json'), 'utf8')).shortlinks.map(
      (l: { slug: string }) => l.slug,
    );
    const pages = all.filter((f) => /^r\/[^/]+\/index\.html$/.test(f)).map((f) => f.split('/')[1]);
    expect(pages.length).toBeGreaterThan(1);
    expect(slugs.sort()).toEqual(pages.sort());
    // Their flat twins (r/<slug>.html, for clean-URL hosts) are answered the same way, not kept.
    expect(
      all
        .filter((f) => /^r\/[^/]+\.html$/.test(f) && f !== 'r/index.html')
        .map((f) => f.slice(2, -5))
        .sort(),
    ).toEqual(slugs.sort());
    expect(listed.some((p) => p.startsWith('pagefind/fragment/'))).toBe(true);
    expect(listed).toContain('pagefind/pagefind.js');
    for (const machineOnly of ['sw.js', one.manifest, '_redirects', 'sitemap-index.xml', 'slos.yaml'])
      expect(listed).not.toContain(machineOnly);
  });

  it('revisions files by content; hashed names need none', () => {
    for (const [path, rev] of one.entries) {
      // Vite's bundle, Pagefind's index, fragment and filter chunks and its .pf_meta carry a hash in their name.
      if (/^(_astro\/|pagefind\/(index|fragment|filter)\/|pagefind\/[^/]+\.pf_meta$)/.test(path))
        expect(rev, path).toBeNull();
      else expect(rev, path).toMatch(/^[0-9a-f]{12}$/);
    }
  });

  it('a new build changes the worker and the changed page revision, and keeps unchanged pages (an update fetches only what changed)', () => {
    expect(second.status, second.output).toBe(0);
    const rev = (m: typeof one, path: string) => m.entries.find(([p]) => p === path)?.[1];
    expect(two.manifest).not.toBe(one.manifest);
    expect(two.worker).not.toBe(one.worker);
    expect(rev(two, 'ops/disk-full/index.html')).not.toBe(rev(one, 'ops/disk-full/index.html'));
    expect(rev(two, 'ops/queue-stuck/index.html')).toBe(rev(one, 'ops/queue-stuck/index.html'));
    expect(rev(two, 'slos/index.html')).toBe(rev(one, 'slos/index.html'));
  });

  it('the manifest in dist/ is the one the worker names', () => {
    const text = readFileSync(join(first.dir, 'dist', one.manifest), 'utf8');
    expect(JSON.parse(text).version).toBe(1);
  });
});

describe('the offline service worker under a site base', () => {
  let build: BuildResult;
  beforeAll(() => {
    build = astroBuild(
      scratchSite('basic', 'offline-base', {
        // The post-build html-unsafe check admits only scripts under /_astro/, not /docs/_astro/
        // (src/plugins/html, not base-aware yet): off here, this test is about the worker.
        'runbooks.config.yaml': 'allowUnsafeHtml: true\n',
        'astro.config.mjs': `import { defineConfig } from 'astro/config';
import { runbooksConfig } from '../../../../src/plugins/site/index.ts';
export default defineConfig({ ...runbooksConfig({ root: new URL('.', import.meta.url), title: 'Fixture runbooks', site: 'https://fixture.example' }), base: '/docs' });
`,
      }),
    );
  });

  it('registers <base>sw.js with the base as its scope; the worker resolves every file against its own folder', () => {
    expect(build.status, build.output).toBe(0);
    const page = readFileSync(join(build.dir, 'dist/ops/queue-stuck/index.html'), 'utf8');
    // The registration is in the page's bootstrap, inline or in the module it loads.
    const scripts = [...page.matchAll(/<script[^>]+src="\/docs\/(_astro\/Head[^"]+)"/g)].map((m) =>
      readFileSync(join(build.dir, 'dist', m[1]), 'utf8'),
    );
    const html = [page, ...scripts].join('\n');
    expect(html).toMatch(/register\(`\$\{\w+\}sw\.js`,\{scope:\w+\}\)/);
    expect(html).toMatch(/`\/docs\/?`\.replace/);
    const { entries, worker } = readOfflineManifest(join(build.dir, 'dist'));
    expect(worker).toContain("new URL('./', self.location.href)");
    // Paths are relative: the worker puts them under the base it is served from.
    expect(entries.every(([path]) => !path.startsWith('/'))).toBe(true);
  });
});
