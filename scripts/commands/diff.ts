import type { Context } from '../cli/context.ts';
import { commandArgs } from '../cli/args.ts';
import { diffWithBase, resolveBase, failsReview, renderMarkdown, renderPretty } from '../../src/plugins/differ.ts';
import { projectFor } from '../cli/project.ts';
import { toJsonText } from '../../src/plugins/reader.ts';

export const usage = `Usage: npx runbook diff --base <ref> [--format pretty|markdown|json]

Summarises what the working tree changes in the runbooks compared with git <ref>
(a branch, tag or commit, e.g. origin/main), for a reviewer or a PR comment:
runbooks added and removed, metadata changes (owner, severity, services, SLOs,
escalation, review cadence, review log), run blocks added, removed or made
riskier, shortlinks added, removed (and whether shortlinks.lock still has them)
or moved, SLO objective and window changes, and findings introduced or fixed.
Body changes count: sections added, removed or edited (by heading), run blocks
whose text changed, links added or removed; a file git sees renamed shows as
renamed. A runbook whose body or run blocks changed without a new review.log
entry is an error; one whose metadata alone changed without one, a warning.
Coverage: for each team the change touches, the share of its paging alerts
that land on a reviewed runbook, before and after; an alert that landed on a
runbook and now lands nowhere, or a service that loses its last runbook, is a
coverage-dropped error (not when the change removes the alert too).
Exit code: 0 no new errors (new warnings allowed), 1 the change introduces
errors or unreviewed body changes, 2 usage (not a git repository, unknown ref).`;

const FORMATS = ['pretty', 'markdown', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** `runbook diff`: the review summary of a change to the runbooks. */
export async function diff(
  args: string[],
  ctx: Pick<Context, 'cwd' | 'out' | 'err' | 'color' | 'env' | 'now'>,
): Promise<number> {
  const parsed = commandArgs(
    'diff',
    args,
    { base: { type: 'string', short: 'b' }, format: { type: 'string', short: 'f', default: 'pretty' } },
    usage,
    ctx,
  );
  if (typeof parsed === 'number') return parsed;
  const { base, format } = parsed.values as { base?: string; format: Format };
  if (!FORMATS.includes(format)) {
    ctx.err(`Unknown format "${format}": use pretty, markdown or json.\n\n${usage}`);
    return 2;
  }
  if (!base) {
    ctx.err(`Say what to compare with: --base <ref>, e.g. --base origin/main.\n\n${usage}`);
    return 2;
  }
  if (base.startsWith('-')) {
    ctx.err(`"${base}" is not a git ref.`);
    return 2;
  }
  const env = ctx.env ?? process.env;
  const revision = await resolveBase(ctx.cwd, base, env);
  if ('error' in revision) {
    ctx.err(revision.error);
    return revision.exitCode;
  }
  // The working tree's project files must be sound (the base's are history: its findings are compared).
  const head = projectFor('Nothing compared', ctx);
  if (typeof head === 'number') return head;
  const done = await diffWithBase(head, revision, env, ctx.now?.() ?? new Date());
  if ('error' in done) {
    ctx.err(done.error);
    return done.exitCode;
  }
  const result = done.diff;
  ctx.out(
    format === 'json'
      ? toJsonText(result, 2)
      : format === 'markdown'
        ? renderMarkdown(result)
        : renderPretty(result, ctx.color),
  );
  return failsReview(result) ? 1 : 0;
}
