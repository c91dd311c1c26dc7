import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Element, Nodes, Root } from 'hast';
import type { AstroUserConfig } from 'astro';

const require = createRequire(import.meta.url);

/** Astro's `security.csp` option, as the config takes it. */
type CspOption = Exclude<NonNullable<NonNullable<AstroUserConfig['security']>['csp']>, boolean>;

/**
 * The directives every page carries besides script-src and style-src (which Astro writes
 * from its hashes). default-src 'self' covers fetches (Pagefind's index, the quick-jump
 * index), the service worker, Pagefind's web worker and fonts; nothing loads from another
 * origin but images. data: images: Starlight's and Expressive Code's CSS draw icons as
 * data: SVGs; https: images: the HTML policy lets a runbook show a graph from an https
 * host, and an image runs no script (Referrer-Policy keeps the page's path to the site).
 * No plugin content, no <base>, no form ever submits (the variables form and the
 * destructive-copy confirm are handled in the page).
 */
export const PAGE_DIRECTIVES = [
  "default-src 'self'",
  "img-src 'self' data: https:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/**
 * Directives a browser honours only from a response header, never from a <meta> (it
 * would log a warning there): hosts that take `_headers` add them.
 */
export const HEADER_ONLY_DIRECTIVES = ["frame-ancestors 'none'"];

/** An `is:inline` script whose text is computed per page cannot be hashed ahead of the build. */
export class InlineScriptError extends Error {}

/**
 * SHA-256 source hashes (`sha256-…`) of every `<script is:inline>` in the given .astro
 * files and folders: Astro prints such a script's text verbatim, so the hash of its
 * source is the hash the browser computes. A script with `define:vars` has per-page text
 * and is refused: put the value in the markup (a <meta>, a data- attribute) instead.
 */
export function inlineScriptHashes(paths: readonly string[]): string[] {
  const hashes = new Set<string>();
  for (const file of paths.flatMap(astroFiles)) {
    const source = readFileSync(file, 'utf8');
    // indexOf, not a regular expression: linear in the file whatever it holds.
    for (let at = source.indexOf('<script is:inline'); at !== -1; at = source.indexOf('<script is:inline', at + 1)) {
      const open = source.indexOf('>', at);
      const close = source.indexOf('</script>', open);
      if (open === -1 || close === -1) continue;
      if (source.slice(at, open).includes('define:vars'))
        throw new InlineScriptError(
          `${file}: an is:inline script with define:vars has a different text on each page, so no hash can allow it; read the value from the markup instead`,
        );
      hashes.add(cspHash(source.slice(open + 1, close)));
    }
  }
  return [...hashes].sort();
}

/** The CSP source hash of a script or style text. */
export const cspHash = (text: string) => `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;

function astroFiles(path: string): string[] {
  if (!existsSync(path))
    throw new InlineScriptError(`${path} is missing: the site's inline scripts cannot be hashed without it`);
  if (!statSync(path).isDirectory()) return path.endsWith('.astro') ? [path] : [];
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => e.name !== 'node_modules')
    .flatMap((e) =>
      e.isDirectory() ? astroFiles(join(path, e.name)) : e.name.endsWith('.astro') ? [join(path, e.name)] : [],
    );
}

/**
 * The site's Content-Security-Policy, as Astro's `security.csp` (Astro hashes the
 * scripts and styles it bundles and writes the policy into every page's <head>):
 * - script-src: 'self', Astro's hashes and those of the inline scripts in `componentDirs`
 *   (Starlight's theme and sidebar scripts) and of `inlineScripts`, those of pages written
 *   outside Astro (the /r/ redirect page): no 'unsafe-inline', no
 *   'unsafe-eval', so an injected <script> or javascript: URL does not run.
 *   'wasm-unsafe-eval' lets Pagefind compile its WebAssembly (it allows no JS eval).
 * - script-src-attr 'none': no event-handler attribute runs, whoever wrote it.
 * - style-src-attr 'unsafe-inline': Expressive Code, Starlight's icons and our severity
 *   badges set style="" attributes (custom properties, colours); an attribute style
 *   cannot run script, and default-src keeps it from loading anything off-site but an image.
 *   <style> elements still need a hash.
 * Astro's build warns that the -attr directives override script-src/style-src for
 * attributes and that Shiki uses inline styles: both are what this policy means to do.
 */
export function siteCsp(componentDirs: readonly string[], inlineScripts: readonly string[] = []): CspOption {
  const hashes = [...new Set([...inlineScriptHashes(componentDirs), ...inlineScripts.map(cspHash)])].sort();
  return {
    algorithm: 'SHA-256',
    directives: PAGE_DIRECTIVES as CspOption['directives'],
    scriptDirective: {
      resources: ["'self'", "'wasm-unsafe-eval'", { resource: "'none'", kind: 'attribute' }],
      hashes: hashes as `sha256-${string}`[],
    },
    styleDirective: { resources: ["'self'", { resource: "'unsafe-inline'", kind: 'attribute' }] },
  };
}

/**
 * The policy of a page written outside Astro whose only script is `script`: the site's
 * page directives, that script's hash and no event-handler attribute. Every source in it
 * is one every Astro page's policy carries (siteCsp lists the script among `inlineScripts`),
 * so the union in `_headers` already allows it without reading the page.
 */
export const inlineScriptPolicy = (script: string): string =>
  [...PAGE_DIRECTIVES, `script-src '${cspHash(script)}'`, "script-src-attr 'none'"].join('; ');

const isElement = (node: Nodes): node is Element => node.type === 'element';
const children = (node: Nodes): Nodes[] => ('children' in node ? (node.children as Nodes[]) : []);
const isPolicyMeta = (el: Element) =>
  el.tagName === 'meta' && String(el.properties.httpEquiv ?? '').toLowerCase() === 'content-security-policy';

function parse(html: string): Root {
  const { fromHtml } = require('hast-util-from-html') as typeof import('hast-util-from-html');
  return fromHtml(html);
}

function headOf(tree: Root): Element | undefined {
  const html = children(tree).find(isElement);
  return html
    ? children(html)
        .filter(isElement)
        .find((e) => e.tagName === 'head')
    : undefined;
}

/** Astro's policy <meta> in a parsed <head> (the last policy <meta> there), with the count of all. */
function ownPolicy(head: Element | undefined): { own?: Element; count: number } {
  const metas = head ? children(head).filter(isElement).filter(isPolicyMeta) : [];
  return { own: metas.at(-1), count: metas.length };
}

/**
 * The <head> of a page and Astro's policy <meta> in it, parsed from the page's text up to
 * its first `</head>` only: a tenth of a runbook page, so the build's pass over every page
 * costs a tenth. HTML is parsed front to back, so every element the prefix completes is
 * the page's, with the same parent and offsets. The prefix stands for the page when every
 * "content-security-policy" in the whole page is a policy <meta> of the prefix's head: then
 * no policy lies past the cut (after a `</head>` that was text in a script or an attribute,
 * or put back into the head after it), and the last one found is the page's own. Else the
 * whole page is parsed.
 */
function pageHead(html: string): { head?: Element; own?: Element } {
  const close = html.indexOf('</head>');
  if (close !== -1) {
    const head = headOf(parse(html.slice(0, close + '</head>'.length)));
    const { own, count } = ownPolicy(head);
    if (own && (html.match(/content-security-policy/gi)?.length ?? 0) === count) return { head, own };
  }
  const head = headOf(parse(html));
  return { head, own: ownPolicy(head).own };
}

/**
 * Moves Astro's policy <meta> to the top of <head>, right after <meta charset>. Astro
 * writes it at the end of <head>, and a <meta> policy governs only what comes after
 * it: Starlight's `head` entries and inline scripts before it would run unchecked.
 * Astro's own is the last policy <meta> in <head> (everything a page adds comes before
 * Astro's head content). Returns the page (unchanged when it has none) and that policy.
 */
export function hoistPolicy(html: string): { html: string; policy?: string } {
  const { head, own } = pageHead(html);
  if (!head) return { html };
  const start = own?.position?.start.offset;
  const end = own?.position?.end.offset;
  if (!own || start === undefined || end === undefined) return { html };
  const policy = String(own.properties.content ?? '');
  const first = children(head).filter(isElement)[0];
  const charset = first?.tagName === 'meta' && first.properties.charSet !== undefined ? first : undefined;
  const at = (charset ?? head).position?.[charset ? 'end' : 'start'].offset;
  if (at === undefined) return { html, policy };
  // Just after <head …> when there is no charset <meta>.
  const insertAt = charset ? at : html.indexOf('>', at) + 1;
  if (insertAt >= start) return { html, policy };
  return {
    html: html.slice(0, insertAt) + html.slice(start, end) + html.slice(insertAt, start) + html.slice(end),
    policy,
  };
}

/** The policy a page's <head> carries in its first policy <meta>, or undefined. */
export function pagePolicy(html: string): string | undefined {
  const head = headOf(parse(html));
  const meta = head ? children(head).filter(isElement).find(isPolicyMeta) : undefined;
  return meta ? String(meta.properties.content ?? '') : undefined;
}

/** A policy as directive name → its sources. */
export function directives(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name && !out.has(name.toLowerCase())) out.set(name.toLowerCase(), sources);
  }
  return out;
}

/** Several pages' policies as one that allows what any of them allows (for a site-wide header). */
export function unionPolicy(policies: Iterable<string>): string {
  const merged = new Map<string, Set<string>>();
  for (const policy of policies)
    for (const [name, sources] of directives(policy))
      for (const s of sources) (merged.get(name) ?? merged.set(name, new Set()).get(name)!).add(s);
  return [...merged].map(([name, sources]) => [name, ...sources].join(' ')).join('; ');
}

/**
 * What is wrong with a built page's policy, as sentences (none when it is sound): it
 * has none; it is not the first thing in <head> after the charset; its script-src
 * allows inline or eval'd script; an inline <script> on the page is not among its hashes.
 */
export function auditPage(html: string): string[] {
  const tree = parse(html);
  const head = headOf(tree);
  const elements = head ? children(head).filter(isElement) : [];
  const index = elements.findIndex(isPolicyMeta);
  if (index === -1) return ['no Content-Security-Policy <meta> in <head>'];
  const problems: string[] = [];
  const before = elements.slice(0, index).filter((e) => !(e.tagName === 'meta' && e.properties.charSet !== undefined));
  if (before.length > 0)
    problems.push(`the policy <meta> comes after <${before[0].tagName}>, which it then does not govern`);
  const policy = directives(String(elements[index].properties.content ?? ''));
  const scripts = policy.get('script-src-elem') ?? policy.get('script-src') ?? policy.get('default-src');
  if (!scripts) return [...problems, 'the policy does not restrict scripts'];
  for (const name of ['script-src', 'script-src-elem', 'script-src-attr']) {
    const bad = (policy.get(name) ?? []).filter((s) =>
      /^'(unsafe-inline|unsafe-eval|unsafe-hashes)'$|^\*$|^(https?|data|blob):?$/i.test(s),
    );
    if (bad.length > 0) problems.push(`${name} allows ${bad.join(' ')}`);
  }
  const attr = policy.get('script-src-attr');
  if (!attr || attr.join(' ') !== "'none'") problems.push("script-src-attr is not 'none'");
  const allowed = new Set(scripts);
  const walk = (node: Nodes) => {
    if (isElement(node) && node.tagName === 'script' && node.properties.src === undefined) {
      const text = children(node)
        .map((c) => (c.type === 'text' ? c.value : ''))
        .join('');
      const hash = `'${cspHash(text)}'`;
      if (!allowed.has(hash))
        problems.push(
          `an inline <script> (${JSON.stringify(text.trim().slice(0, 60))}) whose hash ${hash} the policy does not list`,
        );
    }
    for (const child of children(node)) walk(child);
  };
  walk(tree);
  return problems;
}
