import { trimBoth, trimEnd } from '../runbook/text.ts';

/** A docs collection entry, as far as SLO pages and outputs read it. */
export interface CitingEntry {
  /** The page path: the glob loader's id already honours a frontmatter `slug`. */
  id: string;
  data: { title?: unknown; slos?: unknown; shortlinks?: unknown; owner?: unknown };
}

/** A runbook that cites an SLO. */
export interface RunbookRef {
  title: string;
  /** The page's site path, e.g. `/services/db/db-down/`. */
  url: string;
  owner?: string;
  /** The runbook's first shortlink slug: its `/r/` link is what alerts carry. */
  shortlink?: string;
}

/**
 * The page's site path. Built from the id alone: reading `data.slug` on an Astro entry
 * logs a deprecation error for every page that has none.
 */
const pageUrl = (entry: CitingEntry) =>
  entry.id === 'index' || entry.id === '' ? '/' : `/${trimBoth(entry.id, '/')}/`;

function firstShortlink(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  for (const item of value) {
    const slug =
      typeof item === 'string'
        ? item
        : item && typeof item === 'object'
          ? (item as { slug?: unknown }).slug
          : undefined;
    if (typeof slug === 'string' && slug) return slug;
  }
  return undefined;
}

/**
 * The runbooks citing each SLO id. Order matters, because the first one is the link an
 * alert carries: runbooks that list the SLO first (it is their main SLO) come before
 * those that list it further down, then by page path, so the choice is stable.
 */
export function citationsBySlo(entries: readonly CitingEntry[]): Map<string, RunbookRef[]> {
  const found = new Map<string, { rank: number; ref: RunbookRef }[]>();
  for (const entry of entries) {
    const slos = Array.isArray(entry.data.slos) ? entry.data.slos : [];
    const ref: RunbookRef = {
      title: typeof entry.data.title === 'string' ? entry.data.title : entry.id,
      url: pageUrl(entry),
      owner: typeof entry.data.owner === 'string' ? entry.data.owner : undefined,
      shortlink: firstShortlink(entry.data.shortlinks),
    };
    slos.forEach((id, rank) => {
      if (typeof id !== 'string') return;
      const list = found.get(id) ?? [];
      if (!list.some((c) => c.ref.url === ref.url)) list.push({ rank, ref });
      found.set(id, list);
    });
  }
  const out = new Map<string, RunbookRef[]>();
  for (const [id, list] of found) {
    out.set(
      id,
      list
        .sort((a, b) => a.rank - b.rank || (a.ref.url < b.ref.url ? -1 : a.ref.url > b.ref.url ? 1 : 0))
        .map((c) => c.ref),
    );
  }
  return out;
}

/**
 * The origin links are built on: the site (`https://…`, no trailing slash) plus the
 * base path. Empty when the site is unknown, so links stay site-relative (`/r/…`).
 */
export function siteOrigin(site: string, base = '/'): string {
  const origin = trimEnd(site, '/');
  return `${origin}${trimEnd(base, '/')}`;
}

/** The link tools get for a runbook: its `/r/<slug>/` shortlink, or its page when it has none. */
export function runbookLink(ref: RunbookRef, origin: string): string {
  return ref.shortlink ? `${origin}/r/${ref.shortlink}/` : `${origin}${ref.url}`;
}

/** The SLO's own page, which lists every runbook that cites it. */
export const sloPageLink = (id: string, origin: string) => `${origin}/slos/${id}/`;
