import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isWithin } from './paths.ts';

// Kept apart from the rest of the check core (which loads every rule and zod), so
// `runbook run` can list pages without paying for that at start-up.

/**
 * Every `.md`/`.mdx` file under `dir`, as the docs collection's glob (`**\/[^_]*.{md,mdx}`)
 * finds them: `_`-prefixed files are left out, `_`-prefixed folders are not; dot-names
 * never match. With `within` (the repository root), a symlinked folder whose real path
 * leaves it is listed itself, not walked, so its names are never read and the check
 * reports the link.
 */
export function findMarkdown(dir: string, within?: string, seen = new Set<string>()): string[] {
  // The glob follows symlinked folders; a folder reached twice is read once.
  const real = realpathSync(dir);
  if (seen.has(real)) return [];
  seen.add(real);
  const realRoot = within === undefined ? undefined : realpathSync(within);
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    let isDir = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      try {
        isDir = statSync(full).isDirectory();
        if (isDir && realRoot !== undefined && !isWithin(realRoot, realpathSync(full))) {
          out.push(full);
          continue;
        }
      } catch {
        isDir = false; // A link to nothing: listed, and reported as unreadable.
      }
    }
    if (isDir) out.push(...findMarkdown(full, within, seen));
    else if (entry.name.startsWith('_')) continue;
    // Case matters, as in the glob: `Runbook.MD` is not a page.
    else if (/\.mdx?$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}
