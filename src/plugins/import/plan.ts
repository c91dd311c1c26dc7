/**
 * Which source files an import makes into which pages: the Markdown pages and their
 * targets (README.md and _index.md become the folder's index.md), the shortlinks still
 * free in the site, and the headings of every page as the site will slug them.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { collectFacts, readPage } from '../runbook/facts.ts';
import { findMarkdown } from '../runbook/files.ts';
import { parseFrontmatter } from '../runbook/frontmatter.ts';
import { CONTENT_DIR } from '../runbook/paths.ts';
import { trimBoth } from '../runbook/text.ts';
import { ownSlugs } from '../shortlinks/entries.ts';
import { slugFromPath } from './title.ts';
import { readSourceFile, type SourceTree } from './source.ts';

/** An import's pages, where each goes, and what the conversion of each asks about the others. */
export interface ImportPlan {
  /** The source pages (paths from the source root), sorted. */
  pages: string[];
  /** Source path → target path below the destination folder. */
  renamed: ReadonlyMap<string, string>;
  /** Whether the walk found a regular file at a path from the source root. */
  exists: (path: string) => boolean;
  /** A source file's text, read as the walk found it; undefined when it changed since. */
  text: (path: string) => string | undefined;
  /** The headings of a page of the import, as the site will slug them (GitLab anchors into them are respelled). */
  headingsOf: (path: string) => { text: string; slug: string }[];
  /** The shortlink a page's file name gives, when no page of the site or of this import holds it yet; taken by the call. */
  takeSlug: (page: string) => string | undefined;
}

/** The destination folder an import takes by default: the source folder's name under the content folder. */
export function defaultInto(folder: string): string {
  return `${CONTENT_DIR}/${
    trimBoth(
      folder
        .split('/')
        .at(-1)!
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-'),
      '-',
    ) || 'imported'
  }`;
}

/** Whether `into` is a folder under the content folder (no `..` to climb out). */
export function isContentFolder(into: string): boolean {
  return `${into}/`.startsWith(`${CONTENT_DIR}/`) && !into.split('/').includes('..');
}

/** The plan for importing the walked `tree` of `source` into the project at `cwd`. */
export function planImport(cwd: string, source: string, tree: SourceTree): ImportPlan {
  // Every Markdown file, `_index.md` included (the site's own walk skips `_` files, as Astro does).
  const files = new Set(tree.files);
  const pages = tree.files.filter((p) => /\.md$/i.test(p) && !p.split('/').some((s) => s.startsWith('.'))).sort();
  const text = (path: string) => readSourceFile(source, path)?.toString('utf8');
  // README.md is the folder's page on the site.
  const renamed = new Map(
    pages.map((p) => [p, /(^|\/)(readme|_index)\.md$/i.test(p) ? p.replace(/(readme|_index)\.md$/i, 'index.md') : p]),
  );
  const taken = takenShortlinks(cwd);
  const headings = new Map<string, { text: string; slug: string }[]>();
  const headingsOf = (path: string) => {
    if (!headings.has(path)) {
      const page = pages.includes(path) ? text(path) : undefined;
      headings.set(path, page === undefined ? [] : collectFacts(page, path, path).headings);
    }
    return headings.get(path)!;
  };
  const takeSlug = (page: string) => {
    const slug = slugFromPath(page);
    if (!slug || taken.has(slug)) return undefined;
    taken.add(slug);
    return slug;
  };
  return { pages, renamed, exists: (path) => files.has(path), text, headingsOf, takeSlug };
}

/** Shortlinks the site's pages already hold. */
function takenShortlinks(cwd: string): Set<string> {
  const taken = new Set<string>();
  for (const file of existsSync(join(cwd, CONTENT_DIR)) ? findMarkdown(join(cwd, CONTENT_DIR), cwd) : []) {
    const bytes = readPage(cwd, relative(cwd, file).split('\\').join('/'));
    if (!(bytes instanceof Error))
      for (const s of ownSlugs(parseFrontmatter(bytes.toString('utf8')).data)) taken.add(s.slug);
  }
  return taken;
}
