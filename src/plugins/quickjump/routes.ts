import { fileURLToPath } from 'node:url';
import type { HookParameters } from 'astro';

/** `/quickjump.json`: the small prebuilt index the quick-jump dialog loads on first use (the offline service worker precaches this fixed path). */
export function injectQuickjumpRoutes(injectRoute: HookParameters<'astro:config:setup'>['injectRoute']): void {
  injectRoute({
    pattern: '/quickjump.json',
    entrypoint: fileURLToPath(new URL('./pages/quickjump-json.ts', import.meta.url)),
  });
}
