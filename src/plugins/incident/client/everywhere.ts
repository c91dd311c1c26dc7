// The incident log's part on every page, loaded by boot.ts only when there is something to
// do: a page opened via a shortlink is logged, and while an incident is open the site
// header links to its log ("Incident log (3)"), in the header's own row so nothing on the
// page moves or is covered.
import { arrivedAt, arrivedVia } from '../arrival.ts';
import { CHANGED, incidentLog, KEYS, logAction, pageName, readIncident } from '../store.ts';

const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');

/** Logs `opened via /r/<slug>` when `note` (the shortlink page's, from sessionStorage) is about this page. */
function logArrival(note: string | null) {
  const via = arrivedVia(note, location.pathname, Date.now());
  if (via) logAction({ slug: pageName(), block: arrivedAt(location.hash), site: { action: 'opened', detail: via } });
}

let link: HTMLAnchorElement | undefined;

/** Shows, updates or removes the header link to the log. */
function showLink() {
  const open = Boolean(readIncident());
  if (!open) {
    link?.remove();
    link = undefined;
    return;
  }
  if (!link) {
    // Beside the search button: the header row every page has, on a phone too.
    const slot = document.querySelector('header .header > .title-wrapper + *') ?? document.querySelector('header');
    if (!slot) return;
    link = document.createElement('a');
    link.className = 'rb-incident-link';
    link.href = `${base}incident/`;
    if (location.pathname.replace(/\/?$/, '/') === link.pathname) link.setAttribute('aria-current', 'page');
    slot.append(link);
  }
  const n = incidentLog().length;
  // On a phone "Incident " is dropped from view so the site's title keeps its room; the name says it all.
  const word = document.createElement('span');
  word.className = 'rb-incident-link__word';
  word.textContent = 'Incident ';
  link.replaceChildren(word, `log (${n})`);
  link.setAttribute('aria-label', `Incident log (${n})`);
}

/** Called by boot.ts with the shortlink note it took out of sessionStorage (null when none). */
export function start(note: string | null) {
  logArrival(note);
  showLink();
  addEventListener(CHANGED, showLink);
  addEventListener(
    'storage',
    (event) => (event.key === null || event.key === KEYS.incident || event.key === KEYS.log) && showLink(),
  );
}
