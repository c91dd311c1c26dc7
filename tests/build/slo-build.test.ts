import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { yamlDocuments } from '../fixtures/slo/documents.ts';
import { openSloSchemaValidator } from '../fixtures/slo/openslo-schema.ts';
import { openSloService, openSloSlo, slothSpec } from '../fixtures/slo/schemas.ts';
import { QUEUE_THROUGHPUT as THROUGHPUT } from '../fixtures/slo/queue-throughput.ts';
import { astroBuild, type BuildResult, ROOT, scratchSite } from './helpers.ts';

const LATENCY = [
  'service: queue',
  'description: Share of jobs that finish within 2 s',
  'objective: 99',
  'window: 7d',
  'indicator:',
  '  threshold: 2s',
  '  percentile: 99',
  '  ratio:',
  '    good: \'sum(rate(queue_job_seconds_bucket{le="2"}[{{window}}]))\'',
  "    total: 'sum(rate(queue_job_seconds_count[{{window}}]))'",
  'owner: "@ops-team"',
  'alerts:',
  '  - { burn_rate: 6, long: 6h, short: 30m, severity: P2 }',
  '',
].join('\n');

/** The fixture runbook, citing both SLOs. */
const runbook = () =>
  readFileSync(join(ROOT, 'tests/fixtures/sites/basic/src/content/runbooks/ops/queue-stuck.md'), 'utf8').replace(
    'shortlinks: [queue-stuck]\n',
    'shortlinks: [queue-stuck]\nslos: [queue-throughput, queue-latency]\n',
  );

const read = (build: BuildResult, path: string) => readFileSync(join(build.dir, 'dist', path), 'utf8');
const documents = (text: string) =>
  yamlDocuments(text).map((d) => {
    expect(d.errors).toEqual([]);
    return d.value as { kind?: string; metadata?: { name: string; annotations?: Record<string, string> } };
  });

describe('a real Astro build of a site with SLO files', () => {
  let build: BuildResult;
  beforeAll(() => {
    build = astroBuild(
      scratchSite('basic', 'slo-build', {
        'src/content/slos/queue-throughput.yaml': THROUGHPUT,
        'src/content/slos/queue-latency.yaml': LATENCY,
        'src/content/runbooks/ops/queue-stuck.md': runbook(),
      }),
    );
  });

  it('succeeds', () => {
    expect(build.status, build.output).toBe(0);
  });

  it('writes /slos.yaml as valid OpenSLO v1 with the runbook shortlink, and /slos.json with the same documents', () => {
    const docs = documents(read(build, 'slos.yaml'));
    expect(docs.map((d) => `${d.kind}:${d.metadata?.name}`)).toEqual([
      'Service:queue',
      'SLO:queue-latency',
      'SLO:queue-throughput',
    ]);
    const schema = openSloSchemaValidator();
    for (const doc of docs) {
      const result = (doc.kind === 'Service' ? openSloService : openSloSlo).safeParse(doc);
      expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
      expect(schema(doc)).toEqual([]);
    }
    expect(docs[2].metadata?.annotations?.['fixture.example/runbook']).toBe('https://fixture.example/r/queue-stuck/');
    expect(JSON.parse(read(build, 'slos.json'))).toEqual(docs);
  });

  it('writes one valid Sloth file per service', () => {
    const docs = documents(read(build, 'sloth/queue.yaml'));
    expect(docs).toHaveLength(1);
    const result = slothSpec.safeParse(docs[0]);
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
    expect(docs[0]).toMatchObject({
      service: 'queue',
      slos: [
        { name: 'queue-latency' },
        {
          name: 'queue-throughput',
          alerting: {
            annotations: { runbook: 'https://fixture.example/r/queue-stuck/' },
            page_alert: { labels: { severity: 'P0' } },
            ticket_alert: { labels: { severity: 'P1' } },
          },
        },
      ],
    });
  });

  it('renders a page per SLO with ladder badges and the citing runbook, and an index', () => {
    const html = read(build, 'slos/queue-throughput/index.html');
    expect(html).toMatch(/<h1 id="_top"[^>]*>queue-throughput<\/h1>/);
    expect(html).toMatch(
      /<a class="sev-badge" style="--sev-color: #b42318" data-severity="P0"[^>]*>P0<span class="sev-badge__label">Outage<\/span><\/a>/,
    );
    expect(html).toContain('href="/ops/queue-stuck/">Queue stuck</a>');
    expect(html).toContain('Good events');
    const index = read(build, 'slos/index.html');
    expect(index).toContain('href="/slos/queue-latency/"');
    expect(index).toContain('href="/sloth/queue.yaml"');
    // The annotation keys it names are the ones /slos.yaml uses: the site host as prefix.
    expect(index).toContain('<code>fixture.example/runbook</code>');
  });

  it('links the SLO chips of the runbook header card to the SLO pages', () => {
    const html = read(build, 'ops/queue-stuck/index.html');
    expect(html).toMatch(
      /<a class="rb-chip rb-chip--slo" href="\/slos\/queue-throughput\/"[^>]*>queue-throughput<\/a>/,
    );
    expect(existsSync(join(build.dir, 'dist/slos/queue-latency/index.html'))).toBe(true);
  });
});

describe('a broken SLO file fails the build with file:line:col, never a stack trace', () => {
  it('reports the value at fault under the slo-invalid rule', () => {
    const dir = scratchSite('basic', 'slo-bad', {
      'src/content/slos/queue-throughput.yaml': THROUGHPUT.replace('objective: 99.9', 'objective: 100').replace(
        'severity: P1',
        'severity: SEV-1',
      ),
    });
    const result = astroBuild(dir);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(
      'src/content/slos/queue-throughput.yaml:3:12  error    `objective` 100 must be below 100 (no SLO can promise 100%)  slo-invalid',
    );
    expect(result.output).toContain(
      'src/content/slos/queue-throughput.yaml:12:53  error    Alert severity "SEV-1" is not a level of the severity ladder  slo-invalid',
    );
    expect(result.output).not.toMatch(/Stack trace|\n\s+at .+:\d+:\d+\)/);
  });
});
