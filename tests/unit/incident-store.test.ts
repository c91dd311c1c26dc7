/** The incident in the browser (src/plugins/incident/): the store, its log, and the one timeline with `runbook timeline`. */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';
import { memoryStore } from '../fixtures/incident/memory-store.ts';
import {
  clearIncident,
  incidentLog,
  keepValue,
  keptValue,
  KEYS,
  logAction,
  MAX_LOG,
  newIncident,
  readIncident,
  readLog,
  startIncident,
} from '../../src/plugins/incident/store.ts';
import { renderTimeline, type TimelineEntry } from '../../src/plugins/incident/timeline.ts';

const memory = memoryStore;

describe('the incident store', () => {
  it('starts from when the page fired, never in the future nor more than a day back', () => {
    const now = Date.parse('2026-12-07T03:10:00Z');
    expect(newIncident(now - 4 * 60_000, now).started).toBe(now - 4 * 60_000);
    expect(newIncident(now + 60_000, now).started).toBe(now);
    expect(newIncident(now - 3 * 86_400_000, now).started).toBe(now - 86_400_000);
    expect(newIncident(Number.NaN, now).started).toBe(now);
  });

  it('keeps values only while an incident is open, and clearing the incident forgets them and the log', () => {
    const s = memory();
    keepValue('NAMESPACE', 'payments', s);
    expect(keptValue('NAMESPACE', s)).toBeUndefined();
    startIncident(undefined, s);
    keepValue('NAMESPACE', 'payments', s);
    keepValue('START TIME', '03:02', s);
    expect(readIncident(s)?.values).toEqual({ NAMESPACE: 'payments', 'START TIME': '03:02' });
    keepValue('NAMESPACE', '', s);
    expect(keptValue('NAMESPACE', s)).toBeUndefined();
    logAction({ slug: 'db-down', block: 'check', safety: 'read-only', site: { action: 'copied' } }, s);
    clearIncident(s);
    expect(s.map.has(KEYS.incident)).toBe(false);
    expect(s.map.has(KEYS.log)).toBe(false);
  });

  it('never keeps a value whose name or content says secret, and drops one found in storage', () => {
    const s = memory();
    startIncident(undefined, s);
    // Template fields and variables the page did not mark `secret: true`: the name alone decides.
    for (const name of [
      'DB_PASSWORD',
      'API KEY',
      'SLACK TOKEN',
      'github-token',
      'AWS_SECRET_ACCESS_KEY',
      'PGPASS',
      'Cookie',
    ])
      keepValue(name, 'hunter2', s);
    // A secret pasted into an ordinary field: a URL with a password, a private key.
    keepValue('DATABASE', 'postgres://admin:hunter2@db.internal:5432/app', s);
    keepValue('NOTE', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn', s);
    keepValue('NAMESPACE', 'payments', s);
    keepValue('AUTH_HEALTH_URL', 'https://api.kestrel.dev/auth/health', s);
    keepValue('DB_URL', 'postgres://reader@db/app', s);
    expect(readIncident(s)?.values).toEqual({
      NAMESPACE: 'payments',
      AUTH_HEALTH_URL: 'https://api.kestrel.dev/auth/health',
      DB_URL: 'postgres://reader@db/app',
    });
    expect(s.map.get(KEYS.incident)).not.toContain('hunter2');
    // A kept value replaced by a pasted secret is forgotten, not left behind.
    keepValue('DB_URL', 'postgres://admin:hunter2@db/app', s);
    expect(keptValue('DB_URL', s)).toBeUndefined();
    // Written before this rule, or by hand: not read back.
    const stored = JSON.parse(s.map.get(KEYS.incident)!);
    s.map.set(KEYS.incident, JSON.stringify({ ...stored, values: { ...stored.values, ADMIN_PASSWORD: 'x' } }));
    expect(readIncident(s)?.values).not.toHaveProperty('ADMIN_PASSWORD');
  });

  it('shows in the timeline what happened since the page fired, including before the incident was opened', () => {
    const s = memory();
    const t0 = Date.parse('2026-12-07T03:00:00Z');
    logAction({ slug: 'db-down', site: { action: 'opened', detail: '/r/db-down' } }, s, t0 - 3600_000);
    logAction(
      { slug: 'db-down', block: 'check-pool', safety: 'read-only', site: { action: 'copied' } },
      s,
      t0 + 60_000,
    );
    startIncident(t0, s);
    const log = incidentLog(s);
    expect(log.map((e) => e.block)).toEqual(['check-pool']);
    expect(log[0].incident).toBe(readIncident(s)?.id);
  });

  it('keeps at most MAX_LOG lines, the newest', () => {
    const s = memory();
    const t0 = Date.parse('2026-12-07T03:00:00Z');
    for (let i = 0; i < MAX_LOG + 20; i++)
      logAction({ slug: 'p', block: `b${i}`, site: { action: 'copied' } }, s, t0 + i * 1000);
    const log = readLog(s);
    expect(log).toHaveLength(MAX_LOG);
    expect(log.at(-1)?.block).toBe(`b${MAX_LOG + 19}`);
  });

  it('never throws on storage it did not write, and admits only the shape it writes (300 generated values)', () => {
    const rand = mulberry32(22);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const junk = (depth: number): unknown =>
      depth > 2
        ? pick([null, 1, 'x', true, Number.MAX_VALUE, '<img src=x>', '\u001b[2J'])
        : pick<() => unknown>([
            () => ({
              id: pick(['a', 1, null]),
              started: pick([1, 'now', Infinity]),
              opened: 2,
              values: junk(depth + 1),
              ticks: junk(depth + 1),
              operator: junk(depth + 1),
            }),
            () => ({ values: { ['$(rm -rf)']: 'x', OK: pick(['v', 3, 'y'.repeat(5000)]) } }),
            () => [junk(depth + 1), { ts: 'x', block: 'b', safety: 's', site: junk(depth + 1) }],
            () => junk(depth + 1),
            () => pick(['{', 'null', '[]', '"str"']),
          ])();
    for (let i = 0; i < 300; i++) {
      const s = memory();
      const raw = junk(0);
      const text = typeof raw === 'string' && /^[[{"n]/.test(raw) ? raw : JSON.stringify(raw);
      s.map.set(KEYS.incident, text ?? '');
      s.map.set(KEYS.log, text ?? '');
      const incident = readIncident(s);
      if (incident) {
        expect(typeof incident.id).toBe('string');
        expect(Number.isFinite(incident.started)).toBe(true);
        for (const [k, v] of Object.entries(incident.values)) {
          expect(k).toMatch(/^[A-Za-z_][A-Za-z0-9_ -]*$/);
          expect(typeof v).toBe('string');
        }
      }
      for (const e of readLog(s)) expect(typeof e.site.action).toBe('string');
      expect(() => renderTimeline(readLog(s))).not.toThrow();
    }
  });
});

describe('one timeline from the site and the CLI', () => {
  const cli: TimelineEntry = {
    ts: '2026-12-07T03:05:00.000Z',
    operator: 'ana',
    runbook: { slug: 'db-down' },
    block: 'kill-sessions',
    safety: 'mutating',
    exitCode: 0,
    durationMs: 1500,
    incident: 'INC-7',
  };
  it('puts site entries in the same table, in time order, saying what happened on the site', () => {
    const s = memory();
    startIncident(Date.parse('2026-12-07T03:00:00Z'), s);
    logAction(
      { slug: 'db-down', block: 'check-pool', safety: 'read-only', site: { action: 'copied', values: ['DB_HOST'] } },
      s,
      Date.parse('2026-12-07T03:02:00Z'),
    );
    logAction(
      { slug: 'first-15', block: 'acknowledge', site: { action: 'ticked', detail: 'Acknowledge the page | now' } },
      s,
      Date.parse('2026-12-07T03:07:00Z'),
    );
    const table = renderTimeline([cli, ...incidentLog(s)]).split('\n');
    expect(table.slice(-3)).toEqual([
      '| 03:02:00 | — | db-down#check-pool | read-only | copied on the site (values: DB\\_HOST) | — |',
      '| 03:05:00 | ana | db-down#kill-sessions | mutating | exit 0 | 1.5 s |',
      '| 03:07:00 | — | first-15#acknowledge | — | ticked on the site: Acknowledge the page \\| now | — |',
    ]);
  });

  // Transcripts from another tool, or written by hand, may carry an offset or no milliseconds:
  // the table orders by the instant and shows it in UTC, not by the text of the timestamp.
  it('property: the timeline is in time order and in UTC whatever form each timestamp takes (300 generated logs)', () => {
    const rand = mulberry32(2207);
    const forms = [
      (ms: number) => new Date(ms).toISOString(),
      (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      (ms: number) => new Date(ms + 2 * 3600_000).toISOString().replace(/Z$/, '+02:00'),
      (ms: number) => new Date(ms - 5 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '-05:00'),
    ];
    const start = Date.parse('2026-12-07T22:30:00Z');
    for (let run = 0; run < 300; run++) {
      const instants = Array.from(
        { length: 2 + Math.floor(rand() * 6) },
        () => start + Math.floor(rand() * 20) * 60_000,
      );
      const entries: TimelineEntry[] = instants.map((ms, i) => ({
        ts: forms[Math.floor(rand() * forms.length)](ms),
        block: `step-${i}`,
        safety: 'read-only',
        runbook: { slug: 'db-down' },
        exitCode: 0,
      }));
      const rows = renderTimeline(entries).split('\n').slice(2);
      const expected = [...instants].sort((a, b) => a - b);
      const iso = (ms: number) => new Date(ms).toISOString();
      expect(rows.map((r) => r.split(' | ')[0].slice(2))).toEqual(
        expected.map((ms) =>
          rows[0].startsWith('| 2026-') ? `${iso(ms).slice(0, 10)} ${iso(ms).slice(11, 19)}` : iso(ms).slice(11, 19),
        ),
      );
      // The date shows exactly when the instants span more than one UTC day.
      const days = new Set(expected.map((ms) => iso(ms).slice(0, 10)));
      expect(rows[0].startsWith('| 2026-')).toBe(days.size > 1);
    }
  });
});

describe('an incident opened without a time', () => {
  it('starts at the first step of the last half hour, so arriving by a shortlink before typing a value stays on the timeline', () => {
    const s = memory();
    const now = Date.parse('2026-12-07T03:10:00Z');
    logAction({ slug: 'old', site: { action: 'opened' } }, s, now - 45 * 60_000);
    logAction({ slug: 'db-down', site: { action: 'opened', detail: '/r/db-down' } }, s, now - 60_000);
    const incident = startIncident(undefined, s, now);
    expect(incident.started).toBe(now - 60_000);
    expect(incidentLog(s).map((e) => e.runbook?.slug)).toEqual(['db-down']);
  });
  it('starts now with nothing logged, and never moves an open incident', () => {
    const s = memory();
    const now = Date.parse('2026-12-07T03:10:00Z');
    expect(startIncident(undefined, s, now).started).toBe(now);
    expect(startIncident(undefined, s, now + 60_000).started).toBe(now);
    expect(startIncident(now - 120_000, s, now + 60_000).started).toBe(now - 120_000);
  });
});
