import { fileURLToPath } from 'node:url';
import type { HookParameters } from 'astro';

// Absolute entrypoints: the site's root is the user's project, not this package.
const page = (name: string) => fileURLToPath(new URL(`./pages/${name}`, import.meta.url));

/**
 * Adds the SLO pages and machine outputs to the site: `/slos/` and `/slos/<id>/` for
 * people, `/slos.yaml` (OpenSLO v1), `/slos.json` (the same documents) and
 * `/sloth/<service>.yaml` (Sloth prometheus/v1) for tools.
 */
export function injectSloRoutes(injectRoute: HookParameters<'astro:config:setup'>['injectRoute']): void {
  injectRoute({ pattern: '/slos', entrypoint: page('slos-index.astro') });
  injectRoute({ pattern: '/slos/[id]', entrypoint: page('slo.astro') });
  injectRoute({ pattern: '/slos.yaml', entrypoint: page('slos-yaml.ts') });
  injectRoute({ pattern: '/slos.json', entrypoint: page('slos-json.ts') });
  injectRoute({ pattern: '/sloth/[service].yaml', entrypoint: page('sloth-service.ts') });
}
