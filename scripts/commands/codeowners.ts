import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Context } from '../cli/context.ts';
import { commandArgs } from '../cli/args.ts';
import { projectFor } from '../cli/project.ts';
import { CODEOWNERS_FILE, collectProject, planCodeowners } from '../../src/plugins/index.ts';

export const usage = `Usage: npx runbook codeowners

Writes a block into ${CODEOWNERS_FILE} that maps each runbook and SLO file to the
owner: it declares, so GitHub asks the owning team to review changes to it. Only the
block between "# BEGIN runbooks" and "# END runbooks" is written (appended at the end
the first time, where it takes precedence); every other line stays as it is. Once the
block exists, npx runbook check reports when it is out of date (codeowners-stale).`;

/** `runbook codeowners`: writes the runbooks block of .github/CODEOWNERS. */
export function codeowners(args: string[], ctx: Pick<Context, 'cwd' | 'out' | 'err'>): number {
  const parsed = commandArgs('codeowners', args, {}, usage, ctx);
  if (typeof parsed === 'number') return parsed;
  const root = ctx.cwd;
  const project = projectFor(`${CODEOWNERS_FILE} not written`, ctx);
  if (typeof project === 'number') return project;
  const plan = planCodeowners(root, collectProject(project), project.ladder, project.config.teams);
  if (plan.refused !== undefined) {
    ctx.err(plan.refused);
    return 1;
  }
  const lines = plan.lines;
  if (plan.text === undefined) {
    ctx.out(`${CODEOWNERS_FILE} is up to date (${lines.length} files).`);
    return 0;
  }
  mkdirSync(dirname(join(root, CODEOWNERS_FILE)), { recursive: true });
  writeFileSync(join(root, CODEOWNERS_FILE), plan.text);
  ctx.out(
    `${plan.exists ? 'Updated' : 'Wrote'} the runbooks block of ${CODEOWNERS_FILE}: ${lines.length} files. Commit it.`,
  );
  return 0;
}
