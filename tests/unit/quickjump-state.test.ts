import { describe, expect, it } from 'vitest';
import {
  createState,
  pagefindFilters,
  recordFull,
  recordQuick,
  statusText,
} from '../../src/plugins/quickjump/client/state.ts';
import type { Hit } from '../../src/plugins/quickjump/rank.ts';

const hit = (u: string, near?: boolean): Hit => ({
  page: { t: u, u },
  href: u,
  reason: 'text',
  tier: 30,
  score: 1,
  ...(near ? { near } : {}),
});

describe('the quick-jump dialog state', () => {
  it('asks Pagefind for runbook and handbook pages unless the Pages filter asks for SLO pages', () => {
    expect(pagefindFilters({})).toEqual({ not: { page: 'SLO' } });
    expect(pagefindFilters({ service: 'payments', severity: 'SEV-1' })).toEqual({
      service: 'payments',
      severity: 'SEV-1',
      not: { page: 'SLO' },
    });
    expect(pagefindFilters({ page: 'SLO' })).toEqual({ page: 'SLO' });
  });

  it('keeps near hits apart: full text may list their pages, and the status counts them', () => {
    const s = createState();
    recordQuick(s, [hit('/a/'), hit('/b/', true), hit('/c/', true)], 'kill sessions');
    expect([...s.quickHrefs]).toEqual(['/a/']);
    expect(s.nearHits.map((h) => h.href)).toEqual(['/b/', '/c/']);
    recordFull(s, ['/b/#step', '/d/']);
    expect([...s.fullHrefs]).toEqual(['/b/', '/d/']);
    expect(statusText(s, 'kill sessions', {})).toBe('1 to jump to, 2 in full text, 2 near matches.');
    recordQuick(s, [hit('/b/', true)], 'disk full');
    expect(statusText(s, 'disk full', {})).toBe('0 to jump to, 2 in full text, 1 near match.');
    expect(statusText(s, '', { page: 'SLO' })).toMatch(/to jump to/);
    expect(statusText(s, '', {})).toMatch(/^Type to search/);
  });
});
