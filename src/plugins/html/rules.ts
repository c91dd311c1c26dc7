import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Element, Nodes } from 'hast';
import type { RunbookFacts } from '../runbook/facts.ts';
import type { Finding, Rule } from '../runbook/rule.ts';
import { starlightFieldFindings, uiStringFindings } from '../runbook/starlight-fields.ts';
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
    check: (all, { root, config }) => (config.allowUnsafeHtml ? [] : [...all.flatMap((f) => [...pageFindings(f), ...starlightFieldFindings(f), ...svgFindings(f, root), ...mdxFindings(f)]), ...uiStringFindings(root)]),
  },
];

function pageFindings(f: RunbookFacts): Finding[] {
  const out: Finding[] = [];
  const report = (line: number, column: number, why: string) => {
    if (!out.some((o) => o.line === line && o.column === column)) out.push({ file: f.file, line, column, message: `Unsafe HTML: ${why}` });
  };
  for (const block of f.html) {
    for (const el of elements(block.value)) {
      const why = unsafeElement(el.tagName, el.properties as Record<string, unknown>);
      if (!why) continue;
      const at = el.position?.start;
      report(block.line + (at ? at.line - 1 : 0), at && at.line > 1 ? at.column : block.column + (at ? at.column - 1 : 0), why);
    }
  }
  // The page holds the blocks one after another, and a browser parses them so: an
  // <svg> or an open attribute in one block changes what the next one means.
  if (f.html.length > 1) {
    const starts: number[] = [];
    let joined = '';
    for (const block of f.html) {
      starts.push(joined.split('\n').length);
      joined += `${block.value}\n`;
    }
    for (const el of elements(joined)) {
      const why = unsafeElement(el.tagName, el.properties as Record<string, unknown>);
      const at = el.position?.start;
      if (!why || !at) continue;
      const index = starts.findLastIndex((s) => s <= at.line);
      const block = f.html[Math.max(0, index)];
      report(block.line + at.line - starts[Math.max(0, index)], at.line === starts[Math.max(0, index)] ? block.column + at.column - 1 : at.column, why);
    }
  }
  for (const link of f.links) {
    const why = unsafeUrl(link.url, link.image ? 'img' : 'a');
    if (why && !link.html) out.push({ file: f.file, line: link.line, column: link.column, message: `Unsafe ${link.image ? 'image' : 'link'} ${JSON.stringify(link.url.slice(0, 60))}: ${why}` });
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
    // A standalone SVG is read as XML: elements and attributes may carry any namespace prefix.
    const el = (name: string) => new RegExp(`<([\\w.-]+:)?${name}\\b`, 'i').test(text);
    const why = el('script') ? 'it holds a <script>' : /\s([\w.-]+:)?on[a-z]+\s*=/i.test(text) ? 'it has an event handler' : /(java|vb)script\s*:|data\s*:\s*text\/html/i.test(text.replace(/&#x?[0-9a-f]+;?|\s/gi, '')) ? 'it links to script' : el('foreignObject') ? 'it embeds HTML (<foreignObject>)' : el('(animate|set)') ? 'it animates attributes (an href can become script)' : undefined;
    return why ? [{ file: f.file, line: link.line, column: link.column, message: `Unsafe SVG image ${JSON.stringify(link.url)}: ${why}, and the site would serve it from its own origin` }] : [];
  });
}

/** A node of the compiled MDX page's syntax tree, as far as the walk needs it. */
interface JsNode {
  type: string;
  [key: string]: unknown;
}

/**
 * The elements an MDX page really renders, read from its compiled JavaScript (so JSX
 * inside `{…}` and attributes given as expressions or spreads count): an intrinsic
 * element with an event handler, `set:html` or `dangerouslySetInnerHTML`, a URL attribute
 * that runs script or is computed, or spread attributes nothing can check.
 */
function mdxFindings(f: RunbookFacts): Finding[] {
  if (!f.mdxCode) return [];
  const { parse } = require('acorn') as typeof import('acorn');
  let ast: JsNode;
  try {
    ast = parse(f.mdxCode, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as JsNode;
  } catch {
    return [];
  }
  const out: Finding[] = [];
  const lines = sourceLines(f);
  // The compiled code keeps the page's order: each finding is looked for after the last one.
  let cursor = f.frontmatter.lineCount;
  const place = (needles: string[]) => {
    for (let i = cursor; i < lines.length; i++) {
      const col = Math.min(...needles.map((n) => lines[i].indexOf(n)).filter((c) => c !== -1));
      if (Number.isFinite(col)) {
        cursor = i + 1;
        return { line: i + 1, column: col + 1 };
      }
    }
    return { line: cursor + 1, column: 1 };
  };
  const element = (callee: unknown): string | undefined => {
    const c = callee as JsNode | undefined;
    if (c?.type === 'Literal' && typeof c.value === 'string') return c.value;
    // `_components.p`: Markdown's own elements, and intrinsic tags MDX lets a page override.
    if (c?.type === 'MemberExpression' && (c.object as JsNode)?.type === 'Identifier' && ((c.object as JsNode).name as string) === '_components') {
      const name = (c.property as JsNode)?.name as string | undefined;
      return name && /^[a-z]/.test(name) ? name : undefined;
    }
    return undefined;
  };
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as JsNode;
    if (n.type === 'CallExpression' && /^_jsxs?$|^_jsxDEV$/.test(((n.callee as JsNode)?.name as string) ?? '')) {
      const [tagArg, given] = n.arguments as JsNode[];
      const tag = element(tagArg);
      // Spread attributes compile to Object.assign({…}, {…}): literal objects are checked as one, anything else cannot be.
      const parts = given?.type === 'ObjectExpression' ? [given] : given?.type === 'CallExpression' && ((given.callee as JsNode)?.property as JsNode)?.name === 'assign' ? (given.arguments as JsNode[]) : [given];
      const props = parts.every((p) => p?.type === 'ObjectExpression') ? ({ type: 'ObjectExpression', properties: parts.flatMap((p) => p.properties as JsNode[]) } as JsNode) : ({ type: 'ObjectExpression', properties: [{ type: 'SpreadElement' }] } as JsNode);
      if (tag && given) {
        const problem = elementProblem(tag, props);
        if (problem) out.push({ file: f.file, ...place([problem.attribute ?? `<${tag}`]), message: `Unsafe JSX: ${problem.why}` });
      }
    }
    for (const [key, value] of Object.entries(n)) if (key !== 'type' && value && typeof value === 'object') walk(value);
  };
  walk(ast);
  return out;
}

/** What is unsafe about an intrinsic element with these compiled props, and the attribute that says so. */
function elementProblem(tag: string, props: JsNode): { why: string; attribute?: string } | undefined {
  const literal: Record<string, string> = {};
  for (const p of props.properties as JsNode[]) {
    if (p.type === 'SpreadElement') return { why: `spread attributes on <${tag}> cannot be checked`, attribute: '{...' };
    const key = p.key as JsNode;
    const name = (key.type === 'Identifier' ? key.name : key.value) as string;
    if (name === 'children') continue;
    if (/^on/i.test(name) || name === 'dangerouslySetInnerHTML' || name === 'set:html') return { why: `the ${name} attribute on <${tag}> can run script`, attribute: name };
    const value = p.value as JsNode;
    if (value.type === 'Literal') literal[name] = String(value.value);
    else if (/^(href|src|action|formaction|xlinkhref|xlink:href|srcset|srcdoc|data|poster|values|to|from|by)$/i.test(name)) return { why: `the ${name} of <${tag}> is computed, so it cannot be checked`, attribute: `${name}=` };
  }
  const why = unsafeElement(tag, literal);
  return why ? { why } : undefined;
}

/** The page's lines, for placing what the compiled code found. */
function sourceLines(f: RunbookFacts): string[] {
  return f.mdxSource?.split('\n') ?? [];
}
