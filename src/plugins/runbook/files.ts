import { readdirSync } from 'node:fs';
import { join } from 'node:path';

// Kept apart from the rest of the check core (which loads every rule and zod), so
// `runbook run` can list pages without paying for that at start-up.

/** Every `.md`/`.mdx` file under `dir`, skipping `_`-prefixed names as Starlight does. */
export function findMarkdown(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findMarkdown(full));
    else if (/\.mdx?$/i.test(entry.name)) out.push(full);
  }
  return out.sort();
}

