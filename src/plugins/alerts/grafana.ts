/**
 * Grafana-managed alert rules as Grafana exports them (Alerting → Export, the provisioning
 * file format, YAML or JSON): `apiVersion: 1` and `groups: [{ orgId, name, folder, interval,
 * rules: [{ uid, title, condition, data, annotations: { runbook_url }, labels }] }]`. The
 * rule's `title` is its name; its "Runbook URL" field is `annotations.runbook_url`.
 */
import { asText } from '../runbook/coerce.ts';
import { type AlertDoc, type AlertRule, fieldsOf, offsetAt, placeOf } from './alert.ts';

/** The other sections a Grafana provisioning file may hold beside (or instead of) `groups`. */
const PROVISIONING_KEYS = ['contactPoints', 'policies', 'templates', 'muteTimes', 'deleteRules', 'deleteContactPoints'];

/**
 * Whether a document is a Grafana provisioning file: recognised by its shape, not its name.
 * Rule groups whose rules carry a `title` or `uid` (Prometheus rules have `alert:`), or an
 * `apiVersion` with top-level `groups` of no Prometheus rule (a PrometheusRule keeps its
 * groups under `spec`), or an `apiVersion` with only contact points or policies (a file
 * with no alerts to read).
 */
export function isGrafanaExport(data: unknown): boolean {
  const top = fieldsOf(data);
  if (!top) return false;
  if (Array.isArray(top.groups)) {
    const rules = top.groups.flatMap((g) => {
      const list = fieldsOf(g)?.rules;
      return Array.isArray(list) ? list.map((r) => fieldsOf(r) ?? {}) : [];
    });
    if (rules.some((r) => r.title !== undefined || r.uid !== undefined)) return true;
    // An `apiVersion` on Prometheus rules (`alert:` and no title anywhere) does not make them Grafana's.
    return top.apiVersion !== undefined && top.kind === undefined && !rules.some((r) => r.alert !== undefined || r.record !== undefined);
  }
  return top.apiVersion !== undefined && top.kind === undefined && PROVISIONING_KEYS.some((k) => k in top);
}

/**
 * The text of the query a rule fires on: the condition's query (`data[].model.expr`, or a
 * SQL or Loki query), following a reduce/threshold/math expression (`expression: B`, `$B > 1`)
 * to the query it reads; else the first query with an `expr`; else empty.
 */
export function conditionQuery(rule: Record<string, unknown>): string {
  const queries = (Array.isArray(rule.data) ? rule.data : []).map(fieldsOf).filter((q) => q !== undefined);
  const byRef = new Map(queries.map((q) => [asText(q.refId) ?? '', q]));
  const text = (q: Record<string, unknown> | undefined) => {
    const model = fieldsOf(q?.model);
    return asText(model?.expr) ?? asText(model?.rawSql) ?? asText(model?.query);
  };
  const seen = new Set<string>();
  let ref = asText(rule.condition);
  while (ref !== undefined && byRef.has(ref) && !seen.has(ref)) {
    seen.add(ref);
    const query = byRef.get(ref);
    const found = text(query);
    if (found?.trim()) return found.trim();
    const expression = asText(fieldsOf(query?.model)?.expression)?.trim() ?? '';
    ref = byRef.has(expression) ? expression : /\$\{?([A-Za-z_]\w*)/.exec(expression)?.[1];
  }
  return queries.map(text).find((t) => t?.trim())?.trim() ?? '';
}

/** The alerts of a Grafana export (its recording rules left); a group or rule of the wrong shape, or a rule with no title, is a finding. */
export function readGrafana(d: AlertDoc): AlertRule[] {
  const alerts: AlertRule[] = [];
  const groups = fieldsOf(d.data)?.groups;
  if (!Array.isArray(groups)) return alerts;
  groups.forEach((group, g) => {
    const rules = fieldsOf(group)?.rules;
    if (!Array.isArray(rules)) {
      d.report(
        offsetAt(d, ['groups', g, 'rules']),
        'A Grafana alert rule group has no `rules:` list',
        'Each group of a Grafana export lists its rules: `groups: [{ name, folder, interval, rules: [{ uid, title, … }] }]`.',
      );
      return;
    }
    rules.forEach((rule, r) => {
      const path = ['groups', g, 'rules', r];
      const spec = fieldsOf(rule);
      if (!spec) {
        d.report(offsetAt(d, path), 'A Grafana alert rule is not a mapping', 'Write the rule as Grafana exports it: `{ uid, title, condition, data, annotations, labels }`.');
        return;
      }
      // A recording rule (Grafana 11: `record: { metric, from }`) writes a series and notifies no one.
      if (fieldsOf(spec.record) !== undefined) return;
      const name = asText(spec.title);
      const at = offsetAt(d, spec.title === undefined ? path : [...path, 'title']);
      if (name === undefined || name.trim() === '') {
        d.report(at, 'A Grafana alert rule has no `title`, the name it fires with', 'Give the rule its title, e.g. `title: Checkout error rate`.');
        return;
      }
      const labels = fieldsOf(spec.labels);
      const url = asText(fieldsOf(spec.annotations)?.runbook_url);
      const urlAt = url === undefined ? undefined : placeOf(d, offsetAt(d, [...path, 'annotations', 'runbook_url']));
      const pos = placeOf(d, at);
      alerts.push({
        file: d.file, line: pos.line, column: pos.column, format: 'grafana', name, uid: asText(spec.uid), expr: conditionQuery(spec),
        severity: asText(labels?.severity), service: asText(labels?.service), team: asText(labels?.team),
        runbookUrl: url?.trim() === '' ? undefined : url, urlLine: urlAt?.line, urlColumn: urlAt?.column,
      });
    });
  });
  return alerts;
}
