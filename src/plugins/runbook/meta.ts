// A fence's meta string is a fact of the page: the collector records it parsed, and
// run blocks, output blocks and the renderers read it.

/** A fenced block's meta string split into bare flags and `key=value` pairs. */
export interface Meta {
  flags: Set<string>;
  values: Map<string, string>;
  /** Keys given more than once (`safety=read-only … safety=destructive`): which one counts is not for a reader to guess. */
  duplicates: string[];
}

const TOKEN = /([A-Za-z_][\w-]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s]+))?/g;

/** Parses `run id=x safety=read-only title="Roll back" test` into flags and values. */
export function parseMeta(meta: string | null | undefined): Meta {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const duplicates: string[] = [];
  for (const match of (meta ?? '').matchAll(TOKEN)) {
    const [, key, raw] = match;
    if ((flags.has(key) || values.has(key)) && !duplicates.includes(key)) duplicates.push(key);
    if (raw === undefined) flags.add(key);
    else
      values.set(
        key,
        raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw.startsWith("'") ? raw.slice(1, -1) : raw,
      );
  }
  return { flags, values, duplicates };
}
