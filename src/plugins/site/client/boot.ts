// The one script every page loads before any interaction. It stays tiny: each feature
// is a separate chunk, imported only when the page has what it works on, or on first use.
// Budget: all of our JS that loads before interaction ≤ 10 KB gzip (BENCHMARKS.md).

/** Loads a feature chunk when the page has an element matching `selector`. */
const when = (selector: string, load: () => Promise<unknown>) => {
  if (document.querySelector(selector)) void load();
};

// Features register here, one line each.
void when;
when('.rb-checklist, .rb-template', () => import('../../handbook/client/handbook.ts'));
