/**
 * The incident log page's content as pure functions of the log: the rows of its timeline
 * (the time and step columns of `runbook timeline`, the same words for what happened), the
 * JSONL file `npx runbook timeline` reads beside CLI transcripts, "when the page fired"
 * from an HH:MM in UTC, and the link from a row back to the step. No DOM, no storage: the
 * page script (client/log-page.ts) puts these into the page with textContent.
 */
import { toJsonText } from '../encode/json.ts';
import type { LogEntry } from './store.ts';
import { siteActionText, sortedByTime, timeColumn, timelineStep } from './timeline.ts';

/** One row of the timeline on the page. */
export interface LogRow {
  /** `03:02:00` (UTC), with the date when the log spans more than one day. */
  time: string;
  /** The ISO time, for the row's <time datetime>. */
  ts: string;
  /** `db-down#check-pool`, as in `runbook timeline`. */
  step: string;
  /** The step on this site: `/services/database/db-unreachable/#check-pool`. */
  href: string;
  /** What happened, in the words of `runbook timeline` (`copied on the site (values: DB_HOST)`). */
  what: string;
  operator: string;
  safety: string;
}

/** Where a runbook named `slug` lives: its shortlink's target on this site, if the caller knows it. */
export type PageOf = (slug: string) => string | undefined;

/**
 * The link back from a row to its step, always a path on this site: the page from `pageOf`
 * (a shortlink's target) or, for a page without a shortlink, its name as a path under
 * `base` (a page's name is its path then), and the block as the fragment. A name or target
 * read from storage never makes a link to another site (`//host`, `javascript:`).
 */
export function stepHref(entry: Pick<LogEntry, 'runbook' | 'block'>, pageOf: PageOf, base = '/'): string {
  const slug = String(entry.runbook?.slug ?? '');
  const known = pageOf(slug);
  const root = base.replace(/\/?$/, '/');
  const own = known && /^\/(?!\/)/.test(known) && !known.includes('\\') ? known.split('#')[0] : undefined;
  const segments = slug.split('/').filter((s) => s && s !== '.' && s !== '..');
  const path = own ?? `${root}${segments.map((s) => `${encodeURIComponent(s)}/`).join('')}`;
  return entry.block ? `${path}#${encodeURIComponent(String(entry.block))}` : path;
}

/** The page's timeline rows, in time order. */
export function logRows(entries: readonly LogEntry[], pageOf: PageOf, base = '/'): LogRow[] {
  const sorted = sortedByTime(entries);
  const time = timeColumn(sorted);
  return sorted.map((e) => ({
    time: time(String(e.ts)),
    ts: String(e.ts),
    step: timelineStep(e),
    href: stepHref(e, pageOf, base),
    what: siteActionText(e.site),
    operator: String(e.operator || ''),
    safety: String(e.safety || ''),
  }));
}

/**
 * The log as a transcript file: one JSON line per entry, in time order. Each entry has
 * what `runbook timeline` requires (ts, block, safety, runbook), so
 * `npx runbook timeline cli.jsonl site.jsonl` prints one table from both.
 */
export const toJsonl = (entries: readonly LogEntry[]): string =>
  sortedByTime(entries)
    .map((e) => `${toJsonText(e)}\n`)
    .join('');

/** The downloaded file's name: `incident-<id>-site.jsonl`. */
export const jsonlName = (id: string) => `incident-${id.replace(/[^A-Za-z0-9-]+/g, '') || 'log'}-site.jsonl`;

/** `HH:MM` in UTC, for the "the page fired at" field (the store's, one way of saying it). */
export { utcHhmm } from './store.ts';

/** When the page fired, from `HH:MM` (UTC) typed by the responder: the store's one reading (a little ahead of now is now). */
export { parseFiredAt } from './store.ts';
