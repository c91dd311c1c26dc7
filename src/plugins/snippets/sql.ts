/**
 * What an SQL run block's text means to psql: where it reads a psql variable
 * (`:'NAME'`, `:"NAME"`, `:NAME`), where a shell-style `$NAME` was pasted by mistake,
 * and what in it would step outside the read-only transaction or out of SQL. psql
 * never substitutes inside string literals, quoted identifiers, dollar-quoted bodies or
 * comments, so nothing there counts; `::type` casts, `$1` parameters and `$tag$`
 * quotes are SQL. The checker, the runner and the page read SQL through here.
 */

/** Fence languages that run as SQL through psql. */
export const SQL_LANGS = ['sql', 'psql', 'pgsql', 'postgresql', 'postgres'];

/** Whether a fence language is SQL. */
export const isSqlLang = (lang: string | null | undefined) => SQL_LANGS.includes((lang ?? '').toLowerCase());

/** The variable an SQL block connects with when it has no `db=`. */
export const DEFAULT_DB = 'DATABASE_URL';

/** How an SQL block refers to a variable. */
export type SqlForm =
  /** `:'NAME'`: psql pastes the value as a quoted literal, safe for any value. */
  | 'literal'
  /** `:"NAME"`: a quoted identifier, safe for any value. */
  | 'identifier'
  /** `:{?NAME}`: whether it is set (true/false). */
  | 'defined'
  /** `:NAME`: pasted as SQL text. Only a number is safe there. */
  | 'bare'
  /** `$NAME` / `${NAME}`: shell syntax, which psql sends to the server as written. */
  | 'shell'
  /** `:NAME`, `:'NAME'` or `$NAME` inside a quoted string or dollar-quoted body: psql leaves it as written. */
  | 'quoted';

/** A use of a variable in SQL text (shaped like snippet.ts's VariableUse, so both read alike). */
export interface SqlUse {
  name: string;
  /** 0-based offset into the text, and the characters the use spans. */
  offset: number;
  length: number;
  form: SqlForm;
  inDoubleQuotes: false;
  /** True unless psql quotes the value (`:'NAME'`, `:"NAME"`). */
  expansion: boolean;
}

/** Characters of an unquoted identifier (PostgreSQL allows `$` after the first). */
const IDENT = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

/** A part of SQL text psql does not read as code: `[from, to)`, and what it is. */
interface Span {
  from: number;
  to: number;
  kind: 'comment' | 'string';
}

/** Comments, string literals, quoted identifiers and dollar-quoted bodies, as psql's lexer finds them. */
function quotedSpans(text: string): Span[] {
  const spans: Span[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    let end = -1;
    let kind: Span['kind'] = 'string';
    if (c === '-' && next === '-') {
      kind = 'comment';
      end = text.indexOf('\n', i);
      if (end === -1) end = text.length;
    } else if (c === '/' && next === '*') {
      // Block comments nest in PostgreSQL.
      kind = 'comment';
      let depth = 1;
      let j = i + 2;
      while (j < text.length && depth > 0) {
        if (text.startsWith('/*', j)) (depth++, (j += 2));
        else if (text.startsWith('*/', j)) (depth--, (j += 2));
        else j++;
      }
      end = j;
    } else if (c === "'") {
      // E'…' strings take backslash escapes; '' is a quote in both kinds.
      const escapes = /[eE]/.test(text[i - 1] ?? '') && !IDENT.test(text[i - 2] ?? '');
      let j = i + 1;
      while (j < text.length) {
        if (escapes && text[j] === '\\') j += 2;
        else if (text[j] === "'" && text[j + 1] === "'") j += 2;
        else if (text[j] === "'") break;
        else j++;
      }
      end = Math.min(j + 1, text.length);
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && !(text[j] === '"' && text[j + 1] !== '"')) j += text[j] === '"' ? 2 : 1;
      end = Math.min(j + 1, text.length);
    } else if (c === '$' && !inIdentifier(text, i)) {
      const tag = DOLLAR_TAG.exec(text.slice(i, i + 80));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        end = close === -1 ? text.length : close + tag[0].length;
      }
    }
    if (end > i) {
      spans.push({ from: i, to: end, kind });
      i = end;
    } else i++;
  }
  return spans;
}

/** Whether the `$` at `i` continues an identifier (`a$b`), rather than starting something. */
const inIdentifier = (text: string, i: number) => i > 0 && IDENT.test(text[i - 1]) && text[i - 1] !== '$';

/**
 * Uses of upper-case names in SQL text as psql reads it. Lower-case `:name` is left
 * alone: it may be a psql variable the snippet sets itself, and our variables are
 * upper-case.
 */
export function sqlVariableUses(text: string): SqlUse[] {
  const uses: SqlUse[] = [];
  const push = (name: string, offset: number, length: number, form: SqlForm) =>
    uses.push({ name, offset, length, form, inDoubleQuotes: false, expansion: form !== 'literal' && form !== 'identifier' });
  const code = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const c = text[i];
      if (c === '$' && !inIdentifier(text, i)) {
        const braced = /^\$\{([A-Z_][A-Z0-9_]*)[^}\n]*\}/.exec(text.slice(i, Math.min(to, i + 120)));
        const plain = /^\$([A-Z_][A-Z0-9_]*)(?![A-Za-z0-9_$])/.exec(text.slice(i, Math.min(to, i + 80)));
        if (braced) push(braced[1], i, braced[0].length, 'shell');
        else if (plain) push(plain[1], i, plain[0].length, 'shell');
      } else if (c === ':') {
        // `::type` casts and `:=` are SQL; a name right after a second colon is a type.
        if (text[i + 1] === ':' || text[i + 1] === '=' || text[i - 1] === ':') continue;
        const m = /^:(?:'([A-Z_][A-Z0-9_]*)'|"([A-Z_][A-Z0-9_]*)"|\{\?([A-Z_][A-Z0-9_]*)\}|([A-Z_][A-Z0-9_]*)(?![A-Za-z0-9_]))/.exec(text.slice(i, i + 80));
        if (!m) continue;
        const [name, form] = m[1] ? [m[1], 'literal' as const] : m[2] ? [m[2], 'identifier' as const] : m[3] ? [m[3], 'defined' as const] : [m[4], 'bare' as const];
        push(name, i, m[0].length, form);
        i += m[0].length - 1;
      }
    }
  };
  let at = 0;
  for (const span of quotedSpans(text)) {
    // `:'NAME'` itself starts with a quote: the lexer sees a literal, psql a variable.
    const ref = text[span.from - 1] === ':' && text[span.from - 2] !== ':' ? /^(['"])([A-Z_][A-Z0-9_]*)\1$/.exec(text.slice(span.from, span.to)) : null;
    if (ref) {
      code(at, span.from - 1);
      push(ref[2], span.from - 1, span.to - span.from + 1, ref[1] === "'" ? 'literal' : 'identifier');
      at = span.to;
      continue;
    }
    code(at, span.from);
    if (span.kind === 'string') {
      // What someone meant as a variable inside a string: psql leaves `:NAME` and `$NAME` there as written.
      const inside = /(?<!:):(['"]?)([A-Z_][A-Z0-9_]*)\1(?![A-Za-z0-9_])|(?<![A-Za-z0-9_$])\$\{?([A-Z_][A-Z0-9_]*)\}?(?![A-Za-z0-9_$])/g;
      for (const m of text.slice(span.from, span.to).matchAll(inside)) push(m[2] ?? m[3], span.from + (m.index ?? 0), m[0].length, 'quoted');
    }
    at = span.to;
  }
  code(at, text.length);
  return uses.sort((a, b) => a.offset - b.offset);
}

/**
 * psql's own variables: a runbook variable of the same name would change how psql
 * behaves (`ON_ERROR_STOP`, `AUTOCOMMIT`) or be overwritten by it (`HOST`, `ROW_COUNT`).
 */
export const PSQL_VARIABLES = new Set([
  'AUTOCOMMIT', 'COMP_KEYWORD_CASE', 'DBNAME', 'ECHO', 'ECHO_HIDDEN', 'ENCODING', 'ERROR', 'FETCH_COUNT', 'HIDE_TABLEAM',
  'HIDE_TOAST_COMPRESSION', 'HISTCONTROL', 'HISTFILE', 'HISTSIZE', 'HOST', 'IGNOREEOF', 'LASTOID', 'LAST_ERROR_MESSAGE',
  'LAST_ERROR_SQLSTATE', 'ON_ERROR_ROLLBACK', 'ON_ERROR_STOP', 'PORT', 'PROMPT1', 'PROMPT2', 'PROMPT3', 'QUIET', 'ROW_COUNT',
  'SERVER_VERSION_NAME', 'SERVER_VERSION_NUM', 'SHELL_ERROR', 'SHELL_EXIT_CODE', 'SHOW_ALL_RESULTS', 'SHOW_CONTEXT', 'SINGLELINE',
  'SINGLESTEP', 'SQLSTATE', 'USER', 'VERBOSITY', 'VERSION', 'VERSION_NAME', 'VERSION_NUM',
]);

/** Why `name` cannot be a variable an SQL block uses, or undefined. */
export function reservedInSql(name: string): string | undefined {
  if (PSQL_VARIABLES.has(name)) return `${name} is one of psql's own variables`;
  if (/^(PG|PSQL_)/.test(name)) return `${name} is an environment variable that libpq or psql reads itself`;
  return undefined;
}

/** Something in an SQL block that leaves SQL, the database chosen for it, or its read-only transaction. */
export interface SqlEscape {
  offset: number;
  /** What it does, for a message. */
  what: string;
  /** Whether it only matters in a read-only block (switching the transaction to read-write). */
  readOnlyOnly: boolean;
}

/**
 * psql meta-commands that run a shell or switch database (`\!`, `\o |cmd`, `\g |cmd`,
 * `\copy … program`, `\setenv`, `\c`), and SQL that turns a read-only transaction
 * read-write. Quoted text and comments are skipped as psql skips them.
 */
export function sqlEscapes(text: string): SqlEscape[] {
  const code = blankLiterals(text);
  const out: SqlEscape[] = [];
  const meta: [RegExp, string][] = [
    [/\\!/g, '`\\!` runs a shell command'],
    [/\\(?:o|out|g|gx|w|write)\s*\|/g, 'a `|` after `\\o`, `\\g` or `\\w` runs a shell command'],
    [/\\copy\b[^\n]*\bprogram\b/gi, '`\\copy … program` runs a shell command'],
    [/\\setenv\b/g, '`\\setenv` changes the environment of later shell commands'],
    [/\\(?:c|connect)\b/g, '`\\connect` switches to another database than the one the block declares'],
    [/\\(?:i|ir|include|include_relative)\b/g, '`\\i` runs another file, which the check and the page do not see'],
    [/`/g, 'backquotes in a psql meta-command run a shell command'],
  ];
  for (const [pattern, what] of meta) for (const m of code.matchAll(pattern)) if (pattern.source !== '`' || inMetaLine(code, m.index ?? 0)) out.push({ offset: m.index ?? 0, what, readOnlyOnly: false });
  const readWrite: [RegExp, string][] = [
    [/\bread\s+write\b/gi, '`READ WRITE` makes the transaction writable'],
    [/\b(?:default_)?transaction_read_only\b/gi, 'setting `transaction_read_only` can make the transaction writable'],
    [/\bsession\s+characteristics\b/gi, '`SET SESSION CHARACTERISTICS` can make transactions writable'],
    [/\bdblink(?:_exec)?\s*\(/gi, '`dblink` opens another connection, outside the read-only transaction'],
    [/\bset_config\s*\(\s*'(?:default_)?transaction_read_only'/gi, '`set_config` of `transaction_read_only` can make the transaction writable'],
  ];
  for (const [pattern, what] of readWrite) for (const m of code.matchAll(pattern)) out.push({ offset: m.index ?? 0, what, readOnlyOnly: true });
  return out.sort((a, b) => a.offset - b.offset);
}

/** Whether `offset` sits on a line that is a psql meta-command (where backquotes run a shell). */
function inMetaLine(code: string, offset: number): boolean {
  const start = code.lastIndexOf('\n', offset - 1) + 1;
  return /\\[a-z!]/i.test(code.slice(start, offset));
}

/**
 * `text` with string literals, quoted identifiers, dollar-quoted bodies and comments
 * replaced by spaces (same length, newlines kept), so a pattern only sees code.
 */
export function blankLiterals(text: string): string {
  let out = '';
  let at = 0;
  for (const { from, to } of quotedSpans(text)) {
    out += text.slice(at, from) + text.slice(from, to).replace(/[^\n]/g, ' ');
    at = to;
  }
  return out + text.slice(at);
}
