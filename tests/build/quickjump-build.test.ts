import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_THROUGHPUT } from '../fixtures/slo/queue-throughput.ts';
import { astroBuild, type BuildResult, scratchSite } from './helpers.ts';

// The same build serves the /coverage/ page's test: its alerts, a fresh review (yesterday,
// so the page's "today" — the build date — counts it within the cadence), a changing block
// with no verification step, an alert with no runbook and an SLO no runbook cites.
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

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
          `review: { log: [{ date: ${yesterday}, reviewer: "@a", change: "New" }] }`,
          '---',
          '',
          '## Kill sessions',
          '',
          'Terminate idle sessions.',
          '',
          '```bash run id=count-sessions safety=read-only test title="Count sessions"',
          'echo 3',
          '```',
          '',
          '```bash run id=restart-primary safety=mutating title="Restart the primary"',
          'echo restarted',
          '```',
          '',
        ].join('\n'),
        'alerts/mail.yaml': [
          'groups:',
          '  - name: mail',
          '    rules:',
          '      - alert: MailQueueBacklog',
          '        expr: mail_queue_depth > 100',
          '        labels: { service: mailer, severity: P1 }',
          // A link to another site: not ours to follow, so coverage lists it apart.
          '      - alert: MailVendorDegraded',
          '        expr: mail_vendor_up == 0',
          '        annotations: { runbook_url: "https://status.mailvendor.example/runbook" }',
        ].join('\n'),
        'src/content/slos/queue-throughput.yaml': QUEUE_THROUGHPUT,
        'runbooks.config.yaml':
          'site: https://fixture.example\nrepoUrl: https://git.fixture.example/ops/blob/main/\nshortlinks:\n  allowHosts: [status.fixture.example]\n',
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

  describe('/coverage/, from the same facts as the check', () => {
    const page = () => readFileSync(join(built.dir, 'dist/coverage/index.html'), 'utf8');
    // What a reader sees: tags as spaces, one space between words, none before punctuation.
    const text = (html: string) =>
      html
        .replace(/<wbr>/g, '')
        .replace(/<[^>]+>/g, ' ')
        .replace(/&#39;/g, "'")
        .replace(/\s+/g, ' ')
        .replace(/ ([,.)])/g, '$1');
    const section = (html: string, id: string) => {
      const start = html.indexOf(`id="${id}"`);
      expect(start, id).toBeGreaterThan(-1);
      // Up to the next heading (not <thead>): the section's own content.
      const rest = html.slice(start);
      const next = /<h[2-6][\s>]/g;
      next.lastIndex = rest.indexOf('</h');
      const match = next.exec(rest);
      return match ? rest.slice(0, match.index) : rest;
    };

    it('says the site headline: 2 of the 3 paging alerts land on a runbook reviewed within its cadence', () => {
      expect(text(page())).toContain('50% of paging alerts land on a runbook reviewed within its cadence — 2 of 4');
    });

    it('has a row per team with the same number, an SVG bar, or no bar without paging alerts', () => {
      const teams = section(page(), 'by-team');
      const rows = teams.split('<tr>').slice(2);
      expect(rows).toHaveLength(2);
      expect(text(rows[0])).toMatch(/@db-team 100% · 2 of 2 1 0/);
      expect(rows[0]).toMatch(/<svg class="rb-cov-bar"[^>]*aria-hidden="true"/);
      expect(rows[0]).toContain('width="100"');
      expect(text(rows[1])).toMatch(/@ops-team no paging alerts 1 1/);
      expect(rows[1]).not.toContain('<svg');
    });

    it('lists the gaps: the alert without a runbook at file:line, the uncovered service, the SLO and the runbook', () => {
      const html = page();
      expect(text(section(html, 'alerts-without-runbook'))).toContain(
        'MailQueueBacklog service mailer P1 alerts/mail.yaml:4',
      );
      // The rule file in the repository browser, at the alert's line.
      expect(section(html, 'alerts-without-runbook')).toContain(
        'href="https://git.fixture.example/ops/blob/main/alerts/mail.yaml#L4"',
      );
      expect(text(section(html, 'alerts-broken'))).toContain('None');
      expect(text(section(html, 'alerts-unchecked'))).toContain('MailVendorDegraded');
      expect(text(section(html, 'alerts-unchecked'))).toContain('alerts/mail.yaml:7');
      expect(text(section(html, 'services-uncovered'))).toContain('mailer, named by MailQueueBacklog');
      expect(section(html, 'slos-uncited')).toContain('href="/slos/queue-throughput/"');
      expect(section(html, 'runbooks-without-alerts')).toMatch(/href="\/ops\/queue-stuck\/">Queue stuck</);
    });

    it("shows each team's reviews and blocks, linking the overdue runbook and the unguarded block's anchor", () => {
      const html = page();
      const db = section(html, 'team-db-team');
      expect(text(db)).toContain(`Last review ${yesterday}`);
      expect(text(db)).toContain('1 with a doc test, 1 without');
      expect(db).toContain('href="/ops/db-down/#restart-primary"');
      const ops = section(html, 'team-ops-team');
      expect(text(ops)).toContain('Overdue (1)');
      expect(ops).toContain('href="/ops/queue-stuck/"');
      // The anchor the link names is the block's own.
      expect(readFileSync(join(built.dir, 'dist/ops/db-down/index.html'), 'utf8')).toContain('id="restart-primary"');
    });

    it('is kept for offline reading and linked from the sidebar and /runbooks/', () => {
      const manifest = readdirSync(join(built.dir, 'dist')).find((n) => n.startsWith('offline-manifest.'))!;
      expect(readFileSync(join(built.dir, 'dist', manifest), 'utf8')).toContain('"coverage/index.html"');
      expect(readFileSync(join(built.dir, 'dist/runbooks/index.html'), 'utf8')).toContain('href="/coverage/"');
      expect(page()).toMatch(/<a href="\/coverage\/" aria-current="page"/);
    });
  });
});
