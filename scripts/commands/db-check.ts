import type { Context } from '../cli/context.ts';
import { commandArgs } from '../cli/args.ts';
import {
  dbVariable,
  loadRunbooks,
  parseConnection,
  parseVarOptions,
  psqlEnv,
  resolveTarget,
  sessionOptions,
  sessionTag,
} from '../../src/plugins/reader.ts';
import { roleWrites } from '../../src/plugins/sql-reader.ts';

export const usage = `Usage: npx runbook db-check <slug>[#id] [--var NAME=URL]

Connects to the database of each read-only SQL block of the runbook (or of block
#id), as its db= variable says (from --var, else the environment), and reports
whether that role can write: superuser, CREATEROLE/CREATEDB/REPLICATION, membership
of pg_write_all_data and the like, INSERT/UPDATE/DELETE/TRUNCATE on any table,
CREATE in the database or any schema, sequences, large objects, SECURITY DEFINER
functions and dblink. A read-only role is what guarantees a read-only block reads.
Exit code: 0 every role is read-only, 1 a role can write (listed) or could not be
asked, 2 usage error.`;

/** `runbook db-check <slug>[#id]`: whether the roles of a runbook's read-only SQL blocks can write. */
export async function dbCheck(args: string[], ctx: Context): Promise<number> {
  const parsed = commandArgs(
    'db-check',
    args,
    { var: { type: 'string', multiple: true, default: [] } },
    usage,
    ctx,
    true,
  );
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length !== 1) {
    ctx.err(`Give one <slug>[#id].\n\n${usage}`);
    return 2;
  }
  const target = resolveTarget(loadRunbooks(ctx.cwd), parsed.positionals[0], ctx.cwd);
  const given = parseVarOptions(parsed.values.var);
  if ('error' in target || 'error' in given) {
    ctx.err('error' in target ? target.error : (given as { error: string }).error);
    return 2;
  }
  const scope = target.block ? [target.block] : (target.section?.blocks ?? target.runbook.blocks);
  const names = [
    ...new Set(
      scope
        .filter((b) => b.safety === 'read-only')
        .map(dbVariable)
        .filter((n): n is string => n !== undefined),
    ),
  ];
  if (names.length === 0) {
    ctx.err(`${parsed.positionals[0]} has no read-only SQL block.`);
    return 2;
  }
  const env = ctx.env ?? process.env;
  let code = 0;
  for (const name of names) {
    const value = given.get(name) ?? env[name];
    const connection =
      value === undefined
        ? { error: 'is not set (give --var or set it in the environment)' }
        : parseConnection(value, env);
    if ('error' in connection) {
      ctx.err(`${name} ${connection.error}.`);
      return 2;
    }
    const session = psqlEnv(
      env,
      connection,
      new Map(),
      sessionOptions({ safety: 'read-only' }, 30),
      'runbook db-check',
      sessionTag(),
    );
    const found = await roleWrites(session, ctx.cwd, connection.secrets);
    if ('error' in found) {
      ctx.err(`✖ ${name} (${connection.label}): could not ask the database: ${found.error}`);
      code = 1;
    } else if (found.length) {
      ctx.out(`✖ ${name} (${connection.label}): the role can write:\n${found.map((l) => `  - ${l}`).join('\n')}`);
      code = 1;
    } else ctx.out(`✔ ${name} (${connection.label}): the role is read-only.`);
  }
  return code;
}
