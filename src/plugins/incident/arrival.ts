/**
 * Pages opened via a shortlink, for the incident log. The /r/<slug> page
 * (shortlinks/redirect-page.ts) leaves a note in this tab's sessionStorage before it
 * moves on: which shortlink, to which page, when. The page it lands on reads the note
 * once (boot.ts) and logs `opened via /r/<slug>`. A note, not a query or marker in the
 * address: the address the responder sees, bookmarks and pastes stays the one published.
 */

/** A note older than this is not about the page now loading (the redirect is immediate). */
export const ARRIVAL_MAX_MS = 60_000;

/** A page path as compared: decoded, without `index.html` or a trailing slash. */
function samePath(path: string): string {
  let p = path.split('#')[0].split('?')[0];
  try {
    p = decodeURI(p);
  } catch {
    // Not percent-encoding we can read: compare as written.
  }
  return p.replace(/index\.html$/, '').replace(/\/+$/, '');
}

/**
 * The shortlink that opened the page at `pathname`, from the note `raw` (the shortlink
 * page's JSON), or undefined when the note is missing, malformed, stale or about another page.
 */
export function arrivedVia(raw: string | null, pathname: string, now: number): string | undefined {
  let note: unknown;
  try {
    note = JSON.parse(raw ?? 'null');
  } catch {
    return undefined;
  }
  if (typeof note !== 'object' || note === null) return undefined;
  const { via, to, at } = note as Record<string, unknown>;
  // The shape of a published shortlink (runbook/patterns.ts SLUG), read back from storage.
  if (typeof via !== 'string' || !/^\/r\/[a-z0-9][a-z0-9-]{0,62}$/.test(via)) return undefined;
  if (typeof to !== 'string' || typeof at !== 'number' || !(now - at >= 0 && now - at <= ARRIVAL_MAX_MS))
    return undefined;
  return samePath(to) === samePath(pathname) ? via : undefined;
}

/** The step the address points at (`#check-pool` → `check-pool`), or '' for the page itself. */
export function arrivedAt(hash: string): string {
  try {
    return decodeURIComponent(hash.replace(/^#/, '')).slice(0, 100);
  } catch {
    return '';
  }
}
