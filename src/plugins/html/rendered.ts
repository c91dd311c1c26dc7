import { createRequire } from 'node:module';
import type { Element, Nodes } from 'hast';
import { unsafeUrl } from './policy.ts';

const require = createRequire(import.meta.url);

/** What script in a page body would have to contain, an entity in an attribute included (the cheap look first). */
const SUSPECT = /\son[a-z]+\s*=|(java|vb)script|data:\s*text|<iframe|<object|<embed|srcdoc|http-equiv|<base|<script|=\s*["'][^"'>]*&/i;

/**
 * Script in a built page's body, whatever the check read: the last line of defence
 * against a parser that sees a page differently from the browser. The body is
 * Starlight's `.sl-markdown-content`, up to the page footer; only the site's own bundled
 * scripts (`/_astro/…`, Expressive Code's) may be there. Returns why, or undefined.
 */
export function scriptInBody(page: string): string | undefined {
  const start = page.indexOf('<div class="sl-markdown-content">');
  if (start === -1) return undefined;
  const end = page.indexOf('<footer', start);
  const body = page.slice(start, end === -1 ? undefined : end);
  if (!SUSPECT.test(body)) return undefined;
  const { fromHtml } = require('hast-util-from-html') as typeof import('hast-util-from-html');
  let found: string | undefined;
  const walk = (node: Nodes) => {
    if (found) return;
    if (node.type === 'element') found = problem(node);
    if ('children' in node) for (const child of node.children) walk(child as Nodes);
  };
  walk(fromHtml(body, { fragment: true }));
  return found;
}

function problem(el: Element): string | undefined {
  const tag = el.tagName.toLowerCase();
  const props = el.properties as Record<string, unknown>;
  if (tag === 'script') return typeof props.src === 'string' && props.src.startsWith('/_astro/') ? undefined : 'a <script>';
  if (['iframe', 'frame', 'object', 'embed', 'base'].includes(tag)) return `an <${tag}>`;
  if (tag === 'meta' && props.httpEquiv !== undefined) return '<meta http-equiv>';
  for (const [key, value] of Object.entries(props)) {
    if (/^on/i.test(key) || key.toLowerCase() === 'srcdoc') return `a ${key} attribute on <${tag}>`;
    if (/^(href|src|action|formAction|xLinkHref|poster|data|srcSet|values|to|from|by)$/.test(key)) {
      const why = unsafeUrl(Array.isArray(value) ? value.join(' ') : String(value), tag);
      if (why) return `${key} on <${tag}>: ${why}`;
    }
  }
  return undefined;
}
