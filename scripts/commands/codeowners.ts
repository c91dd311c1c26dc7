import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Context } from '../cli/context.ts';
import { commandArgs } from '../cli/args.ts';
import { projectFor } from '../cli/project.ts';
import {
  blockIsStale,
  CODEOWNERS_FILE,
  collectProject,
  ownerLines,
  readCodeowners,
  withBlock,
} from '../../src/plugins/index.ts';

export const usage = `Usage: runbook codeowners

Writes a block into ${CODEOWNERS_FILE} that maps each runbook and SLO file to the
owner: it declares, so GitHub asks the owning team to review changes to it. Only the
block between "# BEGIN runbooks" and "# END runbooks" is written (appended at the end
the first time, where it takes precedence); every other line stays as it is. Once the
block exists, runbook check reports when it is out of date (codeowners-stale).`;

/** `runbook codeowners`: writes the runbooks block of .github/CODEOWNERS. */
export function codeowners(args: string[], ctx: Pick<Context, 'cwd' | 'out' | 'err'>): number {
  const parsed = commandArgs('codeowners', args, {}, usage, ctx);
  if (typeof parsed === 'number') return parsed;
  const root = ctx.cwd;
  const project = projectFor(`${CODEOWNERS_FILE} not written`, ctx);
  if (typeof project === 'number') return project;
  const lines = ownerLines(root, collectProject(project), project.ladder);
  const current = readCodeowners(root);
  if (current.refused) {
    ctx.err(`${current.refused.message}; ${CODEOWNERS_FILE} not written.`);
    return 1;
  }
  if (current.begin !== undefined && current.end === undefined) {
    ctx.err(
      `${CODEOWNERS_FILE}:${current.begin} opens the runbooks block but has no "# END runbooks" line; add it (or remove the BEGIN line) and run again.`,
    );
    return 1;
  }
  if (current.extra !== undefined) {
    ctx.err(
      `${CODEOWNERS_FILE}:${current.extra} starts a second runbooks block; remove one (the last matching line wins) and run again.`,
    );
    return 1;
  }
  if (current.exists && !blockIsStale(current, lines)) {
    ctx.out(`${CODEOWNERS_FILE} is up to date (${lines.length} files).`);
    return 0;
  }
  mkdirSync(dirname(join(root, CODEOWNERS_FILE)), { recursive: true });
  writeFileSync(join(root, CODEOWNERS_FILE), withBlock(current, lines));
  ctx.out(
    `${current.exists ? 'Updated' : 'Wrote'} the runbooks block of ${CODEOWNERS_FILE}: ${lines.length} files. Commit it.`,
  );
  return 0;
}
