import type { Diagnostic } from '../runbook/diagnostic.ts';

/** The output formats of `runbook check`. */
export const FORMATS = ['pretty', 'github', 'json'] as const;
export type Format = (typeof FORMATS)[number];

/** Everything a reporter gets: the findings and how many files were checked. */
export interface Report {
  diagnostics: Diagnostic[];
  files: number;
  /** When a findings baseline is in use: what it accepted and what no longer occurs (see check/baseline.ts). */
  baseline?: { file: string; accepted: number; fixed: number; summary: string };
}

/** Findings shown per file: past this a file is broken wholesale, and the rest would only bury the others. */
const PER_FILE = 200;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Human output: grouped by file, `line:col  severity  message  rule`, then the hint. */
export function pretty(report: Report, color = false): string {
  const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of report.diagnostics) {
    const list = byFile.get(d.file);
    if (list) list.push(d);
    else byFile.set(d.file, [d]);
  }
  const lines: string[] = [];
  for (const [file, list] of byFile) {
    lines.push(paint(4, file));
    for (const d of list.slice(0, PER_FILE)) {
      const sev = d.severity === 'error' ? paint(31, 'error  ') : paint(33, 'warning');
      lines.push(`  ${file}:${d.line}:${d.column}  ${sev}  ${d.message}  ${paint(2, d.ruleId)}`);
      lines.push(`    ${paint(2, 'hint:')} ${d.hint}`);
    }
    if (list.length > PER_FILE) lines.push(`  … and ${list.length - PER_FILE} more in ${file} (every one is in --format json)`);
    lines.push('');
  }
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = report.diagnostics.length - errors;
  const summary = `${plural(report.files, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  lines.push(errors ? paint(31, `✖ ${summary}`) : warnings ? paint(33, `⚠ ${summary}`) : paint(32, `✔ ${summary}`));
  if (report.baseline) lines.push(paint(2, `  (${report.baseline.summary})`));
  return lines.join('\n');
}

/** Escapes workflow-command data and properties the way GitHub's toolkit does. */
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions workflow commands: one `::error`/`::warning` annotation per finding, at most {@link PER_FILE} per file and a notice for the rest. */
export function github(report: Report): string {
  const shown = new Map<string, number>();
  const lines: string[] = [];
  for (const d of report.diagnostics) {
    const n = (shown.get(d.file) ?? 0) + 1;
    shown.set(d.file, n);
    if (n > PER_FILE) continue;
    const props = `file=${escapeProperty(d.file)},line=${d.line},col=${d.column},title=${escapeProperty(d.ruleId)}`;
    lines.push(`::${d.severity} ${props}::${escapeData(`${d.message}. Hint: ${d.hint}`)}`);
  }
  for (const [file, n] of shown) if (n > PER_FILE) lines.push(`::notice file=${escapeProperty(file)}::${escapeData(`${n - PER_FILE} more findings in ${file}; run \`runbook check --format json\` for all of them.`)}`);
  if (report.baseline) lines.push(`::notice file=${escapeProperty(report.baseline.file)}::${escapeData(report.baseline.summary)}`);
  return lines.join('\n');
}

/**
 * Stable JSON (version 1): `{ version, summary: { files, errors, warnings },
 * diagnostics: [{ file, line, column, ruleId, severity, message, hint }] }`.
 */
export function json(report: Report): string {
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  return JSON.stringify(
    {
      version: 1,
      summary: { files: report.files, errors, warnings: report.diagnostics.length - errors },
      diagnostics: report.diagnostics.map(({ file, line, column, ruleId, severity, message, hint }) => ({ file, line, column, ruleId, severity, message, hint })),
      ...(report.baseline ? { baseline: { file: report.baseline.file, accepted: report.baseline.accepted, fixed: report.baseline.fixed } } : {}),
    },
    null,
    2,
  );
}

/** Renders a report in `format`. */
export function render(format: Format, report: Report, color = false): string {
  return format === 'github' ? github(report) : format === 'json' ? json(report) : pretty(report, color);
}
