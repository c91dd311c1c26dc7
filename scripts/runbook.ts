#!/usr/bin/env node
/**
 * The `runbook` CLI. Inside the repository: `npm run runbook -- <command>`.
 * Exit codes: 0 ok, 1 findings or failure, 2 usage error.
 */
import { check, usage as checkUsage } from './commands/check.ts';
import { lock, usage as lockUsage } from './commands/lock.ts';
import type { Context } from './context.ts';

const commands: Record<string, { run: (args: string[], ctx: Context) => number | Promise<number>; usage: string }> = {
  check: { run: check, usage: checkUsage },
  lock: { run: lock, usage: lockUsage },
};

const usage = `Usage: runbook <command> [options]

Commands:
  check [paths…]   check runbooks without building the site (--format pretty|github|json)
  lock             record every published shortlink in shortlinks.lock (--drop <slug> to retire one)

Run "runbook <command> --help" for a command's options.`;

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], ctx: Context): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? ctx.out : ctx.err)(usage);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    ctx.err(`Unknown command "${name}".\n\n${usage}`);
    return 2;
  }
  return command.run(rest, ctx);
}

if (import.meta.main) {
  const ctx: Context = {
    cwd: process.env.INIT_CWD && process.env.npm_lifecycle_event === 'runbook' ? process.env.INIT_CWD : process.cwd(),
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
  process.exitCode = await main(process.argv.slice(2), ctx);
}
