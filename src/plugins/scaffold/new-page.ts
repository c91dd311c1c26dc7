/**
 * `runbook new`: a new runbook page that checks clean as written, in the project's own
 * terms (a team of the folder, a free shortlink, the ladder's ids), for the author to fill in.
 */
import { lstatSync } from 'node:fs';
import { isAbsolute, join, posix, relative, resolve } from 'node:path';
import { entryUrl, type RunbookFacts } from '../runbook/facts.ts';
import { isRunbook } from '../runbook/page.ts';
import { CONTENT_DIR, repoPath, takenBySite, urlKey } from '../runbook/paths.ts';
import { HANDLE, SLUG } from '../runbook/patterns.ts';
import { reservedSlugs, shortlinkEntries } from '../shortlinks/entries.ts';

/** Where a new page goes: its folder and name inside the content folder, and its file from the root. */
export interface NewTarget {
  folder: string;
  name: string;
  file: string;
}

/**
 * Reads `<folder>/<name>` (inside the content folder; a path from `cwd` that starts with
 * the content folder, with or without `.md`, names the same place). Returns the target, or
 * why it is refused: a name that is not a slug, a folder outside the content folder, a
 * page that exists.
 */
export function newTarget(root: string, cwd: string, given: string): NewTarget | { error: string } {
  const content = join(root, CONTENT_DIR);
  const bare = given.replace(/\\/g, '/').replace(/\.mdx?$/, '');
  const fromCwd =
    isAbsolute(bare) || bare.startsWith('./') || bare.startsWith('../') || bare.startsWith(`${CONTENT_DIR}/`);
  const inside = fromCwd ? relative(content, resolve(cwd, bare)).split('\\').join('/') : posix.normalize(bare);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || bare.split('/').includes('..'))
    return {
      error: `${given} is outside ${CONTENT_DIR}/: a runbook is <folder>/<name> inside it, e.g. services/database/replica-lag.`,
    };
  const parts = inside.split('/');
  const name = parts.pop() as string;
  const folder = parts.join('/');
  if (!SLUG.test(name))
    return {
      error: `"${name}" is not a name a runbook can have: lower-case letters, digits and dashes (it is the page's URL and shortlink), e.g. replica-lag.`,
    };
  if (folder === '')
    return { error: `Give the folder too: <folder>/${name} (a folder is a sidebar group), e.g. services/${name}.` };
  const odd = parts.find((p) => !/^[a-z0-9][a-z0-9._-]*$/.test(p));
  if (odd !== undefined)
    return {
      error: `The folder "${odd}" is not a folder name the site's URLs can carry: lower-case letters, digits, dots and dashes.`,
    };
  const file = `${CONTENT_DIR}/${folder}/${name}.md`;
  // Each folder on the way that exists must be a folder inside the repository: a symbolic
  // link out of it (or to nothing) would put the page elsewhere, where the check never reads it.
  let dir = '';
  for (const part of [CONTENT_DIR, ...parts]) {
    dir = dir ? `${dir}/${part}` : part;
    if (!present(join(root, dir))) break; // The rest does not exist yet: mkdir makes it.
    const where = repoPath(root, dir);
    if (where.status !== 'ok' || !where.directory)
      return {
        error: `${dir} is not a folder inside the repository (${where.status === 'ok' ? 'a file' : where.reason}): a runbook is not written through it.`,
      };
  }
  // lstat, not exists: a link to nothing is still a file that is there.
  for (const ext of ['.md', '.mdx'])
    if (present(join(content, folder, `${name}${ext}`)))
      return { error: `${CONTENT_DIR}/${folder}/${name}${ext} already exists; edit it, or pick another name.` };
  return { folder, name, file };
}

/** Whether anything (a file, a folder, a link even to nothing) is at `path`. */
function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why the new page's URL is not free: another page has it (its file, an `index.md`, its
 * `slug:`), or the site publishes it itself (/r/…, /rules/<rule>/, /slos/<slo>/). Undefined
 * when it is free; the check's page-url-conflict would otherwise report the new page.
 */
export function urlTaken(
  target: NewTarget,
  facts: readonly RunbookFacts[],
  site: { ruleIds: ReadonlySet<string>; slos: ReadonlySet<string> },
): string | undefined {
  const url = entryUrl(`${target.folder}/${target.name}.md`);
  if (takenBySite(url, site))
    return `The URL ${url} is one the site publishes itself (/r/…, /rules/<rule>/, /slos/<slo>/): pick another folder or name.`;
  const other = facts.find((f) => urlKey(f.url) === urlKey(url));
  if (other) return `The URL ${url} is already ${other.file}'s: pick another name.`;
  return undefined;
}

/** The owner a new page in `folder` gets: the team owning most runbooks there (and below), else the first configured team. */
export function folderOwner(
  facts: readonly RunbookFacts[],
  folder: string,
  teams: readonly string[] | undefined,
): string | undefined {
  const counts = new Map<string, number>();
  for (const f of facts) {
    const owner = f.frontmatter.data.owner;
    if (!f.entry.startsWith(`${folder}/`) || !isRunbook(f) || typeof owner !== 'string' || !HANDLE.test(owner))
      continue;
    if (teams && !teams.includes(owner)) continue;
    counts.set(owner, (counts.get(owner) ?? 0) + 1);
  }
  // Most pages first; a tie goes to the name that sorts first, so the choice does not depend on file order.
  const best = [...counts].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1))[0];
  return best?.[0] ?? teams?.[0];
}

/**
 * The shortlink a new page takes: its name, unless a page, the lock or the site has it.
 * A taken slug gets no stand-in (`name-2` would be locked for good by the first `runbook
 * fix`): the page has none, and `takenBy` says where the name is.
 */
export function freeShortlink(
  name: string,
  facts: readonly RunbookFacts[],
  lock: ReadonlyMap<string, string> | undefined,
  reserved: readonly string[],
): { slug?: string; takenBy?: string } {
  const page = facts.find((f) => shortlinkEntries(f.frontmatter.data).some((e) => e.slug === name));
  if (page) return { takenBy: page.file };
  if (lock?.has(name)) return { takenBy: `shortlinks.lock (it led to ${lock.get(name)})` };
  if (reservedSlugs(reserved).has(name)) return { takenBy: 'the site itself (a reserved slug)' };
  return { slug: name };
}

/** What goes into a new page. */
export interface NewPage {
  title: string;
  owner: string;
  reviewer: string;
  /** YYYY-MM-DD. */
  today: string;
  shortlink?: string;
  /** The ladder's ids, shown next to the `severity:` line to fill in. */
  severities: readonly string[];
}

/** A double-quoted YAML scalar (JSON's string syntax is YAML's). */
const q = (text: string) => JSON.stringify(text);

/** The new page's text: frontmatter that checks clean, a short "what to do" and one read-only run block with a declared variable. */
export function newPageText(p: NewPage): string {
  const severity =
    p.severities.length > 0
      ? [`# severity: ${p.severities.join(' | ')}   (the ladder's ids: uncomment the one that fits)`]
      : [];
  return [
    '---',
    `title: ${q(p.title)}`,
    `owner: ${q(p.owner)}`,
    ...severity,
    // Quoted: a name like 010 or 1e3 is a slug, and unquoted YAML reads it as a number.
    ...(p.shortlink ? [`shortlinks: [${q(p.shortlink)}]`] : []),
    'review:',
    '  log:',
    `    - { date: ${p.today}, reviewer: ${q(p.reviewer)}, change: "First version" }`,
    'vars:',
    '  TARGET: { description: "The host or service this is about", example: "web-1.internal" }',
    '---',
    '',
    '## What to do',
    '',
    '1. Look before you change anything: the block below only reads.',
    '2. Write each next step as one action, in the order someone paged at night should take it.',
    '3. End with how to tell it worked, and who to call when it did not.',
    '',
    '```bash run id=first-look safety=read-only title="First look"',
    'echo "Looking at $TARGET"',
    '```',
    '',
  ].join('\n');
}

/** A page title from a name: `replica-lag` reads "Replica lag". */
export const titleOf = (name: string) => {
  const words = name.replace(/-+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};
