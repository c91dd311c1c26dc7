import { fileURLToPath } from 'node:url';
import type { HookParameters } from 'astro';

/**
 * The page the service worker (sw.js) shows, offline, for an address it has not saved: it says
 * so, instead of the 404 page's "may have moved". Not content: kept out of the sitemap and search.
 */
export const NOT_SAVED_PAGE = '/offline/not-saved/';

/** Adds the not-saved page (pages/not-saved.astro). */
export function injectOfflineRoutes(injectRoute: HookParameters<'astro:config:setup'>['injectRoute']): void {
  injectRoute({
    pattern: NOT_SAVED_PAGE.replace(/\/$/, ''),
    entrypoint: fileURLToPath(new URL('./pages/not-saved.astro', import.meta.url)),
  });
}
