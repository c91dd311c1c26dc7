import { fileURLToPath } from 'node:url';
import type { HookParameters } from 'astro';

const page = (name: string) => fileURLToPath(new URL(`./pages/${name}`, import.meta.url));

/** Every finding names a rule; every rule has a page on the site (`/rules/`, `/rules/<id>/`). */
export function injectRulePages(injectRoute: HookParameters<'astro:config:setup'>['injectRoute']): void {
  injectRoute({ pattern: '/rules', entrypoint: page('rules-index.astro') });
  injectRoute({ pattern: '/rules/[id]', entrypoint: page('rule.astro') });
}
