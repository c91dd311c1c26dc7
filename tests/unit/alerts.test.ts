/**
 * Alerts that must land on a runbook: Prometheus rule files read by `runbook check`, each
 * `runbook_url` on the site resolved to a published page, anchor or `/r/` slug, with the
 * finding at its line in the rule file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { checkProject } from '../../src/plugins/index.ts';
import { project, removeProjects } from '../fixtures/check-project.ts';
import { alertsLandingOn, landing } from '../../src/plugins/alerts/load.ts';
import { loadProjectConfig } from '../../src/plugins/runbook/config.ts';

afterAll(() => removeProjects());

const TODAY = new Date('2026-11-23T12:00:00Z');
const CONFIG = 'site: https://rb.example\n';

// Line numbers below are of this file (alerts/queue.yaml).
const RULES = `groups:
  - name: queue
    rules:
      - alert: QueueStuck
        expr: queue_depth > 1000
        labels: { severity: SEV-1 }
        annotations:
          runbook_url: https://rb.example/r/queue-stuck
      - alert: QueueStuckByPage
        expr: queue_depth > 5000
        annotations: { runbook_url: "https://rb.example/ops/queue-stuck/#check-the-queue" }
      - alert: QueueTypo
        expr: up == 0
        annotations:
          runbook_url: https://rb.example/r/queue-stuk
      - alert: QueueGonePage
        expr: up == 0
        annotations:
          runbook_url: /ops/queue-gone/
      - alert: QueueBadAnchor
        expr: up == 0
        annotations:
          runbook_url: https://rb.example/r/queue-stuck#queue-depht
      - alert: QueueNoRunbook
        expr: up == 0
      - alert: QueueTemplated
        expr: up == 0
        annotations:
          runbook_url: "https://rb.example/r/{{ $labels.queue }}-stuck"
      - alert: VendorOwned
        expr: up == 0
        annotations:
          runbook_url: https://vendor.example/docs/queue
      - record: queue:depth:sum
        expr: sum(queue_depth)
`;

const findings = (files: Record<string, string>, config = CONFIG) =>
  checkProject(project(files, config), { today: TODAY }).map((d) => [
    d.ruleId,
    d.file,
    d.line,
    d.column,
    d.severity,
    d.message,
    d.hint,
  ]);

describe('alert runbook_urls', () => {
  it('land on a published page, anchor or shortlink, or are reported at their line', () => {
    expect(findings({ 'alerts/queue.yaml': RULES })).toEqual([
      [
        'alert-runbook-broken',
        'alerts/queue.yaml',
        15,
        24,
        'error',
        'Alert QueueTypo: runbook_url leads to /r/queue-stuk, which no runbook declares',
        'Did you mean /r/queue-stuck?',
      ],
      [
        'alert-runbook-broken',
        'alerts/queue.yaml',
        19,
        24,
        'error',
        'Alert QueueGonePage: runbook_url leads to page /ops/queue-gone/, which the site does not publish',
        'Did you mean /ops/queue-stuck/?',
      ],
      [
        'alert-runbook-broken',
        'alerts/queue.yaml',
        23,
        24,
        'error',
        "Alert QueueBadAnchor: runbook_url's #queue-depht is not a heading or run block of /ops/queue-stuck/",
        'Did you mean #queue-depth?',
      ],
      [
        'alert-runbook-missing',
        'alerts/queue.yaml',
        24,
        16,
        'warning',
        'Alert QueueNoRunbook has no runbook_url',
        'Add `annotations: { runbook_url: <site>/r/<slug> }` with the runbook that handles it.',
      ],
      [
        'alert-runbook-template',
        'alerts/queue.yaml',
        29,
        24,
        'warning',
        'Alert QueueTemplated: runbook_url https://rb.example/r/{{ $labels.queue }}-stuck is a template the check cannot resolve',
        'Prefer a fixed `/r/<slug>` per alert; or list this exact template under `alerts.templates` in runbooks.config.yaml, if every value its labels take has a slug.',
      ],
    ]);
  });

  it('reads a Kubernetes PrometheusRule, reports a file it cannot read, and follows the globs in runbooks.config.yaml', () => {
    const crd = `apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n    - name: q\n      rules:\n        - alert: Q\n          expr: up == 0\n          annotations: { runbook_url: https://rb.example/r/nope }\n`;
    expect(
      findings({
        'alerts/k8s/rule.yml': crd,
        'alerts/broken.yaml': 'groups: [\n',
        'alerts/other.yaml': 'name: not rules\n',
      }).map((f) => f.slice(0, 4)),
    ).toEqual([
      ['alert-file-invalid', 'alerts/broken.yaml', 2, 1],
      ['alert-runbook-broken', 'alerts/k8s/rule.yml', 9, 39],
      ['alert-file-invalid', 'alerts/other.yaml', 1, 1],
    ]);
    // Elsewhere, only when the config says so.
    expect(findings({ 'monitoring/rules.yaml': crd })).toEqual([]);
    expect(
      findings({ 'monitoring/rules.yaml': crd }, `${CONFIG}alerts: { files: ["monitoring/*.yaml"] }\n`).map(
        (f) => f[0],
      ),
    ).toEqual(['alert-runbook-broken']);
    // A `site` that is not a URL is a config finding, not a crash.
    expect(() => loadProjectConfig(project({}, 'site: runbooks\n'))).toThrow(/site/);
  });

  it('accepts the pages the site generates, and holds the generated Sloth alerts to the same', () => {
    const rules = `groups:\n  - name: g\n    rules:\n      - alert: SloPage\n        expr: up == 0\n        annotations: { runbook_url: https://rb.example/slos/queue-latency/ }\n      - alert: NoSuchSlo\n        expr: up == 0\n        annotations: { runbook_url: https://rb.example/slos/nope/ }\n`;
    expect(findings({ 'alerts/g.yaml': rules }).map((f) => [f[0], f[2], f[5]])).toEqual([
      [
        'alert-runbook-broken',
        9,
        'Alert NoSuchSlo: runbook_url leads to SLO page /slos/nope/, which the site does not publish',
      ],
    ]);
    // The base project's SLO is cited by no runbook: its Sloth alert links to the SLO page, which exists.
    expect(findings({}).filter((f) => String(f[0]).startsWith('alert-'))).toEqual([]);
  });

  it('reads what an attack pass sent: bad escapes, http, a site under a path, several documents, merge keys, odd names, empty URLs', () => {
    expect(landing('https://rb.example/r/x#%E0', 'https://rb.example')).toEqual({
      kind: 'invalid',
      reason: 'has a malformed %-escape',
    });
    expect(landing('http://rb.example/r/x', 'https://rb.example')).toEqual({
      kind: 'shortlink',
      slug: 'x',
      anchor: undefined,
    });
    expect(landing('https://ex.example/runbooks/r/x', 'https://ex.example/runbooks/')).toEqual({
      kind: 'shortlink',
      slug: 'x',
      anchor: undefined,
    });
    expect(landing('https://ex.example/other/', 'https://ex.example/runbooks/')).toMatchObject({ kind: 'invalid' });
    const multi = `groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: up == 0\n        annotations: &ann { runbook_url: "https://rb.example/r/queue-stuck#%E0" }\n---\ngroups:\n  - name: b\n    rules:\n      - alert: B\n        expr: up == 0\n        annotations: { <<: *ann }\n      - alert: [X]\n        expr: up\n      - alert: Empty\n        expr: up\n        annotations: { runbook_url: "" }\n`;
    expect(
      findings({ 'alerts/multi.yaml': multi.replace('<<: *ann', 'runbook_url: http://rb.example/r/queue-stuk') }).map(
        (f) => [f[0], f[2], f[5]],
      ),
    ).toEqual([
      ['alert-runbook-broken', 6, 'Alert A: runbook_url has a malformed %-escape'],
      ['alert-runbook-broken', 13, 'Alert B: runbook_url leads to /r/queue-stuk, which no runbook declares'],
      ['alert-file-invalid', 14, "An alerting rule's `alert:` is not a name"],
      ['alert-runbook-missing', 16, 'Alert Empty has no runbook_url'],
    ]);
  });

  it('accepts a declared template when some slug has its shape', () => {
    const templated = `groups:\n  - name: g\n    rules:\n      - alert: Templated\n        expr: up == 0\n        annotations: { runbook_url: "https://rb.example/r/{{ $labels.queue }}-stuck" }\n      - alert: Other\n        expr: up == 0\n        annotations: { runbook_url: "https://rb.example/r/{{ $labels.queue }}-gone" }\n`;
    const config = `${CONFIG}alerts:\n  templates:\n    - "https://rb.example/r/{{ $labels.queue }}-stuck"\n    - "https://rb.example/r/{{ $labels.queue }}-gone"\n`;
    expect(findings({ 'alerts/t.yaml': templated }, config).map((f) => [f[0], f[2], f[5]])).toEqual([
      [
        'alert-runbook-template',
        9,
        'Alert Other: no shortlink has the shape …-gone that runbook_url https://rb.example/r/{{ $labels.queue }}-gone builds',
      ],
    ]);
  });

  it('without `site`, checks paths and leaves absolute URLs alone', () => {
    expect(landing('https://rb.example/r/x', undefined)).toEqual({ kind: 'external' });
    expect(landing('/r/x/#step', undefined)).toEqual({ kind: 'shortlink', slug: 'x', anchor: 'step' });
    expect(landing('/ops/queue-stuck', 'https://rb.example')).toEqual({
      kind: 'page',
      path: '/ops/queue-stuck/',
      anchor: undefined,
    });
    expect(landing('https://rb.example/ops/%E0%A4', 'https://rb.example')).toMatchObject({ kind: 'invalid' });
  });

  it('lists on each page the alerts that land on it, through its URL or its shortlinks', () => {
    const dir = project({ 'alerts/queue.yaml': RULES }, CONFIG);
    const config = loadProjectConfig(dir);
    expect(
      alertsLandingOn(dir, config, '/ops/queue-stuck/', ['queue-stuck']).map((a) => [a.name, a.severity, a.source]),
    ).toEqual([
      ['QueueStuck', 'SEV-1', 'alerts/queue.yaml:4'],
      ['QueueStuckByPage', null, 'alerts/queue.yaml:9'],
      ['QueueBadAnchor', null, 'alerts/queue.yaml:20'],
    ]);
  });
});
