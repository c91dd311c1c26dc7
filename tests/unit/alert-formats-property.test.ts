/**
 * A property over generated alert files of each format (Prometheus rules, Grafana exports in
 * YAML and JSON, Datadog monitors in their three JSON shapes): every alert written is read
 * with its name, runbook link, line and column, and no input, broken or not, throws.
 */
import { describe, expect, it } from 'vitest';
import { parseAlertFile } from '../../src/plugins/alerts/load.ts';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';

const SITE = 'https://rb.example';
const FILES_PER_SHAPE = 120;

/** What a generated file must give: each alert's name, link and where both stand. */
interface Written {
  name: string;
  line: number;
  column: number;
  url?: string;
  urlLine?: number;
  urlColumn?: number;
}

type Rand = () => number;
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)];
const WORDS = [
  'queue',
  'checkout',
  'Login',
  'p99',
  'disk',
  'héllo',
  'ünïcode',
  'CPU',
  'lag',
  '5xx',
  'api-gw',
  'db_primary',
];
const ODD = [
  ': ',
  ' #',
  "'",
  '"',
  '[x]',
  '{y}',
  '&a',
  '*b',
  '!',
  '|',
  '>',
  '%',
  '@',
  '`',
  '\\',
  '—',
  '{{host.name}}',
  '😀',
];

/** A name of words and characters YAML and JSON must quote; the index keeps it unique in its file. */
const nameOf = (rand: Rand, i: number) =>
  [
    pick(rand, WORDS),
    ...Array.from({ length: Math.floor(rand() * 3) }, () => (rand() < 0.5 ? pick(rand, ODD) : pick(rand, WORDS))),
  ].join(' ') + ` #${i}`;

/** A runbook URL, or none: on the site (a slug, a page, an anchor, a template) or elsewhere. */
function urlOf(rand: Rand, i: number): string | undefined {
  const r = rand();
  if (r < 0.15) return undefined;
  if (r < 0.55) return `${SITE}/r/slug-${i}`;
  if (r < 0.7) return `${SITE}/services/s${i}/page/#step-${i}`;
  if (r < 0.8) return `${SITE}/r/{{service.name}}-${i}`;
  return `https://wiki.example/ops/p-${i}`;
}

/** Line and column (1-based) of a string index. */
function place(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  return { line: before.split('\n').length, column: index - before.lastIndexOf('\n') };
}

/** Where `needle` first stands in `text` at or after `from`, as a place (fails the property if absent). */
function find(text: string, needle: string, from = 0): { line: number; column: number; at: number } {
  const at = text.indexOf(needle, from);
  if (at === -1) throw new Error(`generator bug: ${needle} not in the file`);
  return { ...place(text, at), at };
}

/** A Prometheus rule file, written line by line (names as JSON-escaped YAML strings). */
function prometheus(rand: Rand): { text: string; written: Written[] } {
  const lines = ['groups:'];
  const written: Written[] = [];
  for (let g = 0; g < 1 + Math.floor(rand() * 3); g++) {
    lines.push(`  - name: g${g}`, '    rules:');
    for (let r = 0; r < 1 + Math.floor(rand() * 5); r++) {
      const i = written.length;
      const name = nameOf(rand, i);
      const url = urlOf(rand, i);
      if (rand() < 0.2) lines.push(`      - record: rec:${i}`, '        expr: sum(up)');
      lines.push(`      - alert: ${JSON.stringify(name)}`);
      const at = { line: lines.length, column: 16 };
      lines.push('        expr: up == 0', `        labels: { severity: SEV-${1 + (i % 3)} }`);
      let urlAt: { line: number; column: number } | undefined;
      if (url !== undefined) {
        lines.push(
          '        annotations:',
          `          summary: ${JSON.stringify(`about ${name}`)}`,
          `          runbook_url: ${JSON.stringify(url)}`,
        );
        urlAt = { line: lines.length, column: 24 };
      }
      written.push({ name, ...at, url, urlLine: urlAt?.line, urlColumn: urlAt?.column });
    }
  }
  return { text: `${lines.join('\n')}\n`, written };
}

/** A Grafana rule as Grafana exports it, with its query steps and noise fields. */
const grafanaRule = (rand: Rand, i: number, name: string, url: string | undefined) => ({
  uid: `u${i}x${Math.floor(rand() * 1e6).toString(36)}`,
  title: name,
  condition: 'C',
  data: [
    {
      refId: 'A',
      relativeTimeRange: { from: 600, to: 0 },
      datasourceUid: 'prom',
      model: { expr: `up{i="${i}"} == 0`, instant: true, refId: 'A' },
    },
    { refId: 'B', datasourceUid: '__expr__', model: { expression: 'A', reducer: 'last', refId: 'B', type: 'reduce' } },
    {
      refId: 'C',
      datasourceUid: '__expr__',
      model: {
        expression: 'B',
        conditions: [{ evaluator: { params: [0], type: 'gt' } }],
        refId: 'C',
        type: 'threshold',
      },
    },
  ],
  noDataState: pick(rand, ['NoData', 'OK', 'Alerting']),
  execErrState: 'Error',
  for: '5m',
  annotations: url === undefined ? { summary: `about ${name}` } : { summary: `about ${name}`, runbook_url: url },
  labels: { severity: `SEV-${1 + (i % 3)}`, service: `svc-${i % 4}` },
  isPaused: rand() < 0.1,
});

/** A Grafana export as JSON (pretty or minified), each title and runbook_url found in the text. */
function grafanaJson(rand: Rand): { text: string; written: Written[] } {
  const rules: ReturnType<typeof grafanaRule>[] = [];
  for (let r = 0; r < 1 + Math.floor(rand() * 6); r++)
    rules.push(grafanaRule(rand, r, nameOf(rand, r), urlOf(rand, r)));
  const text = JSON.stringify(
    { apiVersion: 1, groups: [{ orgId: 1, name: 'g', folder: 'F', interval: '1m', rules }] },
    null,
    rand() < 0.3 ? undefined : pick(rand, [2, 4, '\t']),
  );
  let from = 0;
  const written = rules.map((rule) => {
    const at = find(text, `"title":`, from);
    const value = find(text, JSON.stringify(rule.title), at.at);
    from = value.at;
    const url = rule.annotations.runbook_url;
    const urlAt =
      url === undefined ? undefined : find(text, JSON.stringify(url), find(text, '"runbook_url":', from).at);
    return {
      name: rule.title,
      line: value.line,
      column: value.column,
      url,
      urlLine: urlAt?.line,
      urlColumn: urlAt?.column,
    };
  });
  return { text, written };
}

/** A Grafana export as YAML, in Grafana's own indentation (lists four spaces in), line by line. */
function grafanaYaml(rand: Rand): { text: string; written: Written[] } {
  const lines = [
    'apiVersion: 1',
    'groups:',
    '    - orgId: 1',
    '      name: g',
    '      folder: F',
    '      interval: 1m',
    '      rules:',
  ];
  const written: Written[] = [];
  for (let r = 0; r < 1 + Math.floor(rand() * 6); r++) {
    const name = nameOf(rand, r);
    const url = urlOf(rand, r);
    lines.push(`        - uid: u${r}`, `          title: ${JSON.stringify(name)}`);
    const at = { line: lines.length, column: 18 };
    lines.push(
      '          condition: A',
      '          data:',
      '            - refId: A',
      '              relativeTimeRange:',
      '                from: 600',
      '                to: 0',
      '              datasourceUid: prom',
      '              model:',
      `                expr: up{i="${r}"} == 0`,
      '                refId: A',
    );
    lines.push(
      '          noDataState: NoData',
      '          execErrState: Error',
      '          for: 5m',
      '          annotations:',
      `            summary: ${JSON.stringify(`about ${name}`)}`,
    );
    let urlAt: { line: number; column: number } | undefined;
    if (url !== undefined) {
      lines.push(`            runbook_url: ${JSON.stringify(url)}`);
      urlAt = { line: lines.length, column: 26 };
    }
    lines.push('          labels:', `            severity: SEV-${1 + (r % 3)}`, '          isPaused: false');
    written.push({ name, ...at, url, urlLine: urlAt?.line, urlColumn: urlAt?.column });
  }
  return { text: `${lines.join('\n')}\n`, written };
}

/** A Datadog message around a link: block tags, @-mentions, a dashboard link before it, Markdown or bare. */
function messageAround(rand: Rand, url: string | undefined): string {
  const parts = [`Something broke on {{host.name}} ({{value}}).`];
  if (rand() < 0.5) parts.push(`Dashboard: https://app.datadoghq.com/dashboard/abc-${Math.floor(rand() * 1000)}`);
  if (url !== undefined) {
    const link = pick(rand, [`[Runbook](${url})`, `Runbook: ${url}`, `see ${url}.`, `<${url}>`, `${url}{{/is_alert}}`]);
    parts.push(rand() < 0.5 ? `{{#is_alert}}${link}{{/is_alert}}` : link);
  }
  parts.push(pick(rand, ['@slack-ops', '@pagerduty-Ops @ana@rb.example', '@webhook-x']));
  return parts.join(pick(rand, ['\n', '\n\n', ' ']));
}

/** Datadog monitors in one of their three shapes, each name and link found in the text. */
function datadog(rand: Rand): { text: string; written: Written[] } {
  const count = 1 + Math.floor(rand() * 6);
  const shape = pick(rand, ['list', 'search', 'single'] as const);
  const monitors = Array.from({ length: shape === 'single' ? 1 : count }, (_, i) => {
    // The dashboard link before it never wins: it leads into Datadog itself.
    const url = urlOf(rand, i);
    return {
      id: 1000 + i,
      name: nameOf(rand, i),
      type: 'query alert',
      query: `avg(last_5m):avg:m.${i}{env:prod} > ${i}`,
      message: messageAround(rand, url),
      tags: [`service:svc-${i % 3}`, 'team:ops', ...(rand() < 0.5 ? [`severity:SEV-${1 + (i % 3)}`] : [])],
      priority: rand() < 0.8 ? 1 + (i % 5) : null,
      options: { thresholds: { critical: i, warning: i / 2 }, notify_no_data: false, silenced: {} },
      restricted_roles: rand() < 0.5 ? null : ['role-1'],
      url,
    };
  });
  const data =
    shape === 'single'
      ? monitors[0]
      : shape === 'search'
        ? { monitors, metadata: { page: 0, total_count: count } }
        : monitors;
  const text = JSON.stringify(
    data,
    (k, v: unknown) => (k === 'url' ? undefined : v),
    rand() < 0.3 ? undefined : pick(rand, [2, 4, '\t']),
  );
  let from = 0;
  const written = monitors.map((m) => {
    const value = find(text, JSON.stringify(m.name), find(text, '"name":', from).at);
    from = value.at;
    const urlAt = m.url === undefined ? undefined : find(text, m.url, find(text, '"message":', from).at);
    return {
      name: m.name,
      line: value.line,
      column: value.column,
      url: m.url,
      urlLine: urlAt?.line,
      urlColumn: urlAt?.column,
    };
  });
  return { text, written };
}

const SHAPES = { prometheus, grafanaJson, grafanaYaml, datadog } as const;

describe('generated alert files', () => {
  for (const [shape, generate] of Object.entries(SHAPES)) {
    it(`${shape}: every alert written is read with its name, link and their places`, () => {
      const rand = mulberry32(0xa1e47 + shape.length);
      for (let n = 0; n < FILES_PER_SHAPE; n++) {
        const { text, written } = generate(rand);
        const file = `alerts/gen-${n}.${shape === 'grafanaYaml' || shape === 'prometheus' ? 'yaml' : 'json'}`;
        const { alerts, diagnostics } = parseAlertFile(text, file, SITE);
        expect(diagnostics, text).toEqual([]);
        expect(
          alerts.map((a) => ({
            name: a.name,
            line: a.line,
            column: a.column,
            url: a.runbookUrl,
            urlLine: a.urlLine,
            urlColumn: a.urlColumn,
          })),
          text,
        ).toEqual(written);
      }
    });
  }

  it('no input throws: truncated, spliced and scrambled files give alerts or findings with a place', () => {
    const rand = mulberry32(0xbad1);
    const noise = [
      '{',
      '}',
      '[',
      ']',
      '"',
      ':',
      ',',
      '\n',
      '- ',
      '#',
      '&a',
      '*a',
      '\t',
      '{{',
      '\\',
      'null',
      '1',
      '<<: *a',
    ];
    let findings = 0;
    for (const generate of Object.values(SHAPES)) {
      for (let n = 0; n < FILES_PER_SHAPE; n++) {
        const { text } = generate(rand);
        const cut = Math.floor(rand() * text.length);
        const broken = pick(rand, [
          text.slice(0, cut),
          text.slice(0, cut) + pick(rand, noise) + text.slice(cut + 1),
          text.slice(0, cut) + text.slice(cut + Math.floor(rand() * 40)),
          text.replace(/"(name|title|alert|message|groups|rules)"?/g, (m) => (rand() < 0.3 ? `${m}x` : m)),
        ]);
        const { alerts, diagnostics } = parseAlertFile(broken, `alerts/b-${n}.json`, pick(rand, [SITE, undefined]));
        findings += diagnostics.length;
        for (const d of diagnostics) {
          expect(d.ruleId).toBe('alert-file-invalid');
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.hint).toBeTruthy();
        }
        for (const a of alerts) expect(a.name.trim()).not.toBe('');
      }
    }
    // The mutations do break files: the property is not vacuous.
    expect(findings).toBeGreaterThan(FILES_PER_SHAPE);
  });
});
