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
const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

/** A part of SQL text psql does not read as SQL code: `[from, to)`, and what it is. */
interface Span {
  from: number;
  to: number;
  /** A comment; a string or dollar-quoted body; a quoted identifier; or a psql meta-command line. */
  kind: 'comment' | 'string' | 'ident' | 'meta';
}

/** Where the quoted argument starting at `i` (`'…'`, `"…"` or a backquote) ends, in a meta-command line. */
function metaQuoteEnd(text: string, i: number): number {
  const q = text[i];
  let j = i + 1;
  while (j < text.length && text[j] !== '\n') {
    if (q === "'" && text[j] === '\\') j += 2;
    else if (text[j] === q && text[j + 1] === q && q !== '`') j += 2;
    else if (text[j] === q) return j + 1;
    else j++;
  }
  return j;
}

/**
 * Where the meta-command that starts at the backslash `i` ends: at the end of the line.
 * (psql also lets `\\` return to SQL mid-line, but not after every command; a block
 * may not use it, see sqlEscapes, so the whole line is read as meta-commands.)
 */
function metaEnd(text: string, i: number): number {
  const end = text.indexOf('\n', i);
  return end === -1 ? text.length : end;
}

/** psql ends a line at a carriage return as at a line feed: the same text with every CR as LF, offsets unchanged. */
const psqlLines = (text: string) => text.replace(/\r/g, '\n');

/**
 * The parts of `text` psql does not read as SQL code: comments, string literals
 * (`'…'`, `E'…'` with backslash escapes), quoted identifiers, dollar-quoted bodies, and
 * meta-command lines (`\set …`), as psql's own lexer finds them. Identifiers are read
 * whole, so `x$$q$` is one identifier, not a dollar quote.
 */
function quotedSpans(source: string): Span[] {
  const text = psqlLines(source);
  const spans: Span[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    let end = -1;
    let kind: Span['kind'] = 'string';
    let from = i;
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < text.length && IDENT.test(text[j])) j++;
      if (j === i + 1 && (c === 'E' || c === 'e') && text[j] === "'") {
        // E'…': backslash escapes; '' is a quote too.
        let k = j + 1;
        while (k < text.length) {
          if (text[k] === '\\') k += 2;
          else if (text[k] === "'" && text[k + 1] === "'") k += 2;
          else if (text[k] === "'") break;
          else k++;
        }
        from = j;
        end = Math.min(k + 1, text.length);
      } else {
        i = j;
        continue;
      }
    } else if (/[0-9]/.test(c)) {
      // A number (or `$1`'s digits), and any identifier characters glued to it: PostgreSQL
      // reads `1e` as one (junk) token, so a quote after it opens a plain string, never E'…'.
      let j = i + 1;
      while (j < text.length && (/[0-9.]/.test(text[j]) || IDENT.test(text[j]))) j++;
      i = j;
      continue;
    } else if (c === '\\') {
      kind = 'meta';
      end = metaEnd(text, i);
    } else if (c === '-' && next === '-') {
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
      let j = i + 1;
      while (j < text.length) {
        if (text[j] === "'" && text[j + 1] === "'") j += 2;
        else if (text[j] === "'") break;
        else j++;
      }
      end = Math.min(j + 1, text.length);
    } else if (c === '"') {
      kind = 'ident';
      let j = i + 1;
      while (j < text.length && !(text[j] === '"' && text[j + 1] !== '"')) j += text[j] === '"' ? 2 : 1;
      end = Math.min(j + 1, text.length);
    } else if (c === '$') {
      const tag = DOLLAR_TAG.exec(text.slice(i, i + 80));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        end = close === -1 ? text.length : close + tag[0].length;
      }
    }
    if (end > from) {
      spans.push({ from, to: end, kind });
      i = end;
    } else i++;
  }
  return spans;
}

/** Uses of variables in a meta-command's arguments: psql interpolates `:NAME`, `:'NAME'` and `:"NAME"` there, outside quotes. */
function metaUses(
  text: string,
  from: number,
  to: number,
  push: (name: string, offset: number, length: number, form: SqlForm) => void,
): void {
  let j = from;
  while (j < to) {
    const c = text[j];
    if (c === "'" || c === '"' || c === '`') {
      const end = Math.min(metaQuoteEnd(text, j), to);
      // psql does not substitute inside a quoted argument: what looks like a variable there stays as written.
      for (const m of text.slice(j, end).matchAll(/(?<!:):(['"]?)([A-Z_][A-Z0-9_]*)\1(?![A-Za-z0-9_])/g))
        push(m[2], j + (m.index ?? 0), m[0].length, 'quoted');
      if (c === "'" && text[j - 1] === ':') {
        const ref = /^'([A-Z_][A-Z0-9_]*)'/.exec(text.slice(j, end));
        if (ref) push(ref[1], j - 1, ref[0].length + 1, 'literal');
      } else if (c === '"' && text[j - 1] === ':') {
        const ref = /^"([A-Z_][A-Z0-9_]*)"/.exec(text.slice(j, end));
        if (ref) push(ref[1], j - 1, ref[0].length + 1, 'identifier');
      }
      j = end;
      continue;
    }
    if (c === ':') {
      // In meta-command arguments psql substitutes `:NAME` whatever colons come before it.
      const m = /^:(?:\{\?([A-Z_][A-Z0-9_]*)\}|([A-Z_][A-Z0-9_]*)(?![A-Za-z0-9_]))/.exec(text.slice(j, to));
      if (m) {
        push(m[1] ?? m[2], j, m[0].length, m[1] ? 'defined' : 'bare');
        j += m[0].length;
        continue;
      }
    }
    j++;
  }
}

/** How many colons come right before `i` (psql pairs them from the left: an odd run ends in a variable's colon). */
function colonsBefore(text: string, i: number): number {
  let n = 0;
  while (text[i - 1 - n] === ':') n++;
  return n;
}

/**
 * Uses of upper-case names in SQL text as psql reads it. Lower-case `:name` is left
 * alone: it may be a psql variable the snippet sets itself, and our variables are
 * upper-case.
 */
export function sqlVariableUses(source: string): SqlUse[] {
  const text = psqlLines(source);
  const uses: SqlUse[] = [];
  const push = (name: string, offset: number, length: number, form: SqlForm) =>
    uses.push({
      name,
      offset,
      length,
      form,
      inDoubleQuotes: false,
      expansion: form !== 'literal' && form !== 'identifier',
    });
  const code = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const c = text[i];
      if (IDENT_START.test(c) || /[0-9]/.test(c)) {
        // Identifiers (`a$B`) and numbers are read whole.
        while (i + 1 < to && IDENT.test(text[i + 1])) i++;
      } else if (c === '$') {
        const braced = /^\$\{([A-Z_][A-Z0-9_]*)[^}\n]*\}/.exec(text.slice(i, Math.min(to, i + 120)));
        const plain = /^\$([A-Z_][A-Z0-9_]*)(?![A-Za-z0-9_$])/.exec(text.slice(i, Math.min(to, i + 80)));
        if (braced) push(braced[1], i, braced[0].length, 'shell');
        else if (plain) push(plain[1], i, plain[0].length, 'shell');
      } else if (c === ':') {
        // psql reads colons in pairs from the left: `::` is a cast (`:::NAME` is a cast, then
        // a variable), and `:=` is PL/pgSQL.
        if (text[i + 1] === ':' || text[i + 1] === '=') {
          i++;
          continue;
        }
        const m = /^:(?:\{\?([A-Z_][A-Z0-9_]*)\}|([A-Z_][A-Z0-9_]*)(?![A-Za-z0-9_]))/.exec(text.slice(i, i + 80));
        if (!m) continue;
        push(m[1] ?? m[2], i, m[0].length, m[1] ? 'defined' : 'bare');
        i += m[0].length - 1;
      }
    }
  };
  let at = 0;
  for (const span of quotedSpans(text)) {
    // `:'NAME'` itself starts with a quote: the lexer sees a literal, psql a variable.
    const ref =
      (span.kind === 'string' || span.kind === 'ident') && colonsBefore(text, span.from) % 2 === 1
        ? /^(['"])([A-Z_][A-Z0-9_]*)\1$/.exec(text.slice(span.from, span.to))
        : null;
    if (ref) {
      code(at, span.from - 1);
      push(ref[2], span.from - 1, span.to - span.from + 1, ref[1] === "'" ? 'literal' : 'identifier');
      at = span.to;
      continue;
    }
    code(at, span.from);
    if (span.kind === 'meta') metaUses(text, span.from, span.to, push);
    if (span.kind === 'string' || span.kind === 'ident') {
      // What someone meant as a variable inside a string: psql leaves `:NAME` and `$NAME` there as written.
      const inside =
        /(?<!:):(['"]?)([A-Z_][A-Z0-9_]*)\1(?![A-Za-z0-9_])|(?<![A-Za-z0-9_$])\$\{?([A-Z_][A-Z0-9_]*)\}?(?![A-Za-z0-9_$])/g;
      for (const m of text.slice(span.from, span.to).matchAll(inside))
        push(m[2] ?? m[3], span.from + (m.index ?? 0), m[0].length, 'quoted');
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
  'AUTOCOMMIT',
  'COMP_KEYWORD_CASE',
  'DBNAME',
  'ECHO',
  'ECHO_HIDDEN',
  'ENCODING',
  'ERROR',
  'FETCH_COUNT',
  'HIDE_TABLEAM',
  'HIDE_TOAST_COMPRESSION',
  'HISTCONTROL',
  'HISTFILE',
  'HISTSIZE',
  'HOST',
  'IGNOREEOF',
  'LASTOID',
  'LAST_ERROR_MESSAGE',
  'LAST_ERROR_SQLSTATE',
  'ON_ERROR_ROLLBACK',
  'ON_ERROR_STOP',
  'PORT',
  'PROMPT1',
  'PROMPT2',
  'PROMPT3',
  'QUIET',
  'ROW_COUNT',
  'SERVER_VERSION_NAME',
  'SERVER_VERSION_NUM',
  'SHELL_ERROR',
  'SHELL_EXIT_CODE',
  'SHOW_ALL_RESULTS',
  'SHOW_CONTEXT',
  'SINGLELINE',
  'SINGLESTEP',
  'SQLSTATE',
  'USER',
  'VERBOSITY',
  'VERSION',
  'VERSION_NAME',
  'VERSION_NUM',
]);

/** Why `name` cannot be a variable an SQL block uses, or undefined. */
export function reservedInSql(name: string): string | undefined {
  if (PSQL_VARIABLES.has(name)) return `${name} is one of psql's own variables`;
  if (/^(PG|PSQL_)/.test(name)) return `${name} is an environment variable that libpq or psql reads itself`;
  return undefined;
}

/** Something in an SQL block that leaves SQL, the database chosen for it, or its timeout. */
export interface SqlEscape {
  offset: number;
  /** What it does, for a message. */
  what: string;
}

/**
 * psql meta-commands a run block may use: plain output settings, `\echo`, describing
 * objects, conditionals and setting its own psql variables. Everything else can run a
 * shell (`\!`, `\o |…`, `\copy … program`), read or write the operator's files (`\o file`,
 * `\w`, `\copy`, `\i`, `\lo_export`), read the environment (`\getenv`), connect
 * elsewhere (`\c`), run SQL built at run time that the check cannot read (`\gexec`),
 * turn a query's result into psql variables that are later pasted unquoted (`\gset`), or
 * print values in a form masking cannot recognise (`\H`, `\errverbose`).
 */
const META_ALLOWED =
  /^(?:echo|qecho|warn|x|a|t|f|C|T|pset|timing|conninfo|if|elif|else|endif|set|unset|g|gx|watch|l\+?|list\+?|z|sf\+?|sv\+?|d[A-Za-z]*\+?S?\+?)$/;

/** `\pset` settings a block may change, and for `format` the formats that print values as they are. */
const PSET_ALLOWED =
  /^(?:border|expanded|fieldsep|fieldsep_zero|footer|null|numericlocale|pager|recordsep|recordsep_zero|tableattr|title|tuples_only|linestyle|unicode_\w+|xheader_width)$/;
const PSET_FORMATS = /^(?:aligned|unaligned|csv)$/;

/** `\g (…)` options a block may give: plain formats and layout, as written (no quotes, no variables). */
const G_OPTION =
  /(?:format=(?:aligned|unaligned|csv)|border=[0-3]|tuples_only(?:=(?:on|off))?|footer(?:=(?:on|off))?|expanded(?:=(?:on|off|auto))?)/;
const G_OPTIONS = new RegExp(`^\\(\\s*${G_OPTION.source}(?:\\s+${G_OPTION.source})*\\s*\\)$`);

/** A meta-command: its name, the offset of its backslash, and its arguments' text. */
interface MetaCommand {
  name: string;
  offset: number;
  args: string;
}

/** The meta-commands in a meta line, and the offsets of any `\\` that would return to SQL mid-line. */
function metaCommands(text: string, from: number, to: number): { commands: MetaCommand[]; separators: number[] } {
  const commands: MetaCommand[] = [];
  const separators: number[] = [];
  let j = from;
  while (j < to) {
    if (text[j] !== '\\') {
      const c = text[j];
      j = c === "'" || c === '"' || c === '`' ? Math.min(metaQuoteEnd(text, j), to) : j + 1;
      continue;
    }
    if (text[j + 1] === '\\') {
      separators.push(j);
      j += 2;
      continue;
    }
    const name = /^\\([A-Za-z_+]+|[^\sA-Za-z])/.exec(text.slice(j, to));
    const offset = j;
    j += name ? name[0].length : 1;
    let k = j;
    while (k < to && text[k] !== '\\')
      k = text[k] === "'" || text[k] === '"' || text[k] === '`' ? Math.min(metaQuoteEnd(text, k), to) : k + 1;
    commands.push({ name: name?.[1] ?? '', offset, args: text.slice(j, k) });
    j = k;
  }
  return { commands, separators };
}

/** Why a meta-command the allow-list admits is still not allowed with these arguments, or undefined. */
function metaArgumentProblem(cmd: MetaCommand): string | undefined {
  const args = cmd.args.trim();
  const words = args.split(/\s+/).map((w) => w.replace(/^['"]|['"]$/g, ''));
  if (cmd.name === 'g' || cmd.name === 'gx') {
    // `\g (format=csv)` sets options; anything after them is a file or a `|command`. The
    // options are allow-listed as written: psql would unquote them and substitute variables.
    if (args !== '' && !G_OPTIONS.test(args))
      return `\`\\${cmd.name}\` may only take plain output options such as \`(format=csv)\` (aligned, unaligned or csv; border, tuples_only, footer, expanded): no file, command, quotes or variables`;
  }
  if (cmd.name === 'pset' && args !== '') {
    if (words[0] === 'format' && words[1] !== undefined && !PSET_FORMATS.test(words[1]))
      return `\`\\pset format ${words[1]}\` prints values in a form masking cannot recognise; use aligned, unaligned or csv`;
    if (words[0] !== 'format' && !PSET_ALLOWED.test(words[0]))
      return `\`\\pset ${words[0]}\` is not a setting a run block may change`;
  }
  if (
    (cmd.name === 'set' || cmd.name === 'unset') &&
    words[0] &&
    (PSQL_VARIABLES.has(words[0]) || /^[A-Z_][A-Z0-9_]*$/.test(words[0]))
  ) {
    return `\`\\${cmd.name} ${words[0]}\` changes one of psql's own settings (error handling, verbosity) or a runbook variable; set lower-case psql variables only`;
  }
  return undefined;
}

/** Bare `:name` substitutions of variables that are not ours (lower- or mixed-case), in SQL code; colons pair from the left as psql reads them. */
function bareLowerVariables(text: string, spans: readonly Span[]): { offset: number; name: string }[] {
  const out: { offset: number; name: string }[] = [];
  const inSpan = (i: number) => spans.some((sp) => sp.from <= i && i < sp.to);
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== ':' || inSpan(i)) continue;
    if (text[i + 1] === ':' || text[i + 1] === '=') {
      i++;
      continue;
    }
    const m = /^:([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i, i + 80));
    if (m && !/^[A-Z_][A-Z0-9_]*$/.test(m[1])) out.push({ offset: i, name: m[1] });
    if (m) i += m[0].length - 1;
  }
  return out;
}

/**
 * What in an SQL block, whatever its safety, leaves SQL, its database or its timeout:
 * meta-commands outside {@link META_ALLOWED} or with arguments that write, print
 * through another format or change psql's own settings; backquotes; `\\` mid-line;
 * `set_config()` and changes to `statement_timeout` or to how strings are read; bare
 * lower-case psql variables. psql's own lexing decides what is code. What a read-only
 * block may do is decided by PostgreSQL's parser instead (sql-read-only.ts).
 */
export function sqlEscapes(source: string): SqlEscape[] {
  const text = psqlLines(source);
  const out: SqlEscape[] = [];
  const spans = quotedSpans(text);
  for (const span of spans.filter((sp) => sp.kind === 'meta')) {
    const { commands, separators } = metaCommands(text, span.from, span.to);
    for (const offset of separators)
      out.push({ offset, what: '`\\\\` puts SQL after a meta-command on the same line; put the SQL on its own line' });
    for (const cmd of commands) {
      if (cmd.args.includes('`'))
        out.push({ offset: cmd.offset, what: 'backquotes in a psql meta-command run a shell command' });
      if (!META_ALLOWED.test(cmd.name)) {
        out.push({
          offset: cmd.offset,
          what: `the psql meta-command \`\\${cmd.name}\` is not allowed in a run block: it can run a shell, touch files or the environment, connect elsewhere, or run SQL the check cannot read`,
        });
        continue;
      }
      const problem = metaArgumentProblem(cmd);
      if (problem) out.push({ offset: cmd.offset, what: problem });
    }
  }
  // Code only, statement by statement: strings, comments and meta lines blanked (a meta
  // line also ends a statement, as `\g` does); quoted identifiers keep their name.
  let code = '';
  let at = 0;
  for (const { from, to, kind } of spans) {
    const part = text.slice(from, to);
    code +=
      text.slice(at, from) +
      (kind === 'ident'
        ? ` ${part.slice(1, -1).replace(/""/g, '"')} `.slice(0, part.length).padEnd(part.length)
        : kind === 'meta'
          ? `;${part.slice(1).replace(/[^\n]/g, ' ')}`
          : part.replace(/[^\n]/g, ' '));
    at = to;
  }
  code += text.slice(at);
  let start = 0;
  for (const part of code.split(';')) {
    const offset = start + (part.length - part.trimStart().length);
    const statement = part.trim();
    const raw = text.slice(start, start + part.length).replace(/["']/g, '');
    start += part.length + 1;
    if (!statement) continue;
    if (/\bstatement_timeout\b/i.test(raw) && /^(?:SET|RESET|SELECT|ALTER|WITH|UPDATE)\b/i.test(statement)) {
      out.push({ offset, what: "changing `statement_timeout` overrides the block's `timeout=`" });
    }
    if (
      (/\b(?:standard_conforming_strings|backslash_quote|client_encoding)\b/i.test(raw) &&
        /^(?:SET|RESET|SELECT|ALTER|WITH|UPDATE)\b/i.test(statement)) ||
      /^SET\s+NAMES\b/i.test(statement)
    ) {
      out.push({
        offset,
        what: 'changing how strings treat backslashes, or the client encoding, changes how psql reads the rest of the block',
      });
    }
  }
  for (const m of code.matchAll(/\bset_config\s*\(/gi)) {
    // set_config can switch how strings are read, the client encoding or the timeout, whatever the safety.
    out.push({
      offset: m.index ?? 0,
      what: "`set_config()` can change the session (read-only, the timeout, how psql reads strings); use `SET` with the setting's name written out",
    });
  }
  // psql pastes a bare `:name` into the SQL as text and reads it again: a value holding a
  // quote, a backslash command or `SET` changes what the block is. Only quoted forms are safe.
  for (const { offset, name } of bareLowerVariables(text, spans)) {
    out.push({
      offset,
      what: `\`:${name}\` pastes a psql variable into the SQL as text, which psql reads again (a quote or a backslash command in it would change the block); write \`:'${name}'\` or \`:"${name}"\``,
    });
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** Meta-commands that send the query buffer to the server, as `;` does. */
const SENDS_BUFFER = /^(?:g|gx|watch)$/;

/**
 * The SQL text the server receives, as PostgreSQL's parser should read it, offset for
 * offset: psql meta-command lines blanked (a `\g`, `\gx` or `\watch` among them ends
 * the statement, so it becomes `;`), each psql variable replaced by a value of its
 * kind and length (`:'NAME'` a string literal, `:"NAME"` a quoted identifier, a bare
 * `:NAME` the number 0, `:{?NAME}` true), and a shell-style `$NAME` (which sql-var-form
 * reports) a string literal. Carriage returns read as line ends, as psql reads them.
 */
export function sqlForParser(source: string): string {
  const text = psqlLines(source);
  const out = text.split('');
  const fill = (from: number, length: number, value: string) => {
    for (let i = 0; i < length; i++) out[from + i] = value[i] ?? ' ';
  };
  const spans = quotedSpans(text);
  for (const span of spans.filter((sp) => sp.kind === 'meta')) {
    const sends = metaCommands(text, span.from, span.to).commands.some((c) => SENDS_BUFFER.test(c.name));
    fill(span.from, span.to - span.from, sends ? ';' : '');
  }
  for (const use of sqlVariableUses(text)) {
    if (spans.some((sp) => sp.kind === 'meta' && sp.from <= use.offset && use.offset < sp.to)) continue;
    if (use.form === 'literal' || use.form === 'shell') fill(use.offset, use.length, `'${'x'.repeat(use.length - 2)}'`);
    else if (use.form === 'identifier') fill(use.offset, use.length, `"${'x'.repeat(use.length - 2)}"`);
    else if (use.form === 'bare') fill(use.offset, use.length, '0');
    else if (use.form === 'defined') fill(use.offset, use.length, 'true');
  }
  // psql's own (lower-case) variables the block sets with \set: quoted forms, then bare ones.
  for (const span of spans) {
    if ((span.kind !== 'string' && span.kind !== 'ident') || colonsBefore(text, span.from) % 2 !== 1) continue;
    const ref = /^(['"])([A-Za-z_][A-Za-z0-9_]*)\1$/.exec(text.slice(span.from, span.to));
    if (ref && !/^[A-Z_][A-Z0-9_]*$/.test(ref[2]))
      fill(span.from - 1, span.to - span.from + 1, `${ref[1]}${'x'.repeat(span.to - span.from - 1)}${ref[1]}`);
  }
  for (const { offset, name } of bareLowerVariables(text, spans)) fill(offset, name.length + 1, '0');
  return out.join('');
}
