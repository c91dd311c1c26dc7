/**
 * Runs a prepared block (prepare.ts), the same way for `runbook run` and `runbook test`:
 * the database's own word on a read-only SQL block first, then the process, then the
 * server session of a timed-out block ended, and a statement the server cancelled for
 * its timeout reported as the timeout it is.
 */
import { execute, type ExecuteOptions, type Execution } from './execute.ts';
import { endSession, statementTimedOut } from './psql.ts';
import type { PreparedBlock } from './prepare.ts';
import { TIMEOUT_EXIT } from './spawn.ts';

/** Runs `prepared`; `refused` says why the database would not let a read-only block run (nothing ran). */
export async function executeBlock(
  prepared: PreparedBlock,
  options: Pick<ExecuteOptions, 'write'> = {},
): Promise<Execution | { refused: string }> {
  const { block, sql, env, cwd } = prepared;
  if (sql && block.safety === 'read-only') {
    // The check read the names; the database says what they are for this role and search_path.
    const { volatileRefusal } = await import('./sql-guard.ts');
    const why = await volatileRefusal(block.text, env, cwd, sql.connection.secrets);
    if (why) return { refused: why };
  }
  const result = await execute(prepared.invocation, {
    cwd,
    env,
    secrets: prepared.secrets,
    timeoutMs: prepared.timeoutMs,
    write: options.write,
    interactive: block.interactive,
  });
  if (sql && result.timedOut) await endSession(env, sql.tag, cwd);
  // psql exits 3 when the server cancels a statement for statement_timeout: the block's own timeout, said so.
  if (sql && !result.timedOut && result.exitCode !== 0 && statementTimedOut(result.output))
    return { ...result, timedOut: true, exitCode: TIMEOUT_EXIT };
  return result;
}
