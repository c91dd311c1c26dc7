import type { Context } from '../cli/context.ts';
import { commandArgs, inPaths, projectPaths } from '../cli/args.ts';
import { appendFileSync } from 'node:fs';
import { spawnProcess } from '../../src/plugins/runner.ts';
import {
  acceptable,
  affectsEveryPage,
  applyBaseline,
  BASELINE_FILE,
  baselineSummary,
  BROKEN_PROJECT_EXIT,
  checkFacts,
  CONTENT_DIR,
  collectProject,
  entryUrl,
  loadFindings,
  loadProject,
  ownSlugs,
  parseFrontmatter,
  type RunbookFacts,
  withReferrers,
  FORMATS,
  type Format,
  readBaseline,
  render,
  repoPath,
  writeBaseline,
} from '../../src/plugins/index.ts';

export const usage = `Usage: runbook check [paths…] [--format pretty|github|json|markdown] [--changed-since <ref>]
       runbook check --update-baseline

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
Exit code: 0 clean (warnings allowed), 1 errors, 2 usage.`;

/** `runbook check`: the validation core without a site build. */
export async function check(
  args: string[],
  ctx: Pick<Context, 'cwd' | 'out' | 'err' | 'color'> & Partial<Pick<Context, 'env'>>,
): Promise<number> {
  const parsed = commandArgs(
    'check',
    args,
    {
      format: { type: 'string', short: 'f', default: 'pretty' },
      'update-baseline': { type: 'boolean', default: false },
      'no-baseline': { type: 'boolean', default: false },
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
  const root = ctx.cwd;
  const only = projectPaths(parsed.positionals, ctx);
  if (!only) return 2;
  const project = loadProject(root);
  const broken = loadFindings(project);
  if (broken.length > 0) {
    // A broken config or ladder is a finding like any other, in the format asked for.
    ctx.out(render(format, { diagnostics: broken, files: 0 }, ctx.color));
    return BROKEN_PROJECT_EXIT;
  }
  const facts = collectProject(project);
  if (parsed.values['update-baseline']) {
    if (parsed.positionals.length > 0) {
      ctx.err(`--update-baseline records the whole project's findings; give no paths.\n\n${usage}`);
      return 2;
    }
    const all = checkFacts(project, facts);
    // Never written through a link out of the repository (it would overwrite that file).
    const where = repoPath(root, BASELINE_FILE);
    if (where.status !== 'ok' && where.status !== 'missing') {
      ctx.err(`${BASELINE_FILE} is not a file of the repository (${where.reason}): not written.`);
      return 1;
    }
    const n = writeBaseline(root, all);
    const accepted = all.filter(acceptable);
    const errors = accepted.filter((d) => d.severity === 'error').length;
    ctx.out(
      `Wrote ${BASELINE_FILE}: ${n} finding${n === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${n - errors} warning${n - errors === 1 ? '' : 's'}). Commit it: from now on runbook check and the build fail only on findings not in it.`,
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
  let inScope = (file: string) => inPaths(file, only);
  const since = parsed.values['changed-since'];
  let all: ReturnType<typeof checkFacts> | undefined;
  if (since !== undefined) {
    const changed = await changedFiles(since, ctx);
    if (typeof changed === 'number') return changed;
    // Settings and the files every page is checked against change every page's findings.
    const global = affectsEveryPage(changed, project.config);
    if (global) {
      ctx.err(`${global} changed since ${since}: it affects every page, so every file is checked.`);
    } else {
      const scope = withReferrers(project, facts, changed);
      // Consequences that land elsewhere: a finding outside the content (the lock, an
      // alert file, CODEOWNERS) or on an unchanged page whose message names a changed
      // file, page, image or slug (a link to a deleted page, a slug now claimed twice,
      // a script that is gone).
      const tokens = await changeTokens(since, changed, facts, ctx);
      all = checkFacts(project, facts);
      for (const d of all) {
        if (!d.file.startsWith(`${CONTENT_DIR}/`) || tokens.some((t) => mentions(d.message, t))) scope.add(d.file);
      }
      const byPath = inScope;
      inScope = (file) => scope.has(file) && byPath(file);
    }
  }
  const selected = facts.filter((f) => inScope(f.file));
  // The rules run once: --changed-since reuses the findings it scoped by.
  let diagnostics = (all ?? checkFacts(project, facts)).filter((d) => inScope(d.file));
  const baseline = parsed.values['no-baseline'] ? undefined : readBaseline(root);
  let summary;
  if (baseline && !Array.isArray(baseline)) {
    diagnostics = [baseline, ...diagnostics];
  } else if (baseline) {
    const result = applyBaseline(root, diagnostics, baseline, inScope);
    diagnostics = result.fresh;
    summary = {
      file: BASELINE_FILE,
      accepted: result.baselined,
      fixed: result.fixed.length,
      summary: baselineSummary(result),
    };
  }
  const report = { diagnostics, files: selected.length, baseline: summary };
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

/** Whether a finding's message names `token` (a path, a URL or a slug), not as part of a longer name. */
const mentions = (message: string, token: string) => {
  let i = message.indexOf(token);
  while (i !== -1) {
    const before = message[i - 1] ?? ' ';
    const after = message[i + token.length] ?? ' ';
    if (!/[\w-]/.test(before) && !/[\w-]/.test(after.replace('/', ' '))) return true;
    i = message.indexOf(token, i + 1);
  }
  return false;
};

/**
 * How findings name what changed: each changed file's path; for a page, its URL and its
 * shortlinks (a deleted page's as they were at `ref`); for a public/ file, its URL.
 */
async function changeTokens(
  ref: string,
  changed: ReadonlySet<string>,
  facts: readonly RunbookFacts[],
  ctx: Pick<Context, 'cwd'> & Partial<Pick<Context, 'env'>>,
): Promise<string[]> {
  const byFile = new Map(facts.map((f) => [f.file, f]));
  const tokens = new Set<string>();
  for (const file of changed) {
    tokens.add(file);
    if (file.startsWith('public/')) tokens.add(`/${file.slice('public/'.length)}`);
    if (!file.startsWith(`${CONTENT_DIR}/`) || !/\.mdx?$/i.test(file)) continue;
    let data: Record<string, unknown> | undefined = byFile.get(file)?.frontmatter.data;
    if (data === undefined) {
      const old = await spawnProcess('git', ['show', `${ref}:./${file}`], {
        cwd: ctx.cwd,
        env: ctx.env ?? process.env,
        timeoutMs: 30_000,
      });
      data = old.exitCode === 0 ? parseFrontmatter(old.stdout).data : {};
    }
    tokens.add(entryUrl(file.slice(CONTENT_DIR.length + 1), data?.slug));
    for (const s of ownSlugs(data ?? {})) tokens.add(`/r/${s.slug}`).add(`"${s.slug}"`);
  }
  return [...tokens].filter((t) => t.length > 1);
}
