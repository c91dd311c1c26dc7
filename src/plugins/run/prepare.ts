/**
 * The one place a run block is made ready to run, for `runbook run` and `runbook test`
 * alike: its connection, the names it binds, its environment, its invocation, its
 * working directory, its limits and what to mask. Where the two commands differ, they
 * say so through {@link PrepareOptions}, each option with the reason. Nothing here starts
 * a process (see execute-block.ts): `runbook run --dry-run` loads it without paying for
 * that.
 */
import type { Execution, Invocation } from './execute.ts';
import type { RunBlock } from './block.ts';
import { primarySlug, type Runbook } from './runbooks.ts';
import type { TranscriptEntry } from './transcript.ts';
import { shown, usedVars } from './vars.ts';
import { blockCwd, shellInvocation, snippetEnv, snippetSha256, timeoutSeconds } from './shell.ts';
import {
  type Connection,
  echoedForms,
  parseConnection,
  psqlEnv,
  rowsAffected,
  sessionOptions,
  sessionTag,
  sqlInvocation,
} from './psql.ts';
import { dbVariable, sqlBoundNames } from '../snippets/snippet.ts';

/** How a command runs its blocks: every difference between `runbook run` and `runbook test`, named. */
export interface PrepareOptions {
  /** The folder `cwd=` resolves in: the checkout (run), or the scratch copy of the script roots (test). */
  root: string;
  /**
   * The environment the block inherits, and libpq's fallback where a connection URL is
   * silent: the operator's own (run), or a clean one with HOME in the scratch folder (test,
   * so a doc test passes the same on every machine).
   */
  env: NodeJS.ProcessEnv;
  /** The block's name: bash's `$0` in its messages, and the end of psql's application name. */
  name: string;
  /** psql's application name before the tag (`runbook <name>`, `runbook test <name>`): the server's session list says who is asking. */
  appName: string;
  /**
   * Seconds a block without `timeout=` may run: none for `run` (an operator watches it and
   * has Ctrl-C), a default for `test` (CI has nobody to press it, and must never hang).
   */
  defaultTimeout?: number;
  /**
   * Whether the values of secret variables are real secrets. `run`: yes, so every known
   * secret of the runbook is masked in the output (the snippet inherits the environment,
   * where the others may be set too), and psql leaves the statement echo out of its error
   * messages when a secret is bound. `test`: no, its values are the page's own examples
   * (or a placeholder), written for anyone to read, and psql's full error context helps
   * whoever fixes the test; only the database URL's password, which may come from CI's
   * environment, is masked.
   */
  secretValues: boolean;
}

/** A block ready to run: what {@link executeBlock} (execute-block.ts) needs, and what the commands show and record. */
export interface PreparedBlock {
  block: RunBlock;
  invocation: Invocation;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Seconds it may run (its `timeout=`, else the default), or undefined for no limit. */
  timeout: number | undefined;
  /** When the process is killed: for SQL a second after the server's statement_timeout, which cancels first with its own message. */
  timeoutMs: number | undefined;
  /** Values to mask in everything shown or kept. */
  secrets: string[];
  /** The values of the variables the block uses, in order of first use (the database URL included). */
  values: Map<string, string>;
  /** SQL blocks: where psql connects, and the tag that ends its application name (to end a timed-out session). */
  sql?: { connection: Connection; tag: string };
}

/**
 * psql's invocation for an SQL block: quiet when it binds a secret whose value is real
 * (see {@link PrepareOptions.secretValues}), one read-only transaction when it is read-only.
 * The dry run shows the same invocation `runbook run` would start.
 */
export function blockSqlInvocation(block: RunBlock, runbook: Runbook, secretValues: boolean): Invocation {
  const bound = sqlBoundNames(block.text);
  const quiet = secretValues && bound.some((n) => runbook.vars.get(n)?.secret);
  return sqlInvocation(block.text, bound, quiet, block.safety === 'read-only');
}

/**
 * Prepares `block` of `runbook` to run with `values` (by variable name; more than the block
 * uses is fine, a missing one is empty). An error says why it cannot run with them: a
 * database URL psql cannot be given, or a `cwd=` that is not a folder inside `root`.
 */
export function prepareBlock(
  block: RunBlock,
  runbook: Runbook,
  values: ReadonlyMap<string, string>,
  options: PrepareOptions,
): PreparedBlock | { error: string } {
  const own = new Map(usedVars(block, runbook.vars).map((s) => [s.name, values.get(s.name) ?? '']));
  const cwd = blockCwd(options.root, block);
  if (typeof cwd !== 'string') return cwd;
  const timeout = timeoutSeconds(block) ?? options.defaultTimeout;
  const db = dbVariable(block);
  // psql may echo a value quoted its way (an error's `LINE 1:`), and the password on its own.
  const secrets = options.secretValues
    ? [...runbook.vars.values()]
        .filter((s) => s.secret)
        .flatMap((s) => [values.get(s.name), options.env[s.name]].filter((v): v is string => Boolean(v)))
        .flatMap((v) => (db === undefined ? [v] : echoedForms(v)))
    : [];
  if (db === undefined) {
    return {
      block,
      invocation: shellInvocation(block, options.name),
      env: snippetEnv(options.env, own),
      cwd,
      timeout,
      timeoutMs: timeout === undefined ? undefined : timeout * 1000,
      secrets,
      values: own,
    };
  }
  const connection = parseConnection(own.get(db) ?? '', options.env);
  if ('error' in connection) return { error: `${db} ${connection.error}` };
  const bound = sqlBoundNames(block.text);
  const tag = sessionTag();
  const env = psqlEnv(
    options.env,
    connection,
    new Map(bound.map((n) => [n, own.get(n) ?? ''])),
    sessionOptions(block, timeout),
    options.appName,
    tag,
  );
  return {
    block,
    invocation: blockSqlInvocation(block, runbook, options.secretValues),
    env,
    cwd,
    timeout,
    // The server's statement_timeout cancels first, with its own message; the kill is the backstop.
    timeoutMs: timeout === undefined ? undefined : timeout * 1000 + 1000,
    secrets: [...secrets, ...connection.secrets],
    values: own,
    sql: { connection, tag },
  };
}

// What the transcript keeps of one attempt at a prepared block under `runbook run`: who, when,
// which snippet, its variables as prepared (secrets masked, the database as its shown form),
// and how the attempt ended (refused, declined, or the process's outcome).

/** Who ran an attempt, when, and in which incident. */
export interface AttemptContext {
  started: Date;
  end: Date;
  operator: string;
  gitSha: string | null;
  incident: string | null;
}

/** The transcript entry of an attempt at `prepared`; `fields` says how it ended and overrides the defaults (nothing ran). */
export function attemptEntry(
  runbook: Runbook,
  prepared: PreparedBlock,
  at: AttemptContext,
  fields: Partial<TranscriptEntry>,
): TranscriptEntry {
  const { block, values } = prepared;
  const db = dbVariable(block);
  const connection = prepared.sql?.connection;
  return {
    ts: at.started.toISOString(),
    end: at.end.toISOString(),
    operator: at.operator,
    gitSha: at.gitSha,
    runbook: { slug: primarySlug(runbook), file: runbook.file },
    block: block.id,
    safety: block.safety ?? 'unknown',
    snippetSha256: snippetSha256(block),
    vars: Object.fromEntries(
      usedVars(block, runbook.vars).map((s) => [
        s.name,
        s.name === db && connection ? (s.secret ? shown(s, '') : connection.shown) : shown(s, values.get(s.name) ?? ''),
      ]),
    ),
    ...(connection ? { database: connection.label } : {}),
    exitCode: null,
    durationMs: 0,
    incident: at.incident,
    output: '',
    ...fields,
  };
}

/** The fields an attempt that ran records: exit code, duration, output (none for interactive blocks), rows an SQL block changed, needs forced past. */
export function executionFields(
  prepared: PreparedBlock,
  result: Execution,
  forcedNeeds: readonly string[],
): Partial<TranscriptEntry> {
  const { block } = prepared;
  const rows = prepared.sql ? rowsAffected(result.stdout) : undefined;
  return {
    ...(rows === undefined ? {} : { rowsAffected: rows }),
    exitCode: result.exitCode,
    durationMs: result.durationMs,
    output: block.interactive ? '' : result.output,
    ...(result.outputTruncated ? { outputTruncated: true } : {}),
    ...(result.timedOut ? { timedOut: true } : {}),
    ...(forcedNeeds.length ? { forcedNeeds: [...forcedNeeds] } : {}),
    ...(block.interactive ? { interactive: true } : {}),
  };
}
