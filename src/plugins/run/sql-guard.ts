/**
 * What the database itself says about a read-only SQL block before it runs, and about
 * the role a block connects as. The check reads function names; the server decides what
 * a name means (search_path, overloads, a user function named like a built-in), so the
 * runner asks it: every function and operator the block names, in every schema the name
 * can resolve to, must not be declared volatile, unless it is a pg_catalog built-in on
 * the short harmless list. `runbook db-check` asks what the role can write.
 */
import { spawnProcess } from './spawn.ts';
import { readSql, HARMLESS_VOLATILE, type SqlName } from '../snippets/sql-read-only.ts';
import { MASK } from './redact.ts';

/** An SQL string literal (the session runs with standard_conforming_strings on). */
const literal = (s: string | undefined) => (s === undefined ? 'NULL' : `'${s.replace(/'/g, "''")}'`);

/** Runs `sql` through psql with `env` (a block's connection and session options); rows as lines, or the error. */
async function ask(
  sql: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  secrets: readonly string[],
): Promise<string[] | { error: string }> {
  const r = await spawnProcess('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-f', '-'], {
    cwd,
    env,
    input: sql,
    timeoutMs: 30_000,
    capture: true,
  });
  if (r.exitCode !== 0 || r.error) {
    let why = (r.error ?? r.stderr.trim().split('\n')[0]) || `psql exited ${r.exitCode}`;
    for (const s of secrets) why = why.split(s).join(MASK);
    return { error: why };
  }
  return r.stdout.split('\n').filter(Boolean);
}

/** The query that lists, of `functions` and `operators`, every candidate the server declares volatile (harmless built-ins aside). */
export function volatileQuery(functions: readonly SqlName[], operators: readonly SqlName[]): string {
  const rows = (names: readonly SqlName[]) =>
    names.length ? names.map((n) => `(${literal(n.schema)}, ${literal(n.name)})`).join(', ') : '(NULL, NULL)';
  const scope = `((c.schema IS NULL AND n.nspname = ANY (current_schemas(true))) OR n.nspname = c.schema)`;
  const harmless = [...HARMLESS_VOLATILE].map((n) => literal(n)).join(', ');
  return `WITH fc(schema, name) AS (VALUES ${rows(functions)}), oc(schema, name) AS (VALUES ${rows(operators)})
SELECT DISTINCT 'function ' || p.oid::regprocedure::text
  FROM fc c JOIN pg_proc p ON p.proname = c.name JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE ${scope} AND p.provolatile = 'v' AND NOT (n.nspname = 'pg_catalog' AND p.proname IN (${harmless}))
UNION
SELECT DISTINCT 'operator ' || o.oid::regoperator::text || ' (' || o.oprcode::regprocedure::text || ')'
  FROM oc c JOIN pg_operator o ON o.oprname = c.name JOIN pg_namespace n ON n.oid = o.oprnamespace JOIN pg_proc p ON p.oid = o.oprcode
 WHERE ${scope} AND p.provolatile = 'v'
ORDER BY 1;
`;
}

/**
 * Why a read-only block must not run on this database, or undefined: a function or
 * operator it names resolves (in some overload, in some schema of the session's
 * search_path) to one the database declares volatile and that is not a harmless
 * built-in; or the database could not be asked (then nothing runs either). `env` is
 * the block's own psql environment, so the role, database and search_path are its own.
 */
export async function volatileRefusal(
  text: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  secrets: readonly string[],
): Promise<string | undefined> {
  const { functions, operators } = readSql(text, true);
  if (functions.length === 0 && operators.length === 0) return undefined;
  const rows = await ask(volatileQuery(functions, operators), env, cwd, secrets);
  if ('error' in rows) return `the database could not be asked what the functions it calls are (${rows.error})`;
  if (rows.length === 0) return undefined;
  return `it is read-only, but the database declares volatile (able to write or act) what it calls: ${rows.join('; ')}`;
}

/** The query that lists what the connected role can write or do beyond reading, one line each. */
export const ROLE_QUERY = `
SELECT 'is a superuser' FROM pg_roles WHERE rolname = current_user AND rolsuper
UNION ALL SELECT 'can create roles (CREATEROLE)' FROM pg_roles WHERE rolname = current_user AND rolcreaterole
UNION ALL SELECT 'can create databases (CREATEDB)' FROM pg_roles WHERE rolname = current_user AND rolcreatedb
UNION ALL SELECT 'can start replication (REPLICATION)' FROM pg_roles WHERE rolname = current_user AND rolreplication
UNION ALL SELECT 'is a member of ' || rolname FROM pg_roles
  WHERE rolname IN ('pg_write_all_data', 'pg_write_server_files', 'pg_execute_server_program', 'pg_signal_backend', 'pg_checkpoint')
    AND pg_has_role(current_user, oid, 'USAGE')
UNION ALL SELECT 'can CREATE in database ' || quote_ident(current_database()) WHERE has_database_privilege(current_database(), 'CREATE')
UNION ALL SELECT 'can CREATE in schema ' || quote_ident(nspname) FROM pg_namespace
  WHERE nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast%' AND has_schema_privilege(oid, 'CREATE')
UNION ALL SELECT 'can ' || string_agg(p, ', ' ORDER BY p) || ' ' || c.oid::regclass::text
  FROM pg_class c CROSS JOIN unnest(ARRAY['DELETE', 'INSERT', 'TRUNCATE', 'UPDATE']) p
  WHERE c.relkind IN ('r', 'p', 'v', 'f') AND c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
    AND has_table_privilege(c.oid, p)
  GROUP BY c.oid
UNION ALL SELECT 'can advance sequence ' || c.oid::regclass::text FROM pg_class c
  WHERE c.relkind = 'S' AND (has_sequence_privilege(c.oid, 'UPDATE') OR has_sequence_privilege(c.oid, 'USAGE'))
UNION ALL SELECT 'can create large objects (' || string_agg(p.oid::regprocedure::text, ', ' ORDER BY p.proname) || ')' FROM pg_proc p
  WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname IN ('lo_creat', 'lo_create', 'lo_from_bytea', 'lo_import') AND has_function_privilege(p.oid, 'EXECUTE')
  HAVING count(*) > 0
UNION ALL SELECT 'can run ' || p.oid::regprocedure::text || CASE WHEN p.prosecdef THEN ' (SECURITY DEFINER: with its owner''s rights)' ELSE ' (opens other connections)' END
  FROM pg_proc p
  WHERE p.pronamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
    AND (p.prosecdef AND p.provolatile = 'v' OR p.proname IN ('dblink', 'dblink_exec', 'dblink_connect', 'dblink_connect_u', 'dblink_send_query'))
    AND has_function_privilege(p.oid, 'EXECUTE')
ORDER BY 1;
`;

/** What the role `env` connects as can write or do beyond reading (empty when it is read-only), or why it could not be asked. */
export async function roleWrites(
  env: NodeJS.ProcessEnv,
  cwd: string,
  secrets: readonly string[],
): Promise<string[] | { error: string }> {
  return ask(ROLE_QUERY, env, cwd, secrets);
}
