/** What the header card says about a runbook's reviews. */
export interface ReviewStatus {
  /** The newest `review.log` date, or undefined when the log is empty. */
  last: Date | undefined;
  /** Days since the last review, whole days. */
  ageDays: number | undefined;
  /** True when the last review is older than `every` days (or there is none). */
  overdue: boolean;
  every: number;
}

const DAY = 86_400_000;

/** Works out review age and the overdue flag as of `now`. */
export function reviewStatus(review: { every?: number; log?: { date: Date }[] } | undefined, now = new Date()): ReviewStatus {
  const every = review?.every ?? 90;
  const dates = (review?.log ?? []).map((e) => e.date).filter((d) => !Number.isNaN(d.getTime()));
  if (dates.length === 0) return { last: undefined, ageDays: undefined, overdue: true, every };
  const last = new Date(Math.max(...dates.map((d) => d.getTime())));
  const ageDays = Math.floor((now.getTime() - last.getTime()) / DAY);
  return { last, ageDays, overdue: ageDays > every, every };
}

/** `2026-03-02` for a Date, in UTC so builds agree across time zones. */
export const isoDate = (d: Date) => d.toISOString().slice(0, 10);
