import { fileURLToPath } from 'node:url';
import type { HookParameters } from 'astro';
import type { CoverageReport } from './coverage.ts';

/** The virtual module the /coverage/ page reads its report from (src/virtual.d.ts). */
export const COVERAGE_MODULE = 'virtual:runbooks/coverage';

/** `/coverage/`: which alerts, services and SLOs lead to a runbook, and each team's freshness, for people. */
export function injectCoverageRoutes(injectRoute: HookParameters<'astro:config:setup'>['injectRoute']): void {
  injectRoute({ pattern: '/coverage', entrypoint: fileURLToPath(new URL('./pages/coverage.astro', import.meta.url)) });
}

/**
 * The module's source: the report computed once per build, as data. JSON is a JavaScript
 * expression, so the page gets the report without computing it again.
 */
export const coverageModule = (report: CoverageReport): string => `export default ${JSON.stringify(report)};`;
