// The quick-jump dialog's markup: every node is built with createElement and text nodes,
// never from a markup string, because titles, excerpts and URLs come from pages.
import type { Hit } from '../rank.ts';
import { SLO_PAGES } from '../pagefind.ts';

/** An element with attributes and children (strings become text nodes). */
export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
};

/** Pagefind's excerpt as nodes: its text and its `<mark>`s only, whatever else it holds. */
export function excerptNodes(html: string): Node[] {
  // Parsed into an inert document (no script runs, nothing loads), then rebuilt from its text.
  const parsed = new DOMParser().parseFromString(`<body>${html}`, 'text/html').body;
  return [...parsed.childNodes].map((n) =>
    n.nodeName === 'MARK' ? h('mark', {}, n.textContent ?? '') : document.createTextNode(n.textContent ?? ''),
  );
}

/** The label of the group of pages found with a typo tolerated or only some of the words. */
export const NEAR_MATCHES = 'Near matches';

/** The dialog's nodes that the other steps read or fill. */
export interface Nodes {
  dialog: HTMLDialogElement;
  input: HTMLInputElement;
  close: HTMLButtonElement;
  service: HTMLSelectElement;
  severity: HTMLSelectElement;
  /** Which pages full text searches: runbooks and the handbook, or only SLO pages. */
  page: HTMLSelectElement;
  /** The "Jump to" group (the ranker's hits). */
  quick: HTMLDivElement;
  /** The "Full text" group (Pagefind's results). */
  full: HTMLDivElement;
  /** The ranker's near hits (a typo, some of the words), after the full text: it may have every word as typed. */
  near: HTMLDivElement;
  list: HTMLDivElement;
  status: HTMLParagraphElement;
}

/** Builds the dialog (not yet in the document): field, filters, the listbox's two groups, status and help. */
export function dialogNodes(): Nodes {
  const input = h('input', {
    id: 'qj-input',
    type: 'text',
    role: 'combobox',
    'aria-expanded': 'false',
    'aria-controls': 'qj-list',
    'aria-autocomplete': 'list',
    'aria-label': 'Search runbooks',
    'aria-describedby': 'qj-help',
    placeholder: 'Title, db-down, /r/ link, @team, service, alert…',
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
    enterkeyhint: 'go',
  });
  const close = h('button', { type: 'button', class: 'qj__close' }, 'Close');
  const service = h('select', { id: 'qj-service', class: 'qj__select' }, h('option', { value: '' }, 'Any service'));
  const severity = h('select', { id: 'qj-severity', class: 'qj__select' }, h('option', { value: '' }, 'Any severity'));
  const page = h(
    'select',
    { id: 'qj-page', class: 'qj__select' },
    h('option', { value: '' }, 'Runbooks'),
    h('option', { value: SLO_PAGES }, 'SLOs'),
  );
  const quick = h('div', { role: 'group', 'aria-label': 'Jump to', class: 'qj__group' });
  const full = h('div', { role: 'group', 'aria-label': 'Full text', class: 'qj__group' });
  const near = h('div', { role: 'group', 'aria-label': NEAR_MATCHES, class: 'qj__group' });
  const list = h(
    'div',
    { id: 'qj-list', role: 'listbox', 'aria-label': 'Results', class: 'qj__list' },
    quick,
    full,
    near,
  );
  const status = h('p', { class: 'qj__status', role: 'status' });
  const dialog = h(
    'dialog',
    { class: 'qj', 'aria-label': 'Search runbooks' },
    h(
      'div',
      { class: 'qj__frame' },
      h('div', { class: 'qj__bar' }, input, close),
      h(
        'div',
        { class: 'qj__filters' },
        h('span', { class: 'qj__filter' }, h('label', { for: 'qj-service' }, 'Service'), service),
        h('span', { class: 'qj__filter' }, h('label', { for: 'qj-severity' }, 'Severity'), severity),
        h('span', { class: 'qj__filter' }, h('label', { for: 'qj-page' }, 'Pages'), page),
      ),
      list,
      status,
      h(
        'p',
        { id: 'qj-help', class: 'qj__help' },
        h('kbd', {}, '↑'),
        h('kbd', {}, '↓'),
        ' move · ',
        h('kbd', {}, 'Enter'),
        ' open · ',
        h('kbd', {}, 'Esc'),
        ' close · paste a /r/ link or URL to jump',
      ),
    ),
  );
  return { dialog, input, close, service, severity, page, quick, full, near, list, status };
}

/** The choices of a filter menu, after its "Any …" entry. */
export const choices = (values: string[]) => values.map((s) => h('option', { value: s }, s));

/** A group's heading, hidden from assistive technology (the group's label says it). */
const heading = (text: string) => h('div', { class: 'qj__heading', 'aria-hidden': 'true' }, text);

/** One result: a link in the listbox, its title (marked when off-site) over a line of `meta`. */
export function option(href: string, title: string, meta: (Node | string)[], kind: string) {
  const external = /^https?:\/\//.test(href);
  return h(
    'a',
    { role: 'option', href, tabindex: '-1', 'aria-selected': 'false', class: `qj__option qj__option--${kind}` },
    h('span', { class: 'qj__title' }, title, ...(external ? [h('span', { class: 'qj__ext' }, ' ↗ off-site')] : [])),
    h('span', { class: 'qj__meta' }, ...meta),
  );
}

const REASON: Record<Hit['reason'], string> = {
  shortlink: 'shortlink',
  external: 'off-site',
  page: 'page',
  owner: 'owner',
  service: 'service',
  alert: 'alert',
  text: '',
};

/** A ranker hit as an option: why it matched, the anchor it jumps to, severities, owner, path. */
export function hitOption(hit: Hit) {
  const p = hit.page;
  const meta: (Node | string)[] = [];
  if (hit.reason === 'external') {
    const host = new URL(hit.href).host;
    return option(
      hit.href,
      `${hit.matched} → ${host}`,
      [h('span', { class: 'qj__why' }, `off-site shortlink listed on “${p.t}”`)],
      hit.reason,
    );
  }
  if (hit.reason !== 'text' && hit.matched)
    meta.push(h('span', { class: 'qj__why' }, `${REASON[hit.reason]} ${hit.matched}`));
  const hash = hit.href.indexOf('#');
  if (hash >= 0) meta.push(h('span', { class: 'qj__why' }, `→ ${decodeURIComponent(hit.href.slice(hash))}`));
  for (const s of p.v ?? []) meta.push(h('span', { class: 'qj__sev' }, s));
  if (p.o && hit.reason !== 'owner') meta.push(h('span', {}, p.o));
  if (hit.reason === 'text' || !hit.matched) meta.push(h('span', { class: 'qj__path' }, p.u));
  return option(hit.href, p.t, meta, hit.reason);
}

/** A group's children: its heading and options, or nothing when it has no options. */
export const groupChildren = (title: string, options: HTMLAnchorElement[]): Node[] =>
  options.length ? [heading(title), ...options] : [];
