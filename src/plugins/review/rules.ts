import { parseDay } from '../runbook/dates.ts';
import { valueAt } from '../runbook/frontmatter.ts';
import type { RunbookFacts } from '../runbook/facts.ts';
import { isRunbook } from '../runbook/page.ts';
import { at, type Rule } from '../runbook/rule.ts';
import { findingsOf, schemaFindings } from '../runbook/schema-findings.ts';
import { reviewStatus } from './status.ts';
import { OWNER, page, runbook, TITLE } from '../runbook/examples.ts';

/** What the review rules read besides the pages. */
interface ReviewContext {
  today: Date;
  config: { review: { every: number; overdue: 'warning' | 'error' } };
}

const runbooks = (all: readonly RunbookFacts[]) => all.filter(isRunbook);
/** Runbooks whose review dates all name real days: the age rules judge only those (one finding, not a cascade). */
const dated = (all: readonly RunbookFacts[]) =>
  runbooks(all).filter((f) => !schemaFindings(f).some((s) => s.rule === 'review-date-invalid'));

/** Rules about the review log: there is one, its dates are real and past, and it is not overdue. */
/** The examples' page with these `review:` lines. */
const reviewed = (...lines: string[]) => page([TITLE, OWNER, 'review:', ...lines]);
/** One line of an example's review log. */
const logEntry = (date: string, change = 'First version') =>
  `    - { date: ${date}, reviewer: "@ana", change: "${change}" }`;

export const reviewRules = [
  {
    id: 'review-missing',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: 'Every runbook records at least one review, so readers know it was checked by someone.',
    hint: 'Add `review: { log: [{ date: YYYY-MM-DD, reviewer: "@you", change: "Initial runbook" }] }`.',
    bad: { page: reviewed('  every: 90') },
    good: {
      page: reviewed('  every: 90', '  log:', logEntry('2026-10-01')),
    },
    check: (all) => findingsOf(all, 'review-missing'),
  },
  {
    id: 'review-date-invalid',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: 'Review dates are real calendar dates written YYYY-MM-DD.',
    hint: 'Write the date as YYYY-MM-DD, e.g. `2026-06-18`.',
    bad: {
      page: reviewed('  log:', logEntry('last tuesday')),
    },
    good: { page: runbook() },
    check: (all) => findingsOf(all, 'review-date-invalid'),
  },
  {
    id: 'review-date-future',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: 'The review log holds reviews that happened; a planned review goes in `review.next`.',
    hint: 'Fix the date, or move the planned review to `review.next`.',
    bad: { page: runbook([logEntry('2027-01-15', 'Planned review')]) },
    good: { page: runbook(['  next: 2027-01-15']) },
    check: (all, { today }) =>
      dated(all).flatMap((f) => {
        const log = valueAt(f.frontmatter.data, ['review', 'log']);
        if (!Array.isArray(log)) return [];
        return log.flatMap((entry, i) => {
          const d = parseDay((entry as { date?: unknown })?.date);
          return d && d.getTime() > today.getTime()
            ? [at(f, ['review', 'log', i, 'date'], `Review date ${d.toISOString().slice(0, 10)} is in the future`)]
            : [];
        });
      }),
  },
  {
    id: 'review-overdue',
    severity: 'warning',
    phase: 'facts',
    baseline: true,
    summary: 'A runbook whose last review is older than `review.every` days may no longer be true.',
    hint: 'Walk through the runbook, fix what changed, and add a review log entry.',
    bad: {
      page: reviewed('  every: 90', '  log:', logEntry('2026-03-02')),
    },
    good: {
      page: reviewed('  every: 90', '  log:', logEntry('2026-10-01')),
    },
    check: (all, { today, config }) =>
      dated(all).flatMap((f) => {
        const status = reviewStatus(f.frontmatter.data.review, config.review.every, today);
        if (!status.overdue || status.lastIndex === undefined) return [];
        return [
          {
            ...at(
              f,
              ['review', 'log', status.lastIndex, 'date'],
              `Last review was ${status.ageDays} days ago; reviews are due every ${status.every} days`,
            ),
            severity: config.review.overdue,
          },
        ];
      }),
  },
] as const satisfies readonly Rule<ReviewContext>[];
