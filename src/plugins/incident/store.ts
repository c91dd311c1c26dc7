/**
 * The incident in the browser: one per site, kept in localStorage so every page (and a
 * reload, and another tab) sees the same one, offline too. It holds when the page fired,
 * the values filled in (never a secret: secret fields have no input on the page), the
 * checklist ticks, and a log of what the responder did on the site for the timeline.
 * Clearing the incident clears all of it. Every read is validated: storage is text anyone
 * with the device could have edited, and a value we did not write counts as absent.
 */
import { CHANGED, KEYS } from './keys.ts';
import type { SiteAction, TimelineEntry } from './timeline.ts';

/** The incident as the site keeps it. */
export interface Incident {
  /** A short id, shown in the timeline (`Incident 3f9k2a`). */
  id: string;
  /** When the page fired (ms since the epoch): the checklist's clock counts from here. */
  started: number;
  /** When it was opened on this device. */
  opened: number;
  /** The responder's name for the timeline's Operator column; empty when not given. */
  operator: string;
  /** Values filled in, by variable or template field name. */
  values: Record<string, string>;
  /** Ticked checklist tasks, by page path. */
  ticks: Record<string, string[]>;
}

/** A line of the incident log: a timeline entry the site wrote. */
export interface LogEntry extends TimelineEntry {
  site: SiteAction;
}

export { CHANGED, KEYS };
/** Most log lines kept; the oldest go first. */
export const MAX_LOG = 500;
/** Longest value kept (a pasted blob is not a value). */
export const MAX_VALUE = 2000;
/** How far back "when the page fired" may be: a day. */
export const MAX_AGE_MS = 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** How far ahead of the device's clock a typed time still means "now": the paging tool's clock and the phone's differ a little. */
export const SKEW_MS = 5 * 60 * 1000;

/**
 * When the page fired, from what the responder typed (`03:58`, `3:58`, `0358`, UTC): the
 * latest such moment that is not in the future, so 03:58 typed at 00:10 is yesterday's.
 * A time up to SKEW_MS ahead is now. Undefined when it is not a time of day. The one
 * reading, for the checklist's clock and the log page.
 */
export function parseFiredAt(text: string, now: number): number | undefined {
  const m = /^(\d{1,2}):?(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return undefined;
  const at = Math.floor(now / DAY_MS) * DAY_MS + (h * 60 + min) * 60_000;
  if (at <= now) return at;
  return at <= now + SKEW_MS ? now : at - DAY_MS;
}

/** The storage the store uses: localStorage in a page, any object with these three methods in a test. */
export type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const browserStore = (): Store | undefined => {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // storage blocked (privacy settings): the page works, it just forgets on reload
  }
};

const NAME = /^[A-Za-z_][A-Za-z0-9_ -]{0,63}$/;
/** A name that says it holds a secret (`DB_PASSWORD`, `API KEY`, `<SLACK TOKEN>`), whether or not the page marked it `secret: true`. */
const SECRET_NAME =
  /PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIAL|PASS(?:$|[_ -])|(?:^|[_ -])(?:PWD|COOKIES?|(?:API|PRIVATE|ACCESS|SIGNING)[_ -]?KEYS?)(?:$|[_ -])/i;
/** A value that carries a secret whatever its field's name: a URL with a password in it, a private key. */
const SECRET_VALUE = /[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:[^\s/@]+@|-----BEGIN [A-Z ]*PRIVATE KEY-----/i;

/**
 * Whether a value for `name` must never be kept: the name says secret, or the value is
 * one (pasted into a template field or a variable the page did not mark secret). The
 * last gate before storage, for every feature that keeps values, and for what is read back.
 */
export const secretLike = (name: string, value = '') => SECRET_NAME.test(name) || SECRET_VALUE.test(value);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function readJson(store: Store | undefined, key: string): unknown {
  try {
    return JSON.parse(store?.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}

function writeJson(store: Store | undefined, key: string, value: unknown): void {
  try {
    if (value === undefined) store?.removeItem(key);
    else store?.setItem(key, JSON.stringify(value));
  } catch {
    // Full or blocked storage: nothing to do but carry on.
  }
  if (typeof dispatchEvent === 'function') dispatchEvent(new CustomEvent(CHANGED));
}

/** The stored incident, or undefined when there is none or it is not one we wrote. */
export function readIncident(store: Store | undefined = browserStore()): Incident | undefined {
  const v = readJson(store, KEYS.incident);
  if (!isRecord(v) || typeof v.id !== 'string' || !finite(v.started) || !finite(v.opened)) return undefined;
  const values: Record<string, string> = {};
  if (isRecord(v.values))
    for (const [name, value] of Object.entries(v.values))
      if (NAME.test(name) && typeof value === 'string' && value.length <= MAX_VALUE && !secretLike(name, value))
        values[name] = value;
  const ticks: Record<string, string[]> = {};
  if (isRecord(v.ticks))
    for (const [path, keys] of Object.entries(v.ticks))
      if (path.startsWith('/') && Array.isArray(keys)) ticks[path] = keys.filter((k) => typeof k === 'string');
  return {
    id: v.id.slice(0, 64),
    started: v.started,
    opened: v.opened,
    operator: typeof v.operator === 'string' ? v.operator.slice(0, 100) : '',
    values,
    ticks,
  };
}

/** A new incident: the page fired at `started` (default now; never later than now, nor more than a day back). */
export function newIncident(started?: number, now = Date.now()): Incident {
  const at = finite(started) ? Math.min(now, Math.max(now - MAX_AGE_MS, started)) : now;
  return { id: now.toString(36), started: at, opened: now, operator: '', values: {}, ticks: {} };
}

/**
 * Changes the incident: `change` gets the current one (undefined when none) and returns
 * the new one, or undefined to clear it. Read, changed and written in one go, so two
 * features of a page never overwrite each other's part.
 */
export function updateIncident(
  change: (incident: Incident | undefined) => Incident | undefined,
  store: Store | undefined = browserStore(),
): Incident | undefined {
  const next = change(readIncident(store));
  writeJson(store, KEYS.incident, next);
  return next;
}

/** How far back an incident opened without a time reaches for the responder's first steps. */
export const LEAD_IN_MS = 30 * 60 * 1000;

/**
 * Starts an incident from when the page fired, keeping the open one's values, ticks and
 * log when there is one. Without a time (a value typed, a box ticked: the responder did
 * not say when the page fired), an open incident keeps its start, and a new one starts at
 * the responder's first step on the site in the last half hour (the shortlink they arrived
 * by, say), else now: whatever they did before they opened it is still on its timeline.
 */
export const startIncident = (started?: number, store: Store | undefined = browserStore(), now = Date.now()) =>
  updateIncident((old) => {
    if (!finite(started) && old) return old;
    const lead = readLog(store)
      .map((e) => Date.parse(e.ts))
      .filter((t) => Number.isFinite(t) && t <= now && now - t <= LEAD_IN_MS);
    const fresh = newIncident(finite(started) ? started : Math.min(now, ...lead), now);
    return old ? { ...old, started: fresh.started } : fresh;
  }, store)!;

/** Ends the incident on this device: its values, ticks and log are gone. */
export function clearIncident(store: Store | undefined = browserStore()): void {
  writeJson(store, KEYS.log, undefined);
  writeJson(store, KEYS.incident, undefined);
}

/** The value of `name` kept for the open incident, if any. */
export const keptValue = (name: string, store: Store | undefined = browserStore()) => readIncident(store)?.values[name];

/**
 * Keeps `value` for `name` in the open incident (an empty value forgets it). Callers pass
 * only fields that are not secret; a name or value that looks like one ({@link secretLike})
 * forgets the kept value instead. There is no incident to keep it in until one is open.
 */
export function keepValue(name: string, value: string, store: Store | undefined = browserStore()): void {
  if (!NAME.test(name) || value.length > MAX_VALUE) return;
  updateIncident((incident) => {
    if (!incident) return undefined;
    const values = { ...incident.values };
    if (value === '' || secretLike(name, value)) delete values[name];
    else values[name] = value;
    return { ...incident, values };
  }, store);
}

/** The log as stored: only lines that are entries the site wrote. */
export function readLog(store: Store | undefined = browserStore()): LogEntry[] {
  const v = readJson(store, KEYS.log);
  if (!Array.isArray(v)) return [];
  return v.filter(
    (e): e is LogEntry =>
      isRecord(e) &&
      typeof e.ts === 'string' &&
      typeof e.block === 'string' &&
      typeof e.safety === 'string' &&
      isRecord(e.site) &&
      typeof e.site.action === 'string',
  );
}

/**
 * Logs what the responder just did. Kept whether or not an incident is open, so an
 * incident opened late ("the page fired four minutes ago") still has its first minutes;
 * the timeline shows what happened since the page fired.
 */
export function logAction(
  entry: { slug: string; block?: string; safety?: string; site: SiteAction },
  store: Store | undefined = browserStore(),
  now = Date.now(),
): void {
  const incident = readIncident(store);
  const line: LogEntry = {
    ts: new Date(now).toISOString(),
    operator: incident?.operator ?? '',
    runbook: { slug: entry.slug, file: '' },
    block: entry.block ?? '',
    safety: entry.safety ?? '',
    incident: incident?.id ?? null,
    site: entry.site,
  };
  // A week is longer than any incident; older lines are not this incident's.
  const recent = readLog(store).filter((e) => now - Date.parse(e.ts) < 7 * 24 * 3600 * 1000);
  writeJson(store, KEYS.log, [...recent, line].slice(-MAX_LOG));
}

/** The open incident's timeline entries: what was logged since the page fired, with the incident's id and operator. */
export function incidentLog(store: Store | undefined = browserStore()): LogEntry[] {
  const incident = readIncident(store);
  if (!incident) return [];
  return readLog(store)
    .filter((e) => Date.parse(e.ts) >= incident.started)
    .map((e) => ({ ...e, incident: incident.id, operator: e.operator || incident.operator }));
}

/** `HH:MM` in UTC: how the site says when the page fired, everywhere (the form asks for it in UTC). */
export const utcHhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** The page's name as the CLI says it (`db-down`), from the head; the path when a page has none. */
export const pageName = (): string =>
  document.querySelector<HTMLMetaElement>('meta[name="runbooks:page"]')?.content ||
  location.pathname.replace(/^\/|\/$/g, '');
