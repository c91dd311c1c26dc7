import type { Diagnostic } from '../runbook/diagnostic.ts';
import { ANNOTATIONS_PER_KIND, workflowData, workflowProperty } from '../encode/github.ts';
import { markdownCode, markdownText } from '../encode/markdown.ts';
import { forTerminal } from '../encode/terminal.ts';
import { toJsonText } from '../encode/json.ts';

/** The output formats of `runbook check`. */
export const FORMATS = ['pretty', 'github', 'json', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

/** Everything a reporter gets: the findings and how many files were checked. */
export interface Report {
  diagnostics: Diagnostic[];
  files: number;
  /** When a findings baseline is in use: what it accepted and what no longer occurs (see check/baseline.ts). */
  baseline?: { file: string; accepted: number; fixed: number; summary: string };
}

/** Findings shown per file in the pretty report: past this a file is broken wholesale, and the rest would only bury the others. */
const PER_FILE = 200;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Human output: grouped by file, `line:col  severity  message  rule`, then the hint. */
export function pretty(report: Report, color = false): string {
  const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  // Paths, messages and hints quote the runbook: shown, never obeyed.
  const shown = (text: string) => forTerminal(text, { oneLine: true, color });
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of report.diagnostics) {
    const list = byFile.get(d.file);
    if (list) list.push(d);
    else byFile.set(d.file, [d]);
  }
  const lines: string[] = [];
  for (const [file, list] of byFile) {
    lines.push(paint(4, shown(file)));
    for (const d of list.slice(0, PER_FILE)) {
      const sev = d.severity === 'error' ? paint(31, 'error  ') : paint(33, 'warning');
      lines.push(`  ${shown(file)}:${d.line}:${d.column}  ${sev}  ${shown(d.message)}  ${paint(2, d.ruleId)}`);
      lines.push(`    ${paint(2, 'hint:')} ${shown(d.hint)}`);
    }
    if (list.length > PER_FILE)
      lines.push(`  … and ${list.length - PER_FILE} more in ${shown(file)} (every one is in --format json)`);
    lines.push('');
  }
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = report.diagnostics.length - errors;
  const summary = `${plural(report.files, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  lines.push(errors ? paint(31, `✖ ${summary}`) : warnings ? paint(33, `⚠ ${summary}`) : paint(32, `✔ ${summary}`));
  if (report.baseline) lines.push(paint(2, `  (${shown(report.baseline.summary)})`));
  return lines.join('\n');
}

/** GitHub Actions workflow commands: the first {@link ANNOTATIONS_PER_KIND} errors and warnings as annotations (errors first), then a notice that points to the full report. */
export function github(report: Report): string {
  const lines: string[] = [];
  const shown = { error: 0, warning: 0 };
  for (const d of [...report.diagnostics].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1,
  )) {
    if (shown[d.severity] >= ANNOTATIONS_PER_KIND) continue;
    shown[d.severity]++;
    const props = `file=${workflowProperty(d.file)},line=${d.line},col=${d.column},title=${workflowProperty(d.ruleId)}`;
    lines.push(`::${d.severity} ${props}::${workflowData(`${d.message}. Hint: ${d.hint}`)}`);
  }
  const hidden = report.diagnostics.length - shown.error - shown.warning;
  if (hidden > 0)
    lines.push(
      `::notice::${workflowData(`${hidden} more finding${hidden === 1 ? '' : 's'} than GitHub shows as annotations: every one is in the job summary (npx runbook check writes it to $GITHUB_STEP_SUMMARY) and in npx runbook check --format json.`)}`,
    );
  if (report.baseline)
    lines.push(`::notice file=${workflowProperty(report.baseline.file)}::${workflowData(report.baseline.summary)}`);
  return lines.join('\n');
}

/** Every finding as a Markdown table, for a job summary or a PR comment. */
export function markdown(report: Report): string {
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  const out = [
    `### runbook check: ${plural(report.files, 'file')}, ${plural(errors, 'error')}, ${plural(report.diagnostics.length - errors, 'warning')}`,
    '',
  ];
  if (report.diagnostics.length > 0) {
    out.push('| where | | rule | finding | hint |', '| --- | --- | --- | --- | --- |');
    for (const d of report.diagnostics)
      out.push(
        `| ${markdownCode(`${d.file}:${d.line}:${d.column}`, { table: true })} | ${d.severity === 'error' ? '✖ error' : '⚠ warning'} | \`${d.ruleId}\` | ${markdownText(d.message)} | ${markdownText(d.hint)} |`,
      );
  } else out.push('No findings.');
  if (report.baseline) out.push('', `_${markdownText(report.baseline.summary)}_`);
  return out.join('\n');
}

/**
 * Stable JSON (version 1): `{ version, summary: { files, errors, warnings },
 * diagnostics: [{ file, line, column, ruleId, severity, message, hint }] }`.
 */
export function json(report: Report): string {
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  return toJsonText(
    {
      version: 1,
      summary: { files: report.files, errors, warnings: report.diagnostics.length - errors },
      diagnostics: report.diagnostics.map(({ file, line, column, ruleId, severity, message, hint }) => ({
        file,
        line,
        column,
        ruleId,
        severity,
        message,
        hint,
      })),
      ...(report.baseline
        ? { baseline: { file: report.baseline.file, accepted: report.baseline.accepted, fixed: report.baseline.fixed } }
        : {}),
    },
    2,
  );
}

/** Renders a report in `format`. */
export function render(format: Format, report: Report, color = false): string {
  return format === 'github'
    ? github(report)
    : format === 'json'
      ? json(report)
      : format === 'markdown'
        ? markdown(report)
        : pretty(report, color);
}
