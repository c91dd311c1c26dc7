/**
 * One alert as the check and the coverage read it, whatever tool defined it: the shape the
 * readers of each format (Prometheus rule files in load.ts, Grafana exports in grafana.ts,
 * Datadog monitors in datadog.ts) fill in, and what they share to place a finding.
 */
import type { Document, LineCounter } from 'yaml';
import { nodeAt } from '../runbook/yaml-node.ts';
import { trimEnd } from '../runbook/text.ts';

/** The rule id of a rule file that cannot be read. */
export const ALERT_FILE_RULE = 'alert-file-invalid';

/** The tools whose alert definitions the check reads. */
export type AlertFormat = 'prometheus' | 'grafana' | 'datadog';

/** The three shapes an alert file may have, for the hint of a file that has none of them. */
export const ALERT_FORMATS_HINT =
  'An alert file is a Prometheus rule file (`groups: [{ name, rules: [{ alert, expr, annotations: { runbook_url } }] }]`, or a `PrometheusRule`), a Grafana alert-rule export (`apiVersion: 1` and `groups: [{ name, folder, rules: [{ uid, title, annotations: { runbook_url } }] }]`) or Datadog monitors exported as JSON (one monitor, a list, or `{ "monitors": [...] }`, each `{ name, query, message }`).';

/** One alerting rule. */
export interface AlertRule {
  /** Project-relative file, and the position of the rule's name (`alert:`, `title:` or `name:` value). */
  file: string;
  line: number;
  column: number;
  /** The tool that defined it. */
  format: AlertFormat;
  name: string;
  /** The tool's own id (Grafana `uid`, Datadog `id`): the same alert exported twice has the same one. */
  uid?: string;
  /** The query it fires on, as text: `expr`, a Grafana rule's condition query, a monitor's `query`; empty when none. */
  expr: string;
  /** Its `labels.severity` (Datadog: a `severity:` tag, else its priority as `P1`..`P5`), when it has one. */
  severity?: string;
  /** Its `labels.service` (Datadog: the `service:` tag). */
  service?: string;
  /** Its `labels.team` (Datadog: the `team:` tag). */
  team?: string;
  /** Where on-call lands: `annotations.runbook_url`, or the link a Datadog monitor's message gives. */
  runbookUrl?: string;
  /** Position of the `runbook_url` value (of the link itself in a Datadog message). */
  urlLine?: number;
  urlColumn?: number;
}

/** One parsed document of an alert file, handed to the reader of its format. */
export interface AlertDoc {
  file: string;
  source: string;
  doc: Document;
  /** Its data, aliases expanded. */
  data: unknown;
  lineCounter: LineCounter;
  /** The site's URL (`site` in runbooks.config.yaml), when set. */
  site?: string;
  /** Adds an `alert-file-invalid` finding at a source offset (the file's start when undefined). */
  report: (offset: number | undefined, message: string, hint?: string) => void;
}

/** The source range of the node at `path` (the deepest node on the way when the path runs out). */
export const rangeAt = (d: AlertDoc, path: readonly PropertyKey[]): readonly [number, number, number] | undefined =>
  nodeAt(d.doc.contents, path)?.range ?? undefined;

/** The source offset of the node at `path` (the deepest node on the way when the path runs out). */
export const offsetAt = (d: AlertDoc, path: readonly PropertyKey[]): number | undefined => rangeAt(d, path)?.[0];

/** Line and column (1-based) of a source offset; the file's start when undefined. */
export function placeOf(d: AlertDoc, offset: number | undefined): { line: number; column: number } {
  if (offset === undefined) return { line: 1, column: 1 };
  const { line, col } = d.lineCounter.linePos(offset);
  return { line, column: col };
}

/** A value as an object's fields, or undefined when it is not a mapping. */
export const fieldsOf = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** The site as links are read against it: its URL (`site`, or a stand-in origin) and the path it lives under (`/runbooks`, or empty). */
export function siteBase(site: string | undefined): { base: URL; prefix: string } {
  const base = site ? new URL(site) : new URL('https://this-site.invalid/');
  return { base, prefix: trimEnd(base.pathname, '/') };
}

/** Whether a parsed URL is on the site's host: http or https (a redirect apart), the default port or none. */
export const onSiteHost = (url: URL, base: URL) => url.host === base.host && /^https?:$/.test(url.protocol);

/** Whether a path is the site's own when the site lives under `prefix` (`/runbooks`): that path or below it. */
export const underPrefix = (path: string, prefix: string) => !prefix || path === prefix || path.startsWith(`${prefix}/`);

/** Whether a value is a template only the alerting tool fills in when the alert fires (`{{ $labels.job }}`, `{{service.name}}`, `{% … %}`). */
export const isTemplate = (value: string) => /\{\{|\{%/.test(value);
