import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from '../cli/context.ts';
import { commandArgs } from '../cli/args.ts';
import { diffSnapshots, loadProject, renderMarkdown, renderPretty, snapshot } from '../../src/plugins/index.ts';
import { projectFor } from '../cli/project.ts';
import { spawnProcess } from '../../src/plugins/runner.ts';
import { toJsonText } from '../../src/plugins/reader.ts';

export const usage = `Usage: runbook diff --base <ref> [--format pretty|markdown|json]

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
Exit code: 0 no new errors (new warnings allowed), 1 the change introduces
errors or unreviewed body changes, 2 usage (not a git repository, unknown ref).`;

const FORMATS = ['pretty', 'markdown', 'json'] as const;
type Format = (typeof FORMATS)[number];
const GIT_TIMEOUT_MS = 120_000;

/** `runbook diff`: the review summary of a change to the runbooks. */
export async function diff(args: string[], ctx: Pick<Context, 'cwd' | 'out' | 'err' | 'color' | 'env' | 'now'>): Promise<number> {
  const parsed = commandArgs('diff', args, { base: { type: 'string', short: 'b' }, format: { type: 'string', short: 'f', default: 'pretty' } }, usage, ctx);
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
  const git = (gitArgs: string[], cwd = ctx.cwd) => spawnProcess('git', gitArgs, { cwd, env, timeoutMs: GIT_TIMEOUT_MS });

  const top = await git(['rev-parse', '--show-toplevel']);
  if (top.exitCode !== 0) {
    ctx.err(`${ctx.cwd} is not in a git repository${top.error ? ` (${top.error})` : ''}: runbook diff compares the working tree with a git ref.`);
    return 2;
  }
  const prefix = (await git(['rev-parse', '--show-prefix'])).stdout.trim();
  const commit = await git(['rev-parse', '--verify', '--quiet', `${base}^{commit}`]);
  if (commit.exitCode !== 0) {
    ctx.err(`Unknown git ref "${base}": give a branch, tag or commit that exists here (after git fetch, for a remote branch).`);
    return 2;
  }

  // The working tree's project files must be sound (the base's are history: its findings are compared).
  const head = projectFor('Nothing compared', ctx);
  if (typeof head === 'number') return head;
  const tmp = mkdtempSync(join(tmpdir(), 'runbook-diff-'));
  try {
    // The base tree, as committed, without touching the repository's worktree or index.
    const tar = join(tmp, 'base.tar');
    const tree = join(tmp, 'tree');
    mkdirSync(tree);
    const archived = await git(['archive', '--format=tar', `--output=${tar}`, commit.stdout.trim()], top.stdout.trim());
    if (archived.exitCode !== 0) {
      ctx.err(`git archive ${base} failed: ${archived.stderr.trim() || archived.error || `exit ${archived.exitCode}`}`);
      return 1;
    }
    const extracted = await spawnProcess('tar', ['-x', '-f', tar, '-C', tree], { cwd: tmp, env, timeoutMs: GIT_TIMEOUT_MS });
    if (extracted.exitCode !== 0) {
      ctx.err(`Could not unpack ${base}: ${extracted.stderr.trim() || extracted.error || `exit ${extracted.exitCode}`}`);
      return 1;
    }
    // Renames, as git detects them between the base and the working tree (paths from the project root).
    const renames = new Map<string, string>();
    const names = await git(['diff', '-M', '--name-status', '-z', commit.stdout.trim(), '--', '.'], ctx.cwd);
    const parts = names.stdout.split('\0');
    for (let i = 0; i < parts.length; i++) {
      if (/^R\d*$/.test(parts[i]) && parts[i + 2] !== undefined) {
        const strip = (p: string) => (p.startsWith(prefix) ? p.slice(prefix.length) : p);
        renames.set(strip(parts[i + 1]), strip(parts[i + 2]));
        i += 2;
      } else if (/^[ACDMTUXB]\d*$/.test(parts[i])) i += 1;
    }
    // The base resolves packages (MDX imports) against the installed ones, as the working tree does.
    const modules = join(top.stdout.trim(), 'node_modules');
    if (existsSync(modules) && !existsSync(join(tree, 'node_modules'))) symlinkSync(modules, join(tree, 'node_modules'));
    const today = ctx.now?.() ?? new Date();
    const result = diffSnapshots(base, snapshot(loadProject(join(tree, prefix)), today), snapshot(head, today), renames);
    ctx.out(format === 'json' ? toJsonText(result, 2) : format === 'markdown' ? renderMarkdown(result) : renderPretty(result, ctx.color));
    return result.findings.introduced.some((d) => d.severity === 'error') || result.review.missing.some((m) => m.severity === 'error') ? 1 : 0;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
