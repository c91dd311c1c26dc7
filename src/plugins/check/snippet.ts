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
  /** Characters the use spans (`$NAME` or `${NAME}`). */
  length: number;
  /** Whether the use sits inside a double-quoted string. */
  inDoubleQuotes: boolean;
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
    if (m) uses.push({ name: m[1], offset: i, length: m[0].length, inDoubleQuotes: double });
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

/** Quotes a value for POSIX shells: single quotes, with `'` written as `'\\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The snippet with each filled-in variable replaced by its shell-quoted value, so no
 * value can ever become shell syntax. Inside double quotes the string is closed, the
 * quoted value inserted and the string reopened. Secrets and unfilled variables stay
 * as `$NAME`, to be read from the environment when the command runs.
 */
export function fillSnippet(text: string, values: Readonly<Record<string, string>>, secrets: ReadonlySet<string> = new Set()): string {
  let out = '';
  let at = 0;
  for (const use of variableUses(text)) {
    const value = values[use.name];
    if (value === undefined || value === '' || secrets.has(use.name)) continue;
    // `"$NAME"` as a whole word becomes just the quoted value; inside a longer
    // double-quoted string, the string is closed around it.
    const whole = use.inDoubleQuotes && text[use.offset - 1] === '"' && text[use.offset + use.length] === '"';
    if (whole) {
      out += text.slice(at, use.offset - 1) + shellQuote(value);
      at = use.offset + use.length + 1;
      continue;
    }
    out += text.slice(at, use.offset) + (use.inDoubleQuotes ? `"${shellQuote(value)}"` : shellQuote(value));
    at = use.offset + use.length;
  }
  return out + text.slice(at);
}
