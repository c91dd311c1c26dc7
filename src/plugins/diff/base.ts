/**
 * The other side of `runbook diff`: git `base` unpacked into a scratch folder (the
 * repository's worktree and index untouched), the renames git sees between it and the
 * working tree, and the two snapshots compared.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnProcess } from '../run/spawn.ts';
import { diffSnapshots, snapshot, type ProjectDiff } from './project.ts';
import { loadProject, type Project } from '../project/load.ts';

const GIT_TIMEOUT_MS = 120_000;

/** The difference, or why there is none: exit 1 when git or tar failed. */
export type BaseDiff = { diff: ProjectDiff } | { error: string; exitCode: 1 };

/** Where the base is: the repository's top, the project's folder inside it, and the commit `base` names. */
export interface BaseRevision {
  base: string;
  top: string;
  prefix: string;
  commit: string;
}

/**
 * Resolves git `base` (a branch, tag or commit) from the working tree at `cwd`: exit 2
 * when `cwd` is not in a repository or the ref names no commit. Usage first: this runs
 * before the project is read, so a wrong invocation is never reported as a broken project.
 */
export async function resolveBase(
  cwd: string,
  base: string,
  env: NodeJS.ProcessEnv,
): Promise<BaseRevision | { error: string; exitCode: 2 }> {
  const git = (gitArgs: string[]) => spawnProcess('git', gitArgs, { cwd, env, timeoutMs: GIT_TIMEOUT_MS });
  const top = await git(['rev-parse', '--show-toplevel']);
  if (top.exitCode !== 0)
    return {
      exitCode: 2,
      error: `${cwd} is not in a git repository${top.error ? ` (${top.error})` : ''}: runbook diff compares the working tree with a git ref.`,
    };
  const prefix = (await git(['rev-parse', '--show-prefix'])).stdout.trim();
  const commit = await git(['rev-parse', '--verify', '--quiet', `${base}^{commit}`]);
  if (commit.exitCode !== 0)
    return {
      exitCode: 2,
      error: `Unknown git ref "${base}": give a branch, tag or commit that exists here (after git fetch, for a remote branch).`,
    };
  return { base, top: top.stdout.trim(), prefix, commit: commit.stdout.trim() };
}

/**
 * The working tree's project `head` compared with the resolved base revision, both checked
 * as of `today`. The head's project files must be sound (the caller stops on its load
 * findings); the base's are history, so its findings are compared like any other.
 */
export async function diffWithBase(
  head: Project,
  revision: BaseRevision,
  env: NodeJS.ProcessEnv,
  today: Date,
): Promise<BaseDiff> {
  const cwd = head.root;
  const { base, prefix } = revision;
  const git = (gitArgs: string[], dir = cwd) =>
    spawnProcess('git', gitArgs, { cwd: dir, env, timeoutMs: GIT_TIMEOUT_MS });
  const tmp = mkdtempSync(join(tmpdir(), 'runbook-diff-'));
  try {
    // The base tree, as committed, without touching the repository's worktree or index.
    const tar = join(tmp, 'base.tar');
    const tree = join(tmp, 'tree');
    mkdirSync(tree);
    const archived = await git(['archive', '--format=tar', `--output=${tar}`, revision.commit], revision.top);
    if (archived.exitCode !== 0)
      return {
        exitCode: 1,
        error: `git archive ${base} failed: ${archived.stderr.trim() || archived.error || `exit ${archived.exitCode}`}`,
      };
    const extracted = await spawnProcess('tar', ['-x', '-f', tar, '-C', tree], {
      cwd: tmp,
      env,
      timeoutMs: GIT_TIMEOUT_MS,
    });
    if (extracted.exitCode !== 0)
      return {
        exitCode: 1,
        error: `Could not unpack ${base}: ${extracted.stderr.trim() || extracted.error || `exit ${extracted.exitCode}`}`,
      };
    const renames = parseRenames(
      (await git(['diff', '-M', '--name-status', '-z', revision.commit, '--', '.'], cwd)).stdout,
      prefix,
    );
    // The base resolves packages (MDX imports) against the installed ones, as the working tree does.
    const modules = join(revision.top, 'node_modules');
    if (existsSync(modules) && !existsSync(join(tree, 'node_modules')))
      symlinkSync(modules, join(tree, 'node_modules'));
    return {
      diff: diffSnapshots(base, snapshot(loadProject(join(tree, prefix)), today), snapshot(head, today), renames),
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Renames in `git diff -M --name-status -z` output, as paths from the project root (the repository path less `prefix`). */
function parseRenames(output: string, prefix: string): Map<string, string> {
  const renames = new Map<string, string>();
  const parts = output.split('\0');
  const strip = (p: string) => (p.startsWith(prefix) ? p.slice(prefix.length) : p);
  for (let i = 0; i < parts.length; i++) {
    if (/^R\d*$/.test(parts[i]) && parts[i + 2] !== undefined) {
      renames.set(strip(parts[i + 1]), strip(parts[i + 2]));
      i += 2;
    } else if (/^[ACDMTUXB]\d*$/.test(parts[i])) i += 1;
  }
  return renames;
}

/** Whether a change fails review: it introduces errors, or body changes without a review-log entry. */
export function failsReview(diff: ProjectDiff): boolean {
  return (
    diff.findings.introduced.some((d) => d.severity === 'error') ||
    diff.review.missing.some((m) => m.severity === 'error')
  );
}
