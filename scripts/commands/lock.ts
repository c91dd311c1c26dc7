import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from '../cli/context.ts';
import { commandArgs } from '../cli/args.ts';
import { projectFor } from '../cli/project.ts';
import {
  type RuleId,
  LockError,
  RepoPathError,
  checkFacts,
  collectProject,
  readable,
  pretty,
  LOCK_FILE,
  readLock,
  pageInfo,
  publishedShortlinks,
  planLock,
  lockText,
} from '../../src/plugins/index.ts';

export const usage = `Usage: npx runbook lock [--drop <slug>]…

Records every published shortlink in ${LOCK_FILE} (commit it). Slugs are added and
their destinations updated; a slug is only ever removed with --drop, so a removal
shows in review. npx runbook check and the build fail when a locked slug disappears
from the content, or a new slug is missing from the lock.`;

/** Shortlink findings that are about the lock itself: the lock being written settles them. */
const LOCK_FINDINGS: readonly string[] = ['shortlink-unlocked', 'shortlink-removed'] satisfies RuleId[];

/** `runbook lock`: writes shortlinks.lock from the content, dropping only what is named. */
export function lock(args: string[], ctx: Pick<Context, 'cwd' | 'out' | 'err'>): number {
  const parsed = commandArgs('lock', args, { drop: { type: 'string', multiple: true } }, usage, ctx);
  if (typeof parsed === 'number') return parsed;
  const root = ctx.cwd;
  let before: Map<string, string>;
  try {
    before = readLock(root) ?? new Map<string, string>();
  } catch (error) {
    if (error instanceof LockError) {
      ctx.err(
        `${error.message}: not written. Restore it from git (git checkout -- ${LOCK_FILE}) and run npx runbook lock again.`,
      );
      return 1;
    }
    if (!(error instanceof RepoPathError)) throw error;
    ctx.err(`${LOCK_FILE} leads outside the repository or is not a file (${error.message}): not read, not written.`);
    return 1;
  }
  const project = projectFor(`${LOCK_FILE} not written`, ctx);
  if (typeof project === 'number') return project;
  const facts = collectProject(project);
  // Lock only what the site can publish: a page whose frontmatter cannot be read hides
  // its slugs, and a slug with a shortlink finding (invalid, reserved, duplicate, bad
  // destination) must be fixed before it is recorded for good.
  const blocking = facts.every(readable)
    ? checkFacts(project, facts).filter(
        (d) => d.severity === 'error' && d.ruleId.startsWith('shortlink-') && !LOCK_FINDINGS.includes(d.ruleId),
      )
    : checkFacts(project, facts).filter((d) => d.ruleId.startsWith('frontmatter-') || d.ruleId.startsWith('file-'));
  if (blocking.length > 0) {
    ctx.err(`${LOCK_FILE} not written: fix these first.\n\n${pretty({ diagnostics: blocking, files: facts.length })}`);
    return 1;
  }
  const links = publishedShortlinks(facts.map(pageInfo));
  const { after, added, moved } = planLock(before, links);
  const drops = parsed.values.drop ?? [];
  for (const slug of drops) {
    if (links.some((l) => l.slug === slug)) {
      ctx.err(`/r/${slug} is still on ${links.find((l) => l.slug === slug)?.file}; remove it there first.`);
      return 1;
    }
    if (!after.delete(slug)) {
      ctx.err(`/r/${slug} is not in ${LOCK_FILE}; nothing to drop (${LOCK_FILE} not written).`);
      return 1;
    }
  }
  writeFileSync(join(root, LOCK_FILE), lockText(after));
  const kept = [...after.keys()].filter((s) => !links.some((l) => l.slug === s));
  ctx.out(
    `${LOCK_FILE}: ${after.size} slugs; ${added.length} added, ${moved.length} moved, ${drops.filter((d) => before.has(d)).length} dropped.`,
  );
  for (const s of added) ctx.out(`  + /r/${s} → ${after.get(s)}`);
  for (const s of moved) ctx.out(`  ~ /r/${s} → ${after.get(s)} (was ${before.get(s)})`);
  if (kept.length > 0)
    ctx.out(
      `  ${kept.length} locked slug(s) are on no page and will fail the check: ${kept.map((s) => `/r/${s}`).join(', ')}`,
    );
  return 0;
}
