// Frontmatter and YAML values are loosely typed until a schema has judged them, and the
// publishers and the CLI read them before or beside it: one way to read a value as a
// list or as a string, here, so /runbooks.json, the diff, the quick-jump index, the
// alerts and `runbook run` agree on what a field says.

/** A value as a list of strings: a list item by item, nothing for null or absent, else the one value. */
export const asList = (v: unknown): string[] =>
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- frontmatter of any YAML type, printed as JavaScript prints it (its type is the check's to report)
  Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)];

/** Any value as text, as JavaScript prints it (`title: 2024` is "2024"); `fallback` for null or absent. */
export const asString = (v: unknown, fallback = ''): string =>
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- frontmatter of any YAML type (its type is the check's to report)
  v === undefined || v === null ? fallback : String(v);

/** A scalar as a string (`port: 5432` is "5432"); undefined for anything else (a list, a mapping, null). */
export const asText = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
