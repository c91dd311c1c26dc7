import { fileURLToPath } from 'node:url';
import type { HookParameters } from 'astro';

const page = (name: string) => fileURLToPath(new URL(`./pages/${name}`, import.meta.url));

/**
 * The `/r/` index and the same links for hosts (`_redirects`) and tools (`shortlinks.json`).
 * The `/r/<slug>` pages are Astro routes only in the dev server: a build writes them as
 * files after it is done (../redirect-page.ts), outside Astro's page pipeline.
 */
export function injectShortlinkRoutes(
  injectRoute: HookParameters<'astro:config:setup'>['injectRoute'],
  command: HookParameters<'astro:config:setup'>['command'],
): void {
  injectRoute({ pattern: '/r', entrypoint: page('shortlinks-index.astro') });
  if (command === 'dev') injectRoute({ pattern: '/r/[slug]', entrypoint: page('shortlink.ts') });
  injectRoute({ pattern: '/_redirects', entrypoint: page('redirects.ts') });
  injectRoute({ pattern: '/shortlinks.json', entrypoint: page('shortlinks-json.ts') });
}
