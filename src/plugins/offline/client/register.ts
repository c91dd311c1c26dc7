// Offline, the part every page loads (budget ≤ 1 KB gzip): registers the service worker
// (builds only, not `astro dev`; at the site base) and, when the worker served this page from
// its cache, says so. The worker marks such a copy with data-rb-offline="<build time>".
const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');

if ('serviceWorker' in navigator) {
  // The mode, not PROD: PROD follows NODE_ENV, which a test runner or CI may set for a build.
  if (import.meta.env.MODE !== 'development') {
    const register = () => void navigator.serviceWorker.register(`${base}sw.js`, { scope: base }).catch(() => {});
    if (document.readyState === 'complete') register();
    else addEventListener('load', register, { once: true });
  } else {
    // `astro dev` where a production preview ran before: that build's worker must not stay.
    void navigator.serviceWorker.getRegistration(base).then((r) => r?.unregister());
  }
}

const built = document.documentElement.dataset.rbOffline;
if (built) {
  // An empty live region first, then its text, so screen readers announce it.
  const notice = document.createElement('div');
  notice.className = 'rb-offline';
  notice.setAttribute('role', 'status');
  document.body.append(notice);
  setTimeout(() => {
    const time = document.createElement('time');
    time.dateTime = built;
    time.textContent = new Date(built).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    notice.append('Offline — showing the cached copy from ', time);
  }, 100);
}
