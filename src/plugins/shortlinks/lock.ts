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
      `${LOCK_FILE} is not the lock \`npx runbook lock\` writes: an object with "slugs": { "<slug>": "<page>" }`,
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

/** A published slug as the lock records it: where it leads and the page that declares it. */
interface LockLink {
  slug: string;
  target: string;
  file: string;
}

/**
 * The lock after recording `links` over `before`: slugs are added and their destinations
 * updated, never removed. A slug on a file in `held` (its shortlinks have a finding) or on
 * more than one page stays as the lock has it, so the lock never records a value with a
 * finding. `added` and `moved` say what changed.
 */
export function planLock(
  before: ReadonlyMap<string, string>,
  links: readonly LockLink[],
  held: ReadonlySet<string> = new Set(),
): { after: Map<string, string>; added: string[]; moved: string[] } {
  const pages = new Map<string, number>();
  for (const l of links) pages.set(l.slug, (pages.get(l.slug) ?? 0) + 1);
  const after = new Map(before);
  for (const l of links) if (!held.has(l.file) && pages.get(l.slug) === 1) after.set(l.slug, l.target);
  return {
    after,
    added: [...after.keys()].filter((s) => !before.has(s)),
    moved: [...after.keys()].filter((s) => before.has(s) && before.get(s) !== after.get(s)),
  };
}

/** The lock file's text: slugs sorted, one per line. */
export function lockText(slugs: ReadonlyMap<string, string>): string {
  const sorted = Object.fromEntries([...slugs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${JSON.stringify({ version: 1, slugs: sorted }, null, 2)}\n`;
}
