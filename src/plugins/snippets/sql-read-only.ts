/**
 * What a read-only SQL block is, read by PostgreSQL's own parser (libpg-query, the
 * server's grammar compiled to WebAssembly) rather than by keywords: the statements it
 * runs, and the functions and operators it calls. A read-only block is read-only when
 * every statement is of a kind on {@link the allow-list} and every function it names is
 * known to be harmless; anything else is a finding at its place. The runner asks the
 * database about the functions and operators again before running (run/sql-guard.ts),
 * since a name can mean another function on the server (search_path, overloads).
 *
 * The parser is loaded once, when this module is first imported (top-level await), so
 * the rules that use it stay synchronous; unless the caller deferred it
 * (./sql-parser-load.ts): then {@link loadPostgresParser} loads it, when a page needs it.
 */
import { PG_CATALOG_NON_VOLATILE, PG_CATALOG_VOLATILE } from './pg-catalog.ts';
import { sqlForParser } from './sql.ts';
import { loadsAtImport } from './sql-parser-load.ts';

/** PostgreSQL's parser, once loaded (importing libpg-query starts compiling its WebAssembly). */
let parser: typeof import('libpg-query') | undefined;

/** Loads PostgreSQL's parser, once; {@link readSql} needs it. */
export async function loadPostgresParser(): Promise<void> {
  if (parser) return;
  const pg = await import('libpg-query');
  await pg.loadModule();
  parser = pg;
}

/** Whether PostgreSQL's parser is loaded (`runbook check` loads it only for a page with SQL). */
export const postgresParserLoaded = (): boolean => parser !== undefined;

if (loadsAtImport()) await loadPostgresParser();

/**
 * Volatile built-ins a read-only block may call: they read the clock, randomness, the
 * server's state or sizes, or wait, and change nothing. `pg_sleep` holds the session,
 * which `timeout=` bounds. Not here, on purpose: `nextval`/`setval`/`setseed`,
 * `set_config`, advisory locks, `pg_notify`, large objects, replication slots and
 * origins, backends, files, WAL and backups, statistics resets, and functions that run
 * a query given as text (`query_to_xml`, `ts_stat`).
 */
export const HARMLESS_VOLATILE: ReadonlySet<string> = new Set([
  'random',
  'clock_timestamp',
  'timeofday',
  'gen_random_uuid',
  'pg_sleep',
  'pg_sleep_for',
  'pg_sleep_until',
  'currval',
  'lastval',
  'pg_is_in_recovery',
  'pg_last_xact_replay_timestamp',
  'pg_last_wal_receive_lsn',
  'pg_last_wal_replay_lsn',
  'pg_current_wal_lsn',
  'pg_current_wal_insert_lsn',
  'pg_current_wal_flush_lsn',
  'pg_is_wal_replay_paused',
  'pg_get_wal_replay_pause_state',
  'pg_relation_size',
  'pg_table_size',
  'pg_indexes_size',
  'pg_total_relation_size',
  'pg_database_size',
  'pg_tablespace_size',
  'pg_blocking_pids',
  'pg_safe_snapshot_blocking_pids',
  'pg_lock_status',
  'pg_jit_available',
  'pg_notification_queue_usage',
  'pg_xact_status',
  'txid_status',
  'pg_last_committed_xact',
  'pg_xact_commit_timestamp',
  'pg_partition_tree',
  'pg_partition_ancestors',
  'pg_sequence_last_value',
  'pg_stat_have_stats',
  'pg_postmaster_start_time',
]);

/**
 * Built-ins PostgreSQL declares stable that still act or run what the check cannot
 * read: they assign a transaction id, or run a query over a table, schema or database
 * they are given by name (whose views may call anything).
 */
const ACTING_STABLE: ReadonlyMap<string, string> = new Map([
  ...['txid_current', 'pg_current_xact_id'].map((n): [string, string] => [
    n,
    'assigns the transaction an id, which a read-only transaction never needs',
  ]),
  ...[
    'table_to_xml',
    'table_to_xml_and_xmlschema',
    'table_to_xmlschema',
    'schema_to_xml',
    'schema_to_xml_and_xmlschema',
    'schema_to_xmlschema',
    'database_to_xml',
    'database_to_xml_and_xmlschema',
    'database_to_xmlschema',
  ].map((n): [string, string] => [n, 'runs queries it builds from the names it is given, which the check cannot read']),
]);

/** A problem in a read-only block (or, for `syntax`, in any SQL block): where, what, and how sure. */
export interface SqlFinding {
  /** 0-based offset into the block's text. */
  offset: number;
  message: string;
  /** `syntax`: PostgreSQL cannot parse it; `statement`/`function`: not read-only; `unknown-function`: the database decides at run time. */
  kind: 'syntax' | 'statement' | 'function' | 'unknown-function';
}

/** A function or operator as the block names it: schema when written, name, and where. */
export interface SqlName {
  schema?: string;
  name: string;
  offset: number;
}

/** A block read by the parser: findings (read-only rules only when `readOnly`), and what it calls. */
export interface SqlReading {
  findings: SqlFinding[];
  functions: SqlName[];
  operators: SqlName[];
}

type Node = Record<string, unknown>;

/** Byte offsets (libpg-query counts UTF-8 bytes) to string offsets. */
function offsetsOf(text: string): (byte: number) => number {
  if (!/[^\x00-\x7f]/.test(text)) return (b) => b;
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i) ?? 0;
    const bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < bytes; k++) map.push(i);
    if (cp > 0xffff) i++;
  }
  return (b) => (b < map.length ? map[b] : text.length);
}

/** Skips whitespace and comments from `i`: where a statement's first word starts. */
function firstWord(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (text.startsWith('/*', i)) {
      let depth = 1;
      i += 2;
      while (i < text.length && depth > 0) {
        if (text.startsWith('/*', i)) (depth++, (i += 2));
        else if (text.startsWith('*/', i)) (depth--, (i += 2));
        else i++;
      }
    } else return i;
  }
}

/** How a statement kind reads in SQL, for messages: `InsertStmt` → `INSERT`. */
const STATEMENT_WORDS: Record<string, string> = {
  InsertStmt: 'INSERT',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE',
  MergeStmt: 'MERGE',
  VariableSetStmt: 'SET/RESET',
  DoStmt: 'DO',
  CallStmt: 'CALL',
  ExecuteStmt: 'EXECUTE',
  PrepareStmt: 'PREPARE',
  CopyStmt: 'COPY',
  NotifyStmt: 'NOTIFY',
  ListenStmt: 'LISTEN',
  LockStmt: 'LOCK',
  VacuumStmt: 'VACUUM/ANALYZE',
  CreateTableAsStmt: 'CREATE TABLE AS',
  AlterSystemStmt: 'ALTER SYSTEM',
  DeclareCursorStmt: 'DECLARE',
  DiscardStmt: 'DISCARD',
  LoadStmt: 'LOAD',
  CheckPointStmt: 'CHECKPOINT',
};
const statementWord = (kind: string) =>
  STATEMENT_WORDS[kind] ??
  kind
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();

/** The string parts of a name list (`funcname`, `name`): `['pg_catalog', 'lower']`. */
const nameParts = (list: unknown): string[] =>
  Array.isArray(list)
    ? list.map((n) => ((n as Node).String as Node | undefined)?.sval).filter((s): s is string => typeof s === 'string')
    : [];

/** Why a function is not known to be harmless (and how sure), or undefined when it is. */
export function functionVerdict(
  schema: string | undefined,
  name: string,
): { kind: 'function' | 'unknown-function'; why: string } | undefined {
  const shown = `${schema ? `${schema}.` : ''}${name}()`;
  if (schema === undefined || schema === 'pg_catalog') {
    const acting = ACTING_STABLE.get(name);
    if (acting) return { kind: 'function', why: `\`${shown}\` ${acting}` };
    if (HARMLESS_VOLATILE.has(name) || PG_CATALOG_NON_VOLATILE.has(name)) return undefined;
    if (PG_CATALOG_VOLATILE.has(name))
      return {
        kind: 'function',
        why: `PostgreSQL declares \`${shown}\` volatile: it can act beyond the read-only transaction (locks, sequences, replication slots, settings, files, other sessions)`,
      };
  }
  return {
    kind: 'unknown-function',
    why: `\`${shown}\` is not a built-in known to be harmless: runbook run asks the database and refuses it if the database declares it volatile`,
  };
}

/**
 * Reads an SQL block with PostgreSQL's parser. Every block gets a `syntax` finding when
 * the parser rejects it; a read-only one also gets findings for every statement not on
 * the allow-list (SELECT/VALUES/TABLE without INTO, FOR UPDATE/SHARE or writing CTEs;
 * EXPLAIN, ANALYZE only of such a query; SHOW; COPY of a table or query TO STDOUT) and
 * every function call not known to be harmless (see {@link functionVerdict}). Transaction
 * control is not on the list: the runner runs a read-only block as one read-only
 * transaction, which a COMMIT would end.
 */
export function readSql(source: string, readOnly: boolean): SqlReading {
  const text = sqlForParser(source);
  const reading: SqlReading = { findings: [], functions: [], operators: [] };
  // Outside the try: a parser not loaded is our mistake, not a finding about the block.
  const pg = parser;
  if (!pg) throw new Error("readSql before loadPostgresParser(): PostgreSQL's parser is not loaded");
  let tree: { stmts?: { stmt: Node; stmt_location?: number }[] };
  try {
    tree = pg.parseSync(text) as typeof tree;
  } catch (error) {
    // PostgreSQL places a syntax error in characters (code points), not bytes.
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    const at = [...text].slice(0, Math.max(details?.cursorPosition ?? 0, 0)).join('').length;
    reading.findings.push({
      offset: Math.min(Math.max(at, 0), text.length),
      message: `PostgreSQL cannot parse this: ${(error as Error).message}`,
      kind: 'syntax',
    });
    return reading;
  }
  if (!readOnly) return reading;
  const toOffset = offsetsOf(text);
  for (const raw of tree.stmts ?? []) {
    const start = firstWord(text, toOffset(raw.stmt_location ?? 0));
    const flag = (byte: number | undefined, message: string, kind: SqlFinding['kind'] = 'statement') =>
      reading.findings.push({ offset: byte === undefined ? start : toOffset(byte), message, kind });
    const [kind, body] = Object.entries(raw.stmt)[0] as [string, Node];
    const at = (node: Node | undefined) => (typeof node?.location === 'number' ? node.location : undefined);
    const here = (message: string) => reading.findings.push({ offset: start, message, kind: 'statement' });
    // The statements whose trees are walked below, and what in them the walk lets through.
    let allowedInside: Node | undefined;
    if (kind === 'SelectStmt' || kind === 'VariableShowStmt') {
      // Checked in the walk.
    } else if (kind === 'ExplainStmt') {
      const analyze = ((body.options as Node[] | undefined) ?? []).some((o) => {
        const def = o.DefElem as Node | undefined;
        if (def?.defname !== 'analyze') return false;
        const arg = def.arg as Node | undefined;
        const value = (arg?.Boolean as Node | undefined)?.boolval ?? (arg?.String as Node | undefined)?.sval;
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- boolval or sval: a boolean or text
        return value === undefined || value === true || /^(?:true|on|1|yes)$/i.test(String(value));
      });
      const [inner] = Object.keys(body.query as Node);
      // EXPLAIN without ANALYZE plans a statement and runs nothing; with ANALYZE it runs it.
      if (
        inner !== 'SelectStmt' &&
        (analyze || !['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt'].includes(inner))
      ) {
        here(
          `\`EXPLAIN${analyze ? ' ANALYZE' : ''}\` of \`${statementWord(inner)}\` ${analyze ? 'runs it' : 'is not a statement a read-only block may explain'}`,
        );
        continue;
      }
      if (!analyze) allowedInside = (body.query as Node)[inner] as Node;
    } else if (kind === 'CopyStmt') {
      if (body.is_from || body.filename !== undefined || body.is_program)
        here('`COPY` other than `COPY … TO STDOUT` reads or writes files or runs a program on the database server');
    } else {
      const word =
        kind === 'TransactionStmt'
          ? (/^[A-Za-z]+/.exec(text.slice(start))?.[0] ?? 'BEGIN').toUpperCase()
          : statementWord(kind);
      const why =
        kind === 'TransactionStmt'
          ? ': runbook runs a read-only block as one read-only transaction, which this would end or change'
          : ': it may run SELECT, VALUES, TABLE, EXPLAIN, SHOW and COPY … TO STDOUT';
      here(`\`${word}\` is not a statement a read-only block may run${why}`);
      continue;
    }
    walk(raw.stmt, (key, node) => {
      if (key === 'FuncCall') {
        const parts = nameParts(node.funcname);
        const name = parts[parts.length - 1];
        const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
        reading.functions.push({ schema, name, offset: toOffset(at(node) ?? raw.stmt_location ?? 0) });
        const verdict = functionVerdict(schema, name);
        if (verdict) flag(at(node), verdict.why, verdict.kind);
      } else if ((key === 'A_Expr' && !/BETWEEN|^AEXPR_(?:OF|PAREN)$/.test(String(node.kind))) || key === 'SubLink') {
        const parts = nameParts(key === 'A_Expr' ? node.name : node.operName);
        if (parts.length)
          reading.operators.push({
            schema: parts.length > 1 ? parts[parts.length - 2] : undefined,
            name: parts[parts.length - 1],
            offset: toOffset(at(node) ?? raw.stmt_location ?? 0),
          });
      } else if (key === 'SelectStmt') {
        if (node.intoClause) flag(at((node.intoClause as Node).rel as Node), '`SELECT … INTO` creates a table');
        if ((node.lockingClause as Node[] | undefined)?.length)
          flag(undefined, '`FOR UPDATE`/`FOR SHARE` locks rows, which needs a writable transaction');
      } else if (key.endsWith('Stmt') && node !== body && node !== allowedInside) {
        flag(
          at((node.relation as Node | undefined) ?? node),
          `\`${statementWord(key)}\` inside a read-only statement (a writing \`WITH\`, or a statement in a subquery) is not allowed`,
        );
      }
    });
  }
  // The statement finding comes before the findings inside it.
  reading.findings.sort((a, b) => a.offset - b.offset);
  return reading;
}

/** Visits every node of a parse tree (`{ Kind: {...} }`), depth first. */
function walk(value: unknown, visit: (key: string, node: Node) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) walk(v, visit);
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value as Node)) {
    if (/^[A-Z]/.test(key) && v && typeof v === 'object' && !Array.isArray(v)) visit(key, v as Node);
    walk(v, visit);
  }
}
