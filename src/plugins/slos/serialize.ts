import { Document } from 'yaml';

/** Queries are long: never fold them, a folded PromQL string is hard to diff and to copy. */
const OPTIONS = { lineWidth: 0, minContentWidth: 0 } as const;

/** One YAML document, with an optional `#` comment above it (each line of `comment` starts with a space). */
export function toYaml(value: unknown, comment?: string): string {
  const doc = new Document(value);
  if (comment) doc.commentBefore = comment;
  return doc.toString(OPTIONS);
}

/** A multi-document YAML stream: documents joined with `---`, the comment above the first. */
export function toYamlStream(values: readonly unknown[], comment?: string): string {
  // The comment goes through the library too: no YAML line here is written by hand.
  const docs = values.map((v, i) => toYaml(v, i === 0 ? comment : undefined));
  return docs.join('---\n');
}

/** Pretty JSON with a final newline, as the other machine outputs are written. */
export const toJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
