/** Where a project keeps its runbooks, relative to its root. */
export const CONTENT_DIR = 'src/content/runbooks';
/** The severity ladder file, relative to the root. */
export const LADDER_FILE = 'src/content/severity.yaml';
/** The SLO folder, relative to the root. */
export const SLO_DIR = 'src/content/slos';

/**
 * Paths the site itself publishes (the concepts' injected routes: /r/<slug>, /rules/<id>,
 * /slos/<id>, /sloth/<service>.yaml and the machine outputs). No page may take one, and
 * links to them need no Markdown source.
 */
export const SITE_ROUTES = ['/r', '/rules', '/slos', '/sloth', '/runbooks.json', '/shortlinks.json', '/slos.yaml', '/slos.json', '/_redirects'];

/** Whether a page URL would collide with a route of the site (Astro would drop the page). */
export const takenBySite = (url: string) => SITE_ROUTES.some((route) => url === `${route}/` || url.startsWith(`${route}/`) || url === route);
