/**
 * Whether and how a run block can run, shared by `runbook run` and `runbook test`; for
 * shell blocks, the bash invocation: strict options and no startup files, the snippet
 * text as the `-c` argument exactly as written, variables as environment variables
 * only, and a working directory that stays inside the project. SQL blocks run through
 * psql (psql.ts). Nothing here starts a process (see execute.ts).
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Invocation } from './execute.ts';
import type { RunBlock } from './block.ts';
import { CONFIRM_WORD, VAR_NAME } from '../runbook/patterns.ts';
import { parseTimeout } from '../runbook/run-meta.ts';
import { isSqlLang, reservedInSql, sqlEscapes } from '../snippets/sql.ts';
import { resolveRepoPath } from '../snippets/scripts.ts';
import { sqlBoundNames } from '../snippets/snippet.ts';
import { unsafeChars } from '../encode/terminal.ts';

/** Block languages that run as bash. */
export const SHELL_LANGS = ['sh', 'bash', 'shell'];

/** PostgreSQL's parser, once {@link loadSqlParser} has loaded it. */
let parser: typeof import('../snippets/sql-read-only.ts') | undefined;

/**
 * Loads PostgreSQL's parser if any of `blocks` is SQL ({@link unrunnable} reads SQL with
 * it). Only then: a run of shell blocks never pays for the WebAssembly.
 */
export async function loadSqlParser(blocks: readonly RunBlock[]): Promise<void> {
  if (parser || !blocks.some((b) => isSqlLang(b.lang))) return;
  const module = await import('../snippets/sql-read-only.ts');
  // Loaded at import, unless `runbook check` deferred it earlier in this process.
  await module.loadPostgresParser();
  parser = module;
}

/** Why the CLI cannot run `block` at all (a problem of the runbook, not of the moment), or undefined. */
export function unrunnable(block: RunBlock): string | undefined {
  const sql = isSqlLang(block.lang);
  if (!SHELL_LANGS.includes(block.lang) && !sql) {
    return `#${block.id} is a \`${block.lang || 'plain'}\` block; runbook runs sh, bash and sql blocks only. Copy it from the page instead.`;
  }
  // What the terminal guard would have to escape, the prompt could not show as bash runs it (snippet-control-char).
  const hidden = unsafeChars(block.text)[0];
  if (hidden)
    return `#${block.id} contains the control or invisible character ${hidden.name}, so what you would confirm is not what runs; \`npx runbook check\` reports it.`;
  if (!block.safety)
    return `#${block.id} has no valid \`safety=\` (read-only, mutating or destructive); \`npx runbook check\` reports it.`;
  if (block.duplicates.length > 0)
    return `#${block.id} gives ${block.duplicates.map((k) => `\`${k}=\``).join(', ')} more than once; \`npx runbook check\` reports it.`;
  if (block.confirm !== undefined && !CONFIRM_WORD.test(block.confirm))
    return `#${block.id} has confirm=${JSON.stringify(block.confirm)}, which is not a word to type; \`npx runbook check\` reports it.`;
  if (block.timeout !== undefined && timeoutSeconds(block) === undefined)
    return `#${block.id} has timeout=${block.timeout}; use a number of seconds, e.g. timeout=300.`;
  if (sql) {
    // What runbook check reports as errors, the runner refuses too: it never trusts an unchecked page.
    if (block.interactive)
      return `#${block.id} is an interactive SQL block; psql reads the block, not the keyboard. \`npx runbook check\` reports it.`;
    if (block.db !== undefined && !VAR_NAME.test(block.db))
      return `#${block.id} has db=${block.db}, which is not a variable name; \`npx runbook check\` reports it.`;
    const reserved = sqlBoundNames(block.text).map(reservedInSql).find(Boolean);
    if (reserved)
      return `#${block.id} binds a variable psql cannot take: ${reserved}. \`npx runbook check\` reports it.`;
    const escape = sqlEscapes(block.text)[0];
    if (escape) return `#${block.id} ${escape.what}; \`npx runbook check\` reports it.`;
    if (!parser) throw new Error('unrunnable() read an SQL block before loadSqlParser()');
    const found = parser
      .readSql(block.text, block.safety === 'read-only')
      .findings.find((f) => f.kind !== 'unknown-function');
    if (found)
      return `#${block.id} ${found.kind === 'syntax' ? 'is not SQL PostgreSQL can parse' : 'is read-only, but'}: ${found.message}; \`npx runbook check\` reports it.`;
  }
  return undefined;
}

/** The block's `timeout=` in seconds, or undefined when it has none or it is not a positive number. */
export const timeoutSeconds = (block: RunBlock): number | undefined => parseTimeout(block.timeout);

/** The directory a block runs in: `root`, or its `cwd=` when that stays inside `root`. */
export function blockCwd(root: string, block: RunBlock): string | { error: string } {
  if (block.cwd === undefined) return root;
  const { status, absolute } = resolveRepoPath(root, block.cwd);
  if (status === 'outside') return { error: `#${block.id} has cwd=${block.cwd}, which is outside the repository.` };
  if (status === 'missing' || !statSync(absolute).isDirectory())
    return { error: `#${block.id} has cwd=${block.cwd}, which is not a folder in the repository.` };
  return absolute;
}

/** The argv after `bash`: the snippet is one argument, never pasted into other text. `$0` is `name`, for bash's messages. */
export function bashArgs(block: RunBlock, name: string): string[] {
  return ['--noprofile', '--norc', block.errexit ? '-euo' : '-uo', 'pipefail', '-c', block.text, name];
}

/** A shell block as a process: bash with {@link bashArgs}. */
export const shellInvocation = (block: RunBlock, name: string): Invocation => ({
  program: 'bash',
  args: bashArgs(block, name),
});

/**
 * The environment of a snippet: `base` without what would make bash read startup
 * files (BASH_ENV, ENV), `SHLVL=1` (otherwise Debian's bash sources /etc/bash.bashrc,
 * which fails under -u), then the variable values.
 */
export function snippetEnv(base: NodeJS.ProcessEnv, values: ReadonlyMap<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, SHLVL: '1' };
  delete env.BASH_ENV;
  delete env.ENV;
  for (const [name, value] of values) env[name] = value;
  return env;
}

/** SHA-256 of a snippet's text, to tie a transcript entry to exactly what ran. */
export const snippetSha256 = (block: RunBlock) => createHash('sha256').update(block.text).digest('hex');
