import { existsSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { repoPath } from '../runbook/paths.ts';
import { didYouMean } from '../runbook/did-you-mean.ts';
import { trimEnd } from '../runbook/text.ts';

// Scripts of the repository that runbooks run or link to: where a path leads, and
// where a snippet invokes one. Light: `runbook run` and `runbook test` use it too.

/** Where the script roots' files are invoked in a snippet, and whether as a command. */
export interface ScriptUse {
  path: string;
  /** 0-based offset of the path in the snippet text. */
  offset: number;
  /** True when the path is the command itself, so it must be executable. */
  invoked: boolean;
}

const COMMAND_PREFIX =
  /(^|[;&|(]|&&|\|\||\bsudo|\bexec|\btime|\bnohup|\bwatch|\btimeout\s+\d+[smh]?|\b[A-Z_][A-Z0-9_]*=("[^"]*"|'[^']*'|\S*))\s*$/;

const patterns = new Map<string, RegExp>();

function rootsPattern(roots: readonly string[]): RegExp {
  const key = roots.join('\0');
  let pattern = patterns.get(key);
  if (!pattern) {
    const alternatives = roots.map((r) => trimEnd(r, '/').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    pattern = new RegExp(`(^|[\\s"'=(;|&])((?:\\./)?(?:${alternatives})/[^\\s"'\`;|&)<>]+)`, 'g');
    patterns.set(key, pattern);
  }
  return pattern;
}

/** Paths under `roots` (e.g. `ops/`, `./bin/`) that a snippet mentions. */
export function scriptUses(text: string, roots: readonly string[]): ScriptUse[] {
  if (roots.length === 0) return [];
  const pattern = rootsPattern(roots);
  pattern.lastIndex = 0;
  const uses: ScriptUse[] = [];
  for (const match of text.matchAll(pattern)) {
    const offset = (match.index ?? 0) + match[1].length;
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const before = text.slice(lineStart, offset).replace(/["']$/, '');
    uses.push({
      path: match[2].replace(/^\.\//, ''),
      offset,
      invoked: COMMAND_PREFIX.test(before) || before.trim() === '',
    });
  }
  return uses;
}

/**
 * Where a repository path leads: inside, outside (by `..`, an absolute path or a symlink
 * anywhere along it), or nowhere. The repository's one door ({@link repoPath}) decides;
 * a FIFO, socket or device counts as no script at all.
 */
export function resolveRepoPath(
  root: string,
  path: string,
): { status: 'ok' | 'outside' | 'missing'; absolute: string } {
  const where = repoPath(root, path);
  return {
    status: where.status === 'ok' || where.status === 'outside' ? where.status : 'missing',
    absolute: where.absolute,
  };
}

/** For the link rules: does a repository file exist at `path` (relative to the root)? */
export const repoFileExists = (root: string, path: string) =>
  resolveRepoPath(root, path).status === 'ok' && existsSync(join(root, path));

/** How many files the did-you-mean of a missing script lists at most: a guess must stay cheap. */
const MAX_LISTED = 2000;

/** Files (repository paths) in `dir` and, to `depth` levels, its folders; only what the door lets through. */
function listFiles(root: string, dir: string, depth: number, out: Set<string>): void {
  const where = repoPath(root, dir || '.');
  if (where.status !== 'ok' || !where.directory) return;
  for (const entry of readdirSync(where.absolute, { withFileTypes: true })) {
    if (out.size >= MAX_LISTED) return;
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isFile()) out.add(path);
    else if (entry.isDirectory() && depth > 0 && !entry.name.startsWith('.')) listFiles(root, path, depth - 1, out);
  }
}

/**
 * The existing script closest to a missing `path`, for the finding's "did you mean":
 * looked for in the path's own folder and in the script roots (`ops/`, `bin/`, `scripts/`),
 * a few levels deep, never more than {@link MAX_LISTED} files. `listed` caches the listing
 * across the references of one check.
 */
export function nearestScript(
  root: string,
  path: string,
  roots: readonly string[],
  listed: Map<string, Set<string>> = new Map(),
): string | undefined {
  const folders = [posix.dirname(path) === '.' ? '' : posix.dirname(path), ...roots.map((r) => trimEnd(r, '/'))];
  const files = new Set<string>();
  for (const folder of new Set(folders)) {
    let found = listed.get(folder);
    if (!found) {
      found = new Set();
      listFiles(root, folder, folder === folders[0] ? 0 : 3, found);
      listed.set(folder, found);
    }
    for (const f of found) files.add(f);
  }
  files.delete(path);
  return didYouMean(path, [...files]);
}
