// Rendered runbooks kept beside Astro's data store (src/plugins/site/rendered-apart.ts): the
// store the build bundles holds no page's HTML, every page still shows its body, a page whose
// kept file is gone renders again, and a file no entry names is deleted.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { astroBuild, scratchSite } from './helpers.ts';
import { fileURLToPath } from 'node:url';
import { apartDir, readBackRoute, renderedApart, withRenderedHtml } from '../../src/plugins/site/rendered-apart.ts';

const RUNBOOK = (title: string, body: string) =>
  `---\ntitle: ${title}\nowner: "@ops-team"\nreview:\n  log:\n    - { date: 2026-11-01, reviewer: "@ana", change: "First version" }\n---\n\n${body}\n`;
const PAGES = {
  'src/content/runbooks/ops/disk-full.md': RUNBOOK('Disk full', 'Free the volume named scratch-volume-alpha first.'),
  'src/content/runbooks/ops/cert-expiry.md': RUNBOOK('Cert expiry', 'Renew the certificate called beta-cert-marker.'),
  // A file name that is not a URL: its `%` is a `%`.
  'src/content/runbooks/ops/disk-95%.md': RUNBOOK('Disk at 95%', 'Page the owner of delta-disk-marker.'),
};

describe('rendered runbooks are kept beside the data store, not in it', () => {
  const site = scratchSite('basic', 'rendered-apart', PAGES);
  const store = () => readFileSync(join(site, 'node_modules/.astro/data-store.json'), 'utf8');
  const kept = () => readdirSync(join(site, 'node_modules/.astro/runbooks-rendered')).sort();
  const page = (path: string) => readFileSync(join(site, 'dist', path, 'index.html'), 'utf8');

  it('builds pages with their bodies from a store without them', () => {
    const first = astroBuild(site);
    expect(first.status, first.output.slice(-3000)).toBe(0);
    expect(page('ops/disk-full')).toContain('scratch-volume-alpha');
    expect(page('ops/cert-expiry')).toContain('beta-cert-marker');
    expect(page('ops/disk-95')).toContain('delta-disk-marker');
    expect(store()).not.toContain('scratch-volume-alpha');
    expect(store()).not.toContain('beta-cert-marker');
    // One file per runbook page (the fixture's two, its own three).
    expect(kept()).toHaveLength(5);
  }, 300_000);

  it('renders a page again when its kept file is gone, and deletes the files no entry names', () => {
    const before = kept();
    rmSync(join(site, 'node_modules/.astro/runbooks-rendered', before[0]));
    writeFileSync(
      join(site, 'src/content/runbooks/ops/disk-full.md'),
      RUNBOOK('Disk full', 'Free the volume named scratch-volume-gamma first.'),
    );
    const again = astroBuild(site);
    expect(again.status, again.output.slice(-3000)).toBe(0);
    expect(page('ops/disk-full')).toContain('scratch-volume-gamma');
    expect(page('ops/disk-full')).not.toContain('scratch-volume-alpha');
    expect(page('ops/cert-expiry')).toContain('beta-cert-marker');
    // The page whose file was deleted (whichever it was) rendered again: no page is empty.
    for (const path of ['ops/disk-full', 'ops/cert-expiry', 'ops/queue-stuck', 'ops/disk-95'])
      expect(page(path)).not.toContain('<div class="sl-markdown-content"></div>');
    // The edited page's new rendering is the one new name; its old one is gone.
    const after = kept();
    expect(after).toHaveLength(5);
    expect(after.filter((f) => !before.includes(f))).toHaveLength(1);
  }, 300_000);

  it('changes the one line of Starlight’s route it expects, and nothing when that line is not there', () => {
    const route = readFileSync(new URL('./routes/common.astro', import.meta.resolve('@astrojs/starlight')), 'utf8');
    const patched = readBackRoute(route, '/cache/runbooks-rendered');
    expect(patched).toContain('await render(withRenderedHtml(route.entry, "/cache/runbooks-rendered"))');
    expect(readBackRoute(route.replace('await render(route.entry)', 'await render(other)'), '/x')).toBeUndefined();
  });

  it('changes the route for `astro build` and `astro sync` only, found by its path however spelled', () => {
    const route = fileURLToPath(new URL('./routes/common.astro', import.meta.resolve('@astrojs/starlight')));
    const build = renderedApart('/cache/runbooks-rendered', 'build');
    expect(apartDir()).toBe('/cache/runbooks-rendered');
    expect(build.load(route)).toContain('withRenderedHtml(route.entry');
    expect(build.load(route.replace('/routes/', '/routes/../routes/'))).toContain('withRenderedHtml(route.entry');
    expect(build.load(`${route}?astro&type=script&index=0&lang.ts`)).toBeUndefined();
    expect(build.load(route.replace('common.astro', 'other.astro'))).toBeUndefined();
    expect(renderedApart('/cache/runbooks-rendered', 'sync').load(route)).toContain('withRenderedHtml');
    // The dev server keeps renderings in its own store, which it never bundles.
    expect(renderedApart('/cache/runbooks-rendered', 'dev').load(route)).toBeUndefined();
    expect(apartDir()).toBeUndefined();
  });

  it('reads back only a name it gave, never a path', () => {
    const entry = (name: string) => ({ id: 'x', rendered: { html: '', metadata: { runbookHtml: name } } });
    for (const name of ['../../etc/passwd', '/etc/passwd', 'a'.repeat(42), `${'a'.repeat(42)}/`])
      expect(() => withRenderedHtml(entry(name), site)).toThrow(/Not a rendered page's name/);
  });

  it('says which file is gone when a page is rendered without it', () => {
    const name = 'm'.repeat(43);
    const entry = { id: 'x', rendered: { html: '', metadata: { runbookHtml: name } } };
    expect(() => withRenderedHtml(entry, join(site, 'nowhere'))).toThrow(new RegExp(`${name}\\.html is gone`));
    expect(existsSync(join(site, 'nowhere'))).toBe(false);
  });
});
