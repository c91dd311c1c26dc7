// What the quick-jump dialog knows between renders, and the steps that change it. No DOM
// work here beyond holding the option elements: the markup and the keys live beside it.
import type { Filters, Hit } from '../rank.ts';
import { parseQuery } from '../rank.ts';
import { cutAt } from '../../runbook/text.ts';
import { PAGE_FILTER, SLO_PAGES } from '../pagefind.ts';
import type { Nodes } from './markup.ts';

/** The dialog's state: the newest query, the two groups' results, the active option. */
export interface DialogState {
  /** Counts queries: an answer that arrives for an older one is dropped. */
  seq: number;
  /** The pending full-text search (debounced). */
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Pages the "Jump to" group lists (no anchor): "Full text" does not repeat them. */
  quickHrefs: Set<string>;
  /** The ranker's near hits (a typo tolerated, some of the words), listed after the full text. */
  nearHits: Hit[];
  /** Pages the "Full text" group lists: "Near matches" does not repeat them. */
  fullHrefs: Set<string>;
  quickCount: number;
  /** A pasted link that names a page is answered; its URL's words are no full-text query. */
  pastedHit: boolean;
  fullCount: number;
  fullPending: boolean;
  /** The word index is built after the first paint of name and shortlink matches, then the results are redone with words. */
  wordsReady: boolean;
  warming: boolean;
  /** Renders of the "Jump to" group, shown on the dialog for tests and benchmarks to wait on. */
  renders: number;
  options: HTMLAnchorElement[];
  /** The index of the active option in `options`, -1 when none. */
  active: number;
}

/** The dialog: its nodes and its state, what every step is handed. */
export interface Ui {
  nodes: Nodes;
  state: DialogState;
}

/** The state of a freshly built dialog. */
export const createState = (): DialogState => ({
  seq: 0,
  timer: undefined,
  quickHrefs: new Set(),
  nearHits: [],
  fullHrefs: new Set(),
  quickCount: 0,
  pastedHit: false,
  fullCount: 0,
  fullPending: false,
  wordsReady: false,
  warming: false,
  renders: 0,
  options: [],
  active: -1,
});

/** Index `i` wrapped into `0..count-1` (so ↑ on the first goes to the last), -1 when there is nothing. */
export const wrap = (i: number, count: number) => (count === 0 ? -1 : (i + count) % count);

/** Records the ranker's hits for `query`: every word matched ("Jump to") or only some. */
export function recordQuick(s: DialogState, hits: Hit[], query: string): void {
  const whole = hits.filter((x) => !x.near);
  s.nearHits = hits.filter((x) => x.near);
  s.quickHrefs = new Set(whole.map((x) => cutAt(x.href, '#')));
  s.pastedHit = hits.length > 0 && hits[0].tier >= 95 && parseQuery(query).pasted;
  s.quickCount = whole.length;
}

/** Records a finished (or skipped) full-text search that listed `urls`. */
export function recordFull(s: DialogState, urls: string[]): void {
  s.fullHrefs = new Set(urls.map((u) => cutAt(u, '#')));
  s.fullCount = urls.length;
  s.fullPending = false;
}

/** The status line: a hint before any query, then the count of each group. */
export function statusText(s: DialogState, query: string, f: Filters): string {
  const any = query.trim() !== '' || f.service !== undefined || f.severity !== undefined || f.page !== undefined;
  return !any
    ? 'Type to search; results appear as you type.'
    : `${s.quickCount} to jump to${s.fullPending ? ', searching full text…' : `, ${s.fullCount} in full text`}${
        s.nearHits.length ? `, ${s.nearHits.length} near match${s.nearHits.length === 1 ? '' : 'es'}` : ''
      }.`;
}

/** The filters as Pagefind takes them (only those set); without a page filter, SLO pages are left out. */
export function pagefindFilters(f: Filters): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (f.service) out.service = f.service;
  if (f.severity) out.severity = f.severity;
  if (f.page) out[PAGE_FILTER] = f.page;
  else out.not = { [PAGE_FILTER]: SLO_PAGES };
  return out;
}
