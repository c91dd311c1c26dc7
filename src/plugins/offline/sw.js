// The runbook site's service worker. src/plugins/offline/build.ts copies this file to
// dist/sw.js after each build and fills in BUILD below; the list of files it keeps is a
// separate, content-hashed JSON file, so this script stays a few KB however large the
// site grows (browsers fetch it again on every navigation to look for an update).
//
// - Install: fetch every file of the manifest that the cache does not already hold at
//   its revision (so an update fetches only what changed, and an interrupted install
//   resumes), then take over at once (skipWaiting + clients.claim). The new version's
//   entries sit beside the old one's (other keys) until it is wholly kept; only then does
//   it activate and remove what the old version alone used. A download that is not the
//   manifest's content (the site was deployed again during the install) fails the install:
//   the old version stays whole and the browser tries the newer worker next time.
// - Navigations: the network first, with a short timeout; the cached copy when the
//   network fails, times out or answers 5xx. A cached copy carries
//   data-rb-offline="<build time>" on <html>, which the page's offline indicator shows.
//   An address with no kept copy gets the not-saved page (never the 404 page's "moved").
// - Messages: the page asks whether this version is wholly saved ("Available offline").
// - Other requests for precached files: a file whose name holds its content hash, the
//   cache, then the network. A file whose name does not (quick-jump's index, Pagefind's
//   entry and loader, the JSON outputs) belongs to one build: it comes from where the page
//   came from. For a page served from the cache, the cache; for a page from the network,
//   the network first (the cache when it fails), so a page of a newer deploy, fetched
//   before this worker has its update, never gets this version's quick-jump index or search.
// - Only same-origin GETs inside the scope are answered, and only the manifest's own
//   files are ever written to the cache: nothing the page requests at run time, nothing
//   with a query string (Pagefind's own `pagefind-entry.json?ts=` cache-buster aside).
/* eslint-disable */
// notSaved: the page shown offline for an address not saved here (routes.ts NOT_SAVED_PAGE);
// arrival: the sessionStorage key of a shortlink's note for the incident log (incident/keys.ts ARRIVAL_KEY).
const BUILD = /*RB_OFFLINE_BUILD*/ {
  manifest: 'offline-manifest.json',
  built: '1970-01-01T00:00:00Z',
  notSaved: '',
  arrival: 'rb-via-shortlink',
};

/** The site base: the folder this script is served from. */
const SCOPE = new URL('./', self.location.href);
/** One cache per site base, so two sites on one origin never clean each other up. */
const CACHE = `rb-offline:${SCOPE.pathname}`;
const MANIFEST_URL = new URL(BUILD.manifest, SCOPE).href;
/** How long a navigation waits for the network before showing the cached copy. */
const TIMEOUT_MS = 3000;
const PARALLEL = 8;

const TEXT = /^(text\/|application\/(javascript|json|xml)|image\/svg)/;

/** @type {Promise<Map<string, string>> | undefined} pathname → cache key */
let entries;

/**
 * The pages (client ids) this worker answered from its cache: their files without a content
 * hash in the name come from the cache too. A page not listed (answered by the network, or
 * before this worker started) takes them from the network first.
 * @type {Set<string>}
 */
const servedFromCache = new Set();
/** @type {WeakSet<Response>} responses built from the cache by navigate() */
const cachedPages = new WeakSet();

/** The manifest as pathname → cache key (`url?__rev=<rev>` for files whose name holds no hash). */
function manifest() {
  entries ??= (async () => {
    const cache = await caches.open(CACHE);
    let res = await cache.match(MANIFEST_URL);
    if (!res) {
      res = await fetch(MANIFEST_URL);
      if (!res.ok) throw new Error(`offline manifest: HTTP ${res.status}`);
      await cache.put(MANIFEST_URL, res.clone());
    }
    const data = await res.json();
    return new Map(
      data.entries.map(([path, rev]) => {
        const url = new URL(path, SCOPE);
        return [url.pathname, rev ? `${url.href}?__rev=${rev}` : url.href];
      }),
    );
  })();
  entries.catch(() => (entries = undefined));
  return entries;
}

/** The URL to fetch for a file: `dir/` for `dir/index.html`, which every static host serves. */
const fetchUrl = (key) => key.replace(/\?__rev=.*$/, '').replace(/(^|\/)index\.html$/, '$1');

/** A page's key: its download is not checked against the revision, as some hosts rewrite HTML. */
const isPage = (key) => key.includes('?__rev=') && /(\.html|\/)$/.test(fetchUrl(key));

/** Fetches one file and stores it under its key, gzip-compressed when it is text. */
async function store(cache, key) {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(fetchUrl(key), {
        cache: key.includes('?__rev=') ? 'no-cache' : 'default',
        redirect: 'manual',
      });
      // The host redirects this address: keep a marker, not the target (which may be a login
      // page), so the install neither fails nor fetches it again next time.
      if (res.type === 'opaqueredirect')
        return void (await cache.put(key, new Response(null, { headers: { 'x-rb-redirect': '1' } })));
      // An error (or anything not from this origin) is never kept.
      if (!res.ok || res.type !== 'basic') throw new Error(`HTTP ${res.status} for ${res.url}`);
      const headers = new Headers(res.headers);
      for (const h of ['content-length', 'content-encoding', 'set-cookie']) headers.delete(h);
      /** @type {ReadableStream | Blob | null} */
      let body = res.body;
      // A file of one build (no hash in its name; pages aside, which some hosts rewrite) must be
      // this manifest's version: else the site was deployed again since the manifest was read.
      const rev = /\?__rev=([0-9a-f]+)$/.exec(key)?.[1];
      if (rev && !isPage(key)) {
        const bytes = await res.arrayBuffer();
        const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))];
        if (
          !digest
            .map((b) => b.toString(16).padStart(2, '0'))
            .join('')
            .startsWith(rev)
        )
          throw new Error(`${res.url} is not the version ${BUILD.manifest} lists`);
        body = new Blob([bytes]).stream();
      }
      if (body && typeof CompressionStream === 'function' && TEXT.test(headers.get('content-type') || '')) {
        body = body.pipeThrough(new CompressionStream('gzip'));
        headers.set('x-rb-gzip', '1');
      }
      await cache.put(key, new Response(body, { status: 200, headers }));
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const have = new Set((await cache.keys()).map((r) => r.url));
      const todo = [...(await manifest()).values()].filter((key) => !have.has(key));
      let next = 0;
      let failure;
      /** @type {string[]} */
      const added = [];
      const worker = async () => {
        while (next < todo.length && !failure) {
          const key = todo[next++];
          await store(cache, key).then(
            () => added.push(key),
            (error) => (failure ??= error),
          );
        }
      };
      await Promise.all(Array.from({ length: PARALLEL }, worker));
      // Still this deploy? A later one removed this manifest (build.ts keeps only the newest).
      if (!failure)
        await fetch(MANIFEST_URL, { method: 'HEAD', cache: 'no-cache' }).then(
          (still) => {
            if (still.status === 404 || still.status === 410)
              failure = new Error(`${BUILD.manifest} is no longer served: a newer deploy replaced it`);
          },
          (error) => (failure = error),
        );
      if (failure) {
        // The pages this attempt fetched may be another deploy's (they are not checked): the next
        // attempt fetches them again. Checked files and hashed names are kept, to resume.
        await Promise.all(added.filter(isPage).map((key) => cache.delete(key)));
        throw failure;
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([...(await manifest()).values(), MANIFEST_URL]);
      const cache = await caches.open(CACHE);
      // Files of earlier builds that this one no longer has (or has at another revision).
      for (const req of await cache.keys()) if (!keep.has(req.url)) await cache.delete(req);
      if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
      await self.clients.claim();
    })(),
  );
});

/** The cached copy of a precached file as a fresh Response; navigations are marked with the build time. */
async function cached(key, navigation) {
  const res = await (await caches.open(CACHE)).match(key);
  if (!res || res.headers.has('x-rb-redirect')) return undefined;
  const headers = new Headers(res.headers);
  let body = res.body;
  if (headers.get('x-rb-gzip') && body) body = body.pipeThrough(new DecompressionStream('gzip'));
  headers.delete('x-rb-gzip');
  if (!navigation) return new Response(body, { status: 200, headers });
  const html = (await new Response(body).text()).replace(/<html\b/i, `<html data-rb-offline="${BUILD.built}"`);
  const url = fetchUrl(key);
  // The not-saved page stands for an address that could not be fetched: 503, as a host that is down.
  const status =
    BUILD.notSaved && url === new URL(BUILD.notSaved, SCOPE).href ? 503 : url.endsWith('/404.html') ? 404 : 200;
  const page = new Response(html, { status, headers });
  cachedPages.add(page);
  return page;
}

/** The manifest key for a page address: `/a/b`, `/a/b/` and `/a/b/index.html` are one page. */
function pageKey(map, pathname) {
  const candidates = pathname.endsWith('/')
    ? [`${pathname}index.html`]
    : [pathname, `${pathname}/index.html`, `${pathname}.html`];
  for (const c of candidates) if (map.has(c)) return map.get(c);
  return undefined;
}

/**
 * Offline, `/r/<slug>`: the build's redirect pages are not kept (one file per shortlink);
 * the worker answers with the same page, built from the kept shortlinks.json, so a #step
 * typed after the shortlink wins over the target's own anchor exactly as online.
 */
async function shortlink(map, url) {
  const slug = url.pathname.slice(SCOPE.pathname.length).match(/^r\/([a-z0-9][a-z0-9-]*)\/?$/)?.[1];
  const key = slug && map.get(`${SCOPE.pathname}shortlinks.json`);
  const res = key && (await cached(key, false));
  if (!res) return undefined;
  const link = (await res.json()).shortlinks.find((l) => l.slug === slug);
  if (!link || link.external) return undefined;
  const target = new URL(link.target, self.location.origin);
  if (target.origin !== self.location.origin) return undefined;
  const to = target.pathname + target.hash;
  const html =
    `<!DOCTYPE html><html lang="en" data-rb-offline="${BUILD.built}"><head><meta charset="utf-8"><title>/r/${slug}</title>` +
    // As the build's page (shortlinks/pages/shortlink.astro), it leaves the note the incident log reads (incident/arrival.ts).
    `<script>var to=${JSON.stringify(to).replace(/</g, '\\u003c')};` +
    `try{sessionStorage.setItem(${JSON.stringify(BUILD.arrival)},JSON.stringify({via:${JSON.stringify(`/r/${slug}`)},to:to.split('#')[0],at:Date.now()}))}catch(e){}` +
    `location.replace(location.hash.length>1?to.split('#')[0]+location.hash:to)</script>` +
    `<meta http-equiv="refresh" content="0;url=${to.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)}"></head><body><p><a href="${to.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)}">${link.title.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`)}</a></p></body></html>`;
  const page = new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
  cachedPages.add(page);
  return page;
}

/** Answers a navigation and notes where the page came from (servedFromCache). */
async function navigation(event, url) {
  const res = await navigate(event, url);
  const id = event.resultingClientId;
  if (id && cachedPages.has(res)) {
    servedFromCache.add(id);
    // Closed tabs leave ids behind: keep the newest few hundred.
    if (servedFromCache.size > 500) servedFromCache.delete(servedFromCache.values().next().value);
  } else if (id) servedFromCache.delete(id);
  return res;
}

async function navigate(event, url) {
  let map;
  try {
    map = await manifest();
  } catch {
    return fetch(event.request);
  }
  const page = pageKey(map, url.pathname);
  // Unreachable and not kept: the not-saved page (the 404 page on a site built without it).
  const notSaved =
    (BUILD.notSaved && pageKey(map, new URL(BUILD.notSaved, SCOPE).pathname)) || map.get(`${SCOPE.pathname}404.html`);
  const network = Promise.resolve(event.preloadResponse).then((r) => r || fetch(event.request));
  if (!page && !notSaved) return network;
  // The kept page; else a shortlink; else the kept not-saved page: the worker cannot tell an
  // address this site never had from one published after the copy was saved, so it says only
  // what it knows. (A page the host redirects has a marker under its key: cached() skips it.)
  const fallback = async () =>
    (page && (await cached(page, true))) ||
    (await shortlink(map, url)) ||
    (notSaved && (await cached(notSaved, true))) ||
    network;
  return new Promise((resolve) => {
    let done = false;
    const finish = (p) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(p);
    };
    // A slow network gives way to a kept copy of this very page (or shortlink); with none kept,
    // wait for the network: a page added since the install would otherwise read as "not found".
    const timer = setTimeout(async () => {
      const kept = (page && (await cached(page, true))) || (await shortlink(map, url));
      if (kept) finish(kept);
    }, TIMEOUT_MS);
    network.then(
      // A page the site does not have is the network's answer; a failing server is not.
      (res) => finish(res.status >= 500 ? fallback() : res),
      () => finish(fallback()),
    );
  });
}

/**
 * The page asks (client/register.ts): is every file of this worker's version in the cache?
 * The answer, with the build time, is what the "Available offline" indicator shows.
 */
self.addEventListener('message', (event) => {
  const port = event.ports[0];
  if (event.data?.type !== 'rb-offline-status' || !port) return;
  event.waitUntil(
    (async () => {
      let complete = false;
      try {
        const cache = await caches.open(CACHE);
        const have = new Set((await cache.keys()).map((r) => r.url));
        complete = [...(await manifest()).values()].every((key) => have.has(key));
      } catch {
        // No manifest, no cache: not ready.
      }
      port.postMessage({ complete, built: BUILD.built });
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || req.headers.has('range') || req.headers.has('authorization')) return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(SCOPE.pathname)) return;
  if (req.mode === 'navigate') return event.respondWith(navigation(event, url));
  // Subresources: only the exact files of the manifest (Pagefind adds ?ts=<n> to its entry file).
  if (url.search && !(url.pathname.endsWith('/pagefind/pagefind-entry.json') && /^\?ts=\d+$/.test(url.search))) return;
  event.respondWith(
    (async () => {
      let key;
      try {
        key = (await manifest()).get(url.pathname);
      } catch {
        // No manifest yet: the network answers.
      }
      // A file of one build, for a page that did not come from this cache: the network's version.
      if (key?.includes('?__rev=') && !servedFromCache.has(event.clientId)) {
        const res = await fetch(req).catch(() => undefined);
        if (res && res.status < 500) return res;
        return (await cached(key, false)) || res || Response.error();
      }
      const res = key && (await cached(key, false));
      return res || fetch(req);
    })(),
  );
});
