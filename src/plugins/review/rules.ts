import { parseDay } from '../runbook/dates.ts';
import { valueAt } from '../runbook/frontmatter.ts';
import type { RunbookFacts } from '../runbook/facts.ts';
import { isRunbook } from '../runbook/page.ts';
import { at, type Finding, type Rule } from '../runbook/rule.ts';

/** What the review rules read besides the pages. */
interface ReviewContext {
  today: Date;
  config: { review: { every: number; overdue: 'warning' | 'error' } };
}

const runbooks = (all: readonly RunbookFacts[]) => all.filter(isRunbook);

/** Rules about the review log: there is one, its dates are real and past, and it is not overdue. */
export const reviewRules: Rule<ReviewContext>[] = [
  {
    id: 'review-missing', severity: 'error',
    summary: 'Every runbook records at least one review, so readers know it was checked by someone.',
    hint: 'Add `review: { log: [{ date: YYYY-MM-DD, reviewer: "@you", change: "Initial runbook" }] }`.',
    bad: 'review:\n  every: 90', good: 'review:\n  every: 90\n  log:\n    - { date: 2026-06-18, reviewer: "@alice", change: "Initial runbook" }',
    check: (all) =>
      runbooks(all).flatMap((f) => {
        const log = valueAt(f.frontmatter.data, ['review', 'log']);
        if (Array.isArray(log) && log.length > 0) return [];
        return [at(f, log === undefined ? (f.frontmatter.data.review === undefined ? [] : ['review']) : ['review', 'log'], 'The runbook has no review log entry')];
      }),
  },
  {
    id: 'review-date-invalid', severity: 'error',
    summary: 'Review dates are real calendar dates written YYYY-MM-DD.',
    hint: 'Write the date as YYYY-MM-DD, e.g. `2026-06-18`.',
    bad: '- { date: last tuesday, reviewer: "@alice", change: "…" }', good: '- { date: 2026-06-18, reviewer: "@alice", change: "…" }',
    check: (all) =>
      runbooks(all).flatMap((f) => {
        const out: Finding[] = [];
        const log = valueAt(f.frontmatter.data, ['review', 'log']);
        if (Array.isArray(log)) log.forEach((entry, i) => {
          const date = (entry as { date?: unknown })?.date;
          if (!parseDay(date)) out.push(at(f, ['review', 'log', i, 'date'], date === undefined ? 'The review entry has no `date`' : `Review date ${JSON.stringify(date)} is not a YYYY-MM-DD date`));
        });
        const next = valueAt(f.frontmatter.data, ['review', 'next']);
        if (next !== undefined && !parseDay(next)) out.push(at(f, ['review', 'next'], `\`review.next\` ${JSON.stringify(next)} is not a YYYY-MM-DD date`));
        return out;
      }),
  },
  {
    id: 'review-date-future', severity: 'error',
    summary: 'The review log holds reviews that happened; a planned review goes in `review.next`.',
    hint: 'Fix the date, or move the planned review to `review.next`.',
    bad: 'log:\n  - { date: 2099-01-01, … }', good: 'next: 2099-01-01',
    check: (all, { today }) =>
      runbooks(all).flatMap((f) => {
        const log = valueAt(f.frontmatter.data, ['review', 'log']);
        if (!Array.isArray(log)) return [];
        return log.flatMap((entry, i) => {
          const d = parseDay((entry as { date?: unknown })?.date);
          return d && d.getTime() > today.getTime() ? [at(f, ['review', 'log', i, 'date'], `Review date ${d.toISOString().slice(0, 10)} is in the future`)] : [];
        });
      }),
  },
  {
    id: 'review-overdue', severity: 'warning',
    summary: 'A runbook whose last review is older than `review.every` days may no longer be true.',
    hint: 'Walk through the runbook, fix what changed, and add a review log entry.',
    bad: 'every: 90, last review 200 days ago', good: 'a review log entry from this quarter',
    check: (all, { today, config }) =>
      runbooks(all).flatMap((f) => {
        const log = valueAt(f.frontmatter.data, ['review', 'log']);
        if (!Array.isArray(log)) return [];
        const dates = log.map((e) => parseDay((e as { date?: unknown })?.date)).filter((d): d is Date => Boolean(d));
        if (dates.length === 0) return [];
        const every = valueAt(f.frontmatter.data, ['review', 'every']);
        const days = typeof every === 'number' && every > 0 ? every : config.review.every;
        const last = Math.max(...dates.map((d) => d.getTime()));
        const age = Math.floor((today.getTime() - last) / 86_400_000);
        if (age <= days) return [];
        const index = dates.findIndex((d) => d.getTime() === last);
        return [{ ...at(f, ['review', 'log', index, 'date'], `Last review was ${age} days ago; reviews are due every ${days} days`), severity: config.review.overdue }];
      }),
  },
];
