/**
 * What a snippet's text means: the variables it uses, the scripts it invokes, and the
 * text filled in with quoted values. The validator, the page and the CLI all read
 * snippets through here (their meta through runbook/meta.ts).
 */

/** Safety classes, least to most dangerous. */
export const SAFETY = ['read-only', 'mutating', 'destructive'] as const;
export type Safety = (typeof SAFETY)[number];

/** A use of `$NAME`, `${NAME}` or `${NAME…}` in a snippet, 0-based offset into its text. */
export interface VariableUse {
  name: string;
  offset: number;
  /** Characters the use spans (`$NAME` or `${NAME}`; for an expansion, its `${` and name). */
  length: number;
  /** Whether the use sits inside a double-quoted string. */
  inDoubleQuotes: boolean;
  /**
   * True for `${NAME:-…}`, `${#NAME}`, `${NAME:0:4}` and the other expansions: the
   * value is used, but the text around it cannot simply be swapped for the value.
   */
  expansion: boolean;
}

/**
 * Variables a snippet uses: `$NAME`, `${NAME}` and expansions `${NAME…}` / `${#NAME}`
 * with NAME in `[A-Z_][A-Z0-9_]*`. `$$` (SQL dollar quoting, PID), `$(…)`, `$1` and
 * lower-case names are shell or SQL, never variables. Single-quoted shell text is
 * literal, so nothing inside it counts.
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
    if (next === '{') {
      const m = /^\$\{([#!]?)([A-Z_][A-Z0-9_]*)(\}|[:#%/^,@[+=?-])/.exec(text.slice(i, i + 80));
      if (m) uses.push({ name: m[2], offset: i, length: m[3] === '}' && !m[1] ? m[0].length : 2 + m[1].length + m[2].length, inDoubleQuotes: double, expansion: m[3] !== '}' || m[1] !== '' });
      continue;
    }
    const m = /^\$([A-Z_][A-Z0-9_]*)(?![a-z])/.exec(text.slice(i, i + 80));
    if (m) uses.push({ name: m[1], offset: i, length: m[0].length, inDoubleQuotes: double, expansion: false });
  }
  return uses;
}

/** Quotes a value for POSIX shells: single quotes, with `'` written as `'\\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Shell syntax in which a value swapped into the text would be read again as code:
 * here-documents, command and arithmetic substitution, arithmetic commands.
 */
const REEVALUATING = /<<|`|\$\(|\(\(|\$\[/;

/**
 * The snippet as an operator can paste it, with the filled-in values. Where every use of
 * a filled variable sits in double quotes (`"$NAME"`, `"…${NAME}…"`), each is replaced by
 * its shell-quoted value: inside a longer string the string is closed, the quoted value
 * inserted and the string reopened. Anywhere else (unquoted, a here-document, `$(…)`,
 * backticks, arithmetic, `${NAME:-…}`), swapping text could change what the shell does
 * with the value or turn it into code, so the values
 * come first as `export NAME='…'` lines and the snippet follows unchanged, which is
 * also exactly how `runbook run` passes them. Secrets and unfilled variables stay
 * `$NAME`, read from the environment when the command runs.
 */
export function fillSnippet(text: string, values: Readonly<Record<string, string>>, secrets: ReadonlySet<string> = new Set()): string {
  const uses = variableUses(text).filter((u) => values[u.name] !== undefined && values[u.name] !== '' && !secrets.has(u.name));
  if (uses.length === 0) return text;
  // Unquoted, the shell would split and glob the value: only `export` keeps that meaning.
  if (REEVALUATING.test(text) || uses.some((u) => u.expansion || !u.inDoubleQuotes)) {
    const names = [...new Set(uses.map((u) => u.name))];
    return `${names.map((name) => `export ${name}=${shellQuote(values[name])}`).join('\n')}\n${text}`;
  }
  let out = '';
  let at = 0;
  for (const use of uses) {
    const value = values[use.name];
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
