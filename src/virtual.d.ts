declare module 'virtual:runbooks/ladder' {
  import type { SeverityLevel } from './plugins/severity/ladder.ts';
  /** The project's severity ladder, as loaded at config time. */
  const ladder: { levels: SeverityLevel[]; extraColumns: string[]; page: string };
  export default ladder;
}

declare module 'virtual:runbooks/project' {
  import type { ProjectConfig } from './plugins/runbook/config.ts';
  /** The project root (absolute), the deployed origin (may be empty) and runbooks.config.yaml. */
  const project: { root: string; site: string; config: ProjectConfig };
  export default project;
}

declare module 'virtual:runbooks/coverage' {
  import type { CoverageReport } from './plugins/coverage/coverage.ts';
  /** Coverage of the site being built, computed once per build from the gate's facts (coverage/routes.ts). */
  const report: CoverageReport;
  export default report;
}
