/**
 * Datadog monitors as exported JSON: one monitor (the UI's "Export monitor"), a list of them,
 * or `{ "monitors": [...] }` as the API's list returns. A monitor has no runbook field: teams
 * write the link into its `message`, bare or as Markdown `[Runbook](https://…)`, often inside
 * `{{#is_alert}}…{{/is_alert}}` blocks beside `@slack-…` mentions and dashboard links. Which
 * link is the runbook is decided by {@link runbookLink}.
 */
import { asText } from '../runbook/coerce.ts';
import { trimEnd } from '../runbook/text.ts';
import { type AlertDoc, type AlertRule, fieldsOf, offsetAt, onSiteHost, placeOf, rangeAt, siteBase, underPrefix } from './alert.ts';

/** Whether a value is shaped like a monitor: an object with a `query` or a `message`. */
const isMonitor = (v: unknown): boolean => {
  const o = fieldsOf(v);
  return o !== undefined && ('query' in o || 'message' in o);
};

/** The monitors of a document and the path of each, or undefined when it is not a Datadog export. */
function monitorsOf(data: unknown): { value: unknown; path: PropertyKey[] }[] | undefined {
  const list = (items: unknown[], base: PropertyKey[]) => items.map((value, i) => ({ value, path: [...base, i] }));
  if (Array.isArray(data)) return data.length === 0 || data.some(isMonitor) ? list(data, []) : undefined;
  const top = fieldsOf(data);
  if (Array.isArray(top?.monitors)) return list(top.monitors, ['monitors']);
  return isMonitor(data) ? [{ value: data, path: [] }] : undefined;
}

/** Whether a document is a Datadog monitors export (by shape). */
export const isDatadogExport = (data: unknown): boolean => monitorsOf(data) !== undefined;

/** One link in a monitor's message: its URL, where it starts in the message, and the text of a Markdown link around it. */
export interface MessageLink {
  url: string;
  index: number;
  text?: string;
}

/**
 * A URL runs to white space, a bracket, a quote or a `{{#…}}`/`{{/…}}`/`{{^…}}`/`{{else}}`
 * block tag; a template variable inside it (`{{service.name}}`, `{{ host.name }}`) is part of it.
 */
const URL_PATTERN = /https?:\/\/(?:\{\{(?!\s*(?:[#/^]|else\b))[^{}]*\}\}|[^\s<>"'`()[\]{}|\\])+/gi;

/** Every http(s) link of a monitor's message, in order; trailing sentence punctuation is not part of a URL. */
export function messageLinks(message: string): MessageLink[] {
  return [...message.matchAll(URL_PATTERN)].map((m) => {
    // Trimmed by a loop from the end: `/[.,…]+$/` retries from every dot of a long run (quadratic).
    const url = trimEnd(m[0], '.,;:!?*_~');
    const text = /\[([^\]\n]*)\]\($/.exec(message.slice(Math.max(0, m.index - 200), m.index))?.[1];
    return { url, index: m.index, text };
  });
}

const hostOf = (url: string) => /^https?:\/\/([^/?#]+)/i.exec(url)?.[1].toLowerCase();
const pathOf = (url: string) => url.replace(/^https?:\/\/[^/?#]+/i, '');

/** Datadog's own app (dashboards, logs, monitors): a link there is a graph to look at, not a runbook. */
const DATADOG_APP = /(^|\.)(datadoghq\.com|datadoghq\.eu|ddog-gov\.com)$/;

/**
 * The runbook link of a monitor's message: the first link on the site's host (`site` in
 * runbooks.config.yaml), whatever its text; without one, the first link whose Markdown text
 * or path says runbook (or is a `/r/` shortlink); without one, the first link that does not
 * lead into Datadog itself; else none, so a message with only a dashboard link is an alert
 * without a runbook rather than one that seems covered.
 */
export function runbookLink(message: string, site: string | undefined): MessageLink | undefined {
  const links = messageLinks(message);
  let onSite: ((url: string) => boolean) | undefined;
  try {
    // On the site as landing() reads it: its host, and below its path when it lives under one.
    const { base, prefix } = siteBase(site);
    if (site)
      onSite = (url) => {
        try {
          const parsed = new URL(url);
          return onSiteHost(parsed, base) && underPrefix(parsed.pathname, prefix);
        } catch {
          return false;
        }
      };
  } catch {
    onSite = undefined;
  }
  return (
    (onSite === undefined ? undefined : links.find((l) => onSite(l.url))) ??
    links.find((l) => /runbook/i.test(l.text ?? '') || /runbook|(^|\/)r\//i.test(pathOf(l.url))) ??
    links.find((l) => !DATADOG_APP.test(hostOf(l.url) ?? ''))
  );
}

/** The value of the first `key:` tag (`service:checkout` → `checkout`). */
const tagValue = (tags: string[], key: string) =>
  tags.find((t) => t.toLowerCase().startsWith(`${key}:`))?.slice(key.length + 1).trim() || undefined;

/** The alerts of a Datadog export; a monitor of the wrong shape or with no name is a finding. */
export function readDatadog(d: AlertDoc): AlertRule[] {
  const alerts: AlertRule[] = [];
  for (const { value, path } of monitorsOf(d.data) ?? []) {
    const spec = fieldsOf(value);
    if (!spec) {
      d.report(offsetAt(d, path), 'A Datadog monitor is not an object', 'Each monitor is a JSON object as Datadog exports it: `{ "name", "type", "query", "message", "tags" }`.');
      continue;
    }
    const name = asText(spec.name);
    const at = offsetAt(d, spec.name === undefined ? path : [...path, 'name']);
    if (name === undefined || name.trim() === '') {
      d.report(at, 'A Datadog monitor has no `name`, the title it pages with', 'Give the monitor its name, e.g. `"name": "Checkout error rate is high"`.');
      continue;
    }
    const tags = (Array.isArray(spec.tags) ? spec.tags : []).map(asText).filter((t) => t !== undefined);
    const priority = typeof spec.priority === 'number' && Number.isInteger(spec.priority) && spec.priority >= 1 && spec.priority <= 5 ? `P${spec.priority}` : undefined;
    const message = asText(spec.message) ?? '';
    const link = runbookLink(message, d.site);
    const pos = placeOf(d, at);
    alerts.push({
      file: d.file, line: pos.line, column: pos.column, format: 'datadog', name, uid: asText(spec.id), expr: asText(spec.query) ?? '',
      severity: tagValue(tags, 'severity') ?? priority, service: tagValue(tags, 'service'), team: tagValue(tags, 'team'),
      runbookUrl: link?.url, ...(link ? linkPlace(d, [...path, 'message'], message, link) : {}),
    });
  }
  return alerts;
}

/**
 * Where a link of the message stands in the file: the same occurrence of its URL in the
 * message's source text as in the message (the n-th, when the URL also sits inside an earlier
 * link; in JSON the escapes `\n` and `\"` sit between, so the message's text is not the
 * source's); the message's start when the source spells the URL otherwise (`\/`).
 */
function linkPlace(d: AlertDoc, path: PropertyKey[], message: string, link: MessageLink): { urlLine: number; urlColumn: number } {
  const range = rangeAt(d, path);
  const source = range ? d.source.slice(range[0], range[1]) : '';
  let nth = 0;
  for (let at = message.indexOf(link.url); at !== -1 && at < link.index; at = message.indexOf(link.url, at + 1)) nth++;
  let found = source.indexOf(link.url);
  for (let i = 0; i < nth && found !== -1; i++) found = source.indexOf(link.url, found + 1);
  const pos = placeOf(d, range ? range[0] + Math.max(found, 0) : undefined);
  return { urlLine: pos.line, urlColumn: pos.column };
}
