/**
 * The one finding shape shared by the build, `runbook check` and every reporter.
 * Lines and columns are 1-based, as editors and GitHub annotations count them.
 */
export interface Diagnostic {
  /** Path relative to the project root, with forward slashes. */
  file: string;
  line: number;
  column: number;
  /** Stable rule id, e.g. `severity-unknown`. */
  ruleId: string;
  severity: 'error' | 'warning';
  message: string;
  /** How to fix it, in one sentence. */
  hint: string;
}
