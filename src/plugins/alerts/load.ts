/**
 * Alert rules in the repository, found by the `alerts.files` globs of runbooks.config.yaml:
 * Prometheus rule files (`groups[].rules[]`, also as a Kubernetes `PrometheusRule` with
 * `spec.groups`), Grafana alert-rule exports (grafana.ts) and Datadog monitors exported as
 * JSON (datadog.ts), each told by its shape, not its file name. Each alert's runbook link is
 * where on-call lands when it fires; the check makes sure that is a page, anchor or `/r/`
 * slug this site publishes, and each runbook page lists the alerts that land on it.
 */
import { isUtf8 } from 'node:buffer';
import { globSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { Diagnostic } from '../runbook/diagnostic.ts';
import { ALIAS_BOMB, documentData } from '../runbook/yaml-node.ts';
import { readRepoFile, refusedFile, RepoPathError } from '../runbook/paths.ts';
import { asText } from '../runbook/coerce.ts';
import { placeYamlError } from '../runbook/yaml-errors.ts';
import { hasNulBytes, placeOfBadByte } from '../runbook/utf8.ts';
import { ALERT_FILE_RULE, ALERT_FORMATS_HINT, type AlertDoc, type AlertRule, fieldsOf, isTemplate, offsetAt, onSiteHost, placeOf, siteBase, underPrefix } from './alert.ts';
import { isGrafanaExport, readGrafana } from './grafana.ts';
import { isDatadogExport, readDatadog } from './datadog.ts';

export { ALERT_FILE_RULE, type AlertFormat, type AlertRule } from './alert.ts';

/**
 * The alerting rules of one file's text; anything unreadable is a finding, never a throw.
 * `site` (runbooks.config.yaml) picks the runbook link among a Datadog message's links.
 */
export function parseAlertFile(source: string, file: string, site?: string): { alerts: AlertRule[]; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const report = (offset: number | undefined, message: string, hint = ALERT_FORMATS_HINT) => {
    const { line, col } = offset === undefined ? { line: 1, col: 1 } : lineCounter.linePos(offset);
    diagnostics.push({ file, line, column: col, ruleId: ALERT_FILE_RULE, severity: 'error', message, hint });
  };
  // JSON is YAML: one parser gives both their positions. A file may hold several documents
  // (`---`), e.g. a list of PrometheusRule objects.
  const docs = parseAllDocuments(source, { lineCounter, prettyErrors: false, merge: true });
  const list = (Array.isArray(docs) ? docs : [docs]) as Document[];
  const alerts: AlertRule[] = [];
  const language = /\.json$/i.test(file) ? 'JSON' : 'YAML';
  for (const doc of list) {
    if (doc.errors.length > 0) {
      const e = placeYamlError(doc, doc.errors[0]);
      report(e.offset, `The alert rule file is not valid ${language}: ${e.message}`, `Fix the ${language} syntax at the place shown.`);
      continue;
    }
    const read = documentData(doc);
    if (!read) {
      report(undefined, `The alert rule file: ${ALIAS_BOMB}`, 'Write the values out.');
      continue;
    }
    if (read.data === null || read.data === undefined) continue;
    const d: AlertDoc = { file, source, doc, data: read.data, lineCounter, site, report };
    if (isGrafanaExport(read.data)) alerts.push(...readGrafana(d));
    else if (isPrometheus(read.data)) alerts.push(...readPrometheus(d));
    else if (isDatadogExport(read.data)) alerts.push(...readDatadog(d));
    else report(doc.range?.[0], 'The alert rule file is none of the formats the check reads: no `groups:` list (Prometheus, Grafana), no `spec.groups:` (PrometheusRule), no Datadog monitor');
  }
  return { alerts, diagnostics };
}

/** Whether a document holds Prometheus rule groups, at the top or as a PrometheusRule's `spec`. */
const isPrometheus = (data: unknown) => Array.isArray(fieldsOf(data)?.groups) || Array.isArray(fieldsOf(fieldsOf(data)?.spec)?.groups);

/** The keys of a Prometheus rule group (rulefmt.RuleGroup): any other is a slip promtool refuses. */
const PROMETHEUS_GROUP_KEYS = new Set(['name', 'interval', 'limit', 'query_offset', 'labels', 'rules']);

/** The alerting rules of a Prometheus rule file (recording rules have no `alert:` and are left). */
function readPrometheus(d: AlertDoc): AlertRule[] {
  const data = d.data as { groups?: unknown; spec?: { groups?: unknown } };
  const base: PropertyKey[] = Array.isArray(data.groups) ? ['groups'] : ['spec', 'groups'];
  const groups = (base.length === 1 ? data.groups : data.spec?.groups) as unknown[];
  const alerts: AlertRule[] = [];
  groups.forEach((group, g) => {
    const fields = fieldsOf(group);
    const rules = fields?.rules;
    if (!Array.isArray(rules)) {
      // A group with no rules is valid; one whose rules are under a key promtool does not know is not, and would read as no alerts.
      if (fields === undefined || rules !== undefined || Object.keys(fields).some((k) => !PROMETHEUS_GROUP_KEYS.has(k)))
        d.report(offsetAt(d, [...base, g]), 'A Prometheus rule group has no `rules:` list', 'Each group lists its rules: `groups: [{ name, rules: [{ alert, expr, labels, annotations }] }]`.');
      return;
    }
    rules.forEach((rule, r) => {
      const path = [...base, g, 'rules', r];
      if (fieldsOf(rule) === undefined) {
        d.report(offsetAt(d, path), 'A Prometheus rule is not a mapping', 'Write each rule as `{ alert, expr, labels, annotations }` (or `{ record, expr }`).');
        return;
      }
      const spec = rule as { alert?: unknown; record?: unknown; expr?: unknown; labels?: Record<string, unknown>; annotations?: { runbook_url?: unknown } };
      if (spec.alert === undefined && spec.record === undefined) {
        d.report(offsetAt(d, path), 'A Prometheus rule has neither `alert:` nor `record:`', 'Name the alert with `alert:` (lower case), as promtool requires; a recording rule has `record:`.');
        return;
      }
      if (spec.alert === undefined) return; // a recording rule
      const name = asText(spec.alert);
      const at = offsetAt(d, [...path, 'alert']);
      if (name === undefined) {
        d.report(at, 'An alerting rule\'s `alert:` is not a name', 'Write the alert name as text, e.g. `alert: DbDown`.');
        return;
      }
      const pos = placeOf(d, at);
      const url = asText(spec.annotations?.runbook_url);
      const urlPos = url === undefined ? undefined : placeOf(d, offsetAt(d, [...path, 'annotations', 'runbook_url']));
      // A group's labels (Prometheus 3) apply to each of its rules; the rule's own win.
      const labels = { ...fieldsOf(fields?.labels), ...fieldsOf(spec.labels) };
      alerts.push({
        file: d.file, line: pos.line, column: pos.column, format: 'prometheus', name, expr: asText(spec.expr) ?? '',
        severity: asText(labels?.severity), service: asText(labels?.service), team: asText(labels?.team),
        runbookUrl: url?.trim() === '' ? undefined : url, urlLine: urlPos?.line, urlColumn: urlPos?.column,
      });
    });
  });
  return alerts;
}

/**
 * Why an alert file's bytes are not UTF-8 text, or undefined: read as UTF-8 anyway, a UTF-16
 * export (Windows PowerShell's `Out-File`) looked like none of the formats, and a Latin-1 byte
 * became a replacement mark without a word.
 */
function encodingProblem(bytes: Buffer, file: string): Diagnostic | undefined {
  const at = (place: { line: number; column: number }, message: string): Diagnostic => ({
    file, ...place, ruleId: ALERT_FILE_RULE, severity: 'error', message,
    hint: 'Save the file as UTF-8 (PowerShell: `Out-File -Encoding utf8`; else `iconv -f utf-16 -t utf-8` or `iconv -f latin1 -t utf-8`).',
  });
  if (hasNulBytes(bytes)) return at({ line: 1, column: 1 }, 'The alert rule file is not UTF-8 text: it holds NUL bytes (UTF-16, as Windows PowerShell writes it, or binary)');
  if (!isUtf8(bytes)) return at(placeOfBadByte(bytes), 'The alert rule file is not valid UTF-8 (first bad byte here)');
  return undefined;
}

/** The project's alert rule files, by the config's globs, sorted: a match out of the repository (absolute, or by `..`) keeps its way out, for the door to refuse with a finding. */
export function alertFiles(root: string, globs: readonly string[]): string[] {
  const files = new Set<string>();
  for (const pattern of globs) {
    for (const match of globSync(pattern, { cwd: root, exclude: (name) => name === 'node_modules' || name === '.git' })) files.add(relative(root, resolve(root, String(match))).split('\\').join('/'));
  }
  return [...files].sort();
}

const loaded = new Map<string, { key: string; result: { alerts: AlertRule[]; diagnostics: Diagnostic[] } }>();

/** What of the settings reading the alerts depends on: the globs, and the site that picks a Datadog message's runbook link. */
export interface AlertSettings {
  site?: string;
  alerts: { files: readonly string[] };
}

/**
 * Every alert of the project, with the findings of files that cannot be read. Each page
 * of a build asks (its header card lists the alerts): the files are parsed again only
 * when one of them changed (list, size or mtime), not read on every call. It takes the
 * settings whole, not the globs: the check, the coverage and the review of a change must
 * pick the same link of a Datadog message, and that needs `site`.
 */
export function loadAlerts(root: string, config: AlertSettings): { alerts: AlertRule[]; diagnostics: Diagnostic[] } {
  const site = config.site;
  const files = alertFiles(root, config.alerts.files);
  const key = `${site ?? ''}\0${files.map((file) => {
    try {
      const st = statSync(join(root, file));
      return `${file}\0${st.size}\0${st.mtimeMs}`;
    } catch {
      return `${file}\0-`;
    }
  }).join('\0')}`;
  const hit = loaded.get(root);
  if (hit && hit.key === key) return hit.result;
  const parts = files.map((file) => {
    // Through the repository's door: a link out of it is a finding, never a read.
    const bytes = readRepoFile(root, file);
    if (bytes instanceof RepoPathError) return { alerts: [], diagnostics: bytes.status === 'missing' ? [] : [refusedFile(file, bytes)] };
    const encoding = encodingProblem(bytes, file);
    if (encoding) return { alerts: [], diagnostics: [encoding] };
    return parseAlertFile(bytes.toString('utf8'), file, site);
  });
  const result = onceEach(parts.flatMap((p) => p.alerts), parts.flatMap((p) => p.diagnostics));
  loaded.set(root, { key, result });
  return result;
}

/** What the tool's own id is called, in a finding about a copy. */
const COPY = { grafana: 'Grafana alert rule uid', datadog: 'Datadog monitor id', prometheus: '' } as const;

/**
 * Each Grafana rule and Datadog monitor once: the same `uid` (`id`) again, in another export
 * or the same one, is a copy that would be counted twice; it is a finding at the copy and
 * left out. Prometheus alerts have no id (two rules may share a name and differ), so all stay.
 */
function onceEach(alerts: AlertRule[], diagnostics: Diagnostic[]): { alerts: AlertRule[]; diagnostics: Diagnostic[] } {
  const first = new Map<string, AlertRule>();
  const kept = alerts.filter((a) => {
    if (!a.uid?.trim() || a.format === 'prometheus') return true;
    const key = `${a.format}\0${a.uid}`;
    const seen = first.get(key);
    if (!seen) {
      first.set(key, a);
      return true;
    }
    diagnostics.push({
      file: a.file, line: a.line, column: a.column, ruleId: ALERT_FILE_RULE, severity: 'error',
      message: `The ${COPY[a.format]} ${a.uid} (${a.name}) is also at ${seen.file}:${seen.line}: the same alert exported twice would be counted twice`,
      hint: 'Keep one export of each alert: delete this copy, or the file that repeats it.',
    });
    return false;
  });
  return { alerts: kept, diagnostics };
}

/** Where an alert's `runbook_url` lands on this site. */
export type Landing =
  | { kind: 'page'; path: string; anchor?: string }
  | { kind: 'shortlink'; slug: string; anchor?: string }
  /** Another site's URL: not ours to check. */
  | { kind: 'external' }
  /** `{{ $labels.x }}` and the like: only Alertmanager knows where it leads. */
  | { kind: 'template' }
  | { kind: 'invalid'; reason: string };

/**
 * Reads a `runbook_url` against the site's origin (`site` in runbooks.config.yaml): a
 * URL on that origin, or a path, is a page (`/services/db/db-down/#step`) or a
 * shortlink (`/r/db-down`); anything on another origin is external.
 */
export function landing(url: string, site: string | undefined): Landing {
  if (isTemplate(url)) return { kind: 'template' };
  // The site may live under a path (`https://example.com/runbooks/`): its pages are below it.
  const { base, prefix } = siteBase(site);
  let parsed: URL;
  try {
    parsed = new URL(url, `${base.origin}${prefix}/`);
  } catch {
    return { kind: 'invalid', reason: 'is not a URL' };
  }
  // http and https of the site's host are the same site (a redirect away).
  if (!onSiteHost(parsed, base)) return { kind: 'external' };
  let path: string;
  let anchor: string | undefined;
  try {
    path = decodeURI(parsed.pathname);
    anchor = parsed.hash ? decodeURIComponent(parsed.hash.slice(1)) || undefined : undefined;
  } catch {
    return { kind: 'invalid', reason: 'has a malformed %-escape' };
  }
  if (!underPrefix(path, prefix)) return { kind: 'invalid', reason: `is on the site's host but outside its path ${prefix}/` };
  path = path.slice(prefix.length) || '/';
  const slug = /^\/r\/([^/]+)\/?$/.exec(path);
  if (slug) return { kind: 'shortlink', slug: slug[1], anchor };
  return { kind: 'page', path: path.endsWith('/') ? path : `${path}/`, anchor };
}

/** An alert as a runbook page and runbooks.json show it. */
export interface LandedAlert {
  name: string;
  severity: string | null;
  expr: string;
  /** Where it is defined: `alerts/db.yaml:12`. */
  source: string;
}

/**
 * The alerts whose `runbook_url` lands on the page at `url` (a site path such as
 * `/services/db/db-down/`), directly or through one of `slugs`, its own shortlinks.
 */
export function alertsLandingOn(root: string, config: AlertSettings, url: string, slugs: readonly string[]): LandedAlert[] {
  return loadAlerts(root, config).alerts
    .filter((a) => {
      if (a.runbookUrl === undefined) return false;
      const where = landing(a.runbookUrl, config.site);
      return (where.kind === 'page' && where.path === url) || (where.kind === 'shortlink' && slugs.includes(where.slug));
    })
    .map((a) => ({ name: a.name, severity: a.severity ?? null, expr: a.expr, source: `${a.file}:${a.line}` }));
}
