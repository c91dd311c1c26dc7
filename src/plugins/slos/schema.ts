import { z } from 'zod';
import { DURATION, durationSeconds } from './duration.ts';
import { HANDLE } from '../runbook/patterns.ts';

/**
 * Metric sources an indicator may name, as written in SLO files, mapped to the
 * `metricSource.type` OpenSLO tools expect. A closed list on purpose: a typo such as
 * `promethus` must fail the check, not silently drop the SLO from the Sloth output.
 * Add a row here to support another source.
 */
export const SOURCE_TYPES = {
  prometheus: 'Prometheus',
  datadog: 'Datadog',
  cloudwatch: 'CloudWatch',
  newrelic: 'NewRelic',
  dynatrace: 'Dynatrace',
  elasticsearch: 'Elasticsearch',
  gcm: 'GCM',
  graphite: 'Graphite',
  influxdb: 'InfluxDB',
  splunk: 'Splunk',
  honeycomb: 'Honeycomb',
  bigquery: 'BigQuery',
  azuremonitor: 'AzureMonitor',
} as const;

/** An indicator source id, e.g. `prometheus`. */
export type SourceId = keyof typeof SOURCE_TYPES;

const SOURCE_IDS = Object.keys(SOURCE_TYPES) as [SourceId, ...SourceId[]];

/**
 * A name that is safe as a URL segment, a file name, an OpenSLO `metadata.name`
 * (RFC 1123 label) and a Sloth service or SLO name. SLO ids stop at 59 characters so
 * the generated `<id>-sli` indicator name still fits the 63 of a label.
 */
export const SERVICE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** See {@link SERVICE_NAME}; the file name of an SLO without `.yaml`. */
export const SLO_ID = /^[a-z0-9]([a-z0-9-]{0,57}[a-z0-9])?$/;

/** A team or person handle, as runbook owners are written. */

/** Where the window placeholder sits in a query: `{{window}}` (ours) or `{{.window}}` (Sloth's). */
export const WINDOW_PLACEHOLDER = /\{\{\s*\.?window\s*\}\}/g;

/**
 * The SLO file schema. Built per ladder because alert severities must be ladder ids.
 * Messages complete a sentence that starts with the field and its value, e.g.
 * "`window` "4 weeks" is not a duration like 28d".
 */
export function sloFileSchema(ladderIds: readonly string[] | undefined) {
  const severity = z
    .string()
    .refine((id) => !ladderIds || ladderIds.includes(id), 'is not a level of the severity ladder');
  const duration = z.string().regex(DURATION, 'is not a duration like 28d (a whole number and m, h, d or w)');
  const query = z.string().trim().min(1, 'is empty');
  return z.strictObject({
    service: z
      .string()
      .regex(SERVICE_NAME, 'is not a service name (lower-case letters, digits and dashes)')
      .describe('The service the SLO belongs to; names the Sloth file and the OpenSLO Service.'),
    description: z
      .string()
      .trim()
      .min(1, 'is empty')
      .max(1050, 'is longer than the 1050 characters OpenSLO allows')
      .describe('One sentence: what share of what is good.'),
    objective: z
      .number()
      .gt(0, 'must be above 0 (it is a percentage)')
      .lt(100, 'must be below 100 (no SLO can promise 100%)')
      .describe('Target in percent, e.g. 99.9.'),
    window: duration.describe('Rolling window, e.g. `28d`.'),
    indicator: z
      .strictObject({
        source: z
          .enum(SOURCE_IDS)
          .default('prometheus')
          .describe('Where the queries run; OpenSLO `metricSource.type`. Sloth files only for prometheus.'),
        ratio: z
          .strictObject({ good: query, total: query })
          .describe('Good and total events; the SLI is good / total.'),
        threshold: z
          .string()
          .regex(/^\d+(\.\d+)?(ms|s|m)$/, 'is not a latency like 300ms or 1.5s')
          .optional()
          .describe('For latency SLOs: the bound a good event stays under, e.g. `300ms`.'),
        percentile: z
          .number()
          .gt(0, 'must be above 0')
          .max(100, 'must be at most 100')
          .optional()
          .describe('For latency SLOs: the percentile the threshold describes, e.g. 99.'),
      })
      .describe('What is measured: the queries of good and of all events, and where they run.'),
    owner: z.string().regex(HANDLE, 'is not a handle like "@platform-team"').describe('Owning team handle.'),
    alerts: z
      .array(
        z
          .strictObject({
            burn_rate: z
              .number()
              .gt(0, 'must be above 0')
              .describe('How many times faster than allowed the budget burns, e.g. 14.4.'),
            long: duration.describe('The window the burn rate is measured over, e.g. `1h`.'),
            short: duration.describe('The shorter window that confirms it is still burning, e.g. `5m`.'),
            severity: severity.describe('A level of the severity ladder (src/content/severity.yaml).'),
          })
          // A multiwindow alert's short window confirms the long one is still burning; equal or
          // longer would make it a single-window alert that keeps firing after recovery.
          .refine((a) => (durationSeconds(a.short) ?? 0) < (durationSeconds(a.long) ?? 0), {
            message: 'must be shorter than the long window',
            path: ['short'],
          }),
      )
      .default([])
      .describe('Multiwindow burn-rate alerts, each mapped to a ladder level.'),
  });
}

/** One burn-rate alert of an SLO. */
export type SloAlert = z.infer<ReturnType<typeof sloFileSchema>>['alerts'][number];

/** A valid SLO: the file's fields plus its id (the file name) and path. */
export type Slo = z.infer<ReturnType<typeof sloFileSchema>> & {
  /** The file name without `.yaml`: `/slos/<id>/`, OpenSLO `metadata.name`. */
  id: string;
  /** Path from the project root, forward slashes. */
  file: string;
};
