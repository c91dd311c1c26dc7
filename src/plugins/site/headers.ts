import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEADER_ONLY_DIRECTIVES, hoistPolicy, unionPolicy } from './csp.ts';

/**
 * What every response of the site carries besides its policy: no MIME sniffing (a
 * runbook's .txt is never run as script), no referrer leaving the site (a runbook's
 * path names the service in trouble), no framing (also in the policy's frame-ancestors).
 */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'same-origin'],
  ['X-Frame-Options', 'DENY'],
  ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()'],
];

/**
 * What every response carries where the host takes headers (src/plugins/deploy writes
 * them into `_headers` and the nginx configuration): the Content-Security-Policy the pages
 * carry (`policy`: the union of their <meta> policies, so a header host enforces the
 * same; the page's own <meta> still applies on top) plus the directives only a header can
 * give, and the security headers above.
 */
export function siteHeaders(policy: string): (readonly [string, string])[] {
  const csp = [policy.replace(/;\s*$/, ''), ...HEADER_ONLY_DIRECTIVES].filter(Boolean).join('; ');
  return [['Content-Security-Policy', csp], ...SECURITY_HEADERS];
}

/** Every .html file under `dir`, as paths relative to it. */
export function htmlFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? htmlFiles(dir, rel) : e.isFile() && e.name.endsWith('.html') ? [rel] : [];
  });
}

/**
 * After the build: every page's policy <meta> moved to the top of its <head> (./csp.ts
 * hoistPolicy). Returns how many distinct page policies there were and the site-wide one
 * (their union, for the hosts that take headers: see siteHeaders).
 */
export function secureBuiltSite(distDir: string): { pages: number; distinct: number; policy: string } {
  const policies = new Set<string>();
  let pages = 0;
  for (const file of htmlFiles(distDir)) {
    const path = join(distDir, file);
    const html = readFileSync(path, 'utf8');
    // One parse per page: the hoist also reads the policy.
    const hoisted = hoistPolicy(html);
    if (hoisted.html !== html) writeFileSync(path, hoisted.html);
    if (hoisted.policy !== undefined) policies.add(hoisted.policy);
    pages++;
  }
  return { pages, distinct: policies.size, policy: unionPolicy(policies) };
}
