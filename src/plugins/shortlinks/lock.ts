import { readRepoText } from '../runbook/paths.ts';

/** The committed record of every published slug, at the project root. */
export const LOCK_FILE = 'shortlinks.lock';

/**
 * The slugs in `shortlinks.lock`, or undefined when the project has no lock yet. Read
 * through the repository's door: a lock that is a link out of it throws the refusal.
 */
export function readLock(root: string): Map<string, string> | undefined {
  const text = readRepoText(root, LOCK_FILE);
  if (text === undefined) return undefined;
  const parsed = JSON.parse(text) as { slugs?: Record<string, string> };
  return new Map(Object.entries(parsed.slugs ?? {}));
}

/** 1-based line of `slug` in the lock file (its JSON is one slug per line). */
export function lockLine(root: string, slug: string): number {
  const lines = (readRepoText(root, LOCK_FILE) ?? '').split('\n');
  const index = lines.findIndex((l) => l.includes(JSON.stringify(slug) + ':'));
  return index === -1 ? 1 : index + 1;
}
