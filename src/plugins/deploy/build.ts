import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NginxEncodingError } from '../encode/nginx.ts';
import { headersFile, MAX_RULES, type Header, type SiteEntry } from './headers.ts';
import { NGINX_CONF, nginxConf, type Redirect } from './nginx.ts';

/** The built site's top-level entries and those of its pagefind/ folder: what `_headers` writes rules for. */
export function siteEntries(dist: string): SiteEntry[] {
  const list = (dir: string, prefix: string): SiteEntry[] =>
    existsSync(join(dist, dir))
      ? readdirSync(join(dist, dir), { withFileTypes: true })
          .map((e) => ({ path: `${prefix}${e.name}`, folder: e.isDirectory() }))
          .sort((a, b) => (a.path < b.path ? -1 : 1))
      : [];
  return [...list('.', ''), ...list('pagefind', 'pagefind/')];
}

/**
 * The shortlinks the site published (`shortlinks.json`, written from the same list as
 * `_redirects` and the /r/ pages), as nginx redirects. A target is written ASCII: a page
 * named in Unicode keeps its letters in its URL, percent-encoded it is the same URL to the
 * server and the browser. One the nginx encoder refuses (a `$` in an external URL) is
 * left out and named in `skipped`: its /r/ page still leads there.
 */
export function publishedRedirects(dist: string): { redirects: Redirect[]; skipped: string[] } {
  const file = join(dist, 'shortlinks.json');
  if (!existsSync(file)) return { redirects: [], skipped: [] };
  const { shortlinks } = JSON.parse(readFileSync(file, 'utf8')) as { shortlinks?: { slug: string; target: string }[] };
  const redirects: Redirect[] = [];
  const skipped: string[] = [];
  for (const { slug, target } of shortlinks ?? []) {
    const redirect = { slug, target: target.replace(/[^\x00-\x7f]+/gu, encodeURIComponent) };
    try {
      nginxConf([], [redirect]);
      redirects.push(redirect);
    } catch (error) {
      if (!(error instanceof NginxEncodingError)) throw error;
      skipped.push(`/r/${slug}: ${error.message}`);
    }
  }
  return { redirects, skipped };
}

/**
 * After the build (and after the service worker, whose files it names): `_headers` for
 * Netlify and Cloudflare Pages (appended to one the site ships in public/) and
 * `_nginx.conf` for nginx, both with `site` (the security headers and the policy) and the
 * cache rules. The nginx file lives in the built folder, beside the pages it describes,
 * so a deploy copies both at once and they never disagree (the policy lists this build's
 * script hashes); nginx itself refuses to serve it.
 */
export function writeHostConfig(
  dist: string,
  site: readonly Header[],
): { rules: number; redirects: number; skipped: string[] } {
  const target = join(dist, '_headers');
  // A path line of the site's own rules (public/_headers) counts against the hosts' limit too.
  const own = existsSync(target)
    ? readFileSync(target, 'utf8')
        .split('\n')
        .filter((l) => /^(\/|https:)/.test(l)).length
    : 0;
  const headers = headersFile(site, siteEntries(dist), MAX_RULES - own);
  if (existsSync(target)) appendFileSync(target, `\n${headers}`);
  else writeFileSync(target, headers);
  const { redirects, skipped } = publishedRedirects(dist);
  writeFileSync(join(dist, NGINX_CONF), nginxConf(site, redirects));
  return { rules: headers.split('\n').filter((l) => l.startsWith('/')).length, redirects: redirects.length, skipped };
}
