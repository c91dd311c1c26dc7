/**
 * A page under conversion, as every pass of {@link convertPage} sees it: its lines (kept
 * at their source line numbers until the end, so each change names the line it was
 * made on), where the body starts, the options, and the changes made so far.
 */
import { fenceOf } from './scan.ts';
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

/** A code fence still open: its marker, and the 1-based line that opened it. */
export interface OpenFence {
  marker: string;
  line: number;
}

/**
 * Visits the lines from `from` on that are outside code fences (a fence closes on a line
 * of at least as many of its marker characters and nothing else), and, with `comments`,
 * outside HTML comments (a licence header before the H1 is not content; fences are found
 * first, as before). `onFence` sees each opening fence's info string. Returns the fence
 * left open at the end, if any. `lines[i]` may be replaced by `onLine` as it goes.
 */
export function walkBody(
  lines: readonly string[],
  from: number,
  onLine: (i: number) => void,
  options: { onFence?: (info: string, i: number) => void; comments?: boolean } = {},
): OpenFence | undefined {
  let fence: OpenFence | undefined;
  let comment = false;
  for (let i = from; i < lines.length; i++) {
    const line = lines[i];
    const f = fenceOf(line);
    if (fence) {
      if (f && f[1][0] === fence.marker[0] && f[1].length >= fence.marker.length && f[2].trim() === '')
        fence = undefined;
      continue;
    }
    if (f) {
      fence = { marker: f[1], line: i + 1 };
      options.onFence?.(f[2], i);
      continue;
    }
    if (options.comments) {
      if (comment) {
        if (line.includes('-->')) comment = false;
        continue;
      }
      const open = line.indexOf('<!--');
      if (open !== -1) {
        if (line.indexOf('-->', open + 4) === -1) {
          comment = true;
          continue;
        }
        if (/^\s*<!--.*-->\s*$/.test(line)) continue;
      }
    }
    onLine(i);
  }
  return fence;
}
