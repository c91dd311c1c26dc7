import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Kept apart from the rest of the check core (which loads every rule and zod), so
// `runbook run` can list pages without paying for that at start-up.

/**
 * Every `.md`/`.mdx` file under `dir`, as the docs collection's glob (`**\/[^_]*.{md,mdx}`)
 * finds them: `_`-prefixed files are left out, `_`-prefixed folders are not; dot-names
 * never match.
 */
export function findMarkdown(dir: string, seen = new Set<string>()): string[] {
  // The glob follows symlinked folders; a folder reached twice is read once.
  const real = realpathSync(dir);
  if (seen.has(real)) return [];
  seen.add(real);
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    let isDir = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      try {
        isDir = statSync(full).isDirectory();
      } catch {
        isDir = false; // A link to nothing: listed, and reported as unreadable.
      }
    }
    if (isDir) out.push(...findMarkdown(full, seen));
    else if (entry.name.startsWith('_')) continue;
    // Case matters, as in the glob: `Runbook.MD` is not a page.
    else if (/\.mdx?$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}
