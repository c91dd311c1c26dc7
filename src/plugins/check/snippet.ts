/**
 * The one parser for executable snippets: fenced blocks with `run` in their meta,
 * and their ```` ```output for=<id> ```` expected-output blocks. The validator, the
 * page renderer and the CLI all read snippets through here.
 */

/** Safety classes, least to most dangerous. */
export const SAFETY = ['read-only', 'mutating', 'destructive'] as const;
export type Safety = (typeof SAFETY)[number];

/** A fenced block's meta string split into bare flags and `key=value` pairs. */
export interface Meta {
  flags: Set<string>;
  values: Map<string, string>;
}

const TOKEN = /([A-Za-z_][\w-]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s]+))?/g;

/** Parses `run id=x safety=read-only title="Roll back" test` into flags and values. */
export function parseMeta(meta: string | null | undefined): Meta {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (const match of (meta ?? '').matchAll(TOKEN)) {
    const [, key, raw] = match;
    if (raw === undefined) flags.add(key);
    else values.set(key, raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw.startsWith("'") ? raw.slice(1, -1) : raw);
  }
  return { flags, values };
}

/** A use of `$NAME` or `${NAME}` in a snippet, 0-based offset into its text. */
export interface VariableUse {
  name: string;
  offset: number;
}

/**
 * Variables a snippet uses: `$NAME` and `${NAME}` with NAME in `[A-Z_][A-Z0-9_]*`.
 * `$$` (SQL dollar quoting, PID), `${#NAME}`, `${NAME#…}`/`${NAME:-…}` and other
 * expansions, `$(…)`, `$1` and lower-case names are shell or SQL, never variables.
 * Single-quoted shell text is literal, so nothing inside it counts.
 */
export function variableUses(text: string): VariableUse[] {
  const uses: VariableUse[] = [];
  let single = false;
  let double = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (single) {
      if (c === "'") single = false;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"') double = !double;
    else if (c === "'" && !double) single = true;
    if (c !== '$') continue;
    const next = text[i + 1];
    if (next === '$') {
      i++;
      continue;
    }
    const m = next === '{' ? /^\$\{([A-Z_][A-Z0-9_]*)\}/.exec(text.slice(i, i + 80)) : /^\$([A-Z_][A-Z0-9_]*)(?![a-z])/.exec(text.slice(i, i + 80));
    if (m) uses.push({ name: m[1], offset: i });
  }
  return uses;
}

/** Where the script roots' files are invoked in a snippet, and whether as a command. */
export interface ScriptUse {
  path: string;
  /** 0-based offset of the path in the snippet text. */
  offset: number;
  /** True when the path is the command itself, so it must be executable. */
  invoked: boolean;
}

const COMMAND_PREFIX = /(^|[;&|(]|&&|\|\||\bsudo|\bexec|\btime|\bnohup|\bwatch|\btimeout\s+\d+[smh]?|\b[A-Z_][A-Z0-9_]*=("[^"]*"|'[^']*'|\S*))\s*$/;

const patterns = new Map<string, RegExp>();

function rootsPattern(roots: readonly string[]): RegExp {
  const key = roots.join('\0');
  let pattern = patterns.get(key);
  if (!pattern) {
    const alternatives = roots.map((r) => r.replace(/\/+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    pattern = new RegExp(`(^|[\\s"'=(;|&])((?:\\./)?(?:${alternatives})/[^\\s"'\`;|&)<>]+)`, 'g');
    patterns.set(key, pattern);
  }
  return pattern;
}

/** Paths under `roots` (e.g. `ops/`, `./bin/`) that a snippet mentions. */
export function scriptUses(text: string, roots: readonly string[]): ScriptUse[] {
  if (roots.length === 0) return [];
  const pattern = rootsPattern(roots);
  pattern.lastIndex = 0;
  const uses: ScriptUse[] = [];
  for (const match of text.matchAll(pattern)) {
    const offset = (match.index ?? 0) + match[1].length;
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const before = text.slice(lineStart, offset).replace(/["']$/, '');
    uses.push({ path: match[2].replace(/^\.\//, ''), offset, invoked: COMMAND_PREFIX.test(before) || before.trim() === '' });
  }
  return uses;
}
