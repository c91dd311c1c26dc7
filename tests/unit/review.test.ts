import { describe, expect, it } from 'vitest';
import { reviewStatus } from '../../src/plugins/review/status.ts';

const now = new Date('2026-11-23T12:00:00Z');

describe('review status', () => {
  it('uses the newest log entry, whatever the order', () => {
    const s = reviewStatus(
      { every: 90, log: [{ date: new Date('2026-10-01') }, { date: new Date('2026-03-01') }] },
      90,
      now,
    );
    expect(s.last?.toISOString().slice(0, 10)).toBe('2026-10-01');
    expect(s.ageDays).toBe(53);
    expect(s.overdue).toBe(false);
  });

  it('is overdue past `every` days and when never reviewed', () => {
    expect(reviewStatus({ every: 30, log: [{ date: new Date('2026-10-01') }] }, 90, now).overdue).toBe(true);
    expect(reviewStatus({ every: 30, log: [] }, 90, now)).toMatchObject({ overdue: true, last: undefined });
  });

  it('takes the cadence from runbooks.config.yaml when the page sets none, and reads dates as written or as YAML read them', () => {
    const review = { log: [{ date: '2026-10-01' }, { date: new Date('2026-08-01T00:00:00Z') }] };
    expect(reviewStatus(review, 30, now)).toMatchObject({ overdue: true, every: 30, ageDays: 53, lastIndex: 0 });
    expect(reviewStatus(review, 90, now)).toMatchObject({ overdue: false, every: 90 });
    expect(reviewStatus({ every: 400, log: review.log }, 30, now).overdue).toBe(false);
  });
});
