import { asWritten } from '../runbook/coerce.ts';
// Light (no zod): `runbook run` reads slugs through here too, the same way the rules do.

/** One `shortlinks:` entry as written: a slug, or `{ slug, anchor }`, or `{ slug, url }`. */
export interface ShortlinkEntry {
  slug: unknown;
  anchor?: unknown;
  url?: unknown;
  /** Frontmatter path of the slug, for positions. */
  path: (string | number)[];
}

/** Shortlink entries normalised to `{ slug, anchor }` with their frontmatter path. */
export function shortlinkEntries(data: Readonly<Record<string, unknown>>): ShortlinkEntry[] {
  const list = data.shortlinks;
  if (!Array.isArray(list)) return [];
  return list.map((item, i) =>
    item && typeof item === 'object'
      ? {
          slug: asWritten((item as { slug?: unknown }).slug),
          anchor: asWritten((item as { anchor?: unknown }).anchor),
          url: asWritten((item as { url?: unknown }).url),
          path: ['shortlinks', i, 'slug'],
        }
      : { slug: asWritten(item), path: ['shortlinks', i] },
  );
}

export { SLUG } from '../runbook/patterns.ts';

/** Slugs that can never be shortlinks: they would shadow the site's own routes. */
export const BUILTIN_RESERVED_SLUGS = [
  'r',
  'api',
  'rules',
  'slos',
  'runbooks',
  'shortlinks',
  'search',
  'assets',
  '_astro',
  'pagefind',
  'index',
  'new',
  '404',
];

/** Every slug nobody may claim: the built-in ones and the project's. */
export const reservedSlugs = (extra: readonly string[]) => new Set([...BUILTIN_RESERVED_SLUGS, ...extra]);

/**
 * Why an external destination is refused, or undefined when it is allowed: only
 * https URLs to hosts on the allow-list; never `//host`, `javascript:` or `data:`.
 */
export function externalProblem(url: string, allowHosts: readonly string[]): string | undefined {
  if (/^\/\//.test(url)) return 'a protocol-relative URL (`//host`) can lead anywhere';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'it is not an absolute URL';
  }
  if (parsed.protocol !== 'https:')
    return `\`${parsed.protocol}\` URLs are never allowed; use an https URL (allowHosts cannot change this)`;
  if (!allowHosts.includes(parsed.hostname)) return `${parsed.hostname} is not on the allow-list`;
  // What is published is the URL as the URL parser writes it: anything it would drop or
  // rewrite (a newline, a tab, a space, a quote) must not be in the file in the first place.
  if (parsed.href !== url)
    return `it is written differently from how it is published (${JSON.stringify(parsed.href)}); write exactly that`;
  // What the URL parser keeps but _redirects and an HTML attribute cannot carry as written
  // (an apostrophe in the path or fragment): refused here, or the redirect would be left out.
  const unsafe = [...url].find((ch) => !SAFE_TARGET.test(ch));
  if (unsafe !== undefined)
    return `it holds ${JSON.stringify(unsafe)}, which _redirects and the site's HTML cannot carry as written; write it percent-encoded (${[...new TextEncoder().encode(unsafe)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')})`;
  return undefined;
}

/** A destination that is safe to write into `_redirects`, an HTML attribute and JSON as it is: no whitespace, controls, quotes or angle brackets. */
export const SAFE_TARGET = /^[^\s\x00-\x1f\x7f"'<>\\`]+$/;

/**
 * The slugs that lead to the page itself, in frontmatter order (not `{ slug, url }`
 * entries, which lead off-site): the first is the name the CLI and transcripts use.
 */
export function ownSlugs(data: Readonly<Record<string, unknown>>): { slug: string; anchor?: string }[] {
  return shortlinkEntries(data).flatMap((e) =>
    typeof e.slug === 'string' && e.slug && e.url === undefined
      ? [{ slug: e.slug, anchor: typeof e.anchor === 'string' && e.anchor ? e.anchor.replace(/^#/, '') : undefined }]
      : [],
  );
}
