/**
 * Astro's incremental static build for the runbook pages: a warm build copies a page
 * Astro rendered before, instead of rendering it again, when its code, its own entry and
 * everything else it shows are unchanged. Astro checks the code (the page's modules) and
 * the content entries the page read; the rest is the `cacheKey` each path gives from
 * `getStaticPaths()`. Starlight's page route gives none, so a Vite `load` hook hands
 * Astro that route with one line changed: its paths get our key. With another Starlight
 * whose route does not read as expected, nothing is changed and every page renders.
 *
 * What a runbook page shows besides its own entry and code, all in the key:
 * - every page's frontmatter (the sidebar, the pagination and the shortlinks name other
 *   pages by their titles, order and drafts);
 * - the project's other files (alert files whose `runbook_url` lands on the page, the
 *   ladder, settings, SLOs): their paths, sizes and modification times;
 * - the build's date (the header card's review verdict is the build's).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONTENT_DIR } from '../runbook/paths.ts';
import { fingerprint } from '../check/replay.ts';

/** Starlight's prerendered page route, as Astro loads it. */
export const STARLIGHT_ROUTE = fileURLToPath(
  new URL('./routes/static/index.astro', import.meta.resolve('@astrojs/starlight')),
);

/** The module the changed route imports its keys from (run in the build's server code: light). */
const PAGE_KEYS = fileURLToPath(new URL('./page-keys.ts', import.meta.url));

/**
 * What a page shows that is neither its entry nor code: the project's files other than
 * its pages (as the check's replay fingerprints a tree: stats, and the bytes of files
 * changed in the last moments) and today's date (UTC). A change to any of them renders
 * every page again.
 */
export function buildKey(root: string, today = new Date()): string {
  root = root.replace(/\/+$/, '');
  const pages = `${root}/${CONTENT_DIR}/`;
  const isPage = (name: string) => name.startsWith(pages) && /\.mdx?$/.test(name);
  const { files, hashes } = fingerprint([root]);
  const hasher = createHash('sha256').update(today.toISOString().slice(0, 10));
  // A page is its entry: Astro checks it, and the key has every page's frontmatter.
  for (const line of files) if (!isPage(line.slice(0, line.indexOf('\0')))) hasher.update(`${line}\n`);
  for (const [path, digest] of hashes) if (!isPage(path)) hasher.update(`${path}\0${digest}\n`);
  return hasher.digest('hex');
}

/** The one line of Starlight's route this changes, and what it becomes. */
const FROM = 'return paths;';
const IMPORT = "import { paths } from '../../utils/routing';";

/**
 * Starlight's route source with a `cacheKey` on each path, or undefined when the source is
 * not the one this expects (then the route is left as it is).
 */
export function keyedRoute(source: string, key: string): string | undefined {
  if (source.split(FROM).length !== 2 || source.split(IMPORT).length !== 2) return undefined;
  return source
    .replace(
      IMPORT,
      `import { paths, routes } from '../../utils/routing';\nimport { withCacheKeys } from ${JSON.stringify(PAGE_KEYS)};`,
    )
    .replace(FROM, `return withCacheKeys(paths, routes, ${JSON.stringify(key)});`);
}

/** The Vite plugin that gives Starlight's route our keys (a build only; `root` is the project's). */
export function incrementalPages(root: string) {
  let key: string | undefined;
  return {
    name: 'runbooks:incremental-pages',
    enforce: 'pre' as const,
    load(id: string) {
      if (id !== STARLIGHT_ROUTE) return undefined;
      key ??= buildKey(root);
      return keyedRoute(readFileSync(id, 'utf8'), key);
    },
  };
}
