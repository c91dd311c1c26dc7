// The checklist's side of the site's incident (src/plugins/incident/store.ts): when the
// page fired, as a responder types it, and the one-time move of a checklist page's own
// incident (`rb-checklist:<path>`, before the store existed) into the store. Pure, so the
// page script bundles it and the tests call it with a fixed `now`.
import { MAX_AGE_MS, newIncident, SKEW_MS, type Incident } from '../incident/store.ts';

/** When the page fired, as typed: the store's reading, the one the log page uses too. */
export { parseFiredAt, SKEW_MS } from '../incident/store.ts';
/** The key a checklist page kept its own incident under before the store. */
export const oldChecklistKey = (path: string) => `rb-checklist:${path}`;

/**
 * The incident after moving a checklist page's own stored incident (`old`, parsed JSON from
 * `rb-checklist:<path>`) into the store. With none open, it opens one from the old start;
 * with one open, the old ticks join it (it is the incident the responder is in now). An old
 * incident we cannot read, or older than a day, is dropped: it is not this incident.
 */
export function migrateChecklist(
  old: unknown,
  incident: Incident | undefined,
  path: string,
  now: number,
): Incident | undefined {
  if (typeof old !== 'object' || old === null) return incident;
  const { started, ticks } = old as { started?: unknown; ticks?: unknown };
  if (typeof started !== 'number' || !Number.isFinite(started) || !Array.isArray(ticks)) return incident;
  if (started < now - MAX_AGE_MS || started > now + SKEW_MS) return incident;
  const keys = ticks.filter((t): t is string => typeof t === 'string');
  const base = incident ?? newIncident(started, now);
  const merged = [...new Set([...(base.ticks[path] ?? []), ...keys])];
  return merged.length ? { ...base, ticks: { ...base.ticks, [path]: merged } } : base;
}

/** The names of a template's placeholders left blank, in order, each once. */
export const blanksOf = (names: Iterable<string>, values: Readonly<Record<string, string>>): string[] =>
  [...new Set(names)].filter((name) => !values[name]);

/** "3 fields still blank: X, Y, Z" (the first six named, then how many more). */
export function blanksWarning(blanks: readonly string[]): string {
  const shown = blanks.slice(0, 6).join(', ');
  const more = blanks.length > 6 ? ` and ${blanks.length - 6} more` : '';
  return `${blanks.length} field${blanks.length === 1 ? '' : 's'} still blank: ${shown}${more}`;
}
