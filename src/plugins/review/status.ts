import { parseDay } from '../runbook/dates.ts';

/** What the header card says about a runbook's reviews. */
export interface ReviewStatus {
  /** The newest `review.log` date, or undefined when the log is empty. */
  last: Date | undefined;
  /** Index of that entry in `review.log`. */
  lastIndex: number | undefined;
  /** Days since the last review, whole days. */
  ageDays: number | undefined;
  /** True when the last review is older than `every` days (or there is none). */
  overdue: boolean;
  every: number;
}

const DAY = 86_400_000;

/**
 * Review age and the overdue flag as of `now`: the one definition the page banner,
 * `runbooks.json` and the review-overdue rule share. `review` is the frontmatter value
 * as read (dates as YAML or the schema left them); `defaultEvery` is `review.every`
 * from runbooks.config.yaml, used when the page sets none.
 */
export function reviewStatus(review: unknown, defaultEvery: number, now = new Date()): ReviewStatus {
  const r = (review && typeof review === 'object' ? review : {}) as { every?: unknown; log?: unknown };
  const every = typeof r.every === 'number' && Number.isInteger(r.every) && r.every > 0 ? r.every : defaultEvery;
  const dates = (Array.isArray(r.log) ? r.log : []).map((e) => parseDay((e as { date?: unknown } | null)?.date));
  const valid = dates.filter((d): d is Date => d !== undefined);
  if (valid.length === 0) return { last: undefined, lastIndex: undefined, ageDays: undefined, overdue: true, every };
  const lastTime = Math.max(...valid.map((d) => d.getTime()));
  const { ageDays, overdue } = reviewAge(lastTime, every, now.getTime());
  return {
    last: new Date(lastTime),
    lastIndex: dates.findIndex((d) => d?.getTime() === lastTime),
    ageDays,
    overdue,
    every,
  };
}

/** Whole days since the last review and whether that is past `every`: the one formula, shared with the page's script. */
export function reviewAge(lastTime: number, every: number, now: number): { ageDays: number; overdue: boolean } {
  const ageDays = Math.floor((now - lastTime) / DAY);
  return { ageDays, overdue: ageDays > every };
}

/** `2026-03-02` for a Date, in UTC so builds agree across time zones. */
export const isoDate = (d: Date) => d.toISOString().slice(0, 10);
