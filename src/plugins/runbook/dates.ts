/**
 * A calendar day as UTC midnight: a date YAML read from an unquoted `2026-06-18`, or
 * the text `"2026-06-18"` when it names a real day. Undefined for anything else,
 * a timestamp with a time of day included.
 */
export function parseDay(value: unknown): Date | undefined {
  if (value instanceof Date) return value.getTime() % 86_400_000 === 0 ? value : undefined;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value) ? d : undefined;
}

/**
 * A length of time for people: the largest unit and the one below it when non-zero,
 * e.g. `1d 22h`, `40m 19s`, `2d`. Rounded to whole seconds; precision beyond two
 * units means nothing to someone deciding whether to page.
 */
export function formatSeconds(seconds: number): string {
  const units = [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const;
  const total = Math.round(seconds);
  const first = units.findIndex(([, size]) => total >= size);
  if (first < 0) return '0s';
  const [unit, size] = units[first];
  const out = [`${Math.floor(total / size)}${unit}`];
  const next = units[first + 1];
  if (next && Math.floor((total % size) / next[1]) > 0) out.push(`${Math.floor((total % size) / next[1])}${next[0]}`);
  return out.join(' ');
}
