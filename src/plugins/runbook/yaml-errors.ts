import type { Document, YAMLError } from 'yaml';

// Where a YAML error is, for every YAML file the project reads (frontmatter, runbooks.config.yaml,
// the severity ladder, SLO files, alert rules). Type imports only: frontmatter.ts loads `yaml`
// lazily and so may this module's callers.

/** A node of a parsed document, as far as the walk needs it. */
interface Walked {
  type?: string;
  range?: [number, number, number] | null;
  items?: { key?: unknown; value?: unknown }[] | unknown[];
}

/** The quoted scalar whose text runs to `end` (where an unclosed quote leaves it), if any. */
function quotedEndingAt(node: unknown, end: number): number | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const n = node as Walked;
  if ((n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE') && n.range && n.range[1] === end) return n.range[0];
  for (const item of n.items ?? []) {
    // A mapping's items are pairs (key and value, no range of their own); a sequence's are nodes.
    const pair = item as { key?: unknown; value?: unknown; range?: unknown };
    const hit =
      pair && typeof pair === 'object' && !('range' in pair)
        ? (quotedEndingAt(pair.key, end) ?? quotedEndingAt(pair.value, end))
        : quotedEndingAt(item, end);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** A YAML error as a finding shows it: where (an offset in the text parsed) and what. */
export interface YamlErrorPlace {
  offset: number;
  message: string;
}

/**
 * A YAML error of `doc`, placed: at the position the `yaml` library gives, except for a
 * quote never closed, which it notices only where the text runs out: that one is placed
 * at the quote opening the scalar (the library's own range of it). The message is the
 * library's first line (the rest pictures the source, which the place already shows).
 */
export function placeYamlError(doc: Document, error: YAMLError): YamlErrorPlace {
  // The library turns its own stack overflow into an error at wherever the stack ran out
  // (a column that depends on the machine): say what it means, at the start.
  if (/Maximum call stack size exceeded/.test(error.message))
    return {
      offset: 0,
      message: 'nested too deeply to read (lists or mappings inside each other, hundreds of levels)',
    };
  const quote = error.code === 'MISSING_CHAR' ? /closing (["'])quote/.exec(error.message)?.[1] : undefined;
  const opened = quote ? quotedEndingAt(doc.contents, error.pos[0]) : undefined;
  if (opened !== undefined)
    return {
      offset: opened,
      message: `a ${quote === '"' ? 'double' : 'single'} quote opened here is never closed`,
    };
  return { offset: error.pos[0], message: error.message.split('\n')[0] };
}
