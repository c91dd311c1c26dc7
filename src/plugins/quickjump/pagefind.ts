// What Pagefind's full text indexes on a page, decided here for the Markdown side (the
// run blocks); the Astro components say the same with the plain attributes. The rule:
// what a responder reads is content; labels, badges, buttons, hidden parts and lines
// the page repeats for every step are not, so they never land in a result or an excerpt.

/** hast properties that keep an element out of Pagefind's index (`data-pagefind-ignore`). */
export const UNINDEXED = { dataPagefindIgnore: '' } as const;

/**
 * Full-text weight of a run block's title. A step's title is what a responder remembers of
 * it ("End stuck sessions"): weighted like the h3 it stands in for (Pagefind weighs headings
 * h1 7 … h6 2, body text 1).
 */
export const STEP_TITLE_WEIGHT = '5';

/** The Pagefind filter that names a kind of page; runbook and handbook pages carry none. */
export const PAGE_FILTER = 'page';

/** Its value on SLO pages: full text leaves them out unless the search asks for SLO pages. */
export const SLO_PAGES = 'SLO';
