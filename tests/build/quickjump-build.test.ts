import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { astroBuild, type BuildResult, scratchSite } from './helpers.ts';

describe('quick-jump: /quickjump.json and the Pagefind-indexed header card', () => {
  let built: BuildResult;
  beforeAll(() => {
    built = astroBuild(
      scratchSite('basic', 'quickjump', {
        'src/content/runbooks/ops/db-down.md': [
          '---',
          'title: Database down',
          'description: The primary does not answer.',
          'owner: "@db-team"',
          'services: [postgres-main, api]',
          'severity: [P0, P1]',
          'shortlinks: [db-down, { slug: db-kill, anchor: kill-sessions }, { slug: status, url: "https://status.fixture.example/" }]',
          'review: { log: [{ date: 2026-01-02, reviewer: "@a", change: "New" }] }',
          '---',
          '',
          '## Kill sessions',
          '',
          'Terminate idle sessions.',
          '',
        ].join('\n'),
        'runbooks.config.yaml': 'site: https://fixture.example\nshortlinks:\n  allowHosts: [status.fixture.example]\n',
        'alerts/db.yaml': [
          'groups:',
          '  - name: db',
          '    rules:',
          '      - alert: DbPrimaryDown',
          '        expr: up == 0',
          '        annotations: { runbook_url: "https://fixture.example/r/db-down" }',
          '      - alert: DbSessionsHigh',
          '        expr: sessions > 100',
          '        annotations: { runbook_url: "https://fixture.example/ops/db-down/#kill-sessions" }',
        ].join('\n'),
      }),
    );
  });

  it('builds', () => {
    expect(built.output).toContain('Complete!');
    expect(built.status).toBe(0);
  });

  it('publishes every page with title, url, shortlinks, services, owner, severity, alerts and description, sorted by URL', () => {
    const index = JSON.parse(readFileSync(join(built.dir, 'dist/quickjump.json'), 'utf8'));
    expect(index.v).toBe(1);
    expect(index.site).toBe('https://fixture.example');
    expect(index.sev[0]).toBe('P0');
    expect(index.pages.map((p: { u: string }) => p.u)).toEqual(['/', '/ops/db-down/', '/ops/queue-stuck/']);
    expect(index.pages[1]).toEqual({
      t: 'Database down',
      u: '/ops/db-down/',
      d: 'The primary does not answer.',
      o: '@db-team',
      s: ['postgres-main', 'api'],
      v: ['P0', 'P1'],
      l: ['db-down', ['db-kill', '/ops/db-down/#kill-sessions'], ['status', 'https://status.fixture.example/']],
      a: ['DbPrimaryDown', 'DbSessionsHigh'],
    });
    expect(index.pages[2]).toMatchObject({
      t: 'Queue stuck',
      o: '@ops-team',
      s: ['queue'],
      v: ['P1'],
      l: ['queue-stuck'],
    });
    expect(index.pages[2].a).toBeUndefined();
  });

  it('lets Pagefind index the header card, with service and severity filters', () => {
    const html = readFileSync(join(built.dir, 'dist/ops/db-down/index.html'), 'utf8');
    // The card is indexed; only its one-line summary (which repeats the card) is not.
    const card = /<details class="rb-card"[^>]*>/.exec(html)![0];
    expect(card).not.toContain('data-pagefind-ignore');
    expect(html).toMatch(/<details class="rb-card"[^>]*><summary data-pagefind-ignore/);
    expect(html).toContain('data-pagefind-filter="service">postgres-main<');
    expect(html).toMatch(/data-severity="P0" data-pagefind-filter="severity\[data-severity\]"/);
  });

  it("replaces Starlight's search with the quick-jump button; no Pagefind UI on the page", () => {
    const html = readFileSync(join(built.dir, 'dist/ops/db-down/index.html'), 'utf8');
    expect(html).toContain('data-qj-open');
    expect(html).not.toContain('site-search');
    expect(html).not.toContain('pagefind-ui');
  });
});
