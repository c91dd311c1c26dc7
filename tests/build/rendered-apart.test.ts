// Rendered runbooks kept beside Astro's data store (src/plugins/site/rendered-apart.ts): the
// store the build bundles holds no page's HTML, every page still shows its body, a page whose
// kept file is gone renders again, and a file no entry names is deleted.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { astroBuild, scratchSite } from './helpers.ts';
import { readBackRoute, withRenderedHtml } from '../../src/plugins/site/rendered-apart.ts';

const RUNBOOK = (title: string, body: string) =>
  `---\ntitle: ${title}\nowner: "@ops-team"\nreview:\n  log:\n    - { date: 2026-11-01, reviewer: "@ana", change: "First version" }\n---\n\n${body}\n`;
const PAGES = {
  'src/content/runbooks/ops/disk-full.md': RUNBOOK('Disk full', 'Free the volume named scratch-volume-alpha first.'),
  'src/content/runbooks/ops/cert-expiry.md': RUNBOOK('Cert expiry', 'Renew the certificate called beta-cert-marker.'),
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
    expect(store()).not.toContain('scratch-volume-alpha');
    expect(store()).not.toContain('beta-cert-marker');
    // One file per runbook page (the fixture's two, its own two).
    expect(kept()).toHaveLength(4);
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
    for (const path of ['ops/disk-full', 'ops/cert-expiry', 'ops/queue-stuck'])
      expect(page(path)).not.toContain('<div class="sl-markdown-content"></div>');
    // The edited page's new rendering is the one new name; its old one is gone.
    const after = kept();
    expect(after).toHaveLength(4);
    expect(after.filter((f) => !before.includes(f))).toHaveLength(1);
  }, 300_000);

  it('changes the one line of Starlight’s route it expects, and nothing when that line is not there', () => {
    const route = readFileSync(new URL('./routes/common.astro', import.meta.resolve('@astrojs/starlight')), 'utf8');
    const patched = readBackRoute(route, '/cache/runbooks-rendered');
    expect(patched).toContain('await render(withRenderedHtml(route.entry, "/cache/runbooks-rendered"))');
    expect(readBackRoute(route.replace('await render(route.entry)', 'await render(other)'), '/x')).toBeUndefined();
  });

  it('says which file is gone when a page is rendered without it', () => {
    const entry = { id: 'x', rendered: { html: '', metadata: { runbookHtml: 'missing-name' } } };
    expect(() => withRenderedHtml(entry, join(site, 'nowhere'))).toThrow(/missing-name\.html is gone/);
    expect(existsSync(join(site, 'nowhere'))).toBe(false);
  });
});
