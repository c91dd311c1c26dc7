/**
 * Durations as SLO files write them: a whole number and one unit, `5m`, `1h`, `28d`,
 * `4w`. The same shorthand OpenSLO (`duration-shorthand`) and Prometheus ranges accept,
 * minus the calendar units (months, quarters) that have no fixed length.
 */
export const DURATION = /^[1-9]\d*[mhdw]$/;

const UNIT_SECONDS: Record<string, number> = { m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Seconds in a duration like `28d`; undefined when it is not one. */
export function durationSeconds(value: string): number | undefined {
  if (!DURATION.test(value)) return undefined;
  return Number(value.slice(0, -1)) * UNIT_SECONDS[value.slice(-1)];
}
