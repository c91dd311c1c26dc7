import type { HookParameters } from 'astro';

/** Adds the SLO pages and machine outputs to the site (filled in by the SLO work). */
export function injectSloRoutes(_injectRoute: HookParameters<'astro:config:setup'>['injectRoute']): void {}
