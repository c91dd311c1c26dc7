// The static page behind /r/<slug>: a 0-second meta refresh, a canonical link and a
// visible link, so it works on any static host and without JavaScript. The target is
// fixed at build time from the runbook's frontmatter; nothing is read from the request.
// Written as files after the build (one per shortlink, twice: r/<slug>/index.html and
// r/<slug>.html), not rendered by Astro: a thousand runbooks would otherwise put a
// thousand pages through its page pipeline, Pagefind and the CSP pass.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARRIVAL_KEY } from '../incident/keys.ts';
import { escapeHtml } from '../encode/html.ts';
import { SLUG } from './entries.ts';
import { canonicalTarget, leadsOnSiteOrHttps, type PublishedShortlink } from './publish.ts';

/**
 * The page's one inline script. /r/db-down#check-pool: the step typed after the shortlink
 * wins over the target's own anchor, and a note for the incident log
 * (src/plugins/incident/arrival.ts). The same text on every page (the target and the
 * shortlink are read from the <meta>s), so one hash allows it: the site's policy lists it
 * (site/index.ts), which puts it in `_headers`' union too.
 */
export const REDIRECT_SCRIPT = `
      // /r/db-down#check-pool: the step typed after the shortlink wins over the target's
      // own anchor. Only the fragment is taken from the address, never a host or path.
      // The same text on every page (the target and the shortlink are read from the <meta>s
      // above), so the site's Content-Security-Policy allows it by one hash.
      {
        const to = document.querySelector('meta[name="runbooks:target"]').content;
        // For the incident log (src/plugins/incident/arrival.ts): a note in this tab, read
        // once by the page it lands on, so the address itself stays the one published.
        try {
          if (to.startsWith('/'))
            sessionStorage.setItem(
              '${ARRIVAL_KEY}',
              JSON.stringify({
                via: document.querySelector('meta[name="runbooks:shortlink"]').content,
                to: to.split('#')[0],
                at: Date.now(),
              }),
            );
        } catch {
          // Storage blocked: the redirect matters, the note does not.
        }
        if (location.hash.length > 1) location.replace(to.split('#')[0] + location.hash);
      }
    `;

/**
 * The redirect page of one shortlink. Every value is HTML-encoded (encode/html.ts), so no
 * slug, title or target can leave the attribute or text it is written into. `policy`: the
 * Content-Security-Policy <meta>, first in <head> after the charset so it governs the
 * script (left out in the dev server, where Astro sets none either).
 */
export function redirectPage(link: PublishedShortlink, site: string, policy?: string): string {
  const to = escapeHtml(link.target);
  const shortlink = escapeHtml(`/r/${link.slug}`);
  const csp = policy === undefined ? '' : `<meta http-equiv="content-security-policy" content="${escapeHtml(policy)}">`;
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">${csp}` +
    `<title>${shortlink} → ${escapeHtml(link.title)}</title>` +
    `<meta name="runbooks:target" content="${to}"><meta name="runbooks:shortlink" content="${shortlink}">` +
    `<script>${REDIRECT_SCRIPT}</script>` +
    `<meta http-equiv="refresh" content="0;url=${to}"><meta name="robots" content="noindex">` +
    `<link rel="canonical" href="${escapeHtml(canonicalTarget(link, site))}"></head>` +
    `<body><p>Redirecting to <a href="${to}">${escapeHtml(link.title)}</a>…</p></body></html>`
  );
}

/**
 * Writes `r/<slug>/index.html` and its flat twin `r/<slug>.html` for each shortlink:
 * hosts that serve `/r/<slug>` from `<slug>.html` (GitHub Pages, Cloudflare Pages, Vercel
 * and Firebase clean URLs, nginx with `try_files $uri $uri.html $uri/`) then answer the
 * slash-less shortlink at once, one hop to the runbook, not two. Only a well-formed slug
 * names a file and only a site path or an https URL is a target (the gate has refused
 * anything else already; this is the last line of defence). Returns how many shortlinks
 * it wrote.
 */
export function writeShortlinkPages(
  distDir: string,
  links: readonly PublishedShortlink[],
  options: { site: string; policy: string },
): number {
  const dir = join(distDir, 'r');
  let written = 0;
  for (const link of links) {
    if (!SLUG.test(link.slug) || !leadsOnSiteOrHttps(link.target)) continue;
    const html = redirectPage(link, options.site, options.policy);
    mkdirSync(join(dir, link.slug), { recursive: true });
    writeFileSync(join(dir, link.slug, 'index.html'), html);
    writeFileSync(join(dir, `${link.slug}.html`), html);
    written++;
  }
  return written;
}
