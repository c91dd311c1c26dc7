// Frontmatter and YAML values are loosely typed until a schema has judged them, and the
// publishers and the CLI read them before or beside it: one way to read a value as a
// list or as a string, here, so /runbooks.json, the diff, the quick-jump index, the
// alerts and `runbook run` agree on what a field says.

/** A value as a list of strings: a list item by item (each as {@link asText} reads it), nothing for null or absent, else the one value. */
export const asList = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).map((x: unknown) => asText(x) ?? asString(x));

/** Any value as text, as JavaScript prints it (`title: 2024` is "2024"); `fallback` for null or absent. */
export const asString = (v: unknown, fallback = ''): string =>
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- frontmatter of any YAML type (its type is the check's to report)
  v === undefined || v === null ? fallback : String(v);

/** Whether YAML read a plain scalar as something other than text: a date, a number or a boolean. */
export const isMisreadScalar = (v: unknown): v is Date | number | boolean =>
  v instanceof Date || typeof v === 'number' || typeof v === 'boolean';

/**
 * A value of a text field as the site reads it (the page schema turns a date, number or
 * boolean back into text with {@link asText}); anything else as it is, for the rules to
 * judge. The rules that compare a field with the rest of the site (ladder ids, SLO files,
 * slugs, anchors) read it through this, so they judge what the site will publish.
 */
export const asWritten = (v: unknown): unknown => (isMisreadScalar(v) ? (asText(v) ?? v) : v);

/**
 * A scalar as text: the one conversion of a value YAML read as a date, number or boolean
 * back into the text it stands for, shared by the page schema (so the site shows it), the
 * check (which accepts it only when this gives back exactly what was written) and the CLI.
 * `port: 5432` is "5432", `on: true` "true", a date at UTC midnight `2026-04-18`, any other
 * moment ISO 8601 in UTC without zero milliseconds (`2026-04-18T15:10:00Z`). Undefined for
 * anything else (a list, a mapping, null, an invalid date).
 */
export function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (!(v instanceof Date) || Number.isNaN(v.getTime())) return undefined;
  const iso = v.toISOString();
  return v.getTime() % 86_400_000 === 0 ? iso.slice(0, 10) : iso.replace(/\.000Z$/, 'Z');
}
