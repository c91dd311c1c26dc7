/** `runbook timeline`: a transcript as the postmortem's Markdown table. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../fixtures/run/project.ts';

const base = {
  operator: 'ana@example.com',
  gitSha: null,
  runbook: { slug: 'db-down', file: 'src/content/runbooks/services/database/db-unreachable.md' },
  snippetSha256: 'x',
  vars: {},
  incident: 'INC-1',
  output: '',
};
const entries = [
  {
    ...base,
    ts: '2026-11-23T02:14:05.120Z',
    end: '2026-11-23T02:14:06.320Z',
    block: 'check-pool',
    safety: 'read-only',
    exitCode: 0,
    durationMs: 1200,
  },
  {
    ...base,
    ts: '2026-11-23T02:16:00.000Z',
    end: '2026-11-23T02:16:09.000Z',
    block: 'kill-sessions',
    safety: 'mutating',
    exitCode: null,
    durationMs: 0,
    declined: true,
  },
  {
    ...base,
    ts: '2026-11-23T02:15:00.000Z',
    end: '2026-11-23T02:15:00.000Z',
    block: 'kill-sessions',
    safety: 'mutating',
    exitCode: null,
    durationMs: 0,
    refused: 'it needs #kill-plan to have succeeded first in x.jsonl',
  },
  {
    ...base,
    ts: '2026-11-23T02:17:00.000Z',
    end: '2026-11-23T02:18:00.000Z',
    block: 'kill-sessions',
    safety: 'mutating',
    exitCode: 0,
    durationMs: 65_000,
    forcedNeeds: ['kill-plan'],
    operator: 'bo|b@example.com',
  },
  {
    ...base,
    ts: '2026-11-23T02:20:00.000Z',
    end: '2026-11-23T02:21:00.000Z',
    block: 'restart-pgbouncer',
    safety: 'mutating',
    exitCode: 124,
    durationMs: 300_000,
    timedOut: true,
  },
  {
    ...base,
    ts: '2026-11-23T02:25:00.000Z',
    end: '2026-11-23T02:25:01.000Z',
    block: 'api-health',
    safety: 'read-only',
    exitCode: 7,
    durationMs: 340,
  },
  {
    ...base,
    ts: '2026-11-23T02:26:00.000Z',
    end: '2026-11-23T02:26:04.000Z',
    block: 'pg-pods',
    safety: 'read-only',
    exitCode: 130,
    durationMs: 4000,
  },
];

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function transcript(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-timeline-'));
  dirs.push(dir);
  writeFileSync(join(dir, 't.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

describe('runbook timeline', () => {
  it('renders one row per attempt in time order, with declined, refused, forced and timed-out steps visible', async () => {
    const dir = transcript(entries.map((e) => JSON.stringify(e)));
    const r = await cli(['timeline', 't.jsonl'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'Incident INC-1',
        '',
        '| Time (UTC) | Operator | Runbook step | Safety | Result | Duration |',
        '| --- | --- | --- | --- | --- | --- |',
        '| 02:14:05 | ana\\@example.com | db-down#check-pool | read-only | exit 0 | 1.2 s |',
        '| 02:15:00 | ana\\@example.com | db-down#kill-sessions | mutating | **refused**: it needs #kill-plan to have succeeded first in x.jsonl | — |',
        '| 02:16:00 | ana\\@example.com | db-down#kill-sessions | mutating | **declined**, not run | — |',
        '| 02:17:00 | bo\\|b\\@example.com | db-down#kill-sessions | mutating | exit 0 (needs forced: #kill-plan) | 1 min 05 s |',
        '| 02:20:00 | ana\\@example.com | db-down#restart-pgbouncer | mutating | **timed out** (exit 124) | 5 min 00 s |',
        '| 02:25:00 | ana\\@example.com | db-down#api-health | read-only | **exit 7** | 340 ms |',
        '| 02:26:00 | ana\\@example.com | db-down#pg-pods | read-only | **interrupted** (exit 130) | 4.0 s |',
      ].join('\n'),
    );
  });

  it('shows the date when the transcript spans days', async () => {
    const dir = transcript([
      JSON.stringify(entries[0]),
      JSON.stringify({ ...entries[5], ts: '2026-11-24T00:01:00.000Z' }),
    ]);
    const r = await cli(['timeline', join(dir, 't.jsonl')], '/');
    expect(r.out).toContain('| 2026-11-23 02:14:05 |');
    expect(r.out).toContain('| 2026-11-24 00:01:00 |');
  });

  it('reports a malformed line with its line number, exits 1 and still prints the rest', async () => {
    const dir = transcript([
      JSON.stringify(entries[0]),
      '{"ts": "2026-11-23T02:14:05Z", oops',
      JSON.stringify({ hello: 1 }),
    ]);
    const r = await cli(['timeline', 't.jsonl'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^t\.jsonl:2: not valid JSON/m);
    expect(r.err).toContain('t.jsonl:3: not a transcript entry: missing ts, block, safety, runbook');
    expect(r.out).toContain('| db-down#check-pool |');
  });

  it('exits 2 for a file it cannot read, or without exactly one file', async () => {
    const r = await cli(['timeline', 'missing.jsonl'], tmpdir());
    expect(r.code).toBe(2);
    expect(r.err).toBe('Cannot read missing.jsonl: no such file');
    expect((await cli(['timeline'], tmpdir())).code).toBe(2);
  });
});
