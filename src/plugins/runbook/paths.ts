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
export const SITE_ROUTES = ['/r', '/rules', '/slos', '/sloth', '/runbooks', '/runbooks.json', '/quickjump.json', '/shortlinks.json', '/slos.yaml', '/slos.json', '/_redirects'];

/**
 * Whether a page URL would collide with a page the site generates (Astro would drop one
 * of them): the index pages, any `/r/…` (shortlinks own that path), a rule's or an
 * SLO's page, a machine output's name.
 */
export function takenBySite(url: string, taken: { ruleIds: ReadonlySet<string>; slos: ReadonlySet<string> }): boolean {
  const path = url.replace(/\/$/, '');
  if (SITE_ROUTES.includes(path) || path.startsWith('/r/')) return true;
  const rule = /^\/rules\/([^/]+)$/.exec(path);
  const slo = /^\/slos\/([^/]+)$/.exec(path);
  return Boolean((rule && taken.ruleIds.has(rule[1])) || (slo && taken.slos.has(slo[1])));
}
