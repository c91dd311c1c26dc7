/**
 * What `runbook fix` changes: the files derived from the runbooks (the shortlink lock, the
 * CODEOWNERS block) and the safe, mechanical fixes inside pages and scripts. Each concept
 * owns its fix (codeowners/block.ts, shortlinks/lock.ts, snippets/script-rules.ts,
 * runbook/schema-findings.ts); this puts them in order. A value with a finding is never
 * written: the derived files keep what they have for it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunbookFacts } from '../runbook/facts.ts';
import { readable, pageInfo } from '../runbook/page.ts';
import { readRepoFile, RepoPathError } from '../runbook/paths.ts';
import { quoteMisreads } from '../runbook/schema-findings.ts';
import type { Project } from '../project/load.ts';
import { makeExecutable, unexecutableScripts } from '../snippets/script-rules.ts';
import { LOCK_FILE, LockError, lockText, planLock, readLock } from '../shortlinks/lock.ts';
import { publishedShortlinks } from '../shortlinks/publish.ts';
import { shortlinkEntries } from '../shortlinks/entries.ts';
import { misreadSlug, shortlinksHeld } from '../shortlinks/rules.ts';
import { CODEOWNERS_FILE, planCodeowners, readCodeowners } from '../codeowners/block.ts';
import { checkFacts } from './index.ts';

/** One change: the file, what changes in it, and the write itself. */
export interface FixChange {
  file: string;
  what: string;
  apply(): void;
  /** A page's text after the change (for a dry run to judge the pages as fixed). */
  text?: string;
}

/** The fixes inside the pages `inScope` names and the scripts they run: quoting misread values, executable bits. */
export function pageFixes(
  project: Project,
  facts: readonly RunbookFacts[],
  inScope: (file: string) => boolean,
): FixChange[] {
  const mine = facts.filter((f) => inScope(f.file));
  const changes: FixChange[] = [];
  for (const f of mine) {
    const bytes = readRepoFile(project.root, f.file);
    if (bytes instanceof RepoPathError) continue;
    const { text, quoted } = quoteMisreads(f, bytes.toString('utf8'));
    if (quoted.length === 0) continue;
    changes.push({
      file: f.file,
      what: quoted.map((q) => `quoted ${q.written} on line ${q.line} (YAML would read it as another type)`).join('; '),
      apply: () => writeFileSync(join(project.root, f.file), text),
      text,
    });
  }
  for (const path of unexecutableScripts(mine, { root: project.root, config: project.config }))
    changes.push({ file: path, what: 'made executable (chmod +x)', apply: () => makeExecutable(project.root, path) });
  return changes;
}

/**
 * The derived files, from values without findings: `shortlinks.lock` (as `runbook lock`
 * writes it; written when it exists or a page has a shortlink) and the runbooks block of
 * CODEOWNERS (as `runbook codeowners` writes it; only once the file has the block). Or
 * why one cannot be written (a lock that is not JSON, a block without its END line).
 */
export function derivedFixes(project: Project, facts: readonly RunbookFacts[]): FixChange[] | { refused: string } {
  const changes: FixChange[] = [];
  const root = project.root;
  let before: Map<string, string> | undefined;
  try {
    before = readLock(root);
  } catch (error) {
    if (!(error instanceof LockError) && !(error instanceof RepoPathError)) throw error;
    return {
      refused: `${error.message}: ${LOCK_FILE} not written. Restore it from git (git checkout -- ${LOCK_FILE}) and run npx runbook fix again.`,
    };
  }
  // A page whose frontmatter does not read, or with a shortlink finding, keeps its slugs as the lock has them.
  const held = new Set([
    ...facts.filter((f) => !readable(f)).map((f) => f.file),
    ...facts.filter((f) => shortlinkEntries(f.frontmatter.data).some((e) => misreadSlug(f, e))).map((f) => f.file),
    ...shortlinksHeld(checkFacts(project, [...facts])),
  ]);
  const links = publishedShortlinks(facts.map(pageInfo));
  const lock = planLock(before ?? new Map(), links, held);
  const what = [
    ...lock.added.map((s) => `+ /r/${s} → ${lock.after.get(s)}`),
    ...lock.moved.map((s) => `~ /r/${s} → ${lock.after.get(s)} (was ${before?.get(s)})`),
  ];
  if (before === undefined ? links.length > 0 : what.length > 0)
    changes.push({
      file: LOCK_FILE,
      what: `${before === undefined ? 'written' : 'updated'}: ${what.join(', ')}`,
      apply: () => writeFileSync(join(root, LOCK_FILE), lockText(lock.after)),
    });
  // CODEOWNERS is the repository's: the block is kept up to date once someone has put it there.
  if (readCodeowners(root).begin !== undefined) {
    const plan = planCodeowners(root, facts, project.ladder, project.config.teams);
    if (plan.refused !== undefined) return { refused: plan.refused };
    const text = plan.text;
    if (text !== undefined)
      changes.push({
        file: CODEOWNERS_FILE,
        what: `runbooks block updated: ${[...plan.added.map((l) => `+ ${l}`), ...plan.removed.map((l) => `- ${l}`)].join(', ')}`,
        apply: () => writeFileSync(join(root, CODEOWNERS_FILE), text),
      });
  }
  return changes;
}
