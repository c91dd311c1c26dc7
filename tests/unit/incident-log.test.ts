/** The incident log page (src/plugins/incident/log-view.ts, arrival.ts): its rows, its files, and the merge with CLI transcripts through the real `runbook timeline`. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';
import { ROOT } from '../build/helpers.ts';
import { ARRIVAL_MAX_MS, arrivedAt, arrivedVia } from '../../src/plugins/incident/arrival.ts';
import { ARRIVAL_KEY } from '../../src/plugins/incident/keys.ts';
import { REDIRECT_SCRIPT, redirectPage } from '../../src/plugins/shortlinks/redirect-page.ts';
import { parseFiredAt as checklistFiredAt } from '../../src/plugins/handbook/incident-clock.ts';
import { parseFiredAt, jsonlName, logRows, stepHref, toJsonl, utcHhmm } from '../../src/plugins/incident/log-view.ts';
import { incidentLog, logAction, startIncident } from '../../src/plugins/incident/store.ts';
import { memoryStore } from '../fixtures/incident/memory-store.ts';
import { renderTimeline, siteActionText } from '../../src/plugins/incident/timeline.ts';

const memory = memoryStore;
const at = (iso: string) => Date.parse(iso);

/** An incident that fired at 03:00 with what a responder does on the site in its first minutes. */
function siteIncident(): ReturnType<typeof memoryStore> {
  const s = memory();
  startIncident(at('2026-12-07T03:00:00Z'), s);
  logAction(
    { slug: 'db-down', block: '', site: { action: 'opened', detail: '/r/db-down' } },
    s,
    at('2026-12-07T03:01:00Z'),
  );
  logAction(
    { slug: 'db-down', block: 'check-pool', safety: 'read-only', site: { action: 'copied', values: ['DB_HOST'] } },
    s,
    at('2026-12-07T03:02:00Z'),
  );
  logAction(
    { slug: 'first-15', block: 'acknowledge', site: { action: 'ticked', detail: 'Acknowledge the page' } },
    s,
    at('2026-12-07T03:04:00Z'),
  );
  return s;
}

describe('when the page fired', () => {
  const now = at('2026-12-07T03:10:00Z');
  it('is today at an earlier HH:MM, yesterday at a later one, never in the future', () => {
    expect(parseFiredAt('03:02', now)).toBe(at('2026-12-07T03:02:00Z'));
    expect(parseFiredAt('03:10', now)).toBe(now);
    expect(parseFiredAt('23:55', now)).toBe(at('2026-12-06T23:55:00Z'));
    for (const bad of ['', '24:00', '03:60', 'now', '03:02; drop']) expect(parseFiredAt(bad, now)).toBeUndefined();
    expect(utcHhmm(now)).toBe('03:10');
  });

  // The pager's clock a minute or two ahead of the phone's: "03:12" typed at 03:10 is now,
  // not yesterday (which the store would clamp to a day back: every band overdue by a day).
  it('reads a time a little ahead of the device clock as now, exactly as the checklist clock does', () => {
    expect(parseFiredAt('03:12', now)).toBe(now);
    expect(parseFiredAt('03:16', now)).toBe(at('2026-12-06T03:16:00Z'));
    // One reading for both: the checklist's is the store's, not a copy of it.
    expect(checklistFiredAt).toBe(parseFiredAt);
  });

  it('is within the last day and at the HH:MM given (500 generated times)', () => {
    const rand = mulberry32(2212);
    for (let i = 0; i < 500; i++) {
      const t = at('2026-01-01T00:00:00Z') + Math.floor(rand() * 400 * 86_400_000);
      const hhmm = `${String(Math.floor(rand() * 24)).padStart(2, '0')}:${String(Math.floor(rand() * 60)).padStart(2, '0')}`;
      const fired = parseFiredAt(hhmm, t)!;
      expect(fired).toBeLessThanOrEqual(t);
      expect(t - fired).toBeLessThan(86_400_000);
      if (fired !== t) expect(utcHhmm(fired)).toBe(hhmm);
    }
  });
});

describe('the rows of the log page', () => {
  it('say what happened in the words of runbook timeline, with the same time and step columns', () => {
    const log = incidentLog(siteIncident());
    const pages = new Map([['db-down', '/services/database/db-unreachable/']]);
    const rows = logRows(log, (slug) => pages.get(slug));
    expect(rows.map((r) => [r.time, r.step, r.href, r.what])).toEqual([
      ['03:01:00', 'db-down', '/services/database/db-unreachable/', 'opened on the site via /r/db-down'],
      [
        '03:02:00',
        'db-down#check-pool',
        '/services/database/db-unreachable/#check-pool',
        'copied on the site (values: DB_HOST)',
      ],
      ['03:04:00', 'first-15#acknowledge', '/first-15/#acknowledge', 'ticked on the site: Acknowledge the page'],
    ]);
    // The Markdown export has the same rows, in the same order.
    const table = renderTimeline(log).split('\n').slice(-3);
    rows.forEach((r, i) => {
      expect(table[i]).toContain(`| ${r.time} |`);
      expect(table[i]).toContain(r.step);
      expect(table[i]).toContain(siteActionText(log[i].site).split(' (')[0]);
    });
  });

  it('link back to a path on this site whatever storage holds (500 generated names and targets)', () => {
    const rand = mulberry32(22);
    const parts = [
      '/',
      '//',
      '\\',
      '..',
      '.',
      'javascript:',
      'http:',
      'evil.example',
      '#',
      '?',
      ' ',
      'db-down',
      'é',
      '%2F',
      '\n',
    ];
    const junk = () =>
      Array.from({ length: 1 + Math.floor(rand() * 6) }, () => parts[Math.floor(rand() * parts.length)]).join('');
    for (let i = 0; i < 500; i++) {
      const slug = junk();
      const target = rand() < 0.5 ? junk() : undefined;
      const href = stepHref(
        { runbook: { slug, file: '' }, block: rand() < 0.5 ? junk() : '' },
        () => target,
        rand() < 0.5 ? '/' : '/docs',
      );
      expect(href).toMatch(/^\/(?!\/)/);
      expect(href).not.toContain('\\');
      // Resolved against the site, it stays on the site.
      expect(new URL(href, 'https://runbooks.example/').origin).toBe('https://runbooks.example');
    }
    expect(stepHref({ runbook: { slug: 'handbook/first-15', file: '' }, block: 'a b' }, () => undefined, '/docs')).toBe(
      '/docs/handbook/first-15/#a%20b',
    );
  });

  it('name the downloaded file after the incident', () => {
    expect(jsonlName('mj3k9a')).toBe('incident-mj3k9a-site.jsonl');
    expect(jsonlName('../x y')).toBe('incident-xy-site.jsonl');
    expect(jsonlName('')).toBe('incident-log-site.jsonl');
  });
});

describe('the .jsonl export and runbook timeline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'incident-log-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('merges with a CLI transcript into one table through the real CLI', () => {
    const log = incidentLog(siteIncident());
    const cliEntry = {
      ts: '2026-12-07T03:03:00.000Z',
      end: '2026-12-07T03:03:01.500Z',
      operator: 'ana',
      gitSha: null,
      runbook: { slug: 'db-down', file: 'src/content/runbooks/services/database/db-unreachable.md' },
      block: 'kill-sessions',
      safety: 'mutating',
      snippetSha256: 'x',
      vars: {},
      exitCode: 0,
      durationMs: 1500,
      incident: null,
      output: '',
    };
    writeFileSync(join(dir, 'cli.jsonl'), `${JSON.stringify(cliEntry)}\n`);
    writeFileSync(join(dir, 'site.jsonl'), toJsonl(log));
    expect(readFileSync(join(dir, 'site.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
    const out = execFileSync(
      process.execPath,
      [join(ROOT, 'scripts/runbook.ts'), 'timeline', join(dir, 'cli.jsonl'), join(dir, 'site.jsonl')],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(out.trimEnd()).toBe(renderTimeline([cliEntry, ...log]));
    expect(out.trimEnd().split('\n').slice(-4)).toEqual([
      '| 03:01:00 | — | db-down | — | opened on the site via /r/db-down | — |',
      '| 03:02:00 | — | db-down#check-pool | read-only | copied on the site (values: DB\\_HOST) | — |',
      '| 03:03:00 | ana | db-down#kill-sessions | mutating | exit 0 | 1.5 s |',
      '| 03:04:00 | — | first-15#acknowledge | — | ticked on the site: Acknowledge the page | — |',
    ]);
  });
});

describe('a page opened via a shortlink', () => {
  const now = at('2026-12-07T03:01:00Z');
  const note = (o: Record<string, unknown>) =>
    JSON.stringify({ via: '/r/db-down', to: '/services/database/db-unreachable/', at: now - 500, ...o });

  it('is known to the page the shortlink leads to, with or without the slash or index.html, once and only just after', () => {
    for (const path of [
      '/services/database/db-unreachable/',
      '/services/database/db-unreachable',
      '/services/database/db-unreachable/index.html',
    ])
      expect(arrivedVia(note({}), path, now)).toBe('/r/db-down');
    expect(arrivedVia(note({ to: '/dienste/störung/' }), '/dienste/st%C3%B6rung/', now)).toBe('/r/db-down');
    expect(arrivedVia(note({}), '/services/api/memory-leak/', now)).toBeUndefined();
    expect(
      arrivedVia(note({ at: now - ARRIVAL_MAX_MS - 1 }), '/services/database/db-unreachable/', now),
    ).toBeUndefined();
    expect(arrivedVia(note({ at: now + 5000 }), '/services/database/db-unreachable/', now)).toBeUndefined();
    for (const bad of [
      null,
      '',
      '{',
      '[]',
      '"x"',
      note({ via: 'javascript:alert(1)' }),
      note({ via: '/r/../x' }),
      note({ to: 3 }),
    ])
      expect(arrivedVia(bad, '/services/database/db-unreachable/', now)).toBeUndefined();
  });

  it('logs the step typed after the shortlink', () => {
    expect(arrivedAt('#check-pool')).toBe('check-pool');
    expect(arrivedAt('')).toBe('');
    expect(arrivedAt('#%E0%A4%A')).toBe('');
  });

  it('is noted by the /r/ page under the key the target page reads, from its <meta>s', () => {
    const link = { slug: 'db-down', target: '/db/', external: false, title: 'DB', file: 'x.md', page: '/db/' };
    expect(REDIRECT_SCRIPT).toContain(`'${ARRIVAL_KEY}'`);
    expect(redirectPage(link, '')).toContain('<meta name="runbooks:shortlink" content="/r/db-down">');
  });
});
