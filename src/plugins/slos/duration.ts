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

/**
 * A length of time for people: the largest unit and the one below it when non-zero,
 * e.g. `1d 22h`, `40m 19s`, `2d`. Rounded to whole seconds; precision beyond two
 * units means nothing to someone deciding whether to page.
 */
export function formatSeconds(seconds: number): string {
  const units = [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const;
  const total = Math.round(seconds);
  const first = units.findIndex(([, size]) => total >= size);
  if (first < 0) return '0s';
  const [unit, size] = units[first];
  const out = [`${Math.floor(total / size)}${unit}`];
  const next = units[first + 1];
  if (next && Math.floor((total % size) / next[1]) > 0) out.push(`${Math.floor((total % size) / next[1])}${next[0]}`);
  return out.join(' ');
}
