import type { Context } from '../cli/context.ts';
import { commandArgs, inPaths, projectPaths } from '../cli/args.ts';
import { projectFor } from '../cli/project.ts';
import {
  CODEOWNERS_FILE,
  checkFacts,
  collectProject,
  derivedFixes,
  type FixChange,
  LOCK_FILE,
  pageFixes,
  readBaseline,
  render,
  withBaseline,
} from '../../src/plugins/index.ts';

export const usage = `Usage: npx runbook fix [paths…] [--dry-run]

Writes what follows from the runbooks, and the safe, mechanical fixes:
  - ${LOCK_FILE}: every published shortlink recorded (as npx runbook lock does)
  - ${CODEOWNERS_FILE}: the runbooks block, once the file has one (as npx runbook codeowners does)
  - the executable bit of each script a run block invokes (script-not-executable)
  - quotes around a frontmatter value YAML would read as a date, number or boolean
    where the field means text, exactly as written
Prints each change. A value with a finding is never written: a page whose owner or
frontmatter has a finding keeps its CODEOWNERS lines and lock entries as they are.
With paths, the page fixes (quotes, executable bits) and the findings reported are
those files' or folders'; the lock and CODEOWNERS always follow every page.
--dry-run prints the changes and writes nothing.
Exit code: 0 written or nothing to do, 1 findings remain that fix cannot fix (printed as
npx runbook check prints them), 2 usage.`;

/** `runbook fix`: the mechanical fixes and the derived files, then the findings left to the author. */
export function fix(args: string[], ctx: Pick<Context, 'cwd' | 'out' | 'err' | 'color'>): number {
  const parsed = commandArgs('fix', args, { 'dry-run': { type: 'boolean', default: false } }, usage, ctx, true);
  if (typeof parsed === 'number') return parsed;
  const paths = projectPaths(parsed.positionals, ctx);
  if (!paths) return 2;
  const byPath = (file: string) => inPaths(file, paths);
  const dry = parsed.values['dry-run'] === true;
  const project = projectFor('Nothing fixed', ctx);
  if (typeof project === 'number') return project;
  const write = (changes: FixChange[]) => {
    for (const c of changes) {
      ctx.out(`${c.file}: ${c.what}`);
      if (!dry) c.apply();
    }
    return changes.length;
  };

  // The page fixes first: the derived files then follow from the mended pages.
  let facts = collectProject(project);
  const pages = pageFixes(project, facts, byPath);
  let count = write(pages);
  // A dry run judges the pages as the fixes leave them, so it prints what a real run writes.
  const texts = new Map(pages.flatMap((c) => (c.text === undefined ? [] : [[c.file, c.text] as const])));
  if (texts.size > 0) facts = dry ? collectProject(project, texts) : collectProject(project);
  const derived = derivedFixes(project, facts);
  if (!Array.isArray(derived)) {
    ctx.err(derived.refused);
    return 1;
  }
  count += write(derived);
  const changes = `${count} change${count === 1 ? '' : 's'}`;
  if (dry) {
    ctx.out(count === 0 ? 'Nothing to fix.' : `Dry run: ${changes}, nothing written.`);
    return 0;
  }
  ctx.out(count === 0 ? 'Nothing to fix.' : `Fixed: ${changes}. Review and commit them.`);

  // What is left is the author's to mend, reported as runbook check reports it.
  if (count > 0) facts = collectProject(project);
  const left = withBaseline(
    ctx.cwd,
    checkFacts(project, facts).filter((d) => byPath(d.file)),
    readBaseline(ctx.cwd),
    byPath,
  );
  if (!left.diagnostics.some((d) => d.severity === 'error')) return 0;
  ctx.out(
    `\nLeft for you to fix:\n\n${render('pretty', { diagnostics: left.diagnostics, files: facts.filter((f) => byPath(f.file)).length, baseline: left.summary }, ctx.color)}`,
  );
  return 1;
}
