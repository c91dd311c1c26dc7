/**
 * Alert rules in the repository: Prometheus rule files (`groups[].rules[]`, also as a
 * Kubernetes `PrometheusRule` with `spec.groups`), found by the `alerts.files` globs of
 * runbooks.config.yaml. Each alert's `annotations.runbook_url` is where on-call lands
 * when it fires; the check makes sure that is a page, anchor or `/r/` slug this site
 * publishes, and each runbook page lists the alerts that land on it.
 */
import { globSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { Diagnostic } from '../runbook/diagnostic.ts';
import { ALIAS_BOMB, documentData, nodeAt } from '../runbook/yaml-node.ts';
import { readRepoFile, refusedFile, RepoPathError } from '../runbook/paths.ts';
import { trimEnd } from '../runbook/text.ts';
import { asText } from '../runbook/coerce.ts';
import { placeYamlError } from '../runbook/yaml-errors.ts';

/** The rule id of a rule file that cannot be read. */
export const ALERT_FILE_RULE = 'alert-file-invalid';

/** One alerting rule. */
export interface AlertRule {
  /** Project-relative file, and the position of the rule's `alert:` key. */
  file: string;
  line: number;
  column: number;
  name: string;
  expr: string;
  /** Its `labels.severity`, when it has one. */
  severity?: string;
  /** The format of its file (`prometheus` when unset). */
  format?: 'prometheus' | 'grafana' | 'datadog';
  /** The service it watches (`labels.service`), when it says. */
  service?: string;
  /** Its `labels.team`, when it has one. */
  team?: string;
  runbookUrl?: string;
  /** Position of the `runbook_url` value. */
  urlLine?: number;
  urlColumn?: number;
}

/** The alerting rules of one file's text; anything unreadable is a finding, never a throw. */
export function parseAlertFile(source: string, file: string): { alerts: AlertRule[]; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const report = (offset: number | undefined, message: string, hint: string) => {
    const { line, col } = offset === undefined ? { line: 1, col: 1 } : lineCounter.linePos(offset);
    diagnostics.push({ file, line, column: col, ruleId: ALERT_FILE_RULE, severity: 'error', message, hint });
  };
  // A file may hold several documents (`---`), e.g. a list of PrometheusRule objects.
  const docs = parseAllDocuments(source, { lineCounter, prettyErrors: false, merge: true });
  const list = (Array.isArray(docs) ? docs : [docs]) as Document[];
  const alerts: AlertRule[] = [];
  for (const doc of list) {
    if (doc.errors.length > 0) {
      const e = placeYamlError(doc, doc.errors[0]);
      report(e.offset, `The alert rule file is not valid YAML: ${e.message}`, 'Fix the YAML syntax at the place shown.');
      continue;
    }
    const read = documentData(doc);
    if (!read) {
      report(undefined, `The alert rule file: ${ALIAS_BOMB}`, 'Write the values out.');
      continue;
    }
    const data = read.data as { groups?: unknown; spec?: { groups?: unknown } } | null;
    const base: PropertyKey[] = Array.isArray(data?.groups) ? ['groups'] : Array.isArray(data?.spec?.groups) ? ['spec', 'groups'] : [];
    if (base.length === 0) {
      if (data === null || data === undefined) continue;
      report(doc.range?.[0], 'The alert rule file has no `groups:` list (nor `spec.groups:` of a PrometheusRule)', 'Alert files hold Prometheus rule groups: `groups: [{ name, rules: [{ alert, expr, labels, annotations: { runbook_url } }] }]`.');
      continue;
    }
    const groups = (base.length === 1 ? data?.groups : data?.spec?.groups) as unknown[];
    groups.forEach((group, g) => {
      const rules = (group as { rules?: unknown })?.rules;
      if (!Array.isArray(rules)) return;
      rules.forEach((rule, r) => {
        const spec = (rule ?? {}) as { alert?: unknown; record?: unknown; expr?: unknown; labels?: { severity?: unknown; service?: unknown; team?: unknown }; annotations?: { runbook_url?: unknown } };
        const path = [...base, g, 'rules', r];
        if (spec.alert === undefined) return; // a recording rule
        const name = asText(spec.alert);
        const at = nodeAt(doc.contents, [...path, 'alert'])?.range?.[0];
        if (name === undefined) {
          report(at, 'An alerting rule\'s `alert:` is not a name', 'Write the alert name as text, e.g. `alert: DbDown`.');
          return;
        }
        const pos = at === undefined ? { line: 1, col: 1 } : lineCounter.linePos(at);
        const url = asText(spec.annotations?.runbook_url);
        const urlNode = nodeAt(doc.contents, [...path, 'annotations', 'runbook_url']);
        const urlPos = url !== undefined && urlNode?.range ? lineCounter.linePos(urlNode.range[0]) : undefined;
        alerts.push({
          file, line: pos.line, column: pos.col, name, expr: asText(spec.expr) ?? '', severity: asText(spec.labels?.severity), service: asText(spec.labels?.service), team: asText(spec.labels?.team),
          runbookUrl: url?.trim() === '' ? undefined : url, urlLine: urlPos?.line, urlColumn: urlPos?.col,
        });
      });
    });
  }
  return { alerts, diagnostics };
}

/** The project's alert rule files, by the config's globs, sorted. */
export function alertFiles(root: string, globs: readonly string[]): string[] {
  const files = new Set<string>();
  for (const pattern of globs) {
    for (const match of globSync(pattern, { cwd: root, exclude: (name) => name === 'node_modules' || name === '.git' })) files.add(relative(root, join(root, String(match))).split('\\').join('/'));
  }
  return [...files].sort();
}

const loaded = new Map<string, { key: string; result: { alerts: AlertRule[]; diagnostics: Diagnostic[] } }>();

/**
 * Every alert of the project, with the findings of files that cannot be read. Each page
 * of a build asks (its header card lists the alerts): the files are parsed again only
 * when one of them changed (list, size or mtime), not read on every call.
 */
export function loadAlerts(root: string, globs: readonly string[]): { alerts: AlertRule[]; diagnostics: Diagnostic[] } {
  const files = alertFiles(root, globs);
  const key = files.map((file) => {
    try {
      const st = statSync(join(root, file));
      return `${file}\0${st.size}\0${st.mtimeMs}`;
    } catch {
      return `${file}\0-`;
    }
  }).join('\0');
  const hit = loaded.get(root);
  if (hit && hit.key === key) return hit.result;
  const parts = files.map((file) => {
    // Through the repository's door: a link out of it is a finding, never a read.
    const bytes = readRepoFile(root, file);
    if (bytes instanceof RepoPathError) return { alerts: [], diagnostics: bytes.status === 'missing' ? [] : [refusedFile(file, bytes)] };
    return parseAlertFile(bytes.toString('utf8'), file);
  });
  const result = { alerts: parts.flatMap((p) => p.alerts), diagnostics: parts.flatMap((p) => p.diagnostics) };
  loaded.set(root, { key, result });
  return result;
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
  if (/\{\{|\{%/.test(url)) return { kind: 'template' };
  const base = site ? new URL(site) : new URL('https://this-site.invalid/');
  // The site may live under a path (`https://example.com/runbooks/`): its pages are below it.
  const prefix = trimEnd(base.pathname, '/');
  let parsed: URL;
  try {
    parsed = new URL(url, `${base.origin}${prefix}/`);
  } catch {
    return { kind: 'invalid', reason: 'is not a URL' };
  }
  // http and https of the site's host are the same site (a redirect away).
  if (parsed.host !== base.host || !/^https?:$/.test(parsed.protocol)) return { kind: 'external' };
  let path: string;
  let anchor: string | undefined;
  try {
    path = decodeURI(parsed.pathname);
    anchor = parsed.hash ? decodeURIComponent(parsed.hash.slice(1)) || undefined : undefined;
  } catch {
    return { kind: 'invalid', reason: 'has a malformed %-escape' };
  }
  if (prefix && path !== prefix && !path.startsWith(`${prefix}/`)) return { kind: 'invalid', reason: `is on the site's host but outside its path ${prefix}/` };
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
export function alertsLandingOn(root: string, config: { site?: string; alerts: { files: string[] } }, url: string, slugs: readonly string[]): LandedAlert[] {
  return loadAlerts(root, config.alerts.files).alerts
    .filter((a) => {
      if (a.runbookUrl === undefined) return false;
      const where = landing(a.runbookUrl, config.site);
      return (where.kind === 'page' && where.path === url) || (where.kind === 'shortlink' && slugs.includes(where.slug));
    })
    .map((a) => ({ name: a.name, severity: a.severity ?? null, expr: a.expr, source: `${a.file}:${a.line}` }));
}
