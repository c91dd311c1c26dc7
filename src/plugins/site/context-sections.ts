import type { Element, ElementContent, Root, RootContent } from 'hast';
import type { HastPluginInput } from 'satteri';

// The reading before the first command ("When to use this", "Meaning", "Impact") folds on a
// phone, so the first command is on the first screen; on a desktop it stays open (styles/
// runbooks.css shows a closed section's content there, without a script or a layout shift).
// The text stays in the page for search, find-in-page (which opens it) and print.

/** What a context section may hold: reading, not doing (no command, numbered steps, callout or table). */
const READING = new Set(['p', 'ul', 'blockquote', 'hr']);

/**
 * Headings that name context rather than steps, as runbooks write them (ours: "When to use
 * this"; the OpenShift and Kubernetes style: "Meaning", "Impact"; others: "Overview",
 * "Symptoms"). A name, not just the shape: a reference page of prose sections (the incident
 * roles) is the content itself, never folded.
 */
const CONTEXT_HEADING =
  /^(when to use( (this|it|this (page|runbook)))?|meaning|impact|overview|context|background|symptoms?|summary|about( this (page|runbook))?|description|alert description|purpose|scope)$/i;

const isElement = (node: RootContent | ElementContent): node is Element => node.type === 'element';
const isBlank = (node: RootContent | ElementContent) =>
  node.type === 'comment' || (node.type === 'text' && node.value.trim() === '');

/** An element's classes, as either processor gives them (a list, or a `class` string). */
function classes(node: Element): string[] {
  const value = node.properties.className ?? node.properties.class;
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : [];
}

/** A second-level heading as written, or as Starlight wraps it with its anchor link. */
function isH2(node: RootContent | ElementContent): node is Element {
  if (!isElement(node)) return false;
  if (node.tagName === 'h2') return true;
  const cls = classes(node);
  return cls.includes('sl-heading-wrapper') && cls.includes('level-h2');
}

/** Whether the node is or holds a command: any code block, a run block or its framed output. */
function holdsCommand(node: RootContent | ElementContent): boolean {
  if (!isElement(node)) return false;
  if (node.tagName === 'pre' || classes(node).some((c) => c.startsWith('rb-snippet'))) return true;
  return node.children.some(holdsCommand);
}

/** A checklist (a GFM task list) is steps to tick, not reading. */
function isTaskList(node: Element): boolean {
  return classes(node).includes('contains-task-list');
}

/** A heading's text, for the fold button's accessible name. */
function textOf(node: RootContent | ElementContent): string {
  if (node.type === 'text') return node.value;
  return 'children' in node ? node.children.map(textOf).join('') : '';
}

const el = (tagName: string, properties: Element['properties'], children: ElementContent[]): Element => ({
  type: 'element',
  tagName,
  properties,
  children,
});

/** One context section: its heading, then its body in a `<details>` whose summary says "Show" (on a phone). */
function fold(heading: Element, body: RootContent[]): Element {
  const summary = el('summary', { dataPagefindIgnore: '' }, [
    el('span', { className: ['rb-context__show'] }, [{ type: 'text', value: 'Show' }]),
    el('span', { className: ['rb-context__hide'] }, [{ type: 'text', value: 'Hide' }]),
    el('span', { className: ['sr-only'] }, [{ type: 'text', value: ` “${textOf(heading).trim()}”` }]),
  ]);
  return el('div', { className: ['rb-context'] }, [
    heading,
    el('details', { className: ['rb-context__body'] }, [summary, ...(body as ElementContent[])]),
  ]);
}

/**
 * The page's top-level nodes with its leading context sections folded, or undefined when
 * there is nothing to fold. A context section is a second-level heading that names context
 * (CONTEXT_HEADING) with only reading under it (paragraphs, bullet lists, quotes); the run
 * of them from the top of the page ends at the first section that is not, and folds only
 * when a command follows it. The page's opening lines before its first heading stay as they are.
 */
export function foldContextSections(children: RootContent[]): RootContent[] | undefined {
  const first = children.findIndex(isH2);
  if (first < 0 || children.slice(0, first).some(holdsCommand)) return undefined;
  const folded: RootContent[] = children.slice(0, first);
  let i = first;
  while (i < children.length && isH2(children[i])) {
    let end = i + 1;
    while (end < children.length && !isH2(children[end])) end++;
    const body = children.slice(i + 1, end);
    const elements = body.filter((n) => !isBlank(n));
    const reading =
      elements.length > 0 &&
      elements.every((n) => isElement(n) && READING.has(n.tagName) && !isTaskList(n)) &&
      !elements.some(holdsCommand);
    if (!reading || !CONTEXT_HEADING.test(textOf(children[i]).trim())) break;
    folded.push(fold(children[i] as Element, body));
    i = end;
  }
  if (i === first || !children.slice(i).some(holdsCommand)) return undefined;
  return [...folded, ...children.slice(i)];
}

/** The rehype plugin, for sites on `unified()`. */
export function rehypeContextSections() {
  return (tree: Root) => {
    const children = foldContextSections(tree.children);
    if (children) tree.children = children;
  };
}

/** The same pass for sites on Sätteri: once per document, over the whole tree. */
export function satteriContextSections(): HastPluginInput {
  return {
    name: 'runbooks-context-sections',
    after(root, ctx) {
      const children = foldContextSections(root.children);
      if (children) ctx.replaceNode(root, { type: 'root', children });
    },
  };
}
