// The one script every page loads before any interaction. It stays tiny: each feature
// is a separate chunk, imported only when the page has what it works on, or on first use.
// Budget: all of our JS that loads before interaction ≤ 10 KB gzip (BENCHMARKS.md).

// Offline: the service worker and the header's offline indicator (tiny, so not a chunk of its own).
import '../../offline/client/register.ts';
import { ARRIVAL_KEY, CHANGED, KEYS } from '../../incident/keys.ts';

/** Loads a feature chunk when the page has an element matching `selector`. */
const when = (selector: string, load: () => Promise<unknown>) => {
  if (document.querySelector(selector)) void load();
};

// Features register here, one line each.
// Run blocks: copying (with a destructive block's confirm word) and the variables form
// load on first use; the click that asked for them is held back and handed over.
/** Every copy button of a run block: Expressive Code's, the filled-in command's, the terminal command's. */
const COPY_BUTTONS =
  '.rb-snippet .copy button, .rb-snippet__filled .rb-snippet__copy, .rb-snippet__cli .rb-snippet__copy';
let snippets: Promise<typeof import('../../snippets/client/snippets.ts')> | undefined;
const loadSnippets = () => (snippets ??= import('../../snippets/client/snippets.ts'));
document.addEventListener(
  'click',
  (event) => {
    const target = event.target instanceof Element ? event.target.closest(`${COPY_BUTTONS}, a.rb-snippet__var`) : null;
    if (!target) return;
    // Capture phase, ahead of Expressive Code's own copy handler: every copy of a run block goes through ours.
    event.preventDefault();
    event.stopImmediatePropagation();
    void loadSnippets().then((m) => m.onClick(target));
  },
  true,
);
// A pointer over (or focus in) a run block fetches the chunk ahead of the click, so the
// held-back click still counts as the reader's gesture when the clipboard is written.
document.addEventListener(
  'pointerover',
  (event) => event.target instanceof Element && event.target.closest('.rb-snippet') && void loadSnippets(),
  { passive: true },
);
// Opening the variables form (toggle does not bubble: capture) or focusing a field in it.
document.addEventListener(
  'toggle',
  (event) => event.target instanceof Element && event.target.matches('details.rb-vars') && void loadSnippets(),
  true,
);
// Enter in a field would submit the variables form (its values into the URL): never. No
// onsubmit attribute: the Content-Security-Policy runs none (form-action 'none' backs this up).
document.addEventListener(
  'submit',
  (event) => event.target instanceof Element && event.target.matches('[data-rb-vars]') && event.preventDefault(),
  true,
);
document.addEventListener(
  'focusin',
  (event) =>
    event.target instanceof Element && event.target.closest('[data-rb-vars], .rb-snippet') && void loadSnippets(),
);
// Values kept for the incident fill the run blocks as the page opens (a reload, another
// page), and another tab's changes follow: the chunk loads then, not on first use.
if (document.querySelector('[data-rb-vars]')) {
  try {
    if (/"values":\{"/.test(localStorage.getItem(KEYS.incident) ?? '')) void loadSnippets();
  } catch {
    // Storage blocked: nothing is kept, nothing to fill.
  }
  addEventListener('storage', (event) => (event.key === null || event.key === KEYS.incident) && void loadSnippets());
}
when('[data-rb-review-last]', () => import('../../review/client/overdue.ts'));
// The 404 page served at an unknown /r/<slug> (a redirect page has a meta refresh instead).
if (/\/r\/[^/]+\/?$/.test(location.pathname) && !document.querySelector('meta[http-equiv="refresh"]'))
  void import('../../shortlinks/client/suggest.ts');
// A printed page shows everything: the header card, the variables form, any folded section.
addEventListener('beforeprint', () => document.querySelectorAll('details').forEach((d) => (d.open = true)));
when('.rb-checklist, .rb-template', () => import('../../handbook/client/handbook.ts'));
// The incident log (src/plugins/incident): a page opened via a shortlink is logged, and
// while an incident is open the header links to its log. Loaded only then, or once this
// page opens one. The shortlink page's note is read once: a reload is not another arrival.
let via: string | null = null;
let incidentOpen = false;
try {
  via = sessionStorage.getItem(ARRIVAL_KEY);
  sessionStorage.removeItem(ARRIVAL_KEY);
  incidentOpen = localStorage.getItem(KEYS.incident) !== null;
} catch {
  // Storage blocked: there is no incident to log into.
}
const incident = () => import('../../incident/client/everywhere.ts').then((m) => m.start(via));
if (via || incidentOpen) void incident();
else addEventListener(CHANGED, () => void incident(), { once: true });
when('[data-rb-incident-page]', () => import('../../incident/client/log-page.ts'));
