// The dialog's two result groups: "Jump to" (instant, from /quickjump.json through
// rank.ts) and "Full text" (Pagefind's JS API, loaded on first open, debounced). Each
// query is numbered; an answer for an older one is dropped.
import type { QuickjumpIndex } from '../format.ts';
import { createRanker, type Filters, type Ranker } from '../rank.ts';
import { cutAt, trimEnd } from '../../runbook/text.ts';
import { collect } from './listbox.ts';
import { excerptNodes, groupChildren, hitOption, option, NEAR_MATCHES, type Nodes } from './markup.ts';
import { pagefindFilters, recordFull, recordQuick, statusText, type Ui } from './state.ts';

const BASE = trimEnd(import.meta.env.BASE_URL, '/');
const QUICK_LIMIT = 10;
const FULL_LIMIT = 8;
const DEBOUNCE_MS = 120;

interface PagefindResult {
  url: string;
  excerpt: string;
  meta: { title?: string };
}
interface Pagefind {
  options(o: Record<string, unknown>): Promise<void>;
  init(): Promise<void>;
  search(
    q: string | null,
    o?: { filters?: Record<string, unknown> },
  ): Promise<{ results: { data(): Promise<PagefindResult> }[] } | null>;
}

// The index starts loading as soon as this chunk does (hover on the button is enough).
/** The ranker over /quickjump.json, undefined when it could not be loaded. */
export const ranker: Promise<Ranker | undefined> = fetch(`${BASE}/quickjump.json`)
  .then((r) => (r.ok ? (r.json() as Promise<QuickjumpIndex>) : Promise.reject(new Error(String(r.status)))))
  .then((index) => createRanker(index, `${BASE}/`))
  .catch(() => undefined);

let pagefindLoad: Promise<Pagefind | undefined> | undefined;
/** Pagefind, loaded and initialised on the first call; undefined when it could not be loaded. */
export const pagefind = () =>
  // eslint-disable-next-line no-unsanitized/method -- BASE is the site's base path fixed at build time, not page text.
  (pagefindLoad ??= (import(/* @vite-ignore */ `${BASE}/pagefind/pagefind.js`) as Promise<Pagefind>)
    .then(async (pf) => {
      await pf.options({ baseUrl: `${BASE}/`, excerptLength: 18 });
      await pf.init();
      return pf;
    })
    .catch(() => undefined));

const filters = (nodes: Nodes): Filters => ({
  service: nodes.service.value || undefined,
  severity: nodes.severity.value || undefined,
  page: nodes.page.value || undefined,
});

/** Writes the status line. */
export const say = ({ nodes, state }: Ui) => {
  nodes.status.textContent = statusText(state, nodes.input.value, filters(nodes));
};

const rendered = (kind: 'quick' | 'full', count: number) =>
  dispatchEvent(new CustomEvent('quickjump:rendered', { detail: { kind, count } }));

/** Fills "Near matches" (a typo tolerated, some of the words), leaving out pages the full text lists: they have every word there. */
function renderNear(ui: Ui): void {
  const { nodes, state } = ui;
  const near = state.nearHits.filter((x) => !state.fullHrefs.has(cutAt(x.href, '#')));
  nodes.near.replaceChildren(...groupChildren(NEAR_MATCHES, near.map(hitOption)));
  collect(ui);
}

/** Fills "Jump to" from the ranker; the first call also schedules the word index and a redo with words. */
function renderQuick(ui: Ui, r: Ranker | undefined): void {
  const { nodes, state } = ui;
  const hits = r ? r.search(nodes.input.value, filters(nodes), QUICK_LIMIT, { words: state.wordsReady }) : [];
  if (r && !state.wordsReady && !state.warming) {
    state.warming = true;
    setTimeout(() => {
      r.warm();
      state.wordsReady = true;
      renderQuick(ui, r);
    }, 0);
  }
  recordQuick(state, hits, nodes.input.value);
  nodes.quick.replaceChildren(...groupChildren('Jump to', hits.filter((x) => !x.near).map(hitOption)));
  renderNear(ui);
  nodes.dialog.dataset.rendered = String(++state.renders);
  rendered('quick', hits.length);
}

/** Pagefind's results for query number `mine` that "Jump to" does not list; undefined when a newer query came. */
async function fullResults({ state }: Ui, mine: number, q: string, f: Filters): Promise<PagefindResult[] | undefined> {
  const pf = await pagefind();
  if (!pf || mine !== state.seq) return undefined;
  const found = await pf.search(q === '' ? null : q, { filters: pagefindFilters(f) });
  if (!found || mine !== state.seq) return undefined;
  const data = await Promise.all(found.results.slice(0, FULL_LIMIT + QUICK_LIMIT).map((r) => r.data()));
  if (mine !== state.seq) return undefined;
  return data.filter((d) => !state.quickHrefs.has(cutAt(d.url, '#'))).slice(0, FULL_LIMIT);
}

/** Fills "Full text" for query number `mine`: empty without a query or filter, or when a pasted link was answered. */
async function renderFull(ui: Ui, mine: number): Promise<void> {
  const { nodes, state } = ui;
  const q = nodes.input.value.trim();
  const f = filters(nodes);
  const skip = (q === '' && !f.service && !f.severity && !f.page) || state.pastedHit;
  const fresh = skip ? [] : await fullResults(ui, mine, q, f);
  if (!fresh) return;
  recordFull(
    state,
    fresh.map((d) => d.url),
  );
  nodes.full.replaceChildren(
    ...groupChildren(
      'Full text',
      fresh.map((d) => option(d.url, d.meta.title ?? d.url, excerptNodes(d.excerpt), 'full')),
    ),
  );
  renderNear(ui);
  say(ui);
  if (!skip) rendered('full', fresh.length);
}

/** Runs the current query: "Jump to" as soon as the index is there, "Full text" after a pause in typing. */
export function run(ui: Ui): void {
  const { state } = ui;
  const mine = ++state.seq;
  clearTimeout(state.timer);
  state.fullPending = true;
  void ranker.then((r) => {
    if (mine !== state.seq) return;
    renderQuick(ui, r);
    say(ui);
  });
  state.timer = setTimeout(() => void renderFull(ui, mine), DEBOUNCE_MS);
}
