// The quick-jump dialog, loaded on first use: a combobox over one listbox with two
// groups, "Jump to" (instant, from /quickjump.json through rank.ts) and "Full text"
// (Pagefind's JS API, loaded on first open, debounced), and service/severity filters
// that apply to both.
import type { QuickjumpIndex } from '../format.ts';
import { createRanker, parseQuery, type Filters, type Hit, type Ranker } from '../rank.ts';
import { cutAt, trimEnd } from '../../runbook/text.ts';

const BASE = trimEnd(import.meta.env.BASE_URL, '/');
const QUICK_LIMIT = 10;
const FULL_LIMIT = 8;
const DEBOUNCE_MS = 120;

interface PagefindResult { url: string; excerpt: string; meta: { title?: string } }
interface Pagefind {
  options(o: Record<string, unknown>): Promise<void>;
  init(): Promise<void>;
  search(q: string | null, o?: { filters?: Record<string, string> }): Promise<{ results: { data(): Promise<PagefindResult> }[] } | null>;
}

// The index starts loading as soon as this chunk does (hover on the button is enough).
const ranker: Promise<Ranker | undefined> = fetch(`${BASE}/quickjump.json`)
  .then((r) => (r.ok ? (r.json() as Promise<QuickjumpIndex>) : Promise.reject(new Error(String(r.status)))))
  .then((index) => createRanker(index, `${BASE}/`))
  .catch(() => undefined);

let pagefindLoad: Promise<Pagefind | undefined> | undefined;
const pagefind = () =>
  // eslint-disable-next-line no-unsanitized/method -- BASE is the site's base path fixed at build time, not page text.
  (pagefindLoad ??= (import(/* @vite-ignore */ `${BASE}/pagefind/pagefind.js`) as Promise<Pagefind>)
    .then(async (pf) => {
      await pf.options({ baseUrl: `${BASE}/`, excerptLength: 18 });
      await pf.init();
      return pf;
    })
    .catch(() => undefined));

const h = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
};

/** Pagefind's excerpt as nodes: its text and its `<mark>`s only, whatever else it holds. */
function excerptNodes(html: string): Node[] {
  // Parsed into an inert document (no script runs, nothing loads), then rebuilt from its text.
  const parsed = new DOMParser().parseFromString(`<body>${html}`, 'text/html').body;
  return [...parsed.childNodes].map((n) => (n.nodeName === 'MARK' ? h('mark', {}, n.textContent ?? '') : document.createTextNode(n.textContent ?? '')));
}

const REASON: Record<Hit['reason'], string> = { shortlink: 'shortlink', external: 'off-site', page: 'page', owner: 'owner', service: 'service', alert: 'alert', text: '' };

let ui: ReturnType<typeof build> | undefined;
let returnTo: HTMLElement | null = null;

function build() {
  const input = h('input', {
    id: 'qj-input', type: 'text', role: 'combobox', 'aria-expanded': 'false', 'aria-controls': 'qj-list', 'aria-autocomplete': 'list',
    'aria-label': 'Search runbooks', 'aria-describedby': 'qj-help', placeholder: 'Title, db-down, /r/ link, @team, service, alert…',
    autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', enterkeyhint: 'go',
  });
  const close = h('button', { type: 'button', class: 'qj__close' }, 'Close');
  const service = h('select', { id: 'qj-service', class: 'qj__select' }, h('option', { value: '' }, 'Any service'));
  const severity = h('select', { id: 'qj-severity', class: 'qj__select' }, h('option', { value: '' }, 'Any severity'));
  const quick = h('div', { role: 'group', 'aria-label': 'Jump to', class: 'qj__group' });
  const full = h('div', { role: 'group', 'aria-label': 'Full text', class: 'qj__group' });
  const list = h('div', { id: 'qj-list', role: 'listbox', 'aria-label': 'Results', class: 'qj__list' }, quick, full);
  const status = h('p', { class: 'qj__status', role: 'status' });
  const dialog = h('dialog', { class: 'qj', 'aria-label': 'Search runbooks' },
    h('div', { class: 'qj__frame' },
      h('div', { class: 'qj__bar' }, input, close),
      h('div', { class: 'qj__filters' },
        h('span', { class: 'qj__filter' }, h('label', { for: 'qj-service' }, 'Service'), service),
        h('span', { class: 'qj__filter' }, h('label', { for: 'qj-severity' }, 'Severity'), severity)),
      list,
      status,
      h('p', { id: 'qj-help', class: 'qj__help' }, h('kbd', {}, '↑'), h('kbd', {}, '↓'), ' move · ', h('kbd', {}, 'Enter'), ' open · ', h('kbd', {}, 'Esc'), ' close · paste a /r/ link or URL to jump')));
  document.body.append(dialog);

  let options: HTMLAnchorElement[] = [];
  let active = -1;
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let quickHrefs = new Set<string>();
  let quickCount = 0;
  let pastedHit = false;
  let fullCount = 0;
  let fullPending = false;

  const setActive = (i: number) => {
    if (options[active]) options[active].setAttribute('aria-selected', 'false');
    active = options.length === 0 ? -1 : (i + options.length) % options.length;
    const el = options[active];
    if (el) {
      el.setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', el.id);
      el.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const collect = () => {
    const before = options[active];
    options = [...list.querySelectorAll<HTMLAnchorElement>('[role=option]')];
    options.forEach((o, i) => (o.id = `qj-o-${i}`));
    input.setAttribute('aria-expanded', String(options.length > 0));
    active = -1;
    setActive(before && options.includes(before) ? options.indexOf(before) : 0);
  };
  const option = (href: string, title: string, meta: (Node | string)[], kind: string) => {
    const external = /^https?:\/\//.test(href);
    const a = h('a', { role: 'option', href, tabindex: '-1', 'aria-selected': 'false', class: `qj__option qj__option--${kind}` },
      h('span', { class: 'qj__title' }, title, ...(external ? [h('span', { class: 'qj__ext' }, ' ↗ off-site')] : [])),
      h('span', { class: 'qj__meta' }, ...meta));
    return a;
  };
  const heading = (text: string) => h('div', { class: 'qj__heading', 'aria-hidden': 'true' }, text);
  const say = () => {
    const q = input.value.trim();
    const any = q !== '' || service.value !== '' || severity.value !== '';
    status.textContent = !any ? 'Type to search; results appear as you type.'
      : `${quickCount} to jump to${fullPending ? ', searching full text…' : `, ${fullCount} in full text`}.`;
  };

  const filters = (): Filters => ({ service: service.value || undefined, severity: severity.value || undefined });

  /** The word index is built after the first paint of name and shortlink matches, then the results are redone with words. */
  let wordsReady = false;
  let warming = false;
  const renderQuick = (r: Ranker | undefined) => {
    const hits = r ? r.search(input.value, filters(), QUICK_LIMIT, { words: wordsReady }) : [];
    if (r && !wordsReady && !warming) {
      warming = true;
      setTimeout(() => {
        r.warm();
        wordsReady = true;
        renderQuick(r);
      }, 0);
    }
    quickHrefs = new Set(hits.map((x) => cutAt(x.href, '#')));
    // A pasted link that names a page is answered; its URL's words are no full-text query.
    pastedHit = hits.length > 0 && hits[0].tier >= 95 && parseQuery(input.value).pasted;
    quickCount = hits.length;
    quick.replaceChildren(...(hits.length ? [heading('Jump to')] : []), ...hits.map((hit) => {
      const p = hit.page;
      const meta: (Node | string)[] = [];
      if (hit.reason === 'external') {
        const host = new URL(hit.href).host;
        return option(hit.href, `${hit.matched} → ${host}`, [h('span', { class: 'qj__why' }, `off-site shortlink listed on “${p.t}”`)], hit.reason);
      }
      if (hit.reason !== 'text' && hit.matched) meta.push(h('span', { class: 'qj__why' }, `${REASON[hit.reason]} ${hit.matched}`));
      const hash = hit.href.indexOf('#');
      if (hash >= 0) meta.push(h('span', { class: 'qj__why' }, `→ ${decodeURIComponent(hit.href.slice(hash))}`));
      for (const s of p.v ?? []) meta.push(h('span', { class: 'qj__sev' }, s));
      if (p.o && hit.reason !== 'owner') meta.push(h('span', {}, p.o));
      if (hit.reason === 'text' || !hit.matched) meta.push(h('span', { class: 'qj__path' }, p.u));
      return option(hit.href, p.t, meta, hit.reason);
    }));
    collect();
    dialog.dataset.rendered = String(++renders);
    dispatchEvent(new CustomEvent('quickjump:rendered', { detail: { kind: 'quick', count: hits.length } }));
  };

  const renderFull = async (mine: number) => {
    const q = input.value.trim();
    const f = filters();
    const pfFilters: Record<string, string> = {};
    if (f.service) pfFilters.service = f.service;
    if (f.severity) pfFilters.severity = f.severity;
    if ((q === '' && !f.service && !f.severity) || pastedHit) {
      full.replaceChildren();
      fullCount = 0;
      fullPending = false;
      collect();
      say();
      return;
    }
    const pf = await pagefind();
    if (!pf || mine !== seq) return;
    const found = await pf.search(q === '' ? null : q, { filters: pfFilters });
    if (!found || mine !== seq) return;
    const data = await Promise.all(found.results.slice(0, FULL_LIMIT + QUICK_LIMIT).map((r) => r.data()));
    if (mine !== seq) return;
    const fresh = data.filter((d) => !quickHrefs.has(cutAt(d.url, '#'))).slice(0, FULL_LIMIT);
    fullCount = fresh.length;
    fullPending = false;
    full.replaceChildren(...(fresh.length ? [heading('Full text')] : []), ...fresh.map((d) => option(d.url, d.meta.title ?? d.url, excerptNodes(d.excerpt), 'full')));
    collect();
    say();
    dispatchEvent(new CustomEvent('quickjump:rendered', { detail: { kind: 'full', count: fresh.length } }));
  };

  const run = () => {
    const mine = ++seq;
    clearTimeout(timer);
    fullPending = true;
    void ranker.then((r) => {
      if (mine !== seq) return;
      renderQuick(r);
      say();
    });
    timer = setTimeout(() => void renderFull(mine), DEBOUNCE_MS);
  };

  const go = (el: HTMLAnchorElement | undefined, newTab: boolean) => {
    if (!el) return;
    if (newTab) {
      window.open(el.href, '_blank', 'noopener');
      return;
    }
    dialog.close();
    location.assign(el.href);
  };

  input.addEventListener('input', run);
  service.addEventListener('change', run);
  severity.addEventListener('change', run);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive(active + (e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'Escape') {
      e.preventDefault();
      dialog.close();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      go(options[active], e.ctrlKey || e.metaKey);
    }
  });
  list.addEventListener('click', (e) => {
    const el = (e.target as Element).closest<HTMLAnchorElement>('[role=option]');
    if (el && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.button === 0) dialog.close();
  });
  list.addEventListener('mousemove', (e) => {
    const el = (e.target as Element).closest<HTMLAnchorElement>('[role=option]');
    if (el && options.indexOf(el) !== active) setActive(options.indexOf(el));
  });
  close.addEventListener('click', () => dialog.close());
  // A click on the backdrop (outside the frame) closes.
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog) dialog.close();
  });
  dialog.addEventListener('close', () => {
    document.documentElement.classList.remove('qj-lock');
    const to = returnTo && returnTo.isConnected ? returnTo : document.querySelector<HTMLElement>('[data-qj-open]');
    to?.focus({ preventScroll: true });
  });
  // Ctrl/Cmd+K inside the open dialog goes back to the field.
  dialog.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
      e.preventDefault();
      e.stopPropagation();
      input.select();
    }
  });

  void ranker.then((r) => {
    if (!r) {
      status.textContent = 'The quick-jump index could not be loaded; full-text search still works.';
      return;
    }
    service.append(...r.services.map((s) => h('option', { value: s }, s)));
    severity.append(...r.severities.map((s) => h('option', { value: s }, s)));
  });
  say();
  return { dialog, input, run };
}

let renders = 0;

/** Opens the dialog (building it on the first call) with `text` in its field. */
export function open(text: string, opener: HTMLElement | null): void {
  ui ??= build();
  const { dialog, input, run } = ui;
  if (dialog.open) {
    input.select();
    return;
  }
  const focused = document.activeElement;
  returnTo = focused instanceof HTMLElement && focused !== document.body ? focused : opener;
  dialog.showModal();
  document.documentElement.classList.add('qj-lock');
  if (text) input.value = text;
  input.focus();
  if (text) input.setSelectionRange(input.value.length, input.value.length);
  else input.select();
  run();
  void pagefind();
}
