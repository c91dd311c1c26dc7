/**
 * What a snippet's text means: the variables it uses, the scripts it invokes, and the
 * text filled in with quoted values. The validator, the page and the CLI all read
 * snippets through here (their meta through runbook/meta.ts).
 */

/** Safety classes, least to most dangerous. */
export const SAFETY = ['read-only', 'mutating', 'destructive'] as const;
export type Safety = (typeof SAFETY)[number];

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
