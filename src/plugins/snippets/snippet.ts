/**
 * What a snippet's text means: the variables it uses, the scripts it invokes, and the
 * text filled in with quoted values. The validator, the page and the CLI all read
 * snippets through here (their meta through runbook/meta.ts).
 */

import { DEFAULT_DB, isSqlLang, type SqlForm, sqlVariableUses } from './sql.ts';

/**
 * A command as the page shows it, one string per line, each keeping its newline: one
 * element per line lets a long line wrap under itself (runbooks.css), and the elements'
 * text is still the command exactly. The build (render.ts) and the page script share it.
 */
export function commandLines(command: string): string[] {
  const lines = command.split('\n');
  return lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line));
}

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

/** A shell name: bash reads the longest run of these characters after `$`, whatever their case. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const UPPER = /^[A-Z_][A-Z0-9_]*$/;

/** Names an arithmetic expression reads bare: `(( COUNT > 2 ))` uses COUNT. */
const arithmeticNames = (inner: string) => [...inner.matchAll(/(?<![\w$#{])([A-Z_][A-Z0-9_]*)(?![\w])/g)];

/**
 * Where the lexer stands: in a double-quoted string, in a `$(…)` or backquoted command
 * inside one (where quotes start anew), or in a `${…}` (which keeps its string's quoting
 * for single quotes but opens a nested string at `"`: `"${X:+"it's"}"`). `double` is
 * whether single quotes are plain characters there, kept per frame so no step looks down the stack.
 */
type Frame =
  { kind: 'dq' | 'bt' | 'brace'; double: boolean } | { kind: 'cmd'; double: false; depth: number; cases: number };

/**
 * Variables a snippet uses: `$NAME`, `${NAME}` and expansions `${NAME…}` / `${#NAME}`
 * with NAME in `[A-Z_][A-Z0-9_]*` (`$HOST_name` is the variable HOST_name, not HOST).
 * `$$` (SQL dollar quoting, PID), `$(…)`, `$1` and lower-case names are shell or SQL,
 * never variables. Single-quoted and `$'…'` text, comments and quoted here-documents
 * (`<<'EOF'`, `<<"EOF"`, `<<\EOF`) are literal, so nothing inside them counts.
 */
export function variableUses(text: string): VariableUse[] {
  return usesIn(text, 0);
}

/** Command substitutions in here-document bodies are read this deep; deeper ones as plain body text. */
const MAX_NESTING = 8;

/** variableUses at a nesting depth (a here-document body's `$(…)` is read by a nested call). */
function usesIn(text: string, nesting: number): VariableUse[] {
  const uses: VariableUse[] = [];
  const stack: Frame[] = [];
  let double = false;
  /** Here-documents opened on the current line: their bodies start on the next. */
  const pending: { delimiter: string; expands: boolean; tabs: boolean }[] = [];
  const use = (i: number): number => {
    // Bash joins lines at a backslash-newline before it reads a name: `$HOST\⏎NAME` is $HOSTNAME.
    let joined = '';
    const from: number[] = [];
    for (let k = i; k < text.length && joined.length < 80; k++) {
      if (text[k] === '\\' && text[k + 1] === '\n') k++;
      else ((joined += text[k]), from.push(k));
    }
    /** Characters of the text that the first n joined ones span. */
    const span = (n: number) => from[n - 1] + 1 - i;
    const next = joined[1];
    if (next === '$') return i + 2;
    if (next === '{') {
      const m = /^\$\{([#!]?)([A-Za-z_][A-Za-z0-9_]*)(\}|[:#%/^,@[+=?-])/.exec(joined);
      if (m && UPPER.test(m[2]))
        uses.push({
          name: m[2],
          offset: i,
          length: span(m[3] === '}' && !m[1] ? m[0].length : 2 + m[1].length + m[2].length),
          inDoubleQuotes: double,
          expansion: m[3] !== '}' || m[1] !== '',
        });
      return i + 1;
    }
    const name = NAME.exec(joined.slice(1))?.[0];
    if (name && UPPER.test(name))
      uses.push({ name, offset: i, length: span(name.length + 1), inDoubleQuotes: double, expansion: false });
    return i + 1;
  };
  /** The `)` that closes a command substitution whose text starts at i, on the same line; -1 if none. */
  const commandEnd = (i: number, lineEnd: number): number => {
    for (let depth = 1; i < lineEnd; i++) {
      const c = text[i];
      if (c === '\\') i++;
      else if (c === "'") i = text.indexOf("'", i + 1) === -1 ? lineEnd : text.indexOf("'", i + 1);
      else if (c === '"') for (i++; i < lineEnd && text[i] !== '"'; i++) i += text[i] === '\\' ? 1 : 0;
      else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return i;
    }
    return -1;
  };
  /** Arithmetic at i (`((`, `$((` or `$[`): its bare names are uses too. */
  const arithmetic = (i: number, open: number): void => {
    const end = text.indexOf(text[i + open - 1] === '[' ? ']' : '))', i + open);
    if (end === -1) return;
    for (const m of arithmeticNames(text.slice(i + open, end)))
      uses.push({
        name: m[1],
        offset: i + open + (m.index ?? 0),
        length: m[1].length,
        inDoubleQuotes: double,
        expansion: true,
      });
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    double = stack.at(-1)?.double ?? false;
    if (c === '\n' && !double && pending.length > 0) {
      // Here-document bodies: quotes are plain characters there; `$NAME` and `$(( ))` expand unless the delimiter was quoted.
      i++;
      for (const doc of pending.splice(0)) {
        while (i < text.length) {
          const end = text.indexOf('\n', i);
          const lineEnd = end === -1 ? text.length : end;
          const line = text.slice(i, lineEnd);
          if ((doc.tabs ? line.replace(/^\t+/, '') : line) === doc.delimiter) {
            i = lineEnd + 1;
            break;
          }
          if (doc.expands) {
            // After one `$(` that does not close on its line, the rest of the line is read as plain body text (no rescans).
            let end = nesting < MAX_NESTING ? 0 : -1;
            for (let j = i; j < lineEnd; j++) {
              if (text[j] === '\\') j++;
              else if (text[j] === '$' && (text.startsWith('$((', j) || text[j + 1] === '['))
                arithmetic(j, text[j + 1] === '[' ? 2 : 3);
              else if (
                text[j] === '$' &&
                text[j + 1] === '(' &&
                end !== -1 &&
                (end = commandEnd(j + 2, lineEnd)) !== -1
              ) {
                // A command substitution in the body is shell again, with its own quotes: `$(echo '$X')` uses nothing.
                uses.push(
                  ...usesIn(text.slice(j + 2, end), nesting + 1).map((u) => ({
                    ...u,
                    offset: u.offset + j + 2,
                    inDoubleQuotes: false,
                  })),
                );
                j = end;
              } else if (text[j] === '$') j = use(j) - 1;
            }
          }
          i = lineEnd + 1;
        }
      }
      continue;
    }
    if (!double) {
      if (c === "'") {
        // Single quotes: literal to the next quote.
        const close = text.indexOf("'", i + 1);
        i = close === -1 ? text.length : close + 1;
        continue;
      }
      if (c === '$' && text[i + 1] === "'") {
        // ANSI-C quoting $'…': literal, with backslash escapes (\' does not close it).
        let j = i + 2;
        while (j < text.length && text[j] !== "'") j += text[j] === '\\' ? 2 : 1;
        i = j + 1;
        continue;
      }
      if (c === '#' && (i === 0 || /[\s;&|()]/.test(text[i - 1]))) {
        // A comment: nothing up to the end of the line is shell.
        const end = text.indexOf('\n', i);
        i = end === -1 ? text.length : end;
        continue;
      }
      if (c === '<' && text[i + 1] === '<' && text[i + 2] !== '<' && text[i - 1] !== '<') {
        // The delimiter word: any quoting in it (`'EOF'`, `"EOF"`, `\EOF`, `E"O"F`) keeps the body literal.
        const m = /^<<(-?)[ \t]*((?:[A-Za-z0-9_.-]|\\.|'[^'\n]*'|"[^"\n]*")+)/.exec(text.slice(i, i + 120));
        if (m) {
          pending.push({
            delimiter: m[2].replace(/\\(.)|'([^']*)'|"([^"]*)"/g, '$1$2$3'),
            expands: !/['"\\]/.test(m[2]),
            tabs: m[1] === '-',
          });
          i += m[0].length;
          continue;
        }
      }
    }
    const top = stack.at(-1);
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '"') {
      if (top?.kind === 'dq') stack.pop();
      else stack.push({ kind: 'dq', double: true });
      i++;
      continue;
    }
    if (c === '`' && (double || top?.kind === 'bt')) {
      // A command in backquotes inside a string: its quotes start anew, up to the closing backquote.
      if (top?.kind === 'bt') stack.pop();
      else stack.push({ kind: 'bt', double: false });
      i++;
      continue;
    }
    if (c === '}' && top?.kind === 'brace') stack.pop();
    if (top?.kind === 'cmd') {
      // Inside `case … esac` a `)` ends a pattern, not the substitution.
      if (/^(case|esac)(?![\w-])/.test(text.slice(i, i + 5)) && (i === 0 || /[\s;&|(]/.test(text[i - 1])))
        top.cases += text[i] === 'c' ? 1 : -1;
      if (top.cases <= 0 && c === ')' && --top.depth < 0) stack.pop();
      if (top.cases <= 0 && c === '(') top.depth += text[i + 1] === '(' ? 2 : 1;
    }
    if ((c === '(' && text[i + 1] === '(') || (c === '$' && text[i + 1] === '[')) {
      // Arithmetic reads bare names as variables too: `(( COUNT > 2 ))` uses COUNT.
      arithmetic(i, 2);
      i += 2;
      continue;
    }
    if (c === '$' && text[i + 1] === '(' && text[i + 2] !== '(' && double) {
      // A command substitution inside a string: its quotes start anew, up to the matching `)`.
      stack.push({ kind: 'cmd', double: false, depth: 0, cases: 0 });
      i += 2;
      continue;
    }
    if (c === '$' && text[i + 1] === '{') stack.push({ kind: 'brace', double });
    i = c === '$' ? use(i) : i + 1;
  }
  return uses;
}

/**
 * Variables a snippet hands to bash where bash evaluates the value as code, not as data:
 * arithmetic (`(( ))`, `$(( ))`, `$[ ]`, `let`, `declare -i`, the `-eq`-style tests of
 * `[[ ]]`, where `a[$(cmd)]` runs cmd), `eval`, `${!NAME}`, `${NAME@P}`, `printf -v "$NAME"`.
 * Quoting cannot help there; only a value that is plainly a number can. `uses` are the
 * text's uses as another reading found them (the shell-parser comparison test).
 */
export function evaluatedUses(text: string, uses: readonly VariableUse[] = variableUses(text)): VariableUse[] {
  return uses.filter((u) => {
    // `${#NAME}` hands bash the value's length, a number whatever the value.
    if (text.startsWith('${#', u.offset)) return false;
    const lineStart = text.lastIndexOf('\n', u.offset - 1) + 1;
    const lineEnd = text.indexOf('\n', u.offset) === -1 ? text.length : text.indexOf('\n', u.offset);
    const before = text.slice(lineStart, u.offset);
    const after = text.slice(u.offset, lineEnd);
    const open = (s: string, a: string, b: string) => s.split(a).length - s.split(b).length;
    if (/^\$\{!|^\$\{[A-Z_][A-Z0-9_]*@P\}/.test(after)) return true;
    if (open(before, '((', '))') > 0 || open(before, '$[', ']') > 0) return true;
    if (/(^|[;&|]\s*)(let|eval|declare\s+-[a-hj-zA-Z]*i[a-zA-Z]*|typeset\s+-[a-hj-zA-Z]*i[a-zA-Z]*)\s/.test(before))
      return true;
    if (/printf\s+-v\s+["']?$/.test(before)) return true;
    // [[ … $NAME -eq … ]] or [[ … -eq $NAME … ]] on one line.
    const test = before.lastIndexOf('[[');
    if (test !== -1 && before.lastIndexOf(']]') < test && after.includes(']]')) {
      const inside = before.slice(test) + after.slice(0, after.indexOf(']]'));
      if (/\s-(eq|ne|lt|le|gt|ge)\s/.test(inside)) return true;
    }
    return false;
  });
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
export function fillSnippet(
  text: string,
  values: Readonly<Record<string, string>>,
  secrets: ReadonlySet<string> = new Set(),
): string {
  return fillUses(text, variableUses(text), values, secrets);
}

/** fillSnippet on uses found by another reading of the text (the shell-parser comparison test gives sh-syntax's). */
export function fillUses(
  text: string,
  found: readonly VariableUse[],
  values: Readonly<Record<string, string>>,
  secrets: ReadonlySet<string> = new Set(),
): string {
  const uses = found.filter((u) => values[u.name] !== undefined && values[u.name] !== '' && !secrets.has(u.name));
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

/** A run block as far as its variables go: its language, its text and, for SQL, its `db=`. */
export interface SnippetSource {
  lang: string;
  text: string;
  /** The `db=` of the fence, as written. */
  db?: string;
}

/** The variable an SQL block connects with (its `db=`, else DATABASE_URL); undefined for other blocks. */
export const dbVariable = (block: SnippetSource): string | undefined =>
  isSqlLang(block.lang) ? (block.db ?? DEFAULT_DB) : undefined;

/** The SQL forms through which psql reads a variable's value. */
export const SQL_BOUND: readonly SqlForm[] = ['literal', 'identifier', 'defined', 'bare'];

/** The variables psql binds for an SQL block (`:'NAME'`, `:"NAME"`, `:{?NAME}`, `:NAME`), in order of first use. */
export const sqlBoundNames = (text: string): string[] => [
  ...new Set(
    sqlVariableUses(text)
      .filter((u) => SQL_BOUND.includes(u.form))
      .map((u) => u.name),
  ),
];

/**
 * The variables a run block uses, as its language reads them, in order of first use:
 * `$NAME` forms in shell, psql's `:'NAME'` forms in SQL, where the database variable
 * comes first. The checker, the page and the runner all ask this one question.
 */
export function usedNames(block: SnippetSource): string[] {
  const db = dbVariable(block);
  if (db === undefined) return [...new Set(variableUses(block.text).map((u) => u.name))];
  return [...new Set([db, ...sqlBoundNames(block.text)])];
}

/** Variables a block hands over as code rather than data: bash-evaluated ones, and psql's bare `:NAME`. Only a number is safe there. */
export function codeUses(block: SnippetSource): VariableUse[] {
  return isSqlLang(block.lang)
    ? sqlVariableUses(block.text).filter((u) => u.form === 'bare')
    : evaluatedUses(block.text);
}

/** What the page knows of an SQL block beyond its text: how it connects and runs. */
export interface SqlBlockMeta {
  /** The variable holding the connection URL. */
  db: string;
  safety?: string;
  /** `timeout=` in seconds, when valid. */
  timeout?: number;
}

/**
 * An SQL block as a command an operator can paste into a shell: psql on the block's
 * database (given with `-d`, so a value starting with `-` cannot be read as an option), stopping at the first error, the SQL in a quoted here-document exactly as
 * written. Filled values become `-v NAME='…'` (shell-quoted; psql then quotes them for
 * SQL through `:'NAME'`). Secrets and unfilled variables are read from the shell's
 * environment by a `\getenv` line, never pasted. A read-only block's copy runs in a
 * read-only transaction and `timeout=` becomes statement_timeout, as `runbook run` does.
 */
export function fillSql(
  text: string,
  meta: SqlBlockMeta,
  values: Readonly<Record<string, string>>,
  secrets: ReadonlySet<string> = new Set(),
): string {
  const names = sqlBoundNames(text);
  const filled = (n: string) => values[n] !== undefined && values[n] !== '' && !secrets.has(n);
  const options = [
    ...(meta.safety === 'read-only' ? ['-c default_transaction_read_only=on'] : []),
    ...(meta.timeout ? [`-c statement_timeout=${meta.timeout}s`] : []),
  ];
  const db = filled(meta.db) ? shellQuote(values[meta.db]) : `"$${meta.db}"`;
  const lines = text.split('\n');
  let end = 'SQL';
  for (let k = 1; lines.some((l) => l === end); k++) end = `SQL_${k}`;
  // One setting per line, joined with `\` so the command stays readable and pastes as one.
  const given = names.filter(filled).map((n) => `-v ${n}=${shellQuote(values[n])}`);
  const head = [
    ...(options.length ? [`PGOPTIONS=${shellQuote(options.join(' '))}`] : []),
    `psql -d ${db} -X -v ON_ERROR_STOP=1`,
    ...given.map((v) => `  ${v}`),
  ];
  head[head.length - 1] += ` <<'${end}'`;
  const fromEnv = names.filter((n) => !filled(n)).map((n) => `\\getenv ${n} ${n}`);
  return [head.join(' \\\n'), ...fromEnv, text.replace(/\n$/, ''), end].join('\n');
}
