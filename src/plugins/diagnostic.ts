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

/** Formats one finding as `file:line:col  error  message  [rule]` plus its hint. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}  ${d.severity}  ${d.message}  [${d.ruleId}]\n    hint: ${d.hint}`;
}

/** Formats a list of findings as one report, grouped by file in the order found. */
export function formatReport(diagnostics: readonly Diagnostic[]): string {
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
  const parts: string[] = [];
  for (const [file, list] of byFile) {
    parts.push(file);
    for (const d of list) parts.push(`  ${d.line}:${d.column}  ${d.severity}  ${d.message}  [${d.ruleId}]\n      hint: ${d.hint}`);
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  parts.push(`${errors} error(s), ${diagnostics.length - errors} warning(s)`);
  return parts.join('\n');
}
