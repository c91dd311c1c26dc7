/**
 * The incident timeline: one Markdown table for the postmortem, from what the CLI ran
 * (run transcripts) and what the responder did on the site (the incident log). Both are
 * entries of one shape; this file imports no Node module, so the page bundles it too.
 */
import { markdownText } from '../encode/markdown.ts';

/** What a responder did on the site, for an entry the site wrote rather than `runbook run`. */
export interface SiteAction {
  /** Copied a command, ticked or unticked a checklist task, copied a template, opened a page by its shortlink. */
  action: 'copied' | 'ticked' | 'unticked' | 'template' | 'opened';
  /** The task's words, the template's name, the shortlink. */
  detail?: string;
  /** The names of the values filled in (never the values: a secret is never on the page). */
  values?: string[];
}

/** The fields of an entry the timeline reads: a run transcript line, or a line of the site's incident log. */
export interface TimelineEntry {
  /** When it happened (ISO 8601, UTC). */
  ts: string;
  operator?: string;
  runbook?: { slug: string; file?: string };
  /** The step: a run block's id, a checklist band, a template; empty for the page itself. */
  block: string;
  safety: string;
  exitCode?: number | null;
  durationMs?: number;
  incident?: string | null;
  forcedNeeds?: string[];
  declined?: boolean;
  refused?: string;
  timedOut?: boolean;
  interactive?: boolean;
  database?: string;
  rowsAffected?: number;
  /** Set on entries the site wrote. */
  site?: SiteAction;
}

/** A duration for people: `340 ms`, `12.3 s`, `4 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** The Markdown table for `entries`, in time order. Times are UTC; the date shows when the entries span more than one day. */
export function renderTimeline(entries: readonly TimelineEntry[]): string {
  const sorted = sortedByTime(entries);
  const time = timeColumn(sorted);
  const incidents = [...new Set(sorted.flatMap((e) => (e.incident ? [String(e.incident)] : [])))];
  const rows = [
    ...(incidents.length ? [`Incident ${markdownText(incidents.join(', '))}`, ''] : []),
    '| Time (UTC) | Operator | Runbook step | Safety | Result | Duration |',
    '| --- | --- | --- | --- | --- | --- |',
    ...sorted.map(
      (e) =>
        `| ${[markdownText(time(String(e.ts))), markdownText(String(e.operator || '—')), markdownText(timelineStep(e)), markdownText(String(e.safety || '—')), result(e), markdownText(duration(e))].join(' | ')} |`,
    ),
  ];
  return rows.join('\n');
}

/** The Runbook step column: `db-down#check-pool`, or the runbook alone for the page itself. */
export const timelineStep = (e: TimelineEntry) => `${e.runbook?.slug ?? '?'}${e.block ? `#${e.block}` : ''}`;

/** The instant of a timestamp (ms), or NaN when it is not a time. */
const instant = (ts: unknown) => Date.parse(String(ts));
/** The UTC day of a timestamp (`2026-12-07`), or the text itself when it is not a time. */
const utcDay = (ts: unknown) => {
  const ms = instant(ts);
  return Number.isNaN(ms) ? String(ts) : new Date(ms).toISOString().slice(0, 10);
};

/**
 * `entries` in time order (a copy): by the instant, so a timestamp with an offset
 * (`04:05:00+02:00`) or without milliseconds sorts where it happened; one that is not a
 * time goes last, in the order read.
 */
export const sortedByTime = <T extends TimelineEntry>(entries: readonly T[]): T[] =>
  [...entries].sort((a, b) => {
    const [x, y] = [instant(a.ts), instant(b.ts)];
    if (Number.isNaN(x) || Number.isNaN(y)) return Number(Number.isNaN(x)) - Number(Number.isNaN(y));
    return x - y;
  });

/** The Time (UTC) column for these entries: `03:02:00`, with the date when they span more than one UTC day. */
export function timeColumn(entries: readonly TimelineEntry[]): (ts: string) => string {
  const days = new Set(entries.map((e) => utcDay(e.ts)));
  return (ts) => {
    const d = new Date(ts);
    if (Number.isNaN(d.getTime())) return ts;
    const iso = d.toISOString();
    return days.size > 1 ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : iso.slice(11, 19);
  };
}

/** What the responder did on the site, in words (plain text: the site's log page shows it as is, the table encodes it). */
export function siteActionText(site: SiteAction): string {
  const detail = typeof site.detail === 'string' && site.detail ? site.detail : '';
  const values = Array.isArray(site.values) ? site.values.filter((v) => typeof v === 'string') : [];
  const said = {
    copied: `copied on the site${values.length ? ` (values: ${values.join(', ')})` : ''}`,
    ticked: `ticked on the site${detail ? `: ${detail}` : ''}`,
    unticked: `unticked on the site${detail ? `: ${detail}` : ''}`,
    template: `template copied on the site${detail ? `: ${detail}` : ''}${values.length ? ` (blanks: ${values.join(', ')})` : ''}`,
    opened: `opened on the site${detail ? ` via ${detail}` : ''}`,
  }[site.action];
  return said ?? `on the site: ${String(site.action)}`;
}

/** What happened, in words; failures and unusual paths in bold so they stand out. */
function result(e: TimelineEntry): string {
  // An entry is a file anyone could have edited: every value in it is text, encoded.
  if (e.site && typeof e.site === 'object') return markdownText(siteActionText(e.site));
  const notes: string[] = [];
  if (e.forcedNeeds?.length)
    notes.push(
      `needs forced: ${(Array.isArray(e.forcedNeeds) ? e.forcedNeeds : [e.forcedNeeds]).map((n) => `#${n}`).join(', ')}`,
    );
  if (e.interactive) notes.push('interactive');
  if (e.database) notes.push(`on ${e.database}`);
  if (typeof e.rowsAffected === 'number') notes.push(`${e.rowsAffected} row${e.rowsAffected === 1 ? '' : 's'} changed`);
  const extra = notes.length ? ` ${markdownText(`(${notes.join('; ')})`)}` : '';
  if (e.declined) return `**declined**, not run${extra}`;
  if (e.refused) return `**refused**: ${markdownText(String(e.refused))}${extra}`;
  if (e.timedOut) return `**timed out** ${markdownText(`(exit ${e.exitCode})`)}${extra}`;
  if (e.exitCode === 0) return `exit 0${extra}`;
  if (e.exitCode === 130) return `**interrupted** (exit 130)${extra}`;
  return `**${markdownText(`exit ${e.exitCode}`)}**${extra}`;
}

const duration = (e: TimelineEntry) =>
  e.site || e.exitCode === null || e.exitCode === undefined ? '—' : formatDuration(e.durationMs ?? 0);
