import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Element, Nodes } from 'hast';
import type { RunbookFacts } from '../runbook/facts.ts';
import type { Finding, Rule } from '../runbook/rule.ts';
import { positionOf, valueAt } from '../runbook/frontmatter.ts';
import { readable } from '../runbook/page.ts';
import { unsafeElement, unsafeUrl } from './policy.ts';

// The HTML parser (parse5) is loaded only for sites whose runbooks hold raw HTML.
const require = createRequire(import.meta.url);

/** The elements of a raw HTML fragment, parsed as a browser parses it (entities decoded, case folded). */
function elements(html: string): Element[] {
  const { fromHtml } = require('hast-util-from-html') as typeof import('hast-util-from-html');
  const out: Element[] = [];
  const walk = (node: Nodes) => {
    if (node.type === 'element') out.push(node);
    if ('children' in node) for (const child of node.children) walk(child as Nodes);
  };
  walk(fromHtml(html, { fragment: true }));
  return out;
}

/** Rules about what a body may put on the site. */
export const htmlRules: Rule<{ root: string; config: { allowUnsafeHtml: boolean } }>[] = [
  {
    id: 'html-unsafe', severity: 'error',
    summary: 'A runbook puts no script on the site: no <script>, <iframe> or form elements, no event handlers (onclick, onerror…), no javascript:, vbscript: or data: links — in raw HTML, MDX, Markdown links, SVG images, or the Starlight fields that take HTML (head, banner, hero).',
    hint: 'Remove it: describe the step in text, link to the tool, or add a run block. (A repository whose every author is trusted can set `allowUnsafeHtml: true` in runbooks.config.yaml.)',
    bad: '<img src="graph.png" onerror="fetch(…)">', good: '![Latency graph](graph.png)',
    check: (all, { root, config }) => (config.allowUnsafeHtml ? [] : all.flatMap((f) => [...pageFindings(f), ...frontmatterFindings(f), ...svgFindings(f, root)])),
  },
];

function pageFindings(f: RunbookFacts): Finding[] {
  const out: Finding[] = [];
  for (const block of f.html) {
    for (const el of elements(block.value)) {
      const why = unsafeElement(el.tagName, el.properties as Record<string, unknown>);
      if (!why) continue;
      const at = el.position?.start;
      out.push({ file: f.file, line: block.line + (at ? at.line - 1 : 0), column: at && at.line > 1 ? at.column : block.column + (at ? at.column - 1 : 0), message: `Unsafe HTML: ${why}` });
    }
  }
  for (const el of f.jsx) {
    const why = unsafeElement(el.name, el.attributes);
    if (why) out.push({ file: f.file, line: el.line, column: el.column, message: `Unsafe JSX: ${why}` });
  }
  for (const link of f.links) {
    const why = unsafeUrl(link.url, link.image ? 'img' : 'a');
    if (why && !link.html) out.push({ file: f.file, line: link.line, column: link.column, message: `Unsafe ${link.image ? 'image' : 'link'} ${JSON.stringify(link.url.slice(0, 60))}: ${why}` });
  }
  return out;
}

/** Starlight fields whose text goes into the page as HTML or as tags of its own. */
const HTML_FIELDS = [['banner', 'content'], ['hero', 'title'], ['hero', 'tagline']];

/** `head:` entries (tags Starlight adds to the page's <head>) and the fields Starlight renders as HTML. */
function frontmatterFindings(f: RunbookFacts): Finding[] {
  if (!readable(f)) return [];
  const data = f.frontmatter.data;
  const out: Finding[] = [];
  const head = data.head;
  if (Array.isArray(head)) {
    head.forEach((entry, i) => {
      const tag = (entry as { tag?: unknown })?.tag;
      const attrs = (entry as { attrs?: unknown })?.attrs;
      const refresh = tag === 'meta' && typeof attrs === 'object' && attrs !== null && /refresh/i.test(String((attrs as Record<string, unknown>)['http-equiv'] ?? ''));
      const why = typeof tag === 'string' ? (tag === 'meta' || tag === 'link' ? (refresh ? '<meta http-equiv="refresh"> sends readers elsewhere' : unsafeElement('span', (attrs ?? {}) as Record<string, unknown>)) : unsafeElement(tag, (attrs ?? {}) as Record<string, unknown>)) : undefined;
      if (why) out.push({ file: f.file, ...positionOf(f.frontmatter, ['head', i]), message: `Unsafe head tag: ${why}` });
    });
  }
  for (const path of HTML_FIELDS) {
    const value = valueAt(data, path);
    if (typeof value !== 'string' || !/[<&]/.test(value)) continue;
    const why = elements(value).map((el) => unsafeElement(el.tagName, el.properties as Record<string, unknown>)).find(Boolean);
    if (why) out.push({ file: f.file, ...positionOf(f.frontmatter, path), message: `Unsafe HTML in \`${path.join('.')}\`: ${why}` });
  }
  return out;
}

/** SVG images next to the page: served from the site's own origin, a script inside runs when the file is opened. */
function svgFindings(f: RunbookFacts, root: string): Finding[] {
  return f.links.flatMap((link) => {
    if (!link.image || !/\.svg$/i.test(link.url) || /^[a-z][a-z0-9+.-]*:|^\/\//i.test(link.url)) return [];
    const file = link.url.startsWith('/') ? join(root, 'public', link.url) : join(root, dirname(f.file), link.url.replace(/[?#].*$/, ''));
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return [];
    }
    const why = /<script\b/i.test(text) ? 'it holds a <script>' : /\son[a-z]+\s*=/i.test(text) ? 'it has an event handler' : /(href|src)\s*=\s*["']?\s*(java|vb)script:/i.test(text) ? 'it links to javascript:' : /<foreignObject\b/i.test(text) ? 'it embeds HTML (<foreignObject>)' : undefined;
    return why ? [{ file: f.file, line: link.line, column: link.column, message: `Unsafe SVG image ${JSON.stringify(link.url)}: ${why}, and the site would serve it from its own origin` }] : [];
  });
}
