/**
 * The names the incident is kept under, in a module of their own: boot.ts, which every page
 * loads first, checks for an open incident and a shortlink's note with these alone, without
 * pulling the store (store.ts) into every page.
 */

/** The storage keys; one place, so clearing cannot miss one. */
export const KEYS = { incident: 'rb-incident', log: 'rb-incident-log' } as const;
/** The event dispatched on `window` after this tab changed the incident or its log. */
export const CHANGED = 'rb-incident-change';
/**
 * The sessionStorage key of the shortlink page's note (arrival.ts); the /r/ page's inline
 * script (shortlinks/redirect-page.ts) and the offline worker's /r/ page (build.ts) get it from here.
 */
export const ARRIVAL_KEY = 'rb-via-shortlink';
