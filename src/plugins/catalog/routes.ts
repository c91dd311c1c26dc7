import { fileURLToPath } from 'node:url';
import type { HookParameters } from 'astro';

/** `/runbooks.json`: the catalog other tools read; `/runbooks/`: every page by folder, for people. */
export function injectCatalogRoutes(injectRoute: HookParameters<'astro:config:setup'>['injectRoute']): void {
  injectRoute({ pattern: '/runbooks', entrypoint: fileURLToPath(new URL('./pages/index.astro', import.meta.url)) });
  injectRoute({
    pattern: '/runbooks.json',
    entrypoint: fileURLToPath(new URL('./pages/catalog-json.ts', import.meta.url)),
  });
}
