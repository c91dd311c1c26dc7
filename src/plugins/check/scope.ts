/**
 * Which changed files change every page's findings (`runbook check --changed-since`):
 * the files every page is checked against. The list is made of the constants that name
 * them, so renaming one of those files cannot leave it stale. And what else a change
 * rechecks: the pages whose links point into it, and the files of findings that name it.
 */
import { matchesGlob } from 'node:path';
import { CONFIG_FILE, type ProjectConfig } from '../runbook/config.ts';
import type { Diagnostic } from '../runbook/diagnostic.ts';
import { entryUrl, type RunbookFacts } from '../runbook/facts.ts';
import { parseFrontmatter } from '../runbook/frontmatter.ts';
import { CONTENT_DIR, LADDER_FILE, SLO_DIR } from '../runbook/paths.ts';
import { ownSlugs } from '../shortlinks/entries.ts';
import { LOCK_FILE } from '../shortlinks/lock.ts';
import { CODEOWNERS_FILE } from '../codeowners/block.ts';
import { BASELINE_FILE } from './baseline.ts';

/** The files every page is checked against: the settings, the baseline, the shortlink lock, the ladder, CODEOWNERS. */
export const PROJECT_WIDE_FILES: readonly string[] = [
  CONFIG_FILE,
  BASELINE_FILE,
  LOCK_FILE,
  LADDER_FILE,
  CODEOWNERS_FILE,
];

/** The folders whose every file every page is checked against: the SLOs. */
export const PROJECT_WIDE_DIRS: readonly string[] = [SLO_DIR];

/** Whether `file` (from the root) is one every page is checked against, by name. */
const projectWide = (file: string) =>
  PROJECT_WIDE_FILES.includes(file) || PROJECT_WIDE_DIRS.some((dir) => file.startsWith(`${dir}/`));

/**
 * The first of `changed` that affects every page, or undefined: a project-wide file by
 * name first, else an alert rule file (the config's `alerts.files` globs).
 */
export function affectsEveryPage(changed: Iterable<string>, config: ProjectConfig): string | undefined {
  const files = [...changed];
  return files.find(projectWide) ?? files.find((f) => config.alerts.files.some((glob) => matchesGlob(f, glob)));
}

/** Whether a finding's message names `token` (a path, a URL or a slug), not as part of a longer name. */
const mentions = (message: string, token: string) => {
  let i = message.indexOf(token);
  while (i !== -1) {
    const before = message[i - 1] ?? ' ';
    const after = message[i + token.length] ?? ' ';
    if (!/[\w-]/.test(before) && !/[\w-]/.test(after.replace('/', ' '))) return true;
    i = message.indexOf(token, i + 1);
  }
  return false;
};

/**
 * How findings name what changed: each changed file's path; for a page, its URL and its
 * shortlinks (a deleted page's as they were before, from `oldText`: the file's text at
 * the base revision, or undefined); for a public/ file, its URL.
 */
export async function changeTokens(
  changed: ReadonlySet<string>,
  facts: readonly RunbookFacts[],
  oldText: (file: string) => Promise<string | undefined>,
): Promise<string[]> {
  const byFile = new Map(facts.map((f) => [f.file, f]));
  const tokens = new Set<string>();
  for (const file of changed) {
    tokens.add(file);
    if (file.startsWith('public/')) tokens.add(`/${file.slice('public/'.length)}`);
    if (!file.startsWith(`${CONTENT_DIR}/`) || !/\.mdx?$/i.test(file)) continue;
    let data: Record<string, unknown> | undefined = byFile.get(file)?.frontmatter.data;
    if (data === undefined) {
      const old = await oldText(file);
      data = old !== undefined ? parseFrontmatter(old).data : {};
    }
    tokens.add(entryUrl(file.slice(CONTENT_DIR.length + 1), data?.slug));
    for (const s of ownSlugs(data ?? {})) tokens.add(`/r/${s.slug}`).add(`"${s.slug}"`);
  }
  return [...tokens].filter((t) => t.length > 1);
}

/**
 * Adds to `scope` the consequences of a change that land elsewhere: the file of a finding
 * outside the content (the lock, an alert file, CODEOWNERS) or on an unchanged page whose
 * message names a changed file, page, image or slug (a link to a deleted page, a slug now
 * claimed twice, a script that is gone).
 */
export function addConsequences(scope: Set<string>, all: readonly Diagnostic[], tokens: readonly string[]): void {
  for (const d of all) {
    if (!d.file.startsWith(`${CONTENT_DIR}/`) || tokens.some((t) => mentions(d.message, t))) scope.add(d.file);
  }
}
