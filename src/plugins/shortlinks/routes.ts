import { fileURLToPath } from 'node:url';
import type { HookParameters } from 'astro';

const page = (name: string) => fileURLToPath(new URL(`./pages/${name}`, import.meta.url));

/** `/r/<slug>` pages, their index, and the same links for hosts (`_redirects`) and tools (`shortlinks.json`). */
export function injectShortlinkRoutes(injectRoute: HookParameters<'astro:config:setup'>['injectRoute']): void {
  injectRoute({ pattern: '/r', entrypoint: page('shortlinks-index.astro') });
  injectRoute({ pattern: '/r/[slug]', entrypoint: page('shortlink.astro') });
  injectRoute({ pattern: '/_redirects', entrypoint: page('redirects.ts') });
  injectRoute({ pattern: '/shortlinks.json', entrypoint: page('shortlinks-json.ts') });
}
