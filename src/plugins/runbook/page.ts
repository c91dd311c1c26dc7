import { CONTENT_DIR } from './paths.ts';
import { isRunbookData } from './patterns.ts';
import { entryUrl, type CodeFact, type Place, type RunbookFacts } from './facts.ts';
import { isRunBlock, runMeta } from './run-meta.ts';

/**
 * Pages the runbook-only rules apply to: readable files with sound frontmatter (broken
 * YAML is reported once, not again as every field it hides), and not the home or
 * 404 splash pages or `runbook: false`.
 */
export function isRunbook(f: RunbookFacts): boolean {
  return readable(f) && isRunbookData(f.frontmatter.data);
}

const runBlockCache = new WeakMap<RunbookFacts, RunbookFacts['code']>();

/** The run blocks of a page (fenced blocks with `run` in their meta); many rules ask, so it is kept. */
export function runBlocks(f: RunbookFacts): RunbookFacts['code'] {
  let blocks = runBlockCache.get(f);
  if (!blocks) runBlockCache.set(f, (blocks = f.code.filter((c) => isRunBlock(c.meta))));
  return blocks;
}

/** The ids of a page's run blocks, in page order. */
export const runIds = (f: RunbookFacts): string[] => runBlocks(f).flatMap((b) => runMeta(b.meta).id ?? []);

/**
 * File position of `offset` in a code block's text. Content lines sit at the fence's
 * column (a fence indented in a list item strips that indentation from every line).
 */
export function placeInBlock(block: CodeFact, offset: number): Place {
  const before = block.value.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: block.valueLine + before.split('\n').length - 1, column: block.valueColumn + offset - lineStart };
}

/** Pages whose frontmatter could be read: the rules that need its values skip the rest (one YAML error, not a cascade). */
export const readable = (f: RunbookFacts) =>
  f.frontmatter.errors.length === 0 && f.problems.every((p) => p.kind === 'too-large');

/** Anchors a page offers: heading slugs, run block ids, raw HTML ids and Starlight's `_top`; kept, as every link into the page asks. */
export function pageAnchors(f: RunbookFacts): Set<string> {
  let anchors = anchorCache.get(f);
  if (!anchors)
    anchorCache.set(f, (anchors = new Set(['_top', ...f.headings.map((h) => h.slug), ...runIds(f), ...f.htmlIds])));
  return anchors;
}
const anchorCache = new WeakMap<RunbookFacts, Set<string>>();

/** A page as the publishers need it: its file, its site path and its frontmatter. */
export interface PageInfo {
  file: string;
  url: string;
  data: Record<string, unknown>;
}

/** Pages as the validation core collected them, for the CLI. */
export const pageInfo = (f: RunbookFacts): PageInfo => ({ file: f.file, url: f.url, data: f.frontmatter.data });

/** A docs collection entry, as far as the publishers read it. */
interface Entry {
  filePath?: string;
  data: Record<string, unknown>;
}

/**
 * Collection entries as the site publishes them, with the same file paths and URLs the
 * validation core uses. A draft is not published (Starlight leaves it out of the build),
 * so no catalog, index or shortlink lists it.
 */
export function sitePages(entries: readonly Entry[]): PageInfo[] {
  return entries.flatMap((e) => {
    if (!e.filePath || e.data.draft === true) return [];
    const entry = e.filePath.replace(/\\/g, '/').replace(`${CONTENT_DIR}/`, '');
    // Astro plants a non-enumerable `slug` getter that logs an error when read: only
    // read a slug the frontmatter really set.
    const slug = Object.keys(e.data).includes('slug') ? e.data.slug : undefined;
    return [{ file: e.filePath, url: entryUrl(entry, slug), data: e.data }];
  });
}
