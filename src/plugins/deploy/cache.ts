/**
 * How long a browser and a CDN may keep each file of the built site, the one decision
 * `_headers` and the nginx configuration both write. A file whose name changes with its
 * content is kept for a year and never revalidated; everything else (the HTML pages, the
 * service worker `sw.js`, the unhashed JSON indexes, redirects) is revalidated on every
 * use, so a redeploy reaches readers at once: a browser that kept an old sw.js or an old
 * quickjump.json beside new pages would mix two builds.
 */

/** A year, immutable: for names that change with the content. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Kept, but revalidated (a 304 when unchanged) before every use. */
export const REVALIDATE = 'no-cache';

/**
 * Files named by their content's hash, as paths relative to the site root: Vite's
 * `_astro/` bundle; Pagefind's index, fragment and filter chunks and its `.pf_meta`
 * (`pagefind.en_89831a341a.pf_meta`; pagefind.js, pagefind-entry.json and the wasm
 * keep one name, so they are not); the offline manifest (`offline-manifest.<hash>.json`).
 */
const HASHED = [
  /^_astro\//,
  /^pagefind\/(index|fragment|filter)\//,
  /^pagefind\/[^/]+\.pf_meta$/,
  /^offline-manifest\.[0-9a-f]+\.json$/,
];

/** Whether a file of the built site (path relative to its root) is named by its content's hash. */
export const isHashed = (path: string) => HASHED.some((re) => re.test(path));

/** The folders below which every file is hashed, relative to the site root. */
export const HASHED_FOLDERS = ['_astro', 'pagefind/index', 'pagefind/fragment', 'pagefind/filter'];

/**
 * The configuration files of the hosts, written into the site's folder: never pages.
 * nginx refuses to serve them; Netlify and Cloudflare Pages never serve `_headers` and
 * `_redirects`.
 */
export const HOST_FILES = ['_headers', '_redirects', '_nginx.conf'];
