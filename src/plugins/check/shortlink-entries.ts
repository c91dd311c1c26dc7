import type { RunbookFacts } from './collect.ts';

// Apart from the shortlink rules (which load zod through their neighbours), so the
// CLI's `runbook run` reads slugs the same way without paying for the rule table.

/** One `shortlinks:` entry as written: a slug, or `{ slug, anchor }`, or `{ slug, url }`. */
export interface ShortlinkEntry {
  slug: unknown;
  anchor?: unknown;
  url?: unknown;
  /** Frontmatter path of the slug, for positions. */
  path: (string | number)[];
}

/** Shortlink entries normalised to `{ slug, anchor }` with their frontmatter path. */
export function shortlinkEntries(f: RunbookFacts): ShortlinkEntry[] {
  const list = f.frontmatter.data.shortlinks;
  if (!Array.isArray(list)) return [];
  return list.map((item, i) =>
    item && typeof item === 'object'
      ? { slug: (item as { slug?: unknown }).slug, anchor: (item as { anchor?: unknown }).anchor, url: (item as { url?: unknown }).url, path: ['shortlinks', i, 'slug'] }
      : { slug: item, path: ['shortlinks', i] },
  );
}

