/**
 * Alerts from the three tools teams keep them in: Prometheus rule files, Grafana-managed
 * alert rules as Grafana exports them (YAML or JSON) and Datadog monitors exported as JSON.
 * Each is read by its shape, with the position of each alert's name and runbook link, and
 * held to the same alert rules by a real `runbook check`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkProject } from '../../src/plugins/index.ts';
import { loadAlerts, parseAlertFile } from '../../src/plugins/alerts/load.ts';
import { conditionQuery } from '../../src/plugins/alerts/grafana.ts';
import { messageLinks, runbookLink } from '../../src/plugins/alerts/datadog.ts';
import { project, removeProjects } from '../fixtures/check-project.ts';
import { ROOT } from '../build/helpers.ts';

afterAll(() => removeProjects());

const SITE = 'https://rb.example';
const TODAY = new Date('2026-11-23T12:00:00Z');
const FIXTURES = [
  'grafana-queue.yaml',
  'grafana-queue-latency.json',
  'datadog-queue-monitors.json',
  'datadog-queue-monitor.json',
];
const fixture = (name: string) => readFileSync(join(ROOT, 'tests/fixtures/alerts', name), 'utf8');
const read = (name: string, site: string | undefined = SITE) => parseAlertFile(fixture(name), `alerts/${name}`, site);

describe('Grafana alert-rule exports', () => {
  it('reads each rule of a YAML export: its title, condition query, labels and runbook_url, at their lines', () => {
    const { alerts, diagnostics } = read('grafana-queue.yaml');
    expect(diagnostics).toEqual([]);
    expect(
      alerts.map((a) => [
        a.format,
        a.name,
        a.line,
        a.column,
        a.runbookUrl,
        a.urlLine,
        a.urlColumn,
        a.severity,
        a.service,
        a.team,
        a.expr,
      ]),
    ).toEqual([
      [
        'grafana',
        'Queue depth above 1000',
        9,
        18,
        'https://rb.example/r/queue-stuck',
        87,
        26,
        'SEV-2',
        'queue',
        'ops',
        'max(queue_depth{queue="jobs"})',
      ],
      [
        'grafana',
        'Queue consumers missing',
        97,
        18,
        'https://rb.example/ops/queue-stuck/#check-the-queue',
        128,
        26,
        'SEV-1',
        'queue',
        'ops',
        'sum(up{job="queue-worker"})',
      ],
      [
        'grafana',
        'Dead letters growing',
        136,
        18,
        undefined,
        undefined,
        undefined,
        'SEV-3',
        'queue',
        undefined,
        'increase(queue_dead_letters_total[15m]) > 50',
      ],
      [
        'grafana',
        'Queue backlog per tenant',
        158,
        18,
        'https://rb.example/r/queue-stuk',
        170,
        26,
        'SEV-3',
        undefined,
        undefined,
        'max by (tenant) (queue_depth) > 200',
      ],
      [
        'grafana',
        'Queue lag by shard',
        175,
        18,
        'https://rb.example/r/{{ $labels.shard }}-lag',
        187,
        26,
        'SEV-3',
        undefined,
        undefined,
        'max by (shard) (queue_lag_seconds) > 120',
      ],
    ]);
  });

  it('reads a JSON export the same way, with JSON positions (the opening quote of each value)', () => {
    const { alerts, diagnostics } = read('grafana-queue-latency.json');
    expect(diagnostics).toEqual([]);
    expect(alerts.map((a) => [a.name, a.line, a.column, a.runbookUrl, a.urlLine, a.urlColumn, a.expr])).toEqual([
      [
        'Queue pickup slower than a minute',
        12,
        30,
        'https://rb.example/r/queue-stuck',
        101,
        40,
        'histogram_quantile(0.99, sum by (le) (rate(queue_pickup_seconds_bucket[5m])))',
      ],
      [
        'Queue worker log errors',
        116,
        30,
        'https://rb.example/ops/queue-stuck/#check-the-queu',
        150,
        40,
        'sum(count_over_time({app="queue-worker"} |= "level=error" [5m]))',
      ],
    ]);
  });

  it('knows an export by its shape, not its name, and finds the query behind reduce, threshold and math steps', () => {
    const rules =
      'groups:\n  - name: g\n    rules:\n      - uid: u1\n        title: No apiVersion\n        condition: A\n        data: [{ refId: A, model: { expr: up == 0 } }]\n';
    expect(parseAlertFile(rules, 'monitoring/whatever.yml').alerts.map((a) => [a.format, a.name, a.expr])).toEqual([
      ['grafana', 'No apiVersion', 'up == 0'],
    ]);
    // Contact points and policies only: a Grafana file with no rules, nothing to report.
    expect(
      parseAlertFile('apiVersion: 1\ncontactPoints:\n  - orgId: 1\n    name: ops\n', 'alerts/contact.yaml'),
    ).toEqual({ alerts: [], diagnostics: [] });
    // Prometheus rules with a stray apiVersion stay Prometheus rules; an untitled rule of an export is Grafana's finding.
    expect(
      parseAlertFile(
        'apiVersion: 1\ngroups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n',
        'alerts/p.yaml',
      ).alerts.map((a) => a.format),
    ).toEqual(['prometheus']);
    expect(
      parseAlertFile(
        'apiVersion: 1\ngroups:\n  - name: g\n    rules:\n      - condition: A\n',
        'alerts/g.yaml',
      ).diagnostics.map((d) => [d.line, d.column, d.message]),
    ).toEqual([[5, 9, 'A Grafana alert rule has no `title`, the name it fires with']]);
    // A PrometheusRule has an apiVersion too, with its groups under `spec`.
    const crd =
      'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n    - name: q\n      rules:\n        - alert: Q\n          expr: up == 0\n';
    expect(parseAlertFile(crd, 'alerts/crd.yaml').alerts.map((a) => a.format)).toEqual(['prometheus']);
    expect(
      conditionQuery({
        condition: 'C',
        data: [
          { refId: 'C', model: { expression: '$B > 1' } },
          { refId: 'B', model: { expression: 'A' } },
          { refId: 'A', model: { rawSql: 'SELECT 1' } },
        ],
      }),
    ).toBe('SELECT 1');
    expect(conditionQuery({ condition: 'A', data: [{ refId: 'A', model: { expression: 'A' } }] })).toBe('');
    expect(conditionQuery({ condition: 'X', data: 'none' })).toBe('');
  });

  it("gives a Prometheus alert its group's labels (Prometheus 3: `groups[].labels`), its own winning", () => {
    const file =
      'groups:\n  - name: db\n    labels: { team: db, severity: SEV-1, service: postgres }\n    rules:\n      - alert: DbDown\n        expr: up == 0\n      - alert: DbSlow\n        expr: up == 0\n        labels: { severity: SEV-3 }\n';
    expect(parseAlertFile(file, 'alerts/db.yaml').alerts.map((a) => [a.name, a.severity, a.service, a.team])).toEqual([
      ['DbDown', 'SEV-1', 'postgres', 'db'],
      ['DbSlow', 'SEV-3', 'postgres', 'db'],
    ]);
  });

  it('takes an empty uid for no uid: two hand-written rules with `uid: ""` are not copies of each other', () => {
    const file =
      'apiVersion: 1\ngroups:\n  - orgId: 1\n    name: q\n    folder: Q\n    rules:\n      - { uid: "", title: A }\n      - { uid: "", title: B }\n';
    const dir = project({ 'alerts/g.yaml': file });
    const read = loadAlerts(dir, { alerts: { files: ['alerts/*.yaml'] } });
    expect([read.alerts.map((a) => a.name), read.diagnostics]).toEqual([['A', 'B'], []]);
  });

  it('leaves the recording rules of an export (`record: { metric, from }`, Grafana 11): they never page, so they are no alerts', () => {
    const file =
      'apiVersion: 1\ngroups:\n  - orgId: 1\n    name: queue\n    folder: Queue\n    rules:\n      - uid: r1\n        title: queue depth per job\n        record: { metric: "job:queue_depth:max", from: A }\n        data: [{ refId: A, model: { expr: max by (job) (queue_depth) } }]\n      - uid: a1\n        title: Queue depth above 1000\n        condition: A\n        data: [{ refId: A, model: { expr: max(queue_depth) > 1000 } }]\n';
    expect(parseAlertFile(file, 'alerts/grafana.yaml')).toMatchObject({
      alerts: [{ name: 'Queue depth above 1000', line: 12 }],
      diagnostics: [],
    });
  });
});

describe('Datadog monitors', () => {
  it('reads a list of monitors: name, query, tags and the runbook link inside the message, at its column', () => {
    const { alerts, diagnostics } = read('datadog-queue-monitors.json');
    expect(diagnostics).toEqual([]);
    expect(
      alerts.map((a) => [
        a.format,
        a.name,
        a.line,
        a.column,
        a.runbookUrl,
        a.urlLine,
        a.urlColumn,
        a.severity,
        a.service,
        a.team,
      ]),
    ).toEqual([
      [
        'datadog',
        '[queue] Jobs waiting above 1000',
        6,
        13,
        'https://rb.example/r/queue-stuck',
        7,
        182,
        'SEV-2',
        'queue',
        'ops',
      ],
      [
        'datadog',
        'Queue worker process down on {{host.name}}',
        37,
        13,
        'https://rb.example/ops/queue-stuck/#check-the-queue',
        38,
        68,
        'P1',
        'queue',
        'ops',
      ],
      ['datadog', 'Queue consumer lag', 58, 13, undefined, undefined, undefined, 'P3', 'queue', undefined],
      [
        'datadog',
        '[{{queue.name}}] queue stalled',
        71,
        13,
        'https://rb.example/r/{{queue.name}}-stuck',
        72,
        91,
        'P3',
        'queue',
        'ops',
      ],
      [
        'datadog',
        'Dead letters in the jobs queue',
        84,
        13,
        'https://rb.example/r/queue-stuk',
        85,
        137,
        'SEV-3',
        'queue',
        'ops',
      ],
      [
        'datadog',
        'Broker disk filling',
        97,
        13,
        'https://support.broker-vendor.example/kb/disk-full',
        98,
        54,
        'P4',
        'broker',
        'ops',
      ],
    ]);
    expect(alerts[0].expr).toBe('avg(last_5m):max:queue.depth{env:prod,queue:jobs} > 1000');
  });

  it('reads one exported monitor (tab-indented) and the API search result `{ "monitors": [...] }`', () => {
    expect(
      read('datadog-queue-monitor.json').alerts.map((a) => [
        a.name,
        a.line,
        a.column,
        a.runbookUrl,
        a.urlLine,
        a.urlColumn,
        a.severity,
      ]),
    ).toEqual([['Queue producer errors', 3, 10, 'https://rb.example/r/queue-stuck#check-the-queue', 6, 149, 'P2']]);
    const search = JSON.stringify(
      {
        counts: { status: [] },
        monitors: [{ id: 1, name: 'A', type: 'query alert', query: 'q', message: 'https://rb.example/r/a' }],
        metadata: { page: 0 },
      },
      null,
      2,
    );
    expect(
      parseAlertFile(search, 'alerts/search.json', SITE).alerts.map((a) => [a.name, a.line, a.runbookUrl, a.urlLine]),
    ).toEqual([['A', 8, 'https://rb.example/r/a', 11]]);
    expect(parseAlertFile('[]', 'alerts/none.json')).toEqual({ alerts: [], diagnostics: [] });
  });

  it('takes as runbook the first link on the site, else one that says runbook or /r/, else the first not into Datadog; block tags end a URL', () => {
    const message =
      'Graphs: https://app.datadoghq.com/d/x, wiki [Runbook](https://wiki.example/ops/q). See https://rb.example/r/q-stuck.\n@slack-ops';
    expect(runbookLink(message, SITE)?.url).toBe('https://rb.example/r/q-stuck');
    expect(runbookLink(message, undefined)?.url).toBe('https://wiki.example/ops/q');
    expect(runbookLink(message, 'https://elsewhere.example')?.url).toBe('https://wiki.example/ops/q');
    expect(runbookLink('https://a.example/dash then https://b.example/r/x', undefined)?.url).toBe(
      'https://b.example/r/x',
    );
    expect(runbookLink('https://a.example/dash then https://b.example/logs', undefined)?.url).toBe(
      'https://a.example/dash',
    );
    // A dashboard or logs link is not a runbook: a monitor with only those has none.
    expect(
      runbookLink('Graph: https://app.datadoghq.eu/dashboard/x and https://us5.datadoghq.com/logs?q=1', SITE),
    ).toBeUndefined();
    expect(runbookLink('no links here, only @pagerduty-Ops and {{#is_alert}}text{{/is_alert}}', SITE)).toBeUndefined();
    expect(
      messageLinks(
        '{{#is_alert}}https://rb.example/r/{{service.name}}-down{{/is_alert}} <https://x.example/a>; (https://y.example/b)',
      ).map((l) => [l.url, l.index]),
    ).toEqual([
      ['https://rb.example/r/{{service.name}}-down', 13],
      ['https://x.example/a', 70],
      ['https://y.example/b', 93],
    ]);
    expect(messageLinks('[Run book](https://rb.example/r/x)')[0]).toEqual({
      url: 'https://rb.example/r/x',
      index: 11,
      text: 'Run book',
    });
    expect(
      messageLinks('https://rb.example/r/{{ host.name }}-x{{else}}https://rb.example/r/y').map((l) => l.url),
    ).toEqual(['https://rb.example/r/{{ host.name }}-x', 'https://rb.example/r/y']);
  });

  it('places the link where it stands, not where its text first occurs inside an earlier link', () => {
    const message = 'Old: https://wiki.example/?next=https://rb.example/r/q then [Runbook](https://rb.example/r/q)';
    const file = `[{ "name": "Q", "query": "q", "message": ${JSON.stringify(message)} }]`;
    const [alert] = parseAlertFile(file, 'alerts/m.json', 'https://rb.example').alerts;
    expect([alert.runbookUrl, alert.urlLine, alert.urlColumn]).toEqual([
      'https://rb.example/r/q',
      1,
      file.lastIndexOf('https://rb.example/r/q') + 1,
    ]);
  });

  it("takes the first link under the site's path when the site lives below one, whatever the scheme and default port", () => {
    // Another app on the same host (Grafana beside the runbooks) is not the site: the runbook link is.
    const message = 'Graph: https://ops.example/grafana/d/q1 then [Runbook](https://ops.example/runbooks/r/q-stuck)';
    expect(runbookLink(message, 'https://ops.example/runbooks/')?.url).toBe('https://ops.example/runbooks/r/q-stuck');
    expect(runbookLink(message, 'https://ops.example/runbooks')?.url).toBe('https://ops.example/runbooks/r/q-stuck');
    // The same host spelt with its default port, or over http, is the site (landing() reads it so).
    expect(runbookLink('https://wiki.example/x and http://RB.example/r/q', 'https://rb.example')?.url).toBe(
      'http://RB.example/r/q',
    );
    expect(runbookLink('https://wiki.example/x and https://rb.example:443/r/q', 'https://rb.example')?.url).toBe(
      'https://rb.example:443/r/q',
    );
  });
});

describe('the alert rules on Grafana and Datadog alerts', () => {
  it('report broken, missing and templated links at their place in a real check', () => {
    const files = Object.fromEntries(FIXTURES.map((name) => [`alerts/${name}`, fixture(name)]));
    const found = checkProject(project(files, `site: ${SITE}\n`), { today: TODAY }).map((d) => [
      d.ruleId,
      d.file,
      d.line,
      d.column,
      d.message,
      d.hint,
    ]);
    expect(found).toEqual([
      [
        'alert-runbook-missing',
        'alerts/datadog-queue-monitors.json',
        58,
        13,
        'Monitor Queue consumer lag has no link in its message',
        "Put the runbook's link in the monitor's `message`, e.g. `[Runbook](<site>/r/<slug>)`.",
      ],
      [
        'alert-runbook-template',
        'alerts/datadog-queue-monitors.json',
        72,
        91,
        'Alert [{{queue.name}}] queue stalled: runbook link https://rb.example/r/{{queue.name}}-stuck is a template the check cannot resolve',
        'Prefer a fixed `/r/<slug>` per alert; or list this exact template under `alerts.templates` in runbooks.config.yaml, if every value its labels take has a slug.',
      ],
      [
        'alert-runbook-broken',
        'alerts/datadog-queue-monitors.json',
        85,
        137,
        'Alert Dead letters in the jobs queue: runbook link leads to /r/queue-stuk, which no runbook declares',
        'Did you mean /r/queue-stuck?',
      ],
      [
        'alert-runbook-broken',
        'alerts/grafana-queue-latency.json',
        150,
        40,
        "Alert Queue worker log errors: runbook_url's #check-the-queu is not a heading or run block of /ops/queue-stuck/",
        'Did you mean #check-the-queue?',
      ],
      [
        'alert-runbook-missing',
        'alerts/grafana-queue.yaml',
        136,
        18,
        'Alert Dead letters growing has no runbook_url',
        'Add `annotations: { runbook_url: <site>/r/<slug> }` with the runbook that handles it.',
      ],
      [
        'alert-runbook-broken',
        'alerts/grafana-queue.yaml',
        170,
        26,
        'Alert Queue backlog per tenant: runbook_url leads to /r/queue-stuk, which no runbook declares',
        'Did you mean /r/queue-stuck?',
      ],
      [
        'alert-runbook-template',
        'alerts/grafana-queue.yaml',
        187,
        26,
        'Alert Queue lag by shard: runbook_url https://rb.example/r/{{ $labels.shard }}-lag is a template the check cannot resolve',
        'Prefer a fixed `/r/<slug>` per alert; or list this exact template under `alerts.templates` in runbooks.config.yaml, if every value its labels take has a slug.',
      ],
    ]);
  });

  it('reads the files again when the site changes: it picks the runbook link of a message', () => {
    const dir = project({
      'alerts/dd.json': JSON.stringify({
        name: 'A',
        query: 'q',
        message: 'https://one.example/x https://two.example/y',
      }),
    });
    const globs = ['alerts/**/*.json'];
    expect(loadAlerts(dir, { site: 'https://two.example', alerts: { files: globs } }).alerts[0].runbookUrl).toBe(
      'https://two.example/y',
    );
    expect(loadAlerts(dir, { site: 'https://one.example', alerts: { files: globs } }).alerts[0].runbookUrl).toBe(
      'https://one.example/x',
    );
  });

  it('accepts a declared Datadog template when some slug has its shape', () => {
    const monitor = JSON.stringify({
      name: 'Stalled',
      query: 'q',
      message: 'https://rb.example/r/{{queue.name}}-stuck',
    });
    const config = `site: ${SITE}\nalerts:\n  templates: ["https://rb.example/r/{{queue.name}}-stuck"]\n`;
    expect(checkProject(project({ 'alerts/dd.json': monitor }, config), { today: TODAY })).toEqual([]);
  });
});
