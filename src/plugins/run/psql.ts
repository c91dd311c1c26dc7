/**
 * How an SQL run block becomes a psql invocation, shared by `runbook run` and
 * `runbook test`. psql gets no secret on its command line: the connection URL is
 * taken apart into libpq's PG* environment variables, the block's variables are
 * environment variables that `\getenv` turns into psql variables, and the
 * SQL goes in on standard input exactly as written. A read-only block runs in a
 * read-only transaction and `timeout=` becomes the server's statement_timeout, both
 * set at connection start (PGOPTIONS), so the database enforces them.
 */
import type { Invocation } from './execute.ts';
import type { RunBlock } from './block.ts';
import { MASK } from './redact.ts';

/** psql's arguments: no psqlrc, stop at the first error, SQL from standard input. Nothing secret. */
export const PSQL_ARGS = ['-X', '-v', 'ON_ERROR_STOP=1', '-f', '-'];
/** Environment psql would run programs from (a pager, an editor, a shell): not passed on. */
const PROGRAMS = ['PAGER', 'PSQL_PAGER', 'EDITOR', 'VISUAL', 'PSQL_EDITOR', 'PSQL_EDITOR_LINENUMBER_ARG', 'SHELL'];

/** The environment variable that carries the value of psql variable `name` (prefixed: a value never becomes PATH or PGHOST). */
export const valueEnv = (name: string) => `RUNBOOK_SQL_${name}`;

/**
 * psql's full argv: before the block, one `-c '\getenv NAME RUNBOOK_SQL_NAME'` per
 * variable (names only; psql reads each value from its environment), so the block on
 * standard input keeps its own line numbers in psql's messages. `quiet` (a secret is
 * bound) drops the statement echo and context from error messages, where psql would
 * show the value quoted and cut, beyond what masking can recognise. `single` (a
 * read-only block) runs the whole block as one transaction, which the session starts
 * read-only: PostgreSQL lets no statement turn it read-write once it has run a query,
 * whatever a function does to `default_transaction_read_only` for later ones.
 */
export function psqlArgs(names: readonly string[], quiet = false, single = false): string[] {
  return [
    ...PSQL_ARGS.slice(0, 3),
    ...(quiet ? ['-v', 'VERBOSITY=terse', '-v', 'SHOW_CONTEXT=never'] : []),
    ...(single ? ['--single-transaction'] : []),
    ...names.flatMap((n) => ['-c', `\\getenv ${n} ${valueEnv(n)}`]),
    ...PSQL_ARGS.slice(3),
  ];
}

/** libpq connection keywords (URI query parameters) and the environment variable that carries each. */
const KEYWORD_ENV: Record<string, string> = {
  host: 'PGHOST',
  hostaddr: 'PGHOSTADDR',
  port: 'PGPORT',
  dbname: 'PGDATABASE',
  user: 'PGUSER',
  password: 'PGPASSWORD',
  passfile: 'PGPASSFILE',
  channel_binding: 'PGCHANNELBINDING',
  options: 'PGOPTIONS',
  application_name: 'PGAPPNAME',
  sslmode: 'PGSSLMODE',
  requiressl: 'PGREQUIRESSL',
  sslcompression: 'PGSSLCOMPRESSION',
  sslcert: 'PGSSLCERT',
  sslkey: 'PGSSLKEY',
  sslrootcert: 'PGSSLROOTCERT',
  sslcrl: 'PGSSLCRL',
  sslcrldir: 'PGSSLCRLDIR',
  sslsni: 'PGSSLSNI',
  requirepeer: 'PGREQUIREPEER',
  ssl_min_protocol_version: 'PGSSLMINPROTOCOLVERSION',
  ssl_max_protocol_version: 'PGSSLMAXPROTOCOLVERSION',
  gssencmode: 'PGGSSENCMODE',
  krbsrvname: 'PGKRBSRVNAME',
  gsslib: 'PGGSSLIB',
  gssdelegation: 'PGGSSDELEGATION',
  connect_timeout: 'PGCONNECT_TIMEOUT',
  client_encoding: 'PGCLIENTENCODING',
  target_session_attrs: 'PGTARGETSESSIONATTRS',
  load_balance_hosts: 'PGLOADBALANCEHOSTS',
};

/** A connection URL taken apart. */
export interface Connection {
  /** PG* variables that make libpq connect where the URL says. */
  env: Record<string, string>;
  /** Where it connects, for prompts and transcripts: database and host, never user or password. */
  label: string;
  /** The URL with its password masked, for transcripts. */
  shown: string;
  /** The passwords it holds (in the authority, or as a parameter), to mask wherever output might echo them. */
  secrets: string[];
}

/**
 * Reads a `postgresql://` (or `postgres://`) URL the way libpq does for one host. A
 * key=value string, several hosts or a parameter libpq cannot take from the
 * environment is refused with a reason: runbook never puts the URL on psql's
 * command line, where every user of the machine could read it.
 */
export function parseConnection(value: string, inherited: NodeJS.ProcessEnv = {}): Connection | { error: string } {
  if (!/^postgres(?:ql)?:\/\//i.test(value))
    return {
      error:
        'is not a postgresql:// URL (runbook reads postgresql://user@host:port/dbname?sslmode=…; a key=value string is not supported)',
    };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return {
      error: `is not a URL runbook can read${/@[^/]*,/.test(value) ? ' (several hosts: runbook connects to one)' : ''}`,
    };
  }
  const env: Record<string, string> = {};
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const hostname = decode(url.hostname).replace(/^\[(.*)\]$/, '$1');
  if (hostname) env.PGHOST = hostname;
  if (url.port) env.PGPORT = url.port;
  if (url.username) env.PGUSER = decode(url.username);
  if (url.password) env.PGPASSWORD = decode(url.password);
  const dbname = decode(url.pathname.replace(/^\//, ''));
  if (dbname) env.PGDATABASE = dbname;
  for (const [key, v] of url.searchParams) {
    const name = KEYWORD_ENV[key];
    // service= is left out on purpose: a service file overrides the environment, so the URL's own parts would lose.
    if (!name)
      return {
        error: `has the parameter ${key}=, which runbook cannot hand to psql without putting it on the command line`,
      };
    env[name] = v;
  }
  // What the URL leaves out, libpq takes from the environment psql inherits, as `psql "$URL"` would.
  const at = (name: string) => env[name] ?? inherited[name];
  const host = at('PGHOST');
  const where = host ? (host.startsWith('/') ? `socket ${host}` : host) : 'the local socket';
  const label = `${at('PGDATABASE') ?? at('PGUSER') ?? '(default database)'} on ${where}${at('PGPORT') ? `:${at('PGPORT')}` : ''}`;
  // The URL as written, its password (in the authority or a parameter) masked.
  const shown = value
    .replace(/^([^:]+:\/\/[^/?#@]*?:)[^/?#]*@/, `$1${MASK}@`)
    .replace(/([?&](?:ssl)?password=)[^&#]*/gi, `$1${MASK}`);
  const secrets = [env.PGPASSWORD, url.password ? decode(url.password) : undefined].filter((v): v is string =>
    Boolean(v),
  );
  return { env, label, shown, secrets };
}

/**
 * What a block's psql must be told at connection start: read-only transactions, the
 * statement timeout, and strings read the standard way, so the server and psql read
 * backslashes in the block exactly as the check did.
 */
export function sessionOptions(block: Pick<RunBlock, 'safety'>, timeoutSeconds: number | undefined): string[] {
  return [
    ...(block.safety === 'read-only' ? ['-c default_transaction_read_only=on'] : []),
    ...(timeoutSeconds ? [`-c statement_timeout=${timeoutSeconds}s`] : []),
    '-c standard_conforming_strings=on',
  ];
}

/**
 * psql's environment: `base` without a service (a service file would override the
 * URL), then the connection, then each bound value under {@link valueEnv}, and the
 * session options after any the URL or the operator gave, so ours win. `tag` ends the
 * application name, so a timed-out session can be found and ended on the server.
 */
export function psqlEnv(
  base: NodeJS.ProcessEnv,
  connection: Connection,
  values: ReadonlyMap<string, string>,
  options: string[],
  appName: string,
  tag: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  delete env.PGSERVICE;
  Object.assign(env, connection.env);
  for (const [name, value] of values) env[valueEnv(name)] = value;
  env.PGOPTIONS = [env.PGOPTIONS, ...options].filter(Boolean).join(' ');
  // psql reads the block in UTF-8, as the check did (an encoding such as SJIS would read `\` inside characters).
  env.PGCLIENTENCODING = 'UTF8';
  env.PGAPPNAME = `${(connection.env.PGAPPNAME ?? appName).slice(0, 62 - tag.length)} ${tag}`;
  // psql's own settings from the operator's environment stay out of a runbook's run, and so
  // do the programs it could start.
  for (const name of Object.keys(env)) if (/^PSQL_|^PSQLRC$/.test(name) || PROGRAMS.includes(name)) delete env[name];
  return env;
}

/** A random tag for one run's application name. */
export const sessionTag = () => `rb${Math.random().toString(36).slice(2, 10)}`;

/**
 * Ends the server session of a timed-out block: killing psql leaves its query running
 * until the server notices, and a block may have set statement_timeout to 0.
 */
export async function endSession(env: NodeJS.ProcessEnv, tag: string, cwd: string): Promise<void> {
  const { spawnProcess } = await import('./spawn.ts');
  const sql = `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE '% ${tag.replace(/[^a-z0-9]/g, '')}' AND pid <> pg_backend_pid()`;
  await spawnProcess('psql', ['-X', '-q', '-At', '-c', sql], {
    cwd,
    env: { ...env, PGOPTIONS: '-c statement_timeout=5s', PGAPPNAME: 'runbook cleanup' },
    timeoutMs: 10_000,
  });
}

/** An SQL block as a process: psql with {@link psqlArgs}, the block exactly as written on standard input. */
export const sqlInvocation = (text: string, names: readonly string[], quiet = false, single = false): Invocation => ({
  program: 'psql',
  args: psqlArgs(names, quiet, single),
  input: text.endsWith('\n') ? text : `${text}\n`,
});

/**
 * Forms in which psql may echo a secret value: as written, and as psql quotes it in
 * `:'NAME'` (`'` doubled, and `\` doubled in an `E'…'` literal) and `:"NAME"` (`"` doubled),
 * which an error's `LINE 1:` shows.
 */
export function echoedForms(value: string): string[] {
  const forms = [
    value,
    value.replace(/'/g, "''"),
    value.replace(/\\/g, '\\\\').replace(/'/g, "''"),
    value.replace(/"/g, '""'),
  ];
  // An identifier is cut to 63 bytes (NAMEDATALEN), and the server's notice shows the cut form.
  const cut = Buffer.from(value)
    .subarray(0, 63)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  if (cut.length >= 8) forms.push(cut);
  return [...new Set(forms)];
}

/** Rows changed, from the command tags psql prints (`UPDATE 3`, `INSERT 0 1`, `DELETE 2`); undefined when there are none. */
export function rowsAffected(stdout: string): number | undefined {
  let total: number | undefined;
  // COPY's count is rows copied, which may be a read (COPY … TO STDOUT): not counted.
  for (const m of stdout.matchAll(/^(?:INSERT \d+|UPDATE|DELETE|MERGE) (\d+)$/gm)) total = (total ?? 0) + Number(m[1]);
  return total;
}

/** Whether psql's output says the server cancelled a statement for its statement_timeout. */
export const statementTimedOut = (output: string) => /canceling statement due to statement timeout/.test(output);
