import { runbookLink, sloPageLink, type RunbookRef } from './citations.ts';
import { objectiveName, targetRatio } from './objective.ts';
import { SOURCE_TYPES, WINDOW_PLACEHOLDER, type Slo } from './schema.ts';

/** Prefix of the annotations we add to OpenSLO objects (`runbooks/runbook`, `runbooks/owner`…). */
export const ANNOTATION_PREFIX = 'runbooks/';

/** An OpenSLO v1 `Service` document. */
export interface OpenSloService {
  apiVersion: 'openslo/v1';
  kind: 'Service';
  metadata: { name: string };
  spec: { description: string };
}

/** One side of a ratio metric. */
interface MetricRef {
  metricSource: { type: string; spec: { query: string } };
}

/** An OpenSLO v1 `SLO` document with its indicator inline. */
export interface OpenSloSlo {
  apiVersion: 'openslo/v1';
  kind: 'SLO';
  metadata: { name: string; displayName: string; annotations: Record<string, string> };
  spec: {
    description: string;
    service: string;
    indicator: {
      metadata: { name: string };
      spec: { ratioMetric: { counter: true; good: MetricRef; total: MetricRef } };
    };
    timeWindow: [{ duration: string; isRolling: true }];
    budgetingMethod: 'Occurrences';
    objectives: [{ displayName: string; target: number }];
  };
}

/** What `/slos.yaml` holds, in order, and `/slos.json` as an array. */
export type OpenSloDocument = OpenSloService | OpenSloSlo;

const byId = (a: Slo, b: Slo) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The query as an OpenSLO tool should run it. Our `{{window}}` placeholder means
 * nothing to those tools, and left in place it would make the PromQL invalid; filled
 * with the SLO's own window, each query, evaluated at any instant, covers exactly
 * the objective's time window, which is what a ratio over `timeWindow` asks for. The
 * Sloth output keeps the placeholder instead (as `{{.window}}`), because Sloth runs
 * each query over its own alert windows.
 */
export function openSloQuery(query: string, window: string): string {
  return query.replace(WINDOW_PLACEHOLDER, window);
}

/**
 * The annotations of an SLO document: the runbooks that cite it (`runbooks/runbook`
 * is the first, the one alerts link; `runbooks/runbook-2`… the others, in order), its
 * page on the site, its owner, and a latency SLO's threshold and percentile, which
 * OpenSLO's ratio metric has no field for. Fixed key names, so a consumer can read
 * them without knowing the site.
 */
function annotations(slo: Slo, citing: readonly RunbookRef[], origin: string): Record<string, string> {
  const out: Record<string, string> = {};
  citing.forEach((ref, i) => {
    out[`${ANNOTATION_PREFIX}runbook${i === 0 ? '' : `-${i + 1}`}`] = runbookLink(ref, origin);
  });
  out[`${ANNOTATION_PREFIX}page`] = sloPageLink(slo.id, origin);
  out[`${ANNOTATION_PREFIX}owner`] = slo.owner;
  if (slo.indicator.threshold) out[`${ANNOTATION_PREFIX}threshold`] = slo.indicator.threshold;
  if (slo.indicator.percentile !== undefined) out[`${ANNOTATION_PREFIX}percentile`] = String(slo.indicator.percentile);
  return out;
}

/**
 * The OpenSLO v1 documents for a set of SLOs: one `Service` per service (sorted by
 * name), then one `SLO` per file (sorted by id). `citations` maps SLO ids to the
 * runbooks citing them; `origin` is the site origin links are built on (may be empty).
 */
export function openSloDocuments(
  slos: readonly Slo[],
  citations: ReadonlyMap<string, readonly RunbookRef[]>,
  origin: string,
): OpenSloDocument[] {
  const sorted = [...slos].sort(byId);
  const services = [...new Set(sorted.map((s) => s.service))].sort();
  const serviceDocs: OpenSloService[] = services.map((name) => {
    const own = sorted.filter((s) => s.service === name);
    const owners = [...new Set(own.map((s) => s.owner))];
    return {
      apiVersion: 'openslo/v1',
      kind: 'Service',
      metadata: { name },
      spec: { description: `SLOs: ${own.map((s) => s.id).join(', ')}. Owner: ${owners.join(', ')}.` },
    };
  });
  const sloDocs: OpenSloSlo[] = sorted.map((slo) => {
    const metric = (query: string): MetricRef => ({
      metricSource: { type: SOURCE_TYPES[slo.indicator.source], spec: { query: openSloQuery(query, slo.window) } },
    });
    return {
      apiVersion: 'openslo/v1',
      kind: 'SLO',
      metadata: {
        name: slo.id,
        displayName: slo.description,
        annotations: annotations(slo, citations.get(slo.id) ?? [], origin),
      },
      spec: {
        description: slo.description,
        service: slo.service,
        // A latency SLO is a ratio too (requests under the threshold / all requests):
        // the queries already encode the threshold, so no thresholdMetric is needed.
        indicator: {
          metadata: { name: `${slo.id}-sli` },
          spec: {
            ratioMetric: {
              counter: true,
              good: metric(slo.indicator.ratio.good),
              total: metric(slo.indicator.ratio.total),
            },
          },
        },
        timeWindow: [{ duration: slo.window, isRolling: true }],
        budgetingMethod: 'Occurrences',
        objectives: [{ displayName: objectiveName(slo), target: targetRatio(slo.objective) }],
      },
    };
  });
  return [...serviceDocs, ...sloDocs];
}
