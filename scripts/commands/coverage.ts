import type { Context } from '../cli/context.ts';
import { commandArgs } from '../cli/args.ts';
import { appendFileSync } from 'node:fs';
import {
  BROKEN_PROJECT_EXIT,
  collectProject,
  COVERAGE_FORMATS,
  type CoverageFormat,
  coverageMarkdown,
  didYouMean,
  forTeam,
  loadFindings,
  loadProject,
  projectCoverage,
  render,
  renderCoverage,
  teamOfLabel,
} from '../../src/plugins/index.ts';

export const usage = `Usage: npx runbook coverage [--format pretty|json|github] [--owner @team]

Which alerts, services and SLOs lead to a runbook, and how fresh each team's runbooks
are, from the same files the check reads. The headline, per team and for the site: the
share of paging alerts (severities under alerts.paging in runbooks.config.yaml; every
alert when unset) whose runbook_url lands on a runbook reviewed within its cadence.
Then the gaps: alerts without runbook_url, runbook_urls that land on no runbook,
services with no runbook, SLOs no runbook cites, runbooks of a service no alert points
to; then per team: runbooks, overdue and soon-due reviews (review.soon days), last
review, run blocks with a doc test, changing blocks with no needs= check before them.
An alert counts for the owner of the runbook it lands on, else for the owner of its
service's runbooks, else for the team its team label names.

--owner @team narrows everything to one team. --format json prints the report as
stable JSON (version 1); --format github annotates the alerts without a runbook and,
in a GitHub job, appends the report to the job summary ($GITHUB_STEP_SUMMARY).
Exit code: 0 (coverage is a report, not a gate), 1 when the project cannot be read, 2 usage.`;

/** What `coverage` needs of the context it runs in. */
type CoverageContext = Pick<Context, 'cwd' | 'out' | 'err' | 'color'> & Partial<Pick<Context, 'env' | 'now'>>;

/** `runbook coverage`: the coverage report of the project. */
export function coverage(args: string[], ctx: CoverageContext): number {
  const parsed = commandArgs(
    'coverage',
    args,
    { format: { type: 'string', short: 'f', default: 'pretty' }, owner: { type: 'string' } },
    usage,
    ctx,
  );
  if (typeof parsed === 'number') return parsed;
  const format = parsed.values.format as CoverageFormat;
  if (!COVERAGE_FORMATS.includes(format)) {
    ctx.err(`Unknown format "${format}": use pretty, json or github.\n\n${usage}`);
    return 2;
  }
  const project = loadProject(ctx.cwd);
  const broken = loadFindings(project);
  if (broken.length > 0) {
    // As the check stops: the settings or the ladder are broken, so nothing can be counted.
    ctx.out(render(format, { diagnostics: broken, files: 0 }, ctx.color));
    return BROKEN_PROJECT_EXIT;
  }
  const full = projectCoverage(project, collectProject(project), ctx.now?.() ?? new Date());
  const owner = parsed.values.owner;
  let report = full;
  if (owner !== undefined) {
    const known = full.teams.map((t) => t.team);
    if (!known.includes(owner)) {
      // `db` and `db-team` name @db-team as a team label does; else a typo's nearest handle.
      const guess = teamOfLabel(owner, known) ?? didYouMean(owner, known);
      ctx.err(
        `Unknown team "${owner}": it is not under teams: in runbooks.config.yaml and owns no runbook or alert.${guess ? ` Did you mean ${guess}?` : ''}\n\n${usage}`,
      );
      return 2;
    }
    report = forTeam(full, owner);
  }
  ctx.out(renderCoverage(format, report, { color: ctx.color, owner }));
  // In a GitHub job, the annotations carry the alerts; the job summary carries the whole report.
  const summaryFile = (ctx.env ?? process.env).GITHUB_STEP_SUMMARY;
  if (format === 'github' && summaryFile) appendFileSync(summaryFile, `${coverageMarkdown(report, { owner })}\n\n`);
  return 0;
}
