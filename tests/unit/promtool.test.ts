/**
 * promtool, Prometheus's own rule checker, on the PromQL we read and write: the example
 * site's Prometheus alert rule files, and every query of the Sloth and OpenSLO outputs
 * (the example site's and those of a few hundred generated SLO sets), each query
 * wrapped as a recording rule with the window filled. One promtool run per test.
 * Without promtool these tests fail in CI (.ci/run installs it) and are skipped locally.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { alertFiles } from '../../src/plugins/alerts/load.ts';
import { collectProject } from '../../src/plugins/check/index.ts';
import { loadProject } from '../../src/plugins/project/load.ts';
import { trimBoth } from '../../src/plugins/runbook/text.ts';
import { citationsBySlo, siteOrigin, type RunbookRef } from '../../src/plugins/slos/citations.ts';
import { loadSlos } from '../../src/plugins/slos/load.ts';
import { openSloDocuments } from '../../src/plugins/slos/openslo.ts';
import type { Slo } from '../../src/plugins/slos/schema.ts';
import { slothSpecs } from '../../src/plugins/slos/sloth.ts';
import { ROOT } from '../build/helpers.ts';
import { generatedSloSet, GENERATED_LADDER } from '../fixtures/slo/generated.ts';
import { checkRules, findPromtool, PROMTOOL_MISSING, recordingRules } from '../fixtures/promtool.ts';

const PROMTOOL = findPromtool();
const RUN = PROMTOOL !== undefined || process.env.CI === 'true';
if (!RUN) console.warn(`Skipping the promtool tests: ${PROMTOOL_MISSING}`);

/** promtool, or the failure that says how to get it (in CI, where it must be there). */
function promtool(): string {
  if (!PROMTOOL) throw new Error(PROMTOOL_MISSING);
  return PROMTOOL;
}

/** Every PromQL query our SLO outputs hold: Sloth's with `{{.window}}` as 5m, OpenSLO's Prometheus ones as written. */
function outputQueries(slos: readonly Slo[], citations: ReadonlyMap<string, readonly RunbookRef[]>, origin: string) {
  const sloth = slothSpecs(
    slos,
    citations,
    origin,
    GENERATED_LADDER.levels.map((l) => l.id),
  ).flatMap((spec) => spec.slos.flatMap((s) => [s.sli.events.error_query, s.sli.events.total_query]));
  const openslo = openSloDocuments(slos, citations, origin).flatMap((d) =>
    d.kind === 'SLO'
      ? [d.spec.indicator.spec.ratioMetric.good, d.spec.indicator.spec.ratioMetric.total]
          .filter((m) => m.metricSource.type === 'Prometheus')
          .map((m) => m.metricSource.spec.query)
      : [],
  );
  return { sloth: sloth.map((q) => q.replaceAll('{{.window}}', '5m')), openslo };
}

/** promtool's verdict on each file, which must be SUCCESS with the number of rules it holds. */
function expectAccepted(files: Record<string, string>, counts: Record<string, number>) {
  const { status, output } = checkRules(promtool(), files);
  expect(output).not.toMatch(/FAILED|error/i);
  for (const [name, n] of Object.entries(counts))
    expect(output, name).toContain(`Checking ${name}\n  SUCCESS: ${n} rules found\n`);
  expect(status, output).toBe(0);
}

describe.skipIf(!RUN)('promtool check rules', () => {
  it('is the real checker: it refuses a broken query and a window left as a template', () => {
    const { status, output } = checkRules(promtool(), {
      'bad.yaml': recordingRules('bad', ['sum(rate(x[5m])', 'sum(rate(x[{{.window}}]))']),
    });
    expect(status).not.toBe(0);
    expect(output).toMatch(/FAILED/);
    expect(output.match(/runbooks_check:query_\d/g)).toEqual(['runbooks_check:query_0', 'runbooks_check:query_1']);
  });

  it("accepts the example site's Prometheus alert rule files", () => {
    const project = loadProject(ROOT);
    const files: Record<string, string> = {};
    const counts: Record<string, number> = {};
    for (const file of alertFiles(ROOT, project.config.alerts.files)) {
      // Prometheus rule files as they are; a PrometheusRule object's spec (what the
      // operator hands Prometheus); other formats (Grafana, Datadog) are not promtool's.
      parseAllDocuments(readFileSync(join(ROOT, file), 'utf8')).forEach((doc, i) => {
        const data = doc.toJS() as { kind?: string; groups?: unknown; spec?: { groups?: unknown } } | null;
        const groups = data?.kind === 'PrometheusRule' ? data.spec?.groups : data?.groups;
        if (!Array.isArray(groups)) return;
        const rules = groups.flatMap((g: { rules?: { expr?: unknown }[] }) => g.rules ?? []);
        if (rules.length === 0 || !rules.every((r) => typeof r.expr === 'string')) return;
        const name = `${file.replaceAll('/', '_')}.${i}.yaml`;
        files[name] = stringify({ groups });
        counts[name] = rules.length;
      });
    }
    expect(Object.keys(files)).not.toEqual([]);
    expectAccepted(files, counts);
  });

  it("accepts every query of the example site's Sloth and OpenSLO outputs", () => {
    const project = loadProject(ROOT);
    const facts = collectProject(project);
    const citations = citationsBySlo(facts.map((f) => ({ id: trimBoth(f.url, '/'), data: f.frontmatter.data })));
    const { slos } = loadSlos(ROOT);
    const { sloth, openslo } = outputQueries(slos, citations, siteOrigin(project.config.site ?? ''));
    expect(sloth.length).toBeGreaterThan(0);
    expectAccepted(
      { 'sloth.yaml': recordingRules('sloth', sloth), 'openslo.yaml': recordingRules('openslo', openslo) },
      { 'sloth.yaml': sloth.length, 'openslo.yaml': openslo.length },
    );
  });

  it('accepts every query generated from 300 SLO sets (one promtool run)', () => {
    const files: Record<string, string> = {};
    const counts: Record<string, number> = {};
    for (let seed = 0; seed < 300; seed++) {
      const { slos, entries, origin } = generatedSloSet(seed);
      const { sloth, openslo } = outputQueries(slos, citationsBySlo(entries), origin);
      for (const [kind, queries] of [
        ['sloth', sloth],
        ['openslo', openslo],
      ] as const) {
        if (queries.length === 0) continue;
        files[`${kind}-${seed}.yaml`] = recordingRules(`${kind}-${seed}`, queries);
        counts[`${kind}-${seed}.yaml`] = queries.length;
      }
    }
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(2000);
    expectAccepted(files, counts);
  });
});
