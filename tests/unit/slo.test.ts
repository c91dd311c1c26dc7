import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkProject } from '../../src/plugins/check/index.ts';
import { citationsBySlo, siteOrigin, type CitingEntry } from '../../src/plugins/slos/citations.ts';
import { formatSeconds } from '../../src/plugins/runbook/dates.ts';
import { loadSlos, parseSlo } from '../../src/plugins/slos/load.ts';
import { alertBudget, budgetPercent, budgetSeconds, targetRatio } from '../../src/plugins/slos/objective.ts';
import { openSloDocuments } from '../../src/plugins/slos/openslo.ts';
import { toJson, toYaml, toYamlStream } from '../../src/plugins/slos/serialize.ts';
import { slothComment, slothSpecs } from '../../src/plugins/slos/sloth.ts';
import { ROOT } from '../build/helpers.ts';
import { yamlDocuments } from '../fixtures/slo/documents.ts';
import { openSloSchemaValidator } from '../fixtures/slo/openslo-schema.ts';
import { openSloService, openSloSlo, slothSpec } from '../fixtures/slo/schemas.ts';

const FIXTURE = join(ROOT, 'tests/fixtures/slo/project');
const GOLDEN = join(ROOT, 'tests/fixtures/golden');
const LADDER = { levels: [{ id: 'P0' }, { id: 'P1' }, { id: 'P2' }] };
const ORIGIN = 'https://runbooks.example.test';

/** A valid SLO file; each bad case below changes one line of it. */
const GOOD = [
  'service: checkout',
  'description: Share of checkout requests answered without a server error',
  'objective: 99.9',
  'window: 28d',
  'indicator:',
  '  ratio:',
  "    good: 'sum(rate(ok_total[{{window}}]))'",
  "    total: 'sum(rate(all_total[{{window}}]))'",
  'owner: "@payments-team"',
  'alerts:',
  '  - { burn_rate: 14.4, long: 1h, short: 5m, severity: P0 }',
  '',
].join('\n');

/** Findings of one SLO file as [rule, line, column, message]. */
const check = (text: string, id = 'checkout-availability') =>
  parseSlo(text, `src/content/slos/${id}.yaml`, id, LADDER).diagnostics.map((d) => [
    d.ruleId,
    d.line,
    d.column,
    d.message,
  ]);
const replaceLine = (n: number, line: string) =>
  GOOD.split('\n')
    .map((l, i) => (i === n - 1 ? line : l))
    .join('\n');

describe('SLO files: the loader and the slo-invalid rule', () => {
  it('accepts a valid file, defaulting the source to prometheus', () => {
    const { slo, diagnostics } = parseSlo(GOOD, 'src/content/slos/a.yaml', 'a', LADDER);
    expect(diagnostics).toEqual([]);
    expect(slo?.indicator.source).toBe('prometheus');
    expect(slo?.alerts).toEqual([{ burn_rate: 14.4, long: '1h', short: '5m', severity: 'P0' }]);
  });

  it('accepts the fixture project and every SLO of the example site', () => {
    expect(loadSlos(FIXTURE).diagnostics).toEqual([]);
    expect(loadSlos(FIXTURE).slos.map((s) => s.id)).toEqual([
      'checkout-availability',
      'checkout-latency',
      'orders-freshness',
      'search-errors',
    ]);
    const example = loadSlos(ROOT);
    expect(example.diagnostics).toEqual([]);
    expect(example.slos).toHaveLength(6);
  });

  it('reports broken YAML at the syntax error', () => {
    expect(check(replaceLine(3, 'objective: [99.9'))).toEqual([
      ['slo-invalid', 4, 1, expect.stringMatching(/^The SLO file is not valid YAML: /)],
    ]);
  });

  it('reports an empty file and a file that is not a mapping', () => {
    expect(check('\n  \n')).toEqual([['slo-invalid', 1, 1, 'The SLO file is empty']]);
    expect(check('# SLOs\n- service: checkout\n')).toEqual([
      ['slo-invalid', 2, 1, 'An SLO file is a mapping of fields, not a list'],
    ]);
  });

  it('reports a missing field at the mapping that should hold it', () => {
    expect(check(GOOD.replace('owner: "@payments-team"\n', ''))).toEqual([
      ['slo-invalid', 1, 1, '`owner` is required'],
    ]);
    expect(check(replaceLine(7, "    goood: 'x'"))).toEqual([
      ['slo-invalid', 7, 5, '`indicator.ratio.good` is required'],
      ['slo-invalid', 7, 5, 'Unknown key `goood` in `indicator.ratio`; did you mean `good`?'],
    ]);
  });

  it('reports a wrong type at the value', () => {
    expect(check(replaceLine(3, 'objective: "99.9"'))).toEqual([
      ['slo-invalid', 3, 12, '`objective` must be a number, not string "99.9"'],
    ]);
    expect(check(replaceLine(11, '  - { burn_rate: fast, long: 1h, short: 5m, severity: P0 }'))).toEqual([
      ['slo-invalid', 11, 18, '`alerts[0].burn_rate` must be a number, not string "fast"'],
    ]);
  });

  it('reports an objective outside (0, 100) at the value', () => {
    expect(check(replaceLine(3, 'objective: 100'))).toEqual([
      ['slo-invalid', 3, 12, '`objective` 100 must be below 100 (no SLO can promise 100%)'],
    ]);
    expect(check(replaceLine(3, 'objective: 0'))).toEqual([
      ['slo-invalid', 3, 12, '`objective` 0 must be above 0 (it is a percentage)'],
    ]);
  });

  it('reports windows that are not a number and a unit', () => {
    expect(check(replaceLine(4, 'window: 4 weeks'))).toEqual([
      ['slo-invalid', 4, 9, '`window` "4 weeks" is not a duration like 28d (a whole number and m, h, d or w)'],
    ]);
    expect(check(replaceLine(11, '  - { burn_rate: 14.4, long: 1 hour, short: 5m, severity: P0 }'))[0]).toEqual([
      'slo-invalid',
      11,
      30,
      expect.stringContaining('`alerts[0].long` "1 hour" is not a duration'),
    ]);
  });

  it('reports an alert severity that is not a ladder id at the value, with the ladder in the hint', () => {
    const text = replaceLine(11, '  - { burn_rate: 14.4, long: 1h, short: 5m, severity: SEV-1 }');
    expect(check(text)).toEqual([
      ['slo-invalid', 11, 55, 'Alert severity "SEV-1" is not a level of the severity ladder'],
    ]);
    expect(parseSlo(text, 'f.yaml', 'f', LADDER).diagnostics[0].hint).toBe(
      'Use an id from src/content/severity.yaml: P0, P1, P2.',
    );
  });

  it('reports a burn rate that is not above 0, and a short window that is not shorter', () => {
    expect(check(replaceLine(11, '  - { burn_rate: 0, long: 1h, short: 5m, severity: P0 }'))).toEqual([
      ['slo-invalid', 11, 18, '`alerts[0].burn_rate` 0 must be above 0'],
    ]);
    expect(check(replaceLine(11, '  - { burn_rate: -2, long: 1h, short: 5m, severity: P0 }'))).toEqual([
      ['slo-invalid', 11, 18, '`alerts[0].burn_rate` -2 must be above 0'],
    ]);
    expect(check(replaceLine(11, '  - { burn_rate: 2, long: 1h, short: 2h, severity: P0 }'))).toEqual([
      ['slo-invalid', 11, 38, '`alerts[0].short` "2h" must be shorter than the long window'],
    ]);
  });

  it('reports unknown keys and sources with a did-you-mean', () => {
    const typo = GOOD.replace('indicator:\n', 'indicator:\n  sorce: datadog\n');
    expect(check(typo)).toEqual([['slo-invalid', 6, 3, 'Unknown key `sorce` in `indicator`; did you mean `source`?']]);
    const source = GOOD.replace('indicator:\n', 'indicator:\n  source: promethus\n');
    expect(check(source)).toEqual([
      ['slo-invalid', 6, 11, 'Unknown indicator source "promethus"; did you mean "prometheus"?'],
    ]);
  });

  it('reports a Prometheus query without the {{window}} placeholder', () => {
    expect(check(replaceLine(8, "    total: 'sum(rate(all_total[5m]))'"))).toEqual([
      ['slo-invalid', 8, 12, '`indicator.ratio.total` has no {{window}} placeholder'],
    ]);
    // Other sources have no such placeholder.
    expect(check(GOOD.replace('indicator:\n', 'indicator:\n  source: datadog\n').replace('[{{window}}]', ''))).toEqual(
      [],
    );
  });

  it('reports owners that are not handles, service names that are not names, and bad file names', () => {
    expect(check(replaceLine(9, 'owner: payments team'))).toEqual([
      ['slo-invalid', 9, 8, '`owner` "payments team" is not a handle like "@platform-team"'],
    ]);
    expect(check(replaceLine(1, 'service: Checkout API'))).toEqual([
      ['slo-invalid', 1, 10, '`service` "Checkout API" is not a service name (lower-case letters, digits and dashes)'],
    ]);
    expect(check(GOOD, 'Checkout_Availability')).toEqual([
      [
        'slo-invalid',
        1,
        1,
        'SLO id "Checkout_Availability" (the file name) is not lower-case letters, digits and dashes of at most 59 characters',
      ],
    ]);
  });

  describe('as a rule of the validation core', () => {
    const root = mkdtempSync(join(tmpdir(), 'slo-rule-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write('src/content/severity.yaml', readFileSync(join(FIXTURE, 'src/content/severity.yaml'), 'utf8'));
    write('src/content/runbooks/index.md', '---\ntitle: Home\nrunbook: false\nslos: [checkout-availability]\n---\n');

    it('reports each SLO file problem with file, line, column and the slo-invalid id through checkProject', () => {
      write('src/content/slos/checkout-availability.yaml', replaceLine(3, 'objective: 100'));
      write('src/content/slos/checkout-availability.yml', GOOD);
      write(
        'src/content/slos/search.yaml',
        replaceLine(11, '  - { burn_rate: 1, long: 1h, short: 5m, severity: SEV-2 }'),
      );
      const found = checkProject(root, { today: new Date('2026-11-23') }).filter((d) => d.ruleId.startsWith('slo'));
      expect(found.map((d) => [d.file, d.line, d.column, d.ruleId, d.severity])).toEqual([
        ['src/content/slos/checkout-availability.yaml', 3, 12, 'slo-invalid', 'error'],
        ['src/content/slos/checkout-availability.yml', 1, 1, 'slo-invalid', 'error'],
        ['src/content/slos/search.yaml', 11, 52, 'slo-invalid', 'error'],
      ]);
      expect(found[1].message).toBe(
        'SLO id "checkout-availability" is also defined by src/content/slos/checkout-availability.yaml',
      );
    });

    it('has nothing to report without an SLO folder', () => {
      rmSync(join(root, 'src/content/slos'), { recursive: true, force: true });
      expect(loadSlos(root)).toEqual({ slos: [], diagnostics: [] });
    });
  });
});

describe('SLO arithmetic', () => {
  it('turns percentages into ratios without floating-point noise', () => {
    expect(99.9 / 100).not.toBe(0.999);
    expect([99.9, 99.95, 99, 99.999, 97.3].map(targetRatio)).toEqual([0.999, 0.9995, 0.99, 0.99999, 0.973]);
    expect([99.9, 99.95, 99].map(budgetPercent)).toEqual([0.1, 0.05, 1]);
  });

  it('says how much outage a budget allows and what an alert spends', () => {
    expect(formatSeconds(budgetSeconds({ objective: 99.9, window: '28d' }))).toBe('40m 19s');
    expect(formatSeconds(budgetSeconds({ objective: 99, window: '30d' }))).toBe('7h 12m');
    expect(alertBudget({ window: '28d' }, { burn_rate: 14.4, long: '1h', short: '5m', severity: 'P0' })).toEqual({
      spentPercent: 2.1,
      exhaustedInSeconds: (28 * 86_400) / 14.4,
    });
    expect(formatSeconds((28 * 86_400) / 14.4)).toBe('1d 22h');
    expect(formatSeconds(3 * 86_400)).toBe('3d');
  });
});

/** Collection entries citing the fixture SLOs, as `getCollection('docs')` gives them. */
const ENTRIES: CitingEntry[] = [
  { id: 'index', data: { title: 'Home', slos: [] } },
  {
    id: 'checkout/slow-checkout',
    data: {
      title: 'Slow checkout',
      owner: '@payments-team',
      slos: ['checkout-latency', 'checkout-availability'],
      shortlinks: [{ slug: 'checkout-slow', anchor: 'mitigate' }],
    },
  },
  {
    id: 'checkout/payment-failures',
    data: {
      title: 'Payment failures',
      owner: '@payments-team',
      slos: ['checkout-availability'],
      shortlinks: ['pay-fail', 'checkout-down'],
    },
  },
  { id: 'search/search-down', data: { title: 'Search down', slos: ['search-errors'], shortlinks: [] } },
];

describe('citations', () => {
  it('lists the runbooks citing each SLO, main citations first, then by page', () => {
    const cited = citationsBySlo(ENTRIES);
    expect(cited.get('checkout-availability')?.map((r) => [r.url, r.shortlink])).toEqual([
      ['/checkout/payment-failures/', 'pay-fail'],
      ['/checkout/slow-checkout/', 'checkout-slow'],
    ]);
    expect(cited.get('search-errors')).toEqual([
      { title: 'Search down', url: '/search/search-down/', owner: undefined, shortlink: undefined },
    ]);
    expect(cited.has('orders-freshness')).toBe(false);
  });

  it('builds the origin from the site and the base path', () => {
    expect(siteOrigin('https://x.example/', '/')).toBe('https://x.example');
    expect(siteOrigin('https://x.example', '/docs/')).toBe('https://x.example/docs');
    expect(siteOrigin('', '/')).toBe('');
  });
});

describe('the SLO outputs', () => {
  const { slos } = loadSlos(FIXTURE);
  const citations = citationsBySlo(ENTRIES);
  const openslo = openSloDocuments(slos, citations, ORIGIN);
  const sloth = slothSpecs(slos, citations, ORIGIN, ['P0', 'P1', 'P2']);
  const outputs: Record<string, string> = {
    'slos.yaml': toYamlStream(openslo, ' OpenSLO v1 fixture'),
    'slos.json': toJson(openslo),
    ...Object.fromEntries(sloth.map((spec) => [`sloth/${spec.service}.yaml`, toYaml(spec, slothComment(spec, slos))])),
  };

  it('match the golden files (UPDATE_GOLDEN=1 rewrites them)', () => {
    expect(Object.keys(outputs)).toEqual(['slos.yaml', 'slos.json', 'sloth/checkout.yaml', 'sloth/orders.yaml']);
    for (const [name, text] of Object.entries(outputs)) {
      const path = join(GOLDEN, name);
      if (process.env.UPDATE_GOLDEN === '1') {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, text);
      }
      expect(text, name).toBe(readFileSync(path, 'utf8'));
    }
  });

  it('/slos.yaml parses back into Service then SLO documents that are valid OpenSLO v1', () => {
    const list = yamlDocuments(outputs['slos.yaml']).map((d) => {
      expect(d.errors).toEqual([]);
      return d.value as { kind: string };
    });
    expect(list.map((d) => d.kind)).toEqual(['Service', 'Service', 'Service', 'SLO', 'SLO', 'SLO', 'SLO']);
    const schema = openSloSchemaValidator();
    for (const doc of list) {
      const result = (doc.kind === 'Service' ? openSloService : openSloSlo).safeParse(doc);
      expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
      expect(schema(doc)).toEqual([]);
    }
    // The JSON output is the same documents in the same order.
    expect(JSON.parse(outputs['slos.json'])).toEqual(list);
  });

  it('fills {{window}} with the SLO window for OpenSLO and keeps the runbook links and targets exact', () => {
    const slo = openslo.find((d) => d.kind === 'SLO' && d.metadata.name === 'checkout-availability');
    expect(slo).toMatchObject({
      metadata: {
        annotations: {
          'runbooks.example.test/runbook': `${ORIGIN}/r/pay-fail/`,
          'runbooks.example.test/runbook-2': `${ORIGIN}/r/checkout-slow/`,
          'runbooks.example.test/page': `${ORIGIN}/slos/checkout-availability/`,
        },
      },
      spec: {
        indicator: {
          spec: {
            ratioMetric: {
              good: {
                metricSource: {
                  type: 'Prometheus',
                  spec: { query: 'sum(rate(http_requests_total{job="checkout",code!~"5.."}[28d]))' },
                },
              },
            },
          },
        },
        objectives: [{ target: 0.999 }],
      },
    });
    expect(outputs['slos.yaml']).not.toContain('{{');
    // A runbook without a shortlink is linked by its page; the Datadog source keeps its type.
    const search = openslo.find((d) => d.kind === 'SLO' && d.metadata.name === 'search-errors');
    expect(search).toMatchObject({
      metadata: { annotations: { 'runbooks.example.test/runbook': `${ORIGIN}/search/search-down/` } },
      spec: { indicator: { spec: { ratioMetric: { total: { metricSource: { type: 'Datadog' } } } } } },
    });
  });

  it('gives site-relative links when the site origin is unknown', () => {
    const docs = openSloDocuments(slos, citations, '');
    expect(docs.find((d) => d.kind === 'SLO')?.metadata).toMatchObject({
      annotations: { 'runbooks.invalid/runbook': '/r/pay-fail/' },
    });
    expect(slothSpecs(slos, citations, '', ['P0'])[0].slos[0].alerting.annotations.runbook).toBe('/r/pay-fail/');
  });

  it('each Sloth file parses back into a valid prometheus/v1 spec that Sloth recognises', () => {
    for (const name of ['sloth/checkout.yaml', 'sloth/orders.yaml']) {
      const docs = yamlDocuments(outputs[name]);
      expect(docs).toHaveLength(1);
      expect(docs[0].errors).toEqual([]);
      const result = slothSpec.safeParse(docs[0].value);
      expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
      // Sloth picks its loader with this pattern (internal/prometheus/spec.go).
      expect(outputs[name]).toMatch(/^version: +['"]?prometheus\/v1['"]?\r?\n? *$/m);
      expect(outputs[name]).not.toMatch(/\{\{\s*window\s*\}\}/);
    }
  });

  it('maps alerts to Sloth page and ticket by ladder order, and skips non-Prometheus services', () => {
    expect(sloth.map((s) => s.service)).toEqual(['checkout', 'orders']);
    const [availability, latency] = sloth[0].slos;
    expect(availability.sli.events.error_query).toBe(
      '(sum(rate(http_requests_total{job="checkout"}[{{.window}}]))) - (sum(rate(http_requests_total{job="checkout",code!~"5.."}[{{.window}}])))',
    );
    expect(availability.alerting).toMatchObject({
      annotations: { runbook: `${ORIGIN}/r/pay-fail/` },
      page_alert: { labels: { severity: 'P0' } },
      ticket_alert: { labels: { severity: 'P1' } },
    });
    // One level only: it pages, and there is no ticket alert. `{{ window }}` is converted too.
    expect(latency.alerting).toMatchObject({
      annotations: { runbook: `${ORIGIN}/r/checkout-slow/` },
      page_alert: { labels: { severity: 'P1' } },
      ticket_alert: { disable: true },
    });
    expect(latency.sli.events.total_query).toBe(
      'sum(rate(http_request_duration_seconds_count{job="checkout"}[{{.window}}]))',
    );
    // No alerts and no citing runbook: both alerts off, the annotation links the SLO page.
    expect(sloth[1].slos[0].alerting).toEqual({
      name: 'OrdersFreshnessBudgetBurn',
      annotations: { runbook: `${ORIGIN}/slos/orders-freshness/` },
      page_alert: { disable: true },
      ticket_alert: { disable: true },
    });
    expect(outputs['sloth/orders.yaml']).toContain('--default-slo-period=30d');
  });
});
