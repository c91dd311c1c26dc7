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
import type { RunBlock } from './runbooks.ts';
import { MASK } from './redact.ts';

/** psql's arguments: no psqlrc, stop at the first error, SQL from standard input. Nothing secret. */
export const PSQL_ARGS = ['-X', '-v', 'ON_ERROR_STOP=1', '-f', '-'];

/**
 * psql's full argv: before the block, one `-c '\getenv NAME NAME'` per variable (names
 * only; psql reads each value from its environment), so the block on standard input
 * keeps its own line numbers in psql's messages.
 */
export function psqlArgs(names: readonly string[]): string[] {
  return [...PSQL_ARGS.slice(0, 3), ...names.flatMap((n) => ['-c', `\\getenv ${n} ${n}`]), ...PSQL_ARGS.slice(3)];
}

/** libpq connection keywords (URI query parameters) and the environment variable that carries each. */
const KEYWORD_ENV: Record<string, string> = {
  host: 'PGHOST', hostaddr: 'PGHOSTADDR', port: 'PGPORT', dbname: 'PGDATABASE', user: 'PGUSER', password: 'PGPASSWORD',
  passfile: 'PGPASSFILE', channel_binding: 'PGCHANNELBINDING', service: 'PGSERVICE', options: 'PGOPTIONS',
  application_name: 'PGAPPNAME', sslmode: 'PGSSLMODE', requiressl: 'PGREQUIRESSL', sslcompression: 'PGSSLCOMPRESSION',
  sslcert: 'PGSSLCERT', sslkey: 'PGSSLKEY', sslrootcert: 'PGSSLROOTCERT', sslcrl: 'PGSSLCRL', sslcrldir: 'PGSSLCRLDIR',
  sslsni: 'PGSSLSNI', requirepeer: 'PGREQUIREPEER', ssl_min_protocol_version: 'PGSSLMINPROTOCOLVERSION',
  ssl_max_protocol_version: 'PGSSLMAXPROTOCOLVERSION', gssencmode: 'PGGSSENCMODE', krbsrvname: 'PGKRBSRVNAME',
  gsslib: 'PGGSSLIB', gssdelegation: 'PGGSSDELEGATION', connect_timeout: 'PGCONNECT_TIMEOUT',
  client_encoding: 'PGCLIENTENCODING', target_session_attrs: 'PGTARGETSESSIONATTRS', load_balance_hosts: 'PGLOADBALANCEHOSTS',
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
  if (!/^postgres(?:ql)?:\/\//i.test(value)) return { error: 'is not a postgresql:// URL (runbook reads postgresql://user@host:port/dbname?sslmode=…; a key=value string is not supported)' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { error: `is not a URL runbook can read${/@[^/]*,/.test(value) ? ' (several hosts: runbook connects to one)' : ''}` };
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
    if (!name) return { error: `has the parameter ${key}=, which runbook cannot hand to psql without putting it on the command line` };
    env[name] = v;
  }
  // What the URL leaves out, libpq takes from the environment psql inherits, as `psql "$URL"` would.
  const at = (name: string) => env[name] ?? inherited[name];
  const host = at('PGHOST');
  const where = host ? (host.startsWith('/') ? `socket ${host}` : host) : 'the local socket';
  const label = `${at('PGDATABASE') ?? at('PGUSER') ?? '(default database)'} on ${where}${at('PGPORT') ? `:${at('PGPORT')}` : ''}`;
  // The URL as written, its password (in the authority or a parameter) masked.
  const shown = value.replace(/^([^:]+:\/\/[^/?#@]*?:)[^/?#]*@/, `$1${MASK}@`).replace(/([?&](?:ssl)?password=)[^&#]*/gi, `$1${MASK}`);
  const secrets = [env.PGPASSWORD, url.password ? decode(url.password) : undefined].filter((v): v is string => Boolean(v));
  return { env, label, shown, secrets };
}

/** What a block's psql must be told at connection start: read-only transactions, the statement timeout. */
export function sessionOptions(block: Pick<RunBlock, 'safety'>, timeoutSeconds: number | undefined): string[] {
  return [...(block.safety === 'read-only' ? ['-c default_transaction_read_only=on'] : []), ...(timeoutSeconds ? [`-c statement_timeout=${timeoutSeconds}s`] : [])];
}

/**
 * psql's environment: `base`, then the connection, then the block's variables (which
 * the `\getenv` line reads) and the session options after any the URL or the
 * operator gave, so ours win.
 */
export function psqlEnv(base: NodeJS.ProcessEnv, connection: Connection, values: ReadonlyMap<string, string>, options: string[], appName: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ...connection.env };
  for (const [name, value] of values) env[name] = value;
  env.PGOPTIONS = [env.PGOPTIONS, ...options].filter(Boolean).join(' ');
  env.PGAPPNAME ??= appName.slice(0, 63);
  // psql's own settings from the operator's environment stay out of a runbook's run.
  for (const name of Object.keys(env)) if (/^PSQL_|^PSQLRC$/.test(name)) delete env[name];
  return env;
}

/** An SQL block as a process: psql with {@link psqlArgs}, the block exactly as written on standard input. */
export const sqlInvocation = (text: string, names: readonly string[]): Invocation => ({ program: 'psql', args: psqlArgs(names), input: text.endsWith('\n') ? text : `${text}\n` });

/**
 * Forms in which psql may echo a secret value: as written, and as psql quotes it in
 * `:'NAME'` (`'` doubled, and `\` doubled in an `E'…'` literal) and `:"NAME"` (`"` doubled),
 * which an error's `LINE 1:` shows.
 */
export function echoedForms(value: string): string[] {
  return [...new Set([value, value.replace(/'/g, "''"), value.replace(/\\/g, '\\\\').replace(/'/g, "''"), value.replace(/"/g, '""')])];
}

/** Rows changed, from the command tags psql prints (`UPDATE 3`, `INSERT 0 1`, `DELETE 2`); undefined when there are none. */
export function rowsAffected(stdout: string): number | undefined {
  let total: number | undefined;
  for (const m of stdout.matchAll(/^(?:INSERT \d+|UPDATE|DELETE|MERGE|COPY) (\d+)$/gm)) total = (total ?? 0) + Number(m[1]);
  return total;
}

/** Whether psql's output says the server cancelled a statement for its statement_timeout. */
export const statementTimedOut = (output: string) => /canceling statement due to statement timeout/.test(output);
