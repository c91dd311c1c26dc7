/**
 * Runbooks as the CLI sees them, read through the validation core's collector (the one
 * Markdown and meta parser): each page's metadata and its run blocks with their meta
 * turned into typed fields, the lookup from `<slug>[#id]` to a page and block, and which
 * of a target's blocks a run takes (planRun).
 */
import { join, relative, resolve } from 'node:path';
import { blockCwd, loadSqlParser, unrunnable } from './shell.ts';
import { dbVariable } from '../snippets/snippet.ts';
import { declaredVars, type VarSpec } from './vars.ts';
import { readPage, collectFacts, type CodeFact, type RunbookFacts } from '../runbook/facts.ts';
import { findMarkdown } from '../runbook/files.ts';
import { ownSlugs } from '../shortlinks/entries.ts';
import { CONTENT_DIR } from '../runbook/paths.ts';
import { asText } from '../runbook/coerce.ts';
import { toBlock, type RunBlock } from './block.ts';
import { isRunbook, runBlocks } from '../runbook/page.ts';
import { outputFor } from '../runbook/run-meta.ts';
import { cutAt, trimBoth } from '../runbook/text.ts';

export type { RunBlock } from './block.ts';

/** One runbook page. */
export interface Runbook {
  /** Path from the project root, e.g. `src/content/runbooks/services/db/db-down.md`. */
  file: string;
  /** Path from the content folder without extension, e.g. `services/db/db-down`. */
  path: string;
  /** Shortlink slugs in frontmatter order. */
  slugs: string[];
  /** Shortlinks that point at an anchor: slug → anchor. */
  anchors: Map<string, string>;
  title: string;
  owner?: string;
  severity: string[];
  vars: Map<string, VarSpec>;
  blocks: RunBlock[];
  facts: RunbookFacts;
}

/** The slug a runbook is known by in transcripts and messages: its first shortlink, else its path. */
export const primarySlug = (r: Runbook) => r.slugs[0] ?? r.path;

/** Reads one page's facts into a {@link Runbook}. */
export function toRunbook(facts: RunbookFacts): Runbook {
  const data = facts.frontmatter.data;
  // `{ slug, url }` leads off-site (a status page): there is nothing of ours to run.
  const own = ownSlugs(data);
  const slugs = own.map((s) => s.slug);
  const anchors = new Map(own.flatMap((s) => (s.anchor ? [[s.slug, s.anchor] as const] : [])));
  const outputs = new Map<string, CodeFact>();
  for (const c of facts.code) {
    const target = c.lang === 'output' ? outputFor(c.meta) : undefined;
    if (target && !outputs.has(target)) outputs.set(target, c);
  }
  return {
    file: facts.file,
    path: facts.entry.replace(/\.mdx?$/i, ''),
    slugs,
    anchors,
    // Only what the schema would accept is shown: a title, owner or severity of another
    // type is the check's to report, not the run list's to print as "2024" or "[object Object]".
    title: typeof data.title === 'string' ? data.title : facts.entry,
    owner: typeof data.owner === 'string' ? data.owner : undefined,
    severity: (Array.isArray(data.severity) ? data.severity : [data.severity]).flatMap((s) => asText(s) ?? []),
    vars: declaredVars(data),
    blocks: runBlocks(facts).map((c) => toBlock(c, outputs)),
    facts,
  };
}

/**
 * Every runbook of the project at `root` (splash and `runbook: false` pages left out).
 * With `mentioning`, only files whose path or text contains that word are parsed: a
 * page that declares a shortlink or has a path always does, so a lookup by slug or path
 * finds the same page, and `runbook run` skips parsing the rest of the site.
 */
export function loadRunbooks(root: string, mentioning?: string): Runbook[] {
  const contentDir = join(root, CONTENT_DIR);
  const runbooks: Runbook[] = [];
  for (const path of findMarkdown(contentDir, root)) {
    const bytes = readPage(root, relative(root, path).split('\\').join('/'));
    if (bytes instanceof Error) continue; // Unreadable: `runbook check` reports it; there is nothing to run.
    if (mentioning && !path.includes(mentioning) && !bytes.includes(mentioning)) continue;
    const facts = collectFacts(
      bytes,
      relative(root, path).split('\\').join('/'),
      relative(contentDir, path).split('\\').join('/'),
    );
    if (isRunbook(facts)) runbooks.push(toRunbook(facts));
  }
  return runbooks;
}

/** The slug or page path in `<slug>[#id]`, without `/r/`, slashes at the ends or extension. */
export const targetKey = (spec: string) =>
  trimBoth(cutAt(spec, '#').replace(/^\/?r\//, ''), '/').replace(/\.mdx?$/i, '');

/** The word every file that `<slug>[#id]` may name contains: the slug, or the last segment of the path. */
export const targetWord = (spec: string) => targetKey(spec).split('/').at(-1) ?? '';

/** How the error for an unknown slug or path starts. */
export const NOT_FOUND = 'No runbook has the shortlink or path';

/** What `<slug>[#id]` names. */
export interface Target {
  runbook: Runbook;
  /** The block named by `#id` or by a shortlink's anchor; undefined for the whole page. */
  block?: RunBlock;
  /** A shortlink's anchor that is a heading: only the run blocks of that section. */
  section?: { slug: string; blocks: RunBlock[] };
}

/** The run blocks under the heading with anchor `slug`, up to the next heading of the same or a higher level. */
function sectionBlocks(runbook: Runbook, slug: string): RunBlock[] | undefined {
  const headings = runbook.facts.headings;
  const start = headings.findIndex((h) => h.slug === slug);
  if (start < 0) return undefined;
  const end = headings.slice(start + 1).find((h) => h.depth <= headings[start].depth)?.line ?? Infinity;
  return runbook.blocks.filter((b) => b.line > headings[start].line && b.line < end);
}

/**
 * Finds the runbook and block `spec` names: a shortlink slug (`db-down`, also as
 * `/r/db-down`), a page path (`services/database/db-unreachable`, with or without the
 * content folder, extension or slashes), optionally followed by `#<block id>`.
 */
export function resolveTarget(runbooks: readonly Runbook[], spec: string, root: string): Target | { error: string } {
  const hash = spec.indexOf('#');
  const name = hash < 0 ? spec : spec.slice(0, hash);
  const id = hash < 0 ? undefined : spec.slice(hash + 1);
  const asPath = relative(join(root, CONTENT_DIR), resolve(root, name)).split('\\').join('/');
  const key = targetKey(spec);
  const runbook =
    runbooks.find((r) => r.slugs.includes(key)) ??
    runbooks.find((r) => r.path === key || r.path === asPath.replace(/\.mdx?$/i, '') || r.facts.url === `/${key}/`);
  if (!runbook) return { error: `${NOT_FOUND} "${name}". Run "npx runbook list" to see them.` };
  const known = runbook.blocks.map((b) => b.id).join(', ') || 'none';
  if (id !== undefined) {
    const block = runbook.blocks.find((b) => b.id === id);
    return block
      ? { runbook, block }
      : { error: `${runbook.file} has no run block with id "${id}". Its run blocks: ${known}.` };
  }
  const anchor = runbook.anchors.get(key);
  if (!anchor) return { runbook };
  const block = runbook.blocks.find((b) => b.id === anchor);
  if (block) return { runbook, block };
  const blocks = sectionBlocks(runbook, anchor);
  return blocks ? { runbook, section: { slug: anchor, blocks } } : { runbook };
}

/** The blocks of a run: all in scope in page order, the skipped ones with why, the rest to run. */
export interface RunPlan {
  scope: RunBlock[];
  skipped: Map<RunBlock, string>;
  steps: RunBlock[];
  /** Why a block to run cannot run here at all: the run stops before it starts. */
  problem?: string;
}

/** Why a block cannot run here at all (language, safety, timeout, cwd, an undeclared database), or undefined. */
export function cannotRun(root: string, runbook: Runbook, block: RunBlock): string | undefined {
  const cwd = blockCwd(root, block);
  const db = dbVariable(block);
  if (db !== undefined && !runbook.vars.has(db))
    return `#${block.id} runs against ${db}, which ${runbook.file} does not declare under vars:; \`npx runbook check\` reports it.`;
  return unrunnable(block) ?? (typeof cwd === 'string' ? undefined : cwd.error);
}

/**
 * The blocks a run of `target` takes. An explicitly named block runs whatever its class
 * (after its prompt). A run of a page, or of the section a shortlink points at, leaves out
 * destructive blocks and blocks the CLI cannot run, and says so.
 */
export async function planRun(target: Target, root: string): Promise<RunPlan> {
  const { runbook } = target;
  const slug = primarySlug(runbook);
  const scope = target.block ? [target.block] : (target.section?.blocks ?? runbook.blocks);
  const skipped = new Map<RunBlock, string>();
  await loadSqlParser(scope);
  if (!target.block) {
    for (const b of scope) {
      const reason =
        b.safety === 'destructive'
          ? `destructive blocks run only by name: npx runbook run ${slug}#${b.id}`
          : cannotRun(root, runbook, b);
      if (reason) skipped.set(b, reason);
    }
  }
  const steps = scope.filter((b) => !skipped.has(b));
  const problem = steps.map((b) => cannotRun(root, runbook, b)).find(Boolean);
  return { scope, skipped, steps, problem };
}
