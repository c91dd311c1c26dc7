import { createRequire } from 'node:module';
import type { Element, Nodes } from 'hast';
import type { RunbookFacts } from '../runbook/facts.ts';
import type { Finding, Rule } from '../runbook/rule.ts';
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
export const htmlRules: Rule<{ config: { allowUnsafeHtml: boolean } }>[] = [
  {
    id: 'html-unsafe', severity: 'error',
    summary: 'A runbook body puts no script on the site: no <script>, <iframe> or form elements, no event handlers (onclick, onerror…), no javascript:, vbscript: or data: links, in raw HTML, MDX or Markdown links.',
    hint: 'Remove it: describe the step in text, link to the tool, or add a run block. (A repository whose every author is trusted can set `allowUnsafeHtml: true` in runbooks.config.yaml.)',
    bad: '<img src="graph.png" onerror="fetch(…)">', good: '![Latency graph](graph.png)',
    check: (all, { config }) => (config.allowUnsafeHtml ? [] : all.flatMap(pageFindings)),
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
