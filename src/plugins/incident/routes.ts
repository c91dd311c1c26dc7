import { fileURLToPath } from 'node:url';
import type { HookParameters } from 'astro';

/** `/incident/`: the incident log, what the responder did on the site, kept in the browser (client/log-page.ts). */
export function injectIncidentRoutes(injectRoute: HookParameters<'astro:config:setup'>['injectRoute']): void {
  injectRoute({ pattern: '/incident', entrypoint: fileURLToPath(new URL('./pages/incident.astro', import.meta.url)) });
}
