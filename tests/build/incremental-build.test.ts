// Astro's incremental build on runbook pages (src/plugins/site/incremental-pages.ts) and the
// content layer's kept renderings (src/plugins/site/render-reads.ts): a warm build copies the
// pages whose inputs did not change, and what it publishes is always what a cold build of the
// same files publishes: after a body edit, a frontmatter edit elsewhere, an alert file that
// now lands on a page, a linked page that moves to its own `slug:`, a ladder that relabels a
// level a page's body names, and Starlight's UI strings (the pages' own bytes unchanged).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { astroBuild, scratchSite, type BuildResult } from './helpers.ts';

const RUNBOOK = (title: string, body: string, slug?: string) =>
  `---\ntitle: ${title}\n${slug ? `slug: ${slug}\n` : ''}owner: "@ops-team"\nshortlinks: [${title.toLowerCase().replace(/\W+/g, '-')}]\nreview:\n  log:\n    - { date: 2026-11-01, reviewer: "@ana", change: "First version" }\n---\n\n${body}\n`;
const ALERT = (slug: string) =>
  `groups:\n  - name: g\n    rules:\n      - alert: DiskAlmostFull\n        expr: disk_free < 0.1\n        labels: { severity: SEV-2 }\n        annotations:\n          runbook_url: /r/${slug}\n`;

/** Every built file as text (the worker's build time and the manifest's name aside). */
function published(dist: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of readdirSync(dist, { recursive: true }).map(String)) {
    const path = join(dist, rel);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue; // a folder
    }
    if (rel === 'sw.js' || rel.startsWith('offline-manifest.')) continue;
    out.set(rel, text);
  }
  return out;
}

/** The runbook pages a build copied from Astro's cache instead of rendering. */
const copied = (r: BuildResult) =>
  [...r.output.matchAll(/├─ (\/\S+) \((?:restored|cached)\)/g)].map((m) => m[1]).sort();

describe('a warm build copies unchanged runbook pages and publishes what a cold build does', () => {
  const files = {
    'src/content/runbooks/ops/disk-full.md': RUNBOOK(
      'Disk full',
      'Free space first. An expired certificate looks alike: [cert expiry](./cert-expiry.md#renew).',
    ),
    'src/content/runbooks/ops/cert-expiry.md': RUNBOOK('Cert expiry', '## Renew\n\nRenew the certificate.'),
  };
  let site: string;
  const steps: { name: string; warm: BuildResult; cold: BuildResult }[] = [];
  /** Applies `change` to the warm site and to a fresh copy, builds both, and keeps both results. */
  const step = (name: string, change: Record<string, string>) => {
    for (const [path, text] of Object.entries(change)) {
      mkdirSync(dirname(join(site, path)), { recursive: true });
      writeFileSync(join(site, path), text);
    }
    const warm = astroBuild(site);
    const fresh = scratchSite('basic', 'incremental-cold', { ...files, ...current });
    const cold = astroBuild(fresh);
    steps.push({ name, warm, cold });
  };
  const current: Record<string, string> = {};

  beforeAll(() => {
    site = scratchSite('basic', 'incremental-warm', files);
    Object.assign(current, files);
    expect(astroBuild(site).status).toBe(0);
    const record = (change: Record<string, string>) => Object.assign(current, change);
    step('nothing changed', {});
    const body = {
      'src/content/runbooks/ops/disk-full.md': RUNBOOK(
        'Disk full',
        'Free space first, then page. An expired certificate looks alike: [cert expiry](./cert-expiry.md#renew).',
      ),
    };
    record(body);
    step('one body edited', body);
    const title = {
      'src/content/runbooks/ops/cert-expiry.md': RUNBOOK('Certificate expiry', '## Renew\n\nRenew the certificate.'),
    };
    record(title);
    step('another page retitled', title);
    const alert = { 'alerts/disk.rules.yaml': ALERT('disk-full') };
    record(alert);
    step('an alert now lands on a page', alert);
    const moved = {
      'src/content/runbooks/ops/cert-expiry.md': RUNBOOK(
        'Certificate expiry',
        '## Renew\n\nRenew the certificate.',
        'tls/expiry',
      ),
    };
    record(moved);
    step('a linked page moves to its own slug', moved);
    const ladder = readFileSync(join(site, 'src/content/severity.yaml'), 'utf8');
    const relabelled = { 'src/content/severity.yaml': ladder.replace('label: Outage', 'label: Full outage') };
    expect(relabelled['src/content/severity.yaml']).not.toBe(ladder);
    record(relabelled);
    step('the ladder relabels a level a body names', relabelled);
    const strings = { 'src/content/i18n/en.json': '{ "heading.anchorLabel": "Jump to “{{title}}”" }\n' };
    record(strings);
    step("Starlight's UI strings change", strings);
  }, 1_800_000);

  it('builds every step', () => {
    for (const s of steps) {
      expect(s.warm.status, `${s.name}: ${s.warm.output.slice(-2000)}`).toBe(0);
      expect(s.cold.status, `${s.name}: ${s.cold.output.slice(-2000)}`).toBe(0);
    }
  });

  it('copies the pages whose inputs did not change, and renders the rest', () => {
    const [same, body, title, alert, moved, relabelled, strings] = steps;
    expect(copied(same.warm)).toEqual([
      '/index.html',
      '/ops/cert-expiry/index.html',
      '/ops/disk-full/index.html',
      '/ops/queue-stuck/index.html',
    ]);
    // The edited page renders; its neighbours' sidebars show only titles, so they are copied.
    expect(copied(body.warm)).toEqual(['/index.html', '/ops/cert-expiry/index.html', '/ops/queue-stuck/index.html']);
    // A title is in every page's sidebar; an alert file is in a page's header card.
    expect(copied(title.warm)).toEqual([]);
    expect(copied(alert.warm)).toEqual([]);
    expect(copied(moved.warm)).toEqual([]);
    expect(copied(relabelled.warm)).toEqual([]);
    expect(copied(strings.warm)).toEqual([]);
  });

  it('publishes, after each step, exactly what a cold build of the same files publishes', () => {
    for (const s of steps) {
      const warm = published(join(s.warm.dir, 'dist'));
      const cold = published(join(s.cold.dir, 'dist'));
      expect([...warm.keys()].sort(), s.name).toEqual([...cold.keys()].sort());
      for (const [path, text] of warm) expect(text, `${s.name}: ${path}`).toBe(cold.get(path));
    }
  });

  it('links to the moved page and names the level by its new label, with neither page edited', () => {
    const page = (path: string) => readFileSync(join(site, 'dist', path), 'utf8');
    expect(page('ops/disk-full/index.html')).toContain('href="/tls/expiry/#renew"');
    expect(page('ops/queue-stuck/index.html')).toContain('Full outage');
    expect(page('tls/expiry/index.html')).toContain('Jump to “Renew”');
  });

  it('shows the alert that now lands on the page', () => {
    const html = readFileSync(join(steps[3].warm.dir, 'dist/ops/disk-full/index.html'), 'utf8');
    expect(html).toContain('DiskAlmostFull');
  });
});
