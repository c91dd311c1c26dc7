/**
 * A page under conversion, as every pass of {@link convertPage} sees it: its lines (kept
 * at their source line numbers until the end, so each change names the line it was
 * made on), where the body starts, the options, and the changes made so far.
 */
import type { SourceKind } from './source.ts';

/** One change made to a page, for the report. */
export interface ImportChange {
  line: number;
  what: string;
  before?: string;
  after?: string;
}

/** Options of `convertPage`. */
export interface ConvertOptions {
  /** The page's path in the source tree, e.g. `alerts/etcd/EtcdDown.md`. */
  source: string;
  owner?: string;
  /** `YYYY-MM-DD` of the import, for the review-log entry. */
  today: string;
  /** A shortlink slug to keep the old path reachable, when one is free. */
  slug?: string;
  /** Renamed pages in the same import: source path → target path (README.md → index.md). */
  renamed: ReadonlyMap<string, string>;
  /** Whether a file exists in the source tree (a path from its root). */
  exists?: (path: string) => boolean;
  from?: SourceKind;
  /** Every page of the import (source paths), for Hugo's `ref` shortcodes. */
  pages?: readonly string[];
  /** Hugo's site `params`, for `{{< param … >}}`. */
  params?: Readonly<Record<string, unknown>>;
  /** The headings of the other pages of the import (source path → text and site slug), for GitLab anchors into them. */
  headingsOf?: (path: string) => { text: string; slug: string }[];
}

/** A page's lines while the passes run, and what they changed. */
export interface PageLines {
  lines: string[];
  /** Index of the first body line (after the frontmatter). */
  bodyStart: number;
  changes: ImportChange[];
  options: ConvertOptions;
}

/** A line a pass drops (removed after line numbers no longer matter). */
export const REMOVED = '\u0000removed';

/** Puts `after` at line index `i` and records the change, when it differs from what is there. */
export function replaceLine(page: PageLines, i: number, after: string, what: string): void {
  const before = page.lines[i];
  if (after === before) return;
  page.changes.push({ line: i + 1, what, before, after });
  page.lines[i] = after;
}

/** Where the page will be once written: its target path (README.md → index.md). */
export function targetOf(options: ConvertOptions): string {
  return options.renamed.get(options.source) ?? options.source;
}
