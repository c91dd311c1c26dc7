// The one script every page loads before any interaction. It stays tiny: each feature
// is a separate chunk, imported only when the page has what it works on, or on first use.
// Budget: all of our JS that loads before interaction ≤ 10 KB gzip (BENCHMARKS.md).

/** Loads a feature chunk when the page has an element matching `selector`. */
const when = (selector: string, load: () => Promise<unknown>) => {
  if (document.querySelector(selector)) void load();
};

// Features register here, one line each.
when('.rb-snippet, [data-rb-vars]', () => import('../../snippets/client/snippets.ts'));
when('[data-rb-review-last]', () => import('../../review/client/overdue.ts'));
// The 404 page served at an unknown /r/<slug> (a redirect page has a meta refresh instead).
if (/\/r\/[^/]+\/?$/.test(location.pathname) && !document.querySelector('meta[http-equiv="refresh"]')) void import('../../shortlinks/client/suggest.ts');
// A printed page shows everything: the header card, the variables form, any folded section.
addEventListener('beforeprint', () => document.querySelectorAll('details').forEach((d) => (d.open = true)));
