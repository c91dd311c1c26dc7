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
