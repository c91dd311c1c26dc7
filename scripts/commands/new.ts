import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Context } from '../cli/context.ts';
import { commandArgs } from '../cli/args.ts';
import { projectFor } from '../cli/project.ts';
import {
  collectProject,
  derivedFixes,
  folderOwner,
  freeShortlink,
  HANDLE,
  LockError,
  newPageText,
  newTarget,
  readLock,
  RepoPathError,
  ruleIds,
  titleOf,
  urlTaken,
} from '../../src/plugins/index.ts';

export const usage = `Usage: npx runbook new <folder>/<name> [--owner @team] [--title "…"]

Writes a new runbook, src/content/runbooks/<folder>/<name>.md, that checks clean: the
owner (--owner, else the team owning most runbooks in the folder, else the first team
in runbooks.config.yaml), a review entry dated today (reviewer: your git user.email or
user.name, else the owner), the shortlink /r/<name> when it is free (none when a page,
the lock or the site has it), a title (--title, else from the name), a short "What to do"
and one read-only run block with a declared variable. Then it writes shortlinks.lock
and the CODEOWNERS block, as npx runbook fix does. <name> is lower-case letters, digits
and dashes; an existing page is never overwritten.
Exit code: 0 written, 1 the project has findings that stop it (or the page is written but the lock and
CODEOWNERS could not be: the message says why), 2 usage.`;

/** Who reviewed the first version: git's user.email, else user.name, else undefined. */
function gitIdentity(cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const key of ['user.email', 'user.name']) {
    const r = spawnSync('git', ['config', key], { cwd, env, encoding: 'utf8', timeout: 5000 });
    const value = r.status === 0 ? r.stdout.trim() : '';
    if (value) return value;
  }
  return undefined;
}

/** `runbook new`: scaffolds a runbook, then writes the derived files. */
export function newRunbook(args: string[], ctx: Pick<Context, 'cwd' | 'out' | 'err' | 'env' | 'now'>): number {
  const parsed = commandArgs('new', args, { owner: { type: 'string' }, title: { type: 'string' } }, usage, ctx, true);
  if (typeof parsed === 'number') return parsed;
  const refuse = (why: string) => {
    ctx.err(`${why}\n\n${usage}`);
    return 2;
  };
  if (parsed.positionals.length !== 1)
    return refuse(
      parsed.positionals.length === 0 ? 'Name the new runbook: <folder>/<name>.' : 'Give one <folder>/<name>.',
    );
  const project = projectFor('No runbook written', ctx);
  if (typeof project === 'number') return project;
  const target = newTarget(project.root, ctx.cwd, parsed.positionals[0]);
  if ('error' in target) return refuse(target.error);
  const title = parsed.values.title?.trim() ?? titleOf(target.name);
  // Invisible text (a zero-width space alone), a line or paragraph separator and the
  // bidirectional controls that reorder what a reader sees are refused like a line break.
  if (
    title.replace(/[\p{Cf}\p{Z}]/gu, '') === '' ||
    /[\p{Cc}\p{Zl}\p{Zp}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u.test(title)
  )
    return refuse('--title is empty or has a control character (a line break, a tab, a direction mark).');
  const teams = project.config.teams;
  const given = parsed.values.owner;
  if (given !== undefined && (!HANDLE.test(given) || (teams && !teams.includes(given))))
    return refuse(
      `--owner ${given} is not ${HANDLE.test(given) ? 'one of the teams in runbooks.config.yaml' : 'a handle like @db-team'}${teams ? ` (${teams.join(', ')})` : ''}.`,
    );
  const facts = collectProject(project);
  const taken = urlTaken(target, facts, { ruleIds: ruleIds(), slos: new Set(project.sloIds) });
  if (taken !== undefined) return refuse(taken);
  const owner = given ?? folderOwner(facts, target.folder, teams);
  if (owner === undefined)
    return refuse('No team owns runbooks in that folder and runbooks.config.yaml lists no teams: give --owner @team.');
  let lock: Map<string, string> | undefined;
  try {
    lock = readLock(project.root);
  } catch (error) {
    if (!(error instanceof LockError) && !(error instanceof RepoPathError)) throw error;
    lock = undefined; // The page is still written; the check reports the lock.
  }
  const link = freeShortlink(target.name, facts, lock, project.config.shortlinks.reserved);
  const text = newPageText({
    title,
    owner,
    reviewer: gitIdentity(project.root, ctx.env ?? process.env) ?? owner,
    today: (ctx.now?.() ?? new Date()).toISOString().slice(0, 10),
    shortlink: link.slug,
    severities: project.ladder.levels.map((l) => l.id),
  });
  mkdirSync(dirname(join(project.root, target.file)), { recursive: true });
  writeFileSync(join(project.root, target.file), text, { flag: 'wx' });
  ctx.out(`Wrote ${target.file} (owner ${owner}${link.slug ? `, shortlink /r/${link.slug}` : ''}).`);
  if (link.takenBy)
    ctx.out(
      `  /r/${target.name} is taken by ${link.takenBy}: the page has no shortlink; add a free one under shortlinks: if it needs one.`,
    );
  const derived = derivedFixes(project, collectProject(project));
  if (!Array.isArray(derived)) {
    // The page is written; what follows from it is not: say so, and fail, so a script sees it.
    ctx.err(`The shortlink lock and CODEOWNERS were not updated: ${derived.refused}`);
    ctx.err('Then run npx runbook fix to write them.');
    return 1;
  }
  for (const c of derived) {
    c.apply();
    ctx.out(`  ${c.file}: ${c.what}`);
  }
  ctx.out(`
Next:
  1. Edit ${target.file}: the steps, the run block, the variable.
  2. npm run dev shows the page and its findings as you type (npx runbook check checks without a server).
  3. npx runbook fix: the lock, CODEOWNERS and other mechanical fixes, after you change owner or shortlinks.
  4. Commit the page with the files fix wrote.`);
  return 0;
}
