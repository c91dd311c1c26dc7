// Offline, the part every page loads (budget ≤ 1 KB gzip): registers the service worker
// (builds only, not `astro dev`; at the site base) and keeps the header's offline indicator
// (components/Header.astro) true: "Available offline" once every file of this version is in the
// cache, "Offline — showing saved copy" when the worker served this page from its cache (it marks
// such a copy with data-rb-offline="<build time>") or the network went away.
const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
const status = document.querySelector<HTMLElement>('[data-rb-offline-status]');
const text = status?.querySelector<HTMLElement>('[role="status"]');
/** The build time of this page when it is a saved copy. */
const copy = document.documentElement.dataset.rbOffline;
/** The not-saved page (routes.ts), which the worker shows for an address it has not kept. */
const notSaved = document.querySelector('[data-rb-offline-address]');
/** The build time of the saved version, once the worker says every file of it is kept. */
let saved: string | undefined;

const el = (tag: string, className: string, ...children: (Node | string)[]) => {
  const node = document.createElement(tag);
  node.className = className;
  node.append(...children);
  return node;
};
const time = (iso: string) => {
  const t = document.createElement('time');
  t.dateTime = iso;
  t.textContent = new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return t;
};

/** Shows the state; the live region announces a change unless `quiet` (a page load's first state). */
function show(quiet = false) {
  if (!status || !text) return;
  const offline = copy !== undefined || !navigator.onLine;
  const parts: Node[] = [];
  // On a phone only the icon and "Offline" show; the rest is read out (offline.css).
  if (offline) {
    const rest = notSaved
      ? ' — page not saved'
      : copy
        ? ' — showing saved copy'
        : saved
          ? ' — the saved copy opens'
          : ' — not saved on this device';
    parts.push(el('span', '', el('span', '', 'Offline'), el('span', 'rb-offline-status__more', rest)));
    const from = copy ?? saved;
    if (from)
      parts.push(
        notSaved
          ? el('span', 'rb-offline-status__more', ' (saved copy from ', time(from), ')')
          : el('span', 'rb-offline-status__more', ' from ', time(from)),
      );
  } else if (saved) {
    parts.push(el('span', 'rb-offline-status__more', 'Available offline'));
    parts.push(el('span', 'rb-offline-status__more', ' saved ', time(saved)));
  }
  const label = parts.map((p) => p.textContent).join('');
  if (label === text.textContent) return;
  if (quiet) text.setAttribute('aria-live', 'off');
  status.dataset.state = offline ? 'offline' : saved ? 'ready' : '';
  status.title = label.trim();
  text.replaceChildren(...parts);
}

/** Asks the active worker whether every file of its version is kept; its build time when so. */
function ask(worker: ServiceWorker): Promise<string | undefined> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (e: MessageEvent<{ complete?: boolean; built?: string }>) =>
      resolve(e.data.complete ? e.data.built : undefined);
    worker.postMessage({ type: 'rb-offline-status' }, [channel.port2]);
  });
}

async function watch(reg: ServiceWorkerRegistration) {
  // Only a finished install of the newest version counts: while one is under way, not yet.
  const refresh = async (quiet = false) => {
    saved = reg.active && !reg.installing && !reg.waiting ? await ask(reg.active) : undefined;
    show(quiet);
  };
  reg.addEventListener('updatefound', () => {
    reg.installing?.addEventListener('statechange', () => void refresh());
    void refresh();
  });
  // Is the saved version this one? Joins the update check the navigation started (no second fetch
  // while it runs); offline it fails, and the saved version is all there is.
  if (navigator.onLine && !copy) await reg.update().catch(() => {});
  await refresh(!copy);
  // From now on every change is announced (once the first state is in, unannounced).
  setTimeout(() => text?.setAttribute('aria-live', 'polite'), 1000);
}

if ('serviceWorker' in navigator) {
  // The mode, not PROD: PROD follows NODE_ENV, which a test runner or CI may set for a build.
  if (import.meta.env.MODE !== 'development') {
    const register = () =>
      void navigator.serviceWorker
        .register(`${base}sw.js`, { scope: base })
        .then(watch)
        .catch(() => {});
    if (document.readyState === 'complete') register();
    else addEventListener('load', register, { once: true });
  } else {
    // `astro dev` where a production preview ran before: that build's worker must not stay.
    void navigator.serviceWorker.getRegistration(base).then((r) => r?.unregister());
  }
}

addEventListener('online', () => show());
addEventListener('offline', () => show());
// A saved copy says so at once: the live region first, then its text, so screen readers announce it.
if (copy) {
  text?.setAttribute('aria-live', 'polite');
  setTimeout(show, 100);
}

// The not-saved page (routes.ts): the address asked for, and a button for quick-jump.
notSaved?.replaceChildren(location.pathname);
document
  .querySelector('[data-rb-offline-search]')
  ?.addEventListener('click', () => document.querySelector<HTMLElement>('[data-qj-open]')?.click());
