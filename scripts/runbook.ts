#!/usr/bin/env node
/**
 * The `runbook` CLI. Inside the repository: `npx runbook <command>` (or `npm run runbook -- <command>`).
 * Exit codes: 0 ok, 1 findings or failure, 2 usage error.
 */
import { enableCompileCache } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import type { Context } from './cli/context.ts';

type Command = (args: string[], ctx: Context) => number | Promise<number>;

/**
 * Each command is imported when it is used: `check` alone loads every rule (and zod),
 * which would spend most of the 250 ms that `runbook run` may take to start.
 */
const commands: Record<string, () => Promise<Command>> = {
  check: async () => (await import('./commands/check.ts')).check,
  coverage: async () => (await import('./commands/coverage.ts')).coverage,
  lock: async () => (await import('./commands/lock.ts')).lock,
  run: async () => (await import('./commands/run.ts')).run,
  test: async () => (await import('./commands/test.ts')).test,
  timeline: async () => (await import('./commands/timeline.ts')).timeline,
  list: async () => (await import('./commands/list.ts')).list,
  diff: async () => (await import('./commands/diff.ts')).diff,
  codeowners: async () => (await import('./commands/codeowners.ts')).codeowners,
  import: async () => (await import('./commands/import.ts')).importTree,
  'db-check': async () => (await import('./commands/db-check.ts')).dbCheck,
  fix: async () => (await import('./commands/fix.ts')).fix,
  new: async () => (await import('./commands/new.ts')).newRunbook,
};

const usage = `Usage: npx runbook <command> [options]

Commands:
  new <folder>/<name>  write a new runbook that checks clean (--owner @team, --title "…")
  check [paths…]   check runbooks without building the site (--format pretty|github|json|markdown)
  coverage         which alerts, services and SLOs lead to a reviewed runbook, per team (--format pretty|json|github, --owner @team)
  fix [paths…]     write the lock and the CODEOWNERS block, set executable bits, quote values YAML misreads (--dry-run)
  lock             record every published shortlink in shortlinks.lock (--drop <slug> to retire one)
  run <slug>[#id]  run a runbook's snippets with safety prompts and a transcript (--dry-run, --var K=V, --yes)
  test [paths…]    doc-test the run blocks marked \`test\` in a scratch copy of the script roots
  timeline <file>  turn a run transcript into the postmortem's Markdown timeline table
  list             list runbooks: shortlinks, title, owner, severity, run blocks
  diff             what the working tree changes in the runbooks compared with git <ref> (--base <ref>, --format pretty|markdown|json)
  codeowners       write the block of .github/CODEOWNERS that maps runbooks and SLO files to their owners
  import <dir>     bring a tree of Markdown runbooks into the site (--owner @team, --into <folder>)
  db-check <slug>  whether the database roles of a runbook's read-only SQL blocks can write (--var NAME=URL)

Run "npx runbook <command> --help" for a command's options.`;

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
  return (await command())(rest, ctx);
}

if (import.meta.main) {
  // Node keeps the type-stripped, compiled modules in its cache folder: later starts skip that work.
  enableCompileCache();
  // PostgreSQL's parser (WebAssembly) runs on V8's baseline code only: its grammar function
  // is so large that optimizing it takes seconds of CPU in the background, and the process
  // waits for that work before it exits. Reading a run block needs no optimized code.
  for (const flag of ['--liftoff-only', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering']) setFlagsFromString(flag);
  // `runbook list | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const { terminalSink } = await import('../src/plugins/front-door.ts');
  const ctx: Context = {
    cwd: process.env.INIT_CWD && process.env.npm_lifecycle_event === 'runbook' ? process.env.INIT_CWD : process.cwd(),
    // The one door to the terminal: every line a command prints passes the terminal guard,
    // which lets through our own colours and shows any other control character by name.
    out: (text) => process.stdout.write(`${terminalSink(text, color)}\n`),
    err: (text) =>
      process.stderr.write(`${terminalSink(text, Boolean(process.stderr.isTTY) && !process.env.NO_COLOR)}\n`),
    color,
  };
  process.exitCode = await main(process.argv.slice(2), ctx);
}
