/**
 * The cache key of each runbook page for Astro's incremental build, computed where
 * Starlight's route lists its paths (./incremental-pages.ts gives the route this). Runs
 * in the build's server code, so it imports nothing but a hash.
 */
import { createHash } from 'node:crypto';

/** What a Starlight route holds that a key reads. */
interface Route {
  id: string;
  entry: {
    id: string;
    digest?: string;
    data: unknown;
    rendered?: { metadata?: { runbookHtml?: unknown; runbookReads?: unknown } };
  };
}

/**
 * Starlight's paths (one per route, in the routes' order) with a cache key each: the build
 * key, every route's id and frontmatter, and the page's own entry, digest and rendering (the
 * name of its kept-apart HTML and what the rendering read elsewhere: ./rendered-apart.ts,
 * ./render-reads.ts; a page that is not a route can change what another renders). A path
 * whose entry has no digest gets none (it always renders).
 */
export function withCacheKeys<P extends object>(
  paths: readonly P[],
  routes: readonly Route[],
  key: string,
): (P & { cacheKey?: string })[] {
  if (paths.length !== routes.length) return [...paths];
  const site = createHash('sha256').update(key);
  for (const r of routes) site.update(`${r.id}\0${JSON.stringify(r.entry.data)}\n`);
  const all = site.digest('hex');
  return paths.map((p, i) => {
    const { entry } = routes[i];
    if (typeof entry.digest !== 'string') return p;
    const rendering = JSON.stringify([entry.rendered?.metadata?.runbookHtml, entry.rendered?.metadata?.runbookReads]);
    return {
      ...p,
      cacheKey: createHash('sha256').update(`${all}\0${entry.id}\0${entry.digest}\0${rendering}`).digest('hex'),
    };
  });
}
