/**
 * A findings baseline: how a repository adopts the checker without fixing everything
 * first. `runbook check --update-baseline` writes today's findings to a committed file;
 * from then on `runbook check` and the build fail only on findings that are not in it,
 * report the baselined ones as a count, and say when some no longer occur so the file
 * can shrink. A finding is keyed by its rule, file, message (numbers left out) and the
 * text of its line, not by its line number: an edit elsewhere in the file keeps it.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../runbook/diagnostic.ts';
import { readRepoFile, refusedFile, RepoPathError } from '../runbook/paths.ts';
// Which findings a baseline may accept is the rule table's `baseline` column.
import { acceptable, diagnosticsOf } from './rules.ts';
import type { Report } from './reporters.ts';

export { BASELINE_FILE } from '../runbook/paths.ts';
import { BASELINE_FILE } from '../runbook/paths.ts';

/** One baselined finding: its key, and what it said when it was baselined (for people reading the file). */
export interface BaselineEntry {
  key: string;
  file: string;
  rule: string;
  message: string;
}

/** What applying a baseline left. */
export interface BaselineResult {
  /** Findings not in the baseline: these are reported and can fail. */
  fresh: Diagnostic[];
  /** How many findings the baseline accepted. */
  baselined: number;
  /** Baselined findings that no longer occur. */
  fixed: BaselineEntry[];
}

/** Reads lines of project files once per run. */
function lineReader(root: string): (file: string, line: number) => string {
  const files = new Map<string, string[]>();
  return (file, line) => {
    let lines = files.get(file);
    if (!lines) {
      // Through the repository's door: a finding on a link out of it never quotes the file it names.
      const bytes = readRepoFile(root, file);
      lines = bytes instanceof Error ? [] : bytes.toString('utf8').split(/\r?\n/);
      files.set(file, lines);
    }
    return lines[line - 1] ?? '';
  };
}

/**
 * The key of a finding: stable when other lines of its file move, or days pass ("213
 * days ago", "on line 12"); a number inside a name or path (`/db/db-2/`) is kept, so a
 * different target is a different finding.
 */
function keyOf(d: Diagnostic, line: string): string {
  const message = d.message.replace(/(?<![\w/.#:-])\d+(?![\w/.-])/g, '#');
  return createHash('sha256').update(`${d.ruleId}\0${d.file}\0${message}\0${line.trim()}`).digest('hex').slice(0, 20);
}

/** Writes the baseline of the acceptable `diagnostics` (sorted, so the file diffs well) and returns how many it holds. */
export function writeBaseline(root: string, diagnostics: readonly Diagnostic[]): number {
  const lineOf = lineReader(root);
  const entries: BaselineEntry[] = diagnostics
    .filter(acceptable)
    .map((d) => ({ key: keyOf(d, lineOf(d.file, d.line)), file: d.file, rule: d.ruleId, message: d.message }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.rule.localeCompare(b.rule) || a.key.localeCompare(b.key));
  const body = {
    version: 1,
    about:
      'Findings accepted when runbook check was adopted. runbook check and the build fail only on findings not listed here. Regenerate with: npx runbook check --update-baseline',
    findings: entries,
  };
  writeFileSync(join(root, BASELINE_FILE), `${JSON.stringify(body, null, 2)}\n`);
  return entries.length;
}

/** The baseline of the project at `root`: undefined when there is none, a finding when it cannot be read. */
export function readBaseline(root: string): BaselineEntry[] | undefined | Diagnostic {
  const bytes = readRepoFile(root, BASELINE_FILE);
  if (bytes instanceof RepoPathError && bytes.status === 'missing') return undefined;
  // A link out of the repository is neither read nor quoted (a JSON error would show its bytes).
  if (bytes instanceof RepoPathError) return refusedFile(BASELINE_FILE, bytes);
  const problem = (message: string): Diagnostic =>
    diagnosticsOf('config-invalid', [
      {
        file: BASELINE_FILE,
        line: 1,
        column: 1,
        message: `${BASELINE_FILE} ${message}`,
        hint: 'Regenerate it with `npx runbook check --update-baseline` (after fixing what you can), or delete it to see every finding.',
      },
    ])[0];
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return problem(`is not valid JSON (${(error as Error).message})`);
  }
  const findings = (data as { findings?: unknown })?.findings;
  if (!data || typeof data !== 'object' || (data as { version?: unknown }).version !== 1 || !Array.isArray(findings))
    return problem('is not a version 1 baseline with a `findings` list');
  const bad = findings.findIndex(
    (e) =>
      !e ||
      typeof e !== 'object' ||
      typeof e.key !== 'string' ||
      typeof e.file !== 'string' ||
      typeof e.rule !== 'string',
  );
  if (bad !== -1) return problem(`has an entry (#${bad + 1}) without key, file and rule`);
  return findings as BaselineEntry[];
}

/**
 * Splits `diagnostics` into those the baseline accepts and the fresh ones. Each entry
 * accepts one finding with its key, so a third copy of a baselined finding is fresh.
 * `inScope` limits which baselined entries can count as fixed (a check of some paths).
 */
export function applyBaseline(
  root: string,
  diagnostics: readonly Diagnostic[],
  baseline: readonly BaselineEntry[],
  inScope: (file: string) => boolean = () => true,
): BaselineResult {
  const lineOf = lineReader(root);
  const left = new Map<string, BaselineEntry[]>(); // file + rule + key → entries
  for (const entry of baseline) {
    const slot = `${entry.file}\0${entry.rule}\0${entry.key}`;
    left.set(slot, [...(left.get(slot) ?? []), entry]);
  }
  const fresh: Diagnostic[] = [];
  let baselined = 0;
  for (const d of diagnostics) {
    // An entry accepts only a finding of its own file and rule: what the baseline file says is what it accepts.
    const entries = acceptable(d) ? left.get(`${d.file}\0${d.ruleId}\0${keyOf(d, lineOf(d.file, d.line))}`) : undefined;
    if (entries && entries.length > 0) {
      entries.pop();
      baselined++;
    } else fresh.push(d);
  }
  const fixed = [...left.values()].flat().filter((e) => inScope(e.file));
  return { fresh, baselined, fixed };
}

/** The line a report ends with when a baseline is in use. */
export function baselineSummary(result: BaselineResult): string {
  const parts = [`${result.baselined} finding${result.baselined === 1 ? '' : 's'} accepted by ${BASELINE_FILE}`];
  if (result.fixed.length)
    parts.push(
      `${result.fixed.length} baselined finding${result.fixed.length === 1 ? ' no longer occurs' : 's no longer occur'}: run \`npx runbook check --update-baseline\` to shrink the baseline`,
    );
  return parts.join('; ');
}

/**
 * The findings a check reports under `baseline` (from {@link readBaseline}), and what the
 * report says of it: a broken baseline is one more finding; a baseline drops the findings
 * it accepts (in the files `inScope` keeps) and is summed up.
 */
export function withBaseline(
  root: string,
  diagnostics: Diagnostic[],
  baseline: BaselineEntry[] | undefined | Diagnostic,
  inScope: (file: string) => boolean,
): { diagnostics: Diagnostic[]; summary?: Report['baseline'] } {
  if (baseline && !Array.isArray(baseline)) return { diagnostics: [baseline, ...diagnostics] };
  if (!baseline) return { diagnostics };
  const result = applyBaseline(root, diagnostics, baseline, inScope);
  return {
    diagnostics: result.fresh,
    summary: {
      file: BASELINE_FILE,
      accepted: result.baselined,
      fixed: result.fixed.length,
      summary: baselineSummary(result),
    },
  };
}
