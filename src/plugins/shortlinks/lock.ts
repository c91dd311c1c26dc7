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
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new LockError(`${LOCK_FILE} is not valid JSON (${(error as Error).message})`);
  }
  const slugs = (parsed as { slugs?: unknown } | null)?.slugs ?? {};
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    typeof slugs !== 'object' ||
    slugs === null ||
    Array.isArray(slugs)
  )
    throw new LockError(
      `${LOCK_FILE} is not the lock \`runbook lock\` writes: an object with "slugs": { "<slug>": "<page>" }`,
    );
  const entries = Object.entries(slugs as Record<string, unknown>);
  const odd = entries.find(([, page]) => typeof page !== 'string');
  if (odd)
    throw new LockError(`${LOCK_FILE}: the slug "${odd[0]}" maps to ${JSON.stringify(odd[1])}, not to a page path`);
  return new Map(entries as [string, string][]);
}

/** Thrown when shortlinks.lock is not the file `runbook lock` writes (hand-edited, merged badly). */
export class LockError extends Error {}

/** 1-based line of `slug` in the lock file (its JSON is one slug per line). */
export function lockLine(root: string, slug: string): number {
  const lines = (readRepoText(root, LOCK_FILE) ?? '').split('\n');
  const index = lines.findIndex((l) => l.includes(JSON.stringify(slug) + ':'));
  return index === -1 ? 1 : index + 1;
}
