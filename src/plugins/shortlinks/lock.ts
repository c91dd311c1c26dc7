import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The committed record of every published slug, at the project root. */
export const LOCK_FILE = 'shortlinks.lock';

/** The slugs in `shortlinks.lock`, or undefined when the project has no lock yet. */
export function readLock(root: string): Map<string, string> | undefined {
  const path = join(root, LOCK_FILE);
  if (!existsSync(path)) return undefined;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { slugs?: Record<string, string> };
  return new Map(Object.entries(parsed.slugs ?? {}));
}

/** 1-based line of `slug` in the lock file (its JSON is one slug per line). */
export function lockLine(root: string, slug: string): number {
  const lines = readFileSync(join(root, LOCK_FILE), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(JSON.stringify(slug) + ':'));
  return index === -1 ? 1 : index + 1;
}
