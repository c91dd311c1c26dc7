/**
 * Checking some pages of a project whose every page is read: what the dev server runs on
 * a save. The context the rules consult (pages by URL, shortlink owners) is built from
 * every page, and the rules whose finding on one page depends on the other pages run over
 * every page; the rest run over the pages in scope only. For the files in scope the
 * findings are those of a whole check (a property test holds it).
 */
import type { Diagnostic } from '../runbook/diagnostic.ts';
import type { RunbookFacts } from '../runbook/facts.ts';
import { CONTENT_DIR } from '../runbook/paths.ts';
import { ladderOf, type Project } from '../project/load.ts';
import { ruleContext } from './index.ts';
import { byPlace, runRules, type RuleId } from './rules.ts';

/**
 * The rules that compare pages with each other or with every page: a slug or URL claimed
 * twice (the later page is reported), the lock and CODEOWNERS against every page, the
 * SLO alerts of the pages that cite them.
 */
export const SITE_WIDE_RULES: ReadonlySet<RuleId> = new Set<RuleId>([
  'shortlink-duplicate',
  'page-url-conflict',
  'shortlink-removed',
  'codeowners-stale',
  'alert-runbook-broken',
]);

/**
 * The rules whose findings are about project files (SLO and alert files, CODEOWNERS, the
 * lock), never about a page, and which read those files: a scope of pages skips them.
 */
export const PROJECT_FILE_RULES: ReadonlySet<RuleId> = new Set<RuleId>([
  'slo-invalid',
  'alert-runbook-broken',
  'codeowners-stale',
  'shortlink-removed',
]);

/** Whether `file` (from the root) is a page. */
export const isPage = (file: string): boolean => file.startsWith(`${CONTENT_DIR}/`) && /\.mdx?$/.test(file);

/**
 * The findings in the files of `scope` (paths from the root), as a check of the whole
 * project over `facts` (every page) reports them.
 */
export function checkScope(
  project: Project,
  facts: readonly RunbookFacts[],
  scope: ReadonlySet<string>,
  today = new Date(),
): Diagnostic[] {
  // Without a ladder the severity rules would only add noise: report the ladder alone.
  const ladder = ladderOf(project);
  if (!ladder) return project.ladderFindings.filter((d) => scope.has(d.file));
  const context = ruleContext(project, ladder, facts, today);
  const inScope = facts.filter((f) => scope.has(f.file));
  const skip = [...scope].every(isPage) ? PROJECT_FILE_RULES : new Set<RuleId>();
  return [
    ...runRules(inScope, context, (id) => !SITE_WIDE_RULES.has(id) && !skip.has(id)),
    ...runRules(facts, context, (id) => SITE_WIDE_RULES.has(id) && !skip.has(id)),
  ]
    .filter((d) => scope.has(d.file))
    .sort(byPlace);
}
