import { readdirSync } from 'node:fs';
import { join } from 'node:path';

// Kept apart from the rest of the check core (which loads every rule and zod), so
// `runbook run` can list pages without paying for that at start-up.

/**
 * Every `.md`/`.mdx` file under `dir`, as the docs collection's glob (`**\/[^_]*.{md,mdx}`)
 * finds them: `_`-prefixed files are left out, `_`-prefixed folders are not; dot-names
 * never match.
 */
export function findMarkdown(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findMarkdown(full));
    else if (entry.name.startsWith('_')) continue;
    else if (/\.mdx?$/i.test(entry.name)) out.push(full);
  }
  return out.sort();
}

