import { describe, expect, it } from 'vitest';
import { reviewStatus } from '../../src/plugins/review/status.ts';

const now = new Date('2026-11-23T12:00:00Z');

describe('review status', () => {
  it('uses the newest log entry, whatever the order', () => {
    const s = reviewStatus({ every: 90, log: [{ date: new Date('2026-10-01') }, { date: new Date('2026-03-01') }] }, now);
    expect(s.last?.toISOString().slice(0, 10)).toBe('2026-10-01');
    expect(s.ageDays).toBe(53);
    expect(s.overdue).toBe(false);
  });

  it('is overdue past `every` days and when never reviewed', () => {
    expect(reviewStatus({ every: 30, log: [{ date: new Date('2026-10-01') }] }, now).overdue).toBe(true);
    expect(reviewStatus({ every: 30, log: [] }, now)).toMatchObject({ overdue: true, last: undefined });
  });
});
