import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '../runbook/paths.ts';
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
