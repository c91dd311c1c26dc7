import type { Context } from '../cli/context.ts';
import { commandArgs, inPaths, projectPaths } from '../cli/args.ts';
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BASELINE_FILE,
  codeFingerprint,
  CONTENT_DIR,
  projectCacheDir,
  deferSqlParser,
  findReplay,
  fingerprint,
  isoDate,
  type Replay,
  replayKey,
  saveReplay,
} from '../../src/plugins/front-door.ts';
import type { Diagnostic, Format, Project, Report, RunbookFacts } from '../../src/plugins/index.ts';

/** The checker, loaded only when the last report cannot be replayed. */
let lib: typeof import('../../src/plugins/index.ts');

export const usage = `Usage: npx runbook check [paths…] [--format pretty|github|json|markdown] [--changed-since <ref>]
       npx runbook check --update-baseline

Checks runbooks without building the site: frontmatter, severities, SLOs,
shortlinks, snippets, referenced scripts and links. With paths, reports only
findings in those files or folders (every runbook is still read, for the
cross-page rules). --changed-since <ref> reports on the runbooks changed since git
<ref> (committed, staged, unstaged or untracked) and the pages whose links point into
them, with the same findings for those files as a full check; a change to the settings,
ladder, SLOs, lock, alerts or CODEOWNERS checks everything. --format github annotates the first ten errors and warnings
(GitHub drops the rest) and, in a GitHub job, writes every finding to the job
summary ($GITHUB_STEP_SUMMARY).

Adopting the checker on an existing repository: --update-baseline writes today's
findings to ${BASELINE_FILE} (commit it). From then on check and the build report
and fail only on findings not in it, count the accepted ones, and say when some no
longer occur. --no-baseline shows every finding.

Each page's facts are kept in node_modules/.astro/runbooks-facts.bin, shared with
the build and the dev server: an unchanged page is not parsed again. --no-cache reads
every page afresh (and leaves the cache as it was). When no file under the project
root changed (nor the day, the options or the checker), the last report is printed
again from node_modules/.astro/runbooks-report.bin without checking; --no-cache,
--changed-since and --update-baseline always check.
Exit code: 0 clean (warnings allowed), 1 errors, 2 usage.`;

/** What `check` needs of the context it runs in (`now`: the clock, for review dates). */
type CheckContext = Pick<Context, 'cwd' | 'out' | 'err' | 'color'> & Partial<Pick<Context, 'env' | 'now'>>;

/** The files of this command that shape its output (the library's are in the replay key already). */
const CODE_FILES = ['./check.ts', '../cli/args.ts', '../cli/context.ts'].map((f) =>
  fileURLToPath(new URL(f, import.meta.url)),
);

/** Options that read git or write files: such a run is never replayed, nor kept. */
const UNREPLAYED = /^--(?:no-cache|changed-since|update-baseline|help)(?:=|$)|^-h$/;

/**
 * `runbook check`: the validation core without a site build. When every input of the
 * last report is as it was, that report is printed again and the checker is not loaded.
 */
export async function check(args: string[], ctx: CheckContext): Promise<number> {
  const today = ctx.now?.() ?? new Date();
  // A GitHub job writes its summary as a side effect: it always checks (its caches start cold anyway).
  // Nor is a folder that is no project (the check says so, exit 2): nothing is written there.
  const replayable =
    !args.some((a) => UNREPLAYED.test(a)) &&
    !(ctx.env ?? process.env).GITHUB_STEP_SUMMARY &&
    existsSync(join(ctx.cwd, CONTENT_DIR));
  const cacheDir = projectCacheDir(ctx.cwd);
  if (!replayable || !cacheDir) return checkNow(args, ctx, today);
  // Review dates are days in UTC: the report holds for the rest of the day.
  const key = replayKey([args, ctx.cwd, ctx.color, isoDate(today)]);
  const last = findReplay(cacheDir, key, ctx.cwd, () => codeFingerprint(CODE_FILES));
  if (last) {
    for (const [stream, text] of last.lines) (stream === 1 ? ctx.out : ctx.err)(text);
    return last.status;
  }
  // Taken before the run: a file changed while it runs makes the next run check again.
  const taken = { code: codeFingerprint(CODE_FILES), tree: fingerprint([ctx.cwd]) };
  const lines: Replay['lines'] = [];
  const status = await checkNow(
    args,
    {
      ...ctx,
      out: (text) => (lines.push([1, text]), ctx.out(text)),
      err: (text) => (lines.push([2, text]), ctx.err(text)),
    },
    today,
  );
  // A usage error is not a report: it is cheap to find again.
  if (status !== 2) saveReplay(cacheDir, key, taken, { lines, status });
  return status;
}

/** The check itself: loads the checker and runs it. */
async function checkNow(args: string[], ctx: CheckContext, today: Date): Promise<number> {
  // PostgreSQL's parser is loaded below, only when a page has an SQL block.
  deferSqlParser();
  lib ??= await import('../../src/plugins/index.ts');
  const {
    BROKEN_PROJECT_EXIT,
    checkFacts,
    collectProject,
    FORMATS,
    loadFindings,
    loadProject,
    loadSqlRules,
    projectCache,
    readBaseline,
    render,
    withBaseline,
  } = lib;
  const parsed = commandArgs(
    'check',
    args,
    {
      format: { type: 'string', short: 'f', default: 'pretty' },
      'update-baseline': { type: 'boolean', default: false },
      'no-baseline': { type: 'boolean', default: false },
      'no-cache': { type: 'boolean', default: false },
      'changed-since': { type: 'string' },
    },
    usage,
    ctx,
    true,
  );
  if (typeof parsed === 'number') return parsed;
  const format = parsed.values.format as Format;
  if (!FORMATS.includes(format)) {
    ctx.err(`Unknown format "${format}": use pretty, github, json or markdown.\n\n${usage}`);
    return 2;
  }
  const only = projectPaths(parsed.positionals, ctx);
  if (!only) return 2;
  const project = loadProject(ctx.cwd);
  const broken = loadFindings(project);
  if (broken.length > 0) {
    // A broken config or ladder is a finding like any other, in the format asked for.
    ctx.out(render(format, { diagnostics: broken, files: 0 }, ctx.color));
    return BROKEN_PROJECT_EXIT;
  }
  // Unchanged pages come from the facts cache the build and the dev server share (--no-cache reads every page).
  const facts = collectProject(
    project,
    undefined,
    parsed.values['no-cache'] ? undefined : withCacheDir(project.root, (dir) => projectCache(project, dir)),
  );
  await loadSqlRules(facts);
  if (parsed.values['update-baseline']) {
    if (parsed.positionals.length > 0) {
      ctx.err(`--update-baseline records the whole project's findings; give no paths.\n\n${usage}`);
      return 2;
    }
    return updateBaseline(project, facts, ctx, today);
  }
  const byPath = (file: string) => inPaths(file, only);
  const since = parsed.values['changed-since'];
  const changed = since === undefined ? undefined : await changedScope(since, project, facts, ctx, today);
  if (typeof changed === 'number') return changed;
  const inScope = changed ? (file: string) => changed.scope.has(file) && byPath(file) : byPath;
  // The rules run once: --changed-since reuses the findings it scoped by.
  const diagnostics = (changed?.all ?? checkFacts(project, facts, { today })).filter((d) => inScope(d.file));
  const baseline = parsed.values['no-baseline'] ? undefined : readBaseline(ctx.cwd);
  const files = facts.filter((f) => inScope(f.file)).length;
  return printReport(format, withBaseline(ctx.cwd, diagnostics, baseline, inScope), files, ctx);
}

/** `--update-baseline`: writes today's findings to the baseline; fails on those no baseline may accept. */
function updateBaseline(project: Project, facts: RunbookFacts[], ctx: CheckContext, today: Date): number {
  const { acceptable, checkFacts, render, repoPath, writeBaseline } = lib;
  const all = checkFacts(project, facts, { today });
  // Never written through a link out of the repository (it would overwrite that file).
  const where = repoPath(ctx.cwd, BASELINE_FILE);
  if (where.status !== 'ok' && where.status !== 'missing') {
    ctx.err(`${BASELINE_FILE} is not a file of the repository (${where.reason}): not written.`);
    return 1;
  }
  const n = writeBaseline(ctx.cwd, all);
  const accepted = all.filter(acceptable);
  const errors = accepted.filter((d) => d.severity === 'error').length;
  ctx.out(
    `Wrote ${BASELINE_FILE}: ${n} finding${n === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${n - errors} warning${n - errors === 1 ? '' : 's'}). Commit it: from now on npx runbook check and the build fail only on findings not in it.`,
  );
  const fatal = all.filter((d) => !acceptable(d));
  if (fatal.length > 0) {
    ctx.out(
      `\n${fatal.length} finding${fatal.length === 1 ? ' is' : 's are'} not baselined: the build cannot get past ${fatal.length === 1 ? 'it' : 'them'} (or ${fatal.length === 1 ? 'it' : 'they'} would put script on the site). Fix ${fatal.length === 1 ? 'it' : 'them'}:\n\n${render('pretty', { diagnostics: fatal, files: facts.length }, ctx.color)}`,
    );
    return 1;
  }
  return 0;
}

/**
 * `--changed-since <ref>`: the files to report on (the changed ones, the pages that link
 * into them, the files of findings that name them) and every finding, computed once; or
 * undefined when a change affects every page; or the exit code to stop with.
 */
async function changedScope(
  since: string,
  project: Project,
  facts: RunbookFacts[],
  ctx: CheckContext,
  today: Date,
): Promise<{ scope: Set<string>; all: Diagnostic[] } | undefined | number> {
  const { addConsequences, affectsEveryPage, changeTokens, checkFacts, withReferrers } = lib;
  const changed = await changedFiles(since, ctx);
  if (typeof changed === 'number') return changed;
  // Settings and the files every page is checked against change every page's findings.
  const global = affectsEveryPage(changed, project.config);
  if (global) {
    ctx.err(`${global} changed since ${since}: it affects every page, so every file is checked.`);
    return undefined;
  }
  const scope = withReferrers(project, facts, changed);
  const tokens = await changeTokens(changed, facts, (file) => fileAt(since, file, ctx));
  const all = checkFacts(project, facts, { today });
  addConsequences(scope, all, tokens);
  return { scope, all };
}

/** Prints the report in `format` (and, in a GitHub job, the job summary); exit 1 when it holds an error. */
function printReport(
  format: Format,
  { diagnostics, summary }: { diagnostics: Diagnostic[]; summary?: Report['baseline'] },
  files: number,
  ctx: CheckContext,
): number {
  const { render } = lib;
  const report: Report = { diagnostics, files, baseline: summary };
  const output = render(format, report, ctx.color);
  if (output) ctx.out(output);
  // In a GitHub job, the annotations carry the first findings; the job summary carries them all.
  const summaryFile = (ctx.env ?? process.env).GITHUB_STEP_SUMMARY;
  if (format === 'github' && summaryFile) appendFileSync(summaryFile, `${render('markdown', report)}\n\n`);
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

/** Files changed since `ref` (committed, staged, unstaged, untracked), relative to the project root; or the exit code to stop with. */
async function changedFiles(
  ref: string,
  ctx: Pick<Context, 'cwd' | 'err'> & Partial<Pick<Context, 'env'>>,
): Promise<Set<string> | number> {
  const env = ctx.env ?? process.env;
  // The process side is loaded only for --changed-since: a plain check never spawns.
  const { spawnProcess } = await import('../../src/plugins/runner.ts');
  const git = (args: string[]) => spawnProcess('git', args, { cwd: ctx.cwd, env, timeoutMs: 60_000 });
  if (ref.startsWith('-')) {
    ctx.err(`"${ref}" is not a git ref.`);
    return 2;
  }
  const commit = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (commit.exitCode !== 0) {
    ctx.err(`--changed-since: unknown git ref "${ref}" (or ${ctx.cwd} is not in a git repository).`);
    return 2;
  }
  const [diff, untracked] = await Promise.all([
    git(['diff', '--name-only', '-z', '--relative', commit.stdout.trim(), '--', '.']),
    git(['ls-files', '--others', '--exclude-standard', '-z', '--', '.']),
  ]);
  return new Set([...diff.stdout.split('\0'), ...untracked.stdout.split('\0')].filter(Boolean));
}

/** The text of `file` at git revision `ref`, or undefined when it was not there. */
async function fileAt(ref: string, file: string, ctx: Pick<Context, 'cwd'> & Partial<Pick<Context, 'env'>>) {
  const { spawnProcess } = await import('../../src/plugins/runner.ts');
  const old = await spawnProcess('git', ['show', `${ref}:./${file}`], {
    cwd: ctx.cwd,
    env: ctx.env ?? process.env,
    timeoutMs: 30_000,
  });
  return old.exitCode === 0 ? old.stdout : undefined;
}

/** `make` over the project's cache folder, when it has one (an installed project). */
const withCacheDir = <T>(root: string, make: (dir: string) => T): T | undefined => {
  const dir = projectCacheDir(root);
  return dir ? make(dir) : undefined;
};
