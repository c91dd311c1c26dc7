import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
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

const COMMAND_PREFIX = /(^|[;&|(]|&&|\|\||\bsudo|\bexec|\btime|\bnohup|\bwatch|\btimeout\s+\d+[smh]?|\b[A-Z_][A-Z0-9_]*=("[^"]*"|'[^']*'|\S*))\s*$/;

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
    uses.push({ path: match[2].replace(/^\.\//, ''), offset, invoked: COMMAND_PREFIX.test(before) || before.trim() === '' });
  }
  return uses;
}

/** Where a repository path leads: inside, outside (by `..` or a symlink), or nowhere. */
export function resolveRepoPath(root: string, path: string): { status: 'ok' | 'outside' | 'missing'; absolute: string } {
  const absolute = resolve(root, path);
  const rel = relative(root, absolute);
  if (isAbsolute(path) || rel === '..' || rel.startsWith(`..${sep}`) || path.split(/[\\/]/).includes('..')) return { status: 'outside', absolute };
  if (!existsSync(absolute)) return { status: 'missing', absolute };
  const real = realpathSync(absolute);
  const realRoot = realpathSync(root);
  const realRel = relative(realRoot, real);
  if (realRel.startsWith(`..${sep}`) || realRel === '..' || isAbsolute(realRel)) return { status: 'outside', absolute };
  return { status: 'ok', absolute };
}

/** For the link rules: does a repository file exist at `path` (relative to the root)? */
export const repoFileExists = (root: string, path: string) => resolveRepoPath(root, path).status === 'ok' && existsSync(join(root, path));
