import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { astroBuild, scratchSite } from './helpers.ts';

// A run block may share its id with a heading: the block keeps `#rollback` (deep links,
// `/r/<slug>` with that anchor, `runbook run slug#rollback`), the heading gets the next free
// anchor, `#rollback-1`, in the page, in "On this page" and in the anchors links are checked
// against. Built for real on both Markdown processors.

const RUNBOOK = [
  '---',
  'title: Roll back a release',
  'owner: "@ops-team"',
  'shortlinks: [{ slug: rollback-step, anchor: rollback }, { slug: rollback-section, anchor: rollback-1 }]',
  'review:',
  '  log:',
  '    - { date: 2026-11-01, reviewer: "@ana", change: "First" }',
  '---',
  '',
  '## Check',
  '',
  'Look first.',
  '',
  '## Rollback',
  '',
  '```bash run id=rollback safety=mutating title="Roll back"',
  'echo back',
  '```',
  '',
  '## Verify',
  '',
  'See [the step](#rollback) and [the section](#rollback-1).',
  '',
].join('\n');

const OTHER = [
  '---',
  'title: Release notes',
  'owner: "@ops-team"',
  'review:',
  '  log:',
  '    - { date: 2026-11-01, reviewer: "@ana", change: "First" }',
  '---',
  '',
  'Run [the rollback](/ops/rollback/#rollback), read [how](/ops/rollback/#rollback-1).',
  '',
].join('\n');

const ids = (html: string) => [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);

describe('a heading and a run block with one name', () => {
  it.each(['satteri', 'unified'])('%s: the block keeps #rollback, the heading is #rollback-1', (processor) => {
    const dir = scratchSite('basic', `heading-anchors-${processor}`, {
      'src/content/runbooks/ops/rollback.md': RUNBOOK,
      'src/content/runbooks/ops/release-notes.md': OTHER,
      'astro.config.mjs':
        "import { defineConfig } from 'astro/config';\nimport { runbooksConfig } from '../../../../src/plugins/site/index.ts';\n" +
        `export default defineConfig(runbooksConfig({ root: new URL('.', import.meta.url), title: 'Fixture', site: 'https://fixture.example', processor: '${processor}' }));\n`,
    });
    const build = astroBuild(dir);
    // The gate ran every rule: no snippet-id-duplicate, no broken anchor, no missing shortlink anchor.
    expect(build.status, build.output).toBe(0);
    const html = readFileSync(join(dir, 'dist/ops/rollback/index.html'), 'utf8');
    expect(html).toMatch(/<h2 id="check">Check<\/h2>/);
    expect(html).toMatch(/<h2 id="rollback-1">Rollback<\/h2>/);
    expect(html).toMatch(/<h2 id="verify">Verify<\/h2>/);
    expect(html).toContain('<div class="rb-snippet rb-snippet--mutating" id="rollback"');
    // Each anchor once on the page.
    expect(ids(html).filter((id) => id === 'rollback')).toHaveLength(1);
    expect(ids(html).filter((id) => id === 'rollback-1')).toHaveLength(1);
    // Starlight's "On this page" lists the heading by its own anchor.
    const toc = /<starlight-toc[\s\S]*?<\/starlight-toc>/.exec(html)?.[0] ?? '';
    expect([...toc.matchAll(/href="#([^"]+)"/g)].map((m) => m[1])).toEqual(['_top', 'check', 'rollback-1', 'verify']);
    // The shortlinks land on the block and on the heading.
    const redirects = readFileSync(join(dir, 'dist/_redirects'), 'utf8');
    expect(redirects).toMatch(/^\/r\/rollback-step\s+\/ops\/rollback\/#rollback\s/m);
    expect(redirects).toMatch(/^\/r\/rollback-section\s+\/ops\/rollback\/#rollback-1\s/m);
  });
});
