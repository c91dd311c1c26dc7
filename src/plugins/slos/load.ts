import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { placeYamlError } from '../runbook/yaml-errors.ts';
import type { Diagnostic } from '../runbook/diagnostic.ts';
import { LADDER_FILE, readRepoFile, refusedFile, RepoPathError, SLO_DIR } from '../runbook/paths.ts';
import { didYouMean } from '../runbook/did-you-mean.ts';
import { LadderError, loadSeverityLadder } from '../severity/ladder.ts';
import { SLO_ID, SOURCE_TYPES, WINDOW_PLACEHOLDER, sloFileSchema, type Slo } from './schema.ts';
import { ALIAS_BOMB, documentData, keyNodeAt, nodeAt } from '../runbook/yaml-node.ts';

/** The rule id every SLO file finding carries. */
export const SLO_RULE_ID = 'slo-invalid';

/** What the loader returns: the valid SLOs (sorted by id) and a finding per problem. */
export interface LoadedSlos {
  slos: Slo[];
  diagnostics: Diagnostic[];
}

/** The part of a ladder the loader needs: both the loaded ladder and the pages' virtual module fit. */
export interface LadderIds {
  levels: readonly { id: string }[];
}

/** The default fix for each field, shown under the finding. */
const HINTS: Record<string, string> = {
  service: 'Name the service in lower-case letters, digits and dashes, e.g. `service: platform-api`.',
  description: 'Say in one sentence what share of what is good.',
  objective: 'Write the objective in percent, above 0 and below 100, e.g. `objective: 99.9`.',
  window: 'Write the window as a whole number and a unit (m, h, d, w), e.g. `window: 28d`.',
  long: 'Write the window as a whole number and a unit (m, h, d, w), e.g. `long: 1h`.',
  short: "The short window is the long one's confirmation, e.g. `long: 1h, short: 5m`.",
  burn_rate: 'A burn rate is how many times faster than allowed the budget burns, e.g. `burn_rate: 14.4`.',
  owner: 'Write the owner as a quoted handle, e.g. `owner: "@platform-team"`.',
  good: 'Give the query that counts good events; write its range as `[{{window}}]`.',
  total: 'Give the query that counts all events; write its range as `[{{window}}]`.',
  threshold: 'Write the latency bound with its unit, e.g. `threshold: 300ms`.',
  percentile: 'Write the percentile as a number, e.g. `percentile: 99`.',
};
const SHAPE_HINT =
  'See "SLOs" in the README: service, description, objective, window, indicator { source, ratio { good, total } }, owner, alerts.';

const describeValue = (v: unknown) =>
  Array.isArray(v)
    ? 'a list'
    : v === null
      ? 'empty'
      : typeof v === 'object'
        ? 'a mapping'
        : `${typeof v} ${JSON.stringify(v)}`;
const TYPE_NAMES: Record<string, string> = { string: 'text', number: 'a number', object: 'a mapping', array: 'a list' };
const dotted = (path: readonly PropertyKey[]) =>
  path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i > 0 ? '.' : ''}${String(k)}`)).join('');

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** Keys each mapping of the file accepts, for did-you-mean on unknown keys. */
const KNOWN_KEYS: Record<string, string[]> = {
  '': ['service', 'description', 'objective', 'window', 'indicator', 'owner', 'alerts'],
  indicator: ['source', 'ratio', 'threshold', 'percentile'],
  'indicator.ratio': ['good', 'total'],
  alert: ['burn_rate', 'long', 'short', 'severity'],
};

/**
 * Validates one SLO file's text. `id` is its file name without the extension;
 * `ladder`, when given, is what alert severities are checked against. Every problem
 * is a finding at the exact value (or key) it is about; nothing throws.
 */
export function parseSlo(
  text: string,
  file: string,
  id: string,
  ladder?: LadderIds,
): { slo?: Slo; diagnostics: Diagnostic[] } {
  const out: Diagnostic[] = [];
  const lineCounter = new LineCounter();
  const report = (offset: number | undefined, message: string, hint: string) => {
    const { line, col } = offset === undefined ? { line: 1, col: 1 } : lineCounter.linePos(offset);
    out.push({ file, line, column: col, ruleId: SLO_RULE_ID, severity: 'error', message, hint });
  };
  if (!SLO_ID.test(id)) {
    report(
      undefined,
      `SLO id "${id}" (the file name) is not lower-case letters, digits and dashes of at most 59 characters`,
      'Rename the file, e.g. `api-availability.yaml`: the id names its page and the OpenSLO and Sloth objects.',
    );
  }
  if (text.trim() === '') {
    report(undefined, 'The SLO file is empty', SHAPE_HINT);
    return { diagnostics: out };
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors.map((error) => placeYamlError(doc, error)))
      report(e.offset, `The SLO file is not valid YAML: ${e.message}`, 'Fix the YAML syntax at the place shown.');
    return { diagnostics: out };
  }
  const read = documentData(doc);
  if (!read) {
    report(undefined, `The SLO file: ${ALIAS_BOMB}`, 'Write the values out; use anchors only for small shared values.');
    return { diagnostics: out };
  }
  const data = read.data;
  const ids = ladder?.levels.map((l) => l.id);
  const result = sloFileSchema(ids).safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path;
      const name = dotted(path);
      const field = String([...path].reverse().find((k) => typeof k === 'string') ?? '');
      if (issue.code === 'unrecognized_keys') {
        const parent = path.length === 0 ? '' : typeof path.at(-1) === 'number' ? 'alert' : path.join('.');
        for (const key of issue.keys) {
          const guess = didYouMean(key, KNOWN_KEYS[parent] ?? []);
          report(
            keyNodeAt(doc.contents, path, key)?.range?.[0],
            `Unknown key \`${key}\`${name ? ` in \`${name}\`` : ''}${guess ? `; did you mean \`${guess}\`?` : ''}`,
            guess
              ? `Rename it to \`${guess}\`.`
              : `Remove it; ${name || 'an SLO file'} takes ${(KNOWN_KEYS[parent] ?? []).join(', ')}.`,
          );
        }
        continue;
      }
      const offset = nodeAt(doc.contents, path)?.range?.[0];
      const got = valueAt(data, path);
      if (issue.code === 'invalid_type') {
        if (path.length === 0)
          report(offset, `An SLO file is a mapping of fields, not ${describeValue(data)}`, SHAPE_HINT);
        else if (got === undefined) report(offset, `\`${name}\` is required`, HINTS[field] ?? SHAPE_HINT);
        else
          report(
            offset,
            `\`${name}\` must be ${TYPE_NAMES[issue.expected] ?? issue.expected}, not ${describeValue(got)}`,
            HINTS[field] ?? SHAPE_HINT,
          );
      } else if (issue.code === 'invalid_value' && field === 'source') {
        const guess = typeof got === 'string' ? didYouMean(got, Object.keys(SOURCE_TYPES)) : undefined;
        report(
          offset,
          `Unknown indicator source ${JSON.stringify(got)}${guess ? `; did you mean "${guess}"?` : ''}`,
          `Use one of: ${Object.keys(SOURCE_TYPES).join(', ')} (default prometheus).`,
        );
      } else if (field === 'severity') {
        report(
          offset,
          `Alert severity ${JSON.stringify(got)} is not a level of the severity ladder`,
          `Use an id from ${LADDER_FILE}: ${(ids ?? []).join(', ')}.`,
        );
      } else {
        report(offset, `\`${name}\` ${JSON.stringify(got)} ${issue.message}`, HINTS[field] ?? SHAPE_HINT);
      }
    }
    // Zod reports in schema order; readers scan a file top to bottom.
    return { diagnostics: out.sort((a, b) => a.line - b.line || a.column - b.column) };
  }
  const slo: Slo = { ...result.data, id, file };
  // Prometheus queries must carry the window placeholder: Sloth evaluates them over
  // each of its alert windows, and a fixed range would give every window one answer.
  if (slo.indicator.source === 'prometheus') {
    // A fresh, non-global copy: `test` on the shared global pattern would carry lastIndex over.
    const placeholder = new RegExp(WINDOW_PLACEHOLDER.source);
    for (const key of ['good', 'total'] as const) {
      if (!placeholder.test(slo.indicator.ratio[key])) {
        report(
          nodeAt(doc.contents, ['indicator', 'ratio', key])?.range?.[0],
          `\`indicator.ratio.${key}\` has no {{window}} placeholder`,
          `Write the query's range as \`[{{window}}]\`, e.g. \`sum(rate(http_requests_total[{{window}}]))\`.`,
        );
      }
    }
  }
  return out.length > 0 ? { diagnostics: out } : { slo, diagnostics: out };
}

/** The ladder of a project, or none when it is broken (the ladder rule reports that). */
function projectLadder(root: string): LadderIds | undefined {
  try {
    return loadSeverityLadder(root);
  } catch (error) {
    if (error instanceof LadderError) return undefined;
    throw error;
  }
}

/**
 * Reads every `src/content/slos/*.yaml` (or `.yml`) of the project at `root`. The one
 * loader behind the `slo-invalid` rule, the SLO pages and the machine outputs, so the
 * site never publishes an SLO the check would reject. `ladder` defaults to the
 * project's own. A project without the folder simply has no SLOs.
 */
export function loadSlos(root: string, ladder: LadderIds | undefined = projectLadder(root)): LoadedSlos {
  let names: string[];
  try {
    names = readdirSync(join(root, SLO_DIR), { withFileTypes: true })
      // A link is read through the repository's door below: reported when it leads out, never skipped silently.
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && /\.ya?ml$/.test(e.name))
      .map((e) => e.name)
      .sort();
  } catch {
    return { slos: [], diagnostics: [] };
  }
  const slos: Slo[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const id = name.replace(/\.ya?ml$/, '');
    const file = `${SLO_DIR}/${name}`;
    const other = seen.get(id);
    if (other) {
      diagnostics.push({
        file,
        line: 1,
        column: 1,
        ruleId: SLO_RULE_ID,
        severity: 'error',
        message: `SLO id "${id}" is also defined by ${other}`,
        hint: 'Keep one file per SLO id; delete or rename one of them.',
      });
      continue;
    }
    seen.set(id, file);
    const bytes = readRepoFile(root, file);
    if (bytes instanceof RepoPathError) {
      diagnostics.push(refusedFile(file, bytes));
      continue;
    }
    const parsed = parseSlo(bytes.toString('utf8'), file, id, ladder);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.slo) slos.push(parsed.slo);
  }
  return { slos, diagnostics };
}
