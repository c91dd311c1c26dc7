import { runbookLink, sloPageLink, type RunbookRef } from './citations.ts';
import { objectiveName, targetRatio } from './objective.ts';
import { SOURCE_TYPES, WINDOW_PLACEHOLDER, type Slo } from './schema.ts';

/**
 * The annotation prefix when the site has no DNS name to use: `.invalid` is reserved
 * (RFC 2606), so the key never claims a domain someone else owns, and it still passes
 * the OpenSLO schema, whose prefix must be a dotted DNS subdomain.
 */
export const FALLBACK_ANNOTATION_PREFIX = 'runbooks.invalid/';

/** A DNS subdomain with at least one dot, as the OpenSLO v1 schema requires of a key prefix. */
const DNS_PREFIX = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/;

/**
 * Prefix of the annotations we add to OpenSLO objects: the site's host and `/`
 * (`runbooks.kestrel.example/runbook`), so the keys say whose they are. Falls back to
 * {@link FALLBACK_ANNOTATION_PREFIX} when there is no site, or its host is no DNS name
 * the schema accepts (`localhost`, an IP address, a port).
 */
export function annotationPrefix(origin: string): string {
  let host = '';
  try {
    const url = new URL(origin);
    host = url.port ? '' : url.hostname;
  } catch {
    // No site configured (origin is empty): the fallback below.
  }
  return host.length <= 253 && DNS_PREFIX.test(host) ? `${host}/` : FALLBACK_ANNOTATION_PREFIX;
}

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

/** The longest `description` the OpenSLO v1 schema accepts. */
const DESCRIPTION_MAX = 1050;

/** `a, b, c`, or as many as fit in `max` characters and `and 4 more` (just the count when none fits). */
function listWithin(items: readonly string[], max: number): string {
  for (let k = items.length; k > 0; k--) {
    const text = `${items.slice(0, k).join(', ')}${k < items.length ? ` and ${items.length - k} more` : ''}`;
    if (text.length <= max) return text;
  }
  return `${items.length} (too long to list)`;
}

/**
 * A `Service` document's description: its SLOs and owners. A service with many SLOs
 * would pass the schema's 1050 characters: then it lists what fits and counts the rest
 * (each SLO document names its service, so nothing is lost).
 */
function serviceDescription(ids: readonly string[], owners: readonly string[]): string {
  const full = `SLOs: ${ids.join(', ')}. Owner: ${owners.join(', ')}.`;
  if (full.length <= DESCRIPTION_MAX) return full;
  const owner = `. Owner: ${listWithin(owners, 200)}.`;
  return `SLOs: ${listWithin(ids, DESCRIPTION_MAX - 'SLOs: '.length - owner.length)}${owner}`;
}

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
 * The annotations of an SLO document: the runbooks that cite it (`<prefix>runbook`
 * is the first, the one alerts link; `<prefix>runbook-2`… the others, in order), its
 * page on the site, its owner, and a latency SLO's threshold and percentile, which
 * OpenSLO's ratio metric has no field for. Fixed names after the prefix, so a
 * consumer can read them knowing only the site's host.
 */
function annotations(slo: Slo, citing: readonly RunbookRef[], origin: string): Record<string, string> {
  const prefix = annotationPrefix(origin);
  const out: Record<string, string> = {};
  citing.forEach((ref, i) => {
    out[`${prefix}runbook${i === 0 ? '' : `-${i + 1}`}`] = runbookLink(ref, origin);
  });
  out[`${prefix}page`] = sloPageLink(slo.id, origin);
  out[`${prefix}owner`] = slo.owner;
  if (slo.indicator.threshold) out[`${prefix}threshold`] = slo.indicator.threshold;
  if (slo.indicator.percentile !== undefined) out[`${prefix}percentile`] = String(slo.indicator.percentile);
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
      spec: {
        description: serviceDescription(
          own.map((s) => s.id),
          owners,
        ),
      },
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
