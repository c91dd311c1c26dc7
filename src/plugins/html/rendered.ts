import { createRequire } from 'node:module';
import type { Element, Nodes, Root } from 'hast';
import type { Schema } from 'hast-util-sanitize';
import { BODY_SCHEMA, guarded, refusals, rootAttributeRefusals } from './policy.ts';

const require = createRequire(import.meta.url);

const ARIA = [
  'ariaLabel',
  'ariaLabelledBy',
  'ariaDescribedBy',
  'ariaHidden',
  'ariaLive',
  'ariaCurrent',
  'ariaExpanded',
  'ariaControls',
  'ariaSelected',
  'role',
];

/** Only the site's own bundles: a file directly under `_astro/`, below the site's base. */
const BUNDLE = /^(?:\/[^/?#]+)*\/_astro\/[^/?#]+$/;

/**
 * The body policy plus the markup the site itself renders into a page body (run blocks,
 * checklists, Starlight asides, cards and heading anchors, Expressive Code frames, icons).
 * It is used only on built pages, after the check: a runbook body cannot use what is added
 * here, because the check holds it to {@link BODY_SCHEMA}. Still no event handler, no
 * script URL, no script but the site's own bundles, no embedded document.
 */
export const RENDERED_SCHEMA: Schema = {
  ...BODY_SCHEMA,
  tagNames: [
    ...(BODY_SCHEMA.tagNames ?? []),
    'article',
    'aside',
    'button',
    'nav',
    'header',
    'footer',
    'main',
    'label',
    'select',
    'option',
    'form',
    'template',
    'svg',
    'path',
    'g',
    'circle',
    'rect',
    'line',
    'polyline',
    'polygon',
    'use',
    'title',
    'script',
    'link',
    'style',
    'starlight-tabs',
    'starlight-tabs-restore',
    'starlight-file-tree',
    'starlight-toc',
    'astro-island',
    'astro-slot',
  ],
  attributes: {
    // The body's value-limited class and id entries (GFM's) would shadow the site's own classes below.
    ...Object.fromEntries(
      Object.entries(BODY_SCHEMA.attributes ?? {}).map(([tag, defs]) => [
        tag,
        defs.filter((d) => typeof d === 'string' || (d[0] !== 'className' && d[0] !== 'id')),
      ]),
    ),
    '*': [
      ...(BODY_SCHEMA.attributes?.['*'] ?? []).filter((d) => typeof d === 'string' || d[0] !== 'id'),
      'className',
      'id',
      'style',
      'data*',
      'hidden',
      'tabIndex',
      'dir',
      ...ARIA,
    ],
    a: ['href', 'rel', 'target', 'hrefLang'],
    button: ['type', 'disabled'],
    input: ['type', 'disabled', 'checked', 'name', 'value', 'placeholder', 'autocomplete'],
    label: ['htmlFor'],
    select: ['name'],
    option: ['value', 'selected'],
    form: [['action', /^#?$/]],
    script: [
      ['src', BUNDLE],
      ['type', 'module'],
    ],
    link: [
      ['rel', 'stylesheet'],
      ['href', BUNDLE],
    ],
    svg: ['viewBox', 'width', 'height', 'fill', 'stroke', 'xmlns', 'focusable'],
    path: ['d', 'fill', 'fillRule', 'clipRule', 'stroke', 'strokeWidth', 'strokeLinecap', 'strokeLinejoin'],
    circle: ['cx', 'cy', 'r', 'fill', 'stroke'],
    rect: ['x', 'y', 'width', 'height', 'rx', 'ry', 'fill'],
  },
  // A <script> or <link> without its URL is inline code or a dangling load: refused.
  required: { script: { src: '' }, link: { href: '' } },
  ancestors: {},
};

/** What the site's templates put on a page's own `<html>` and `<body>`: language, direction, classes, data attributes. */
const ROOT_ATTRIBUTES = ['lang', 'dir', 'className', 'data*'];

/**
 * What the site's own policy refuses in a built page's body, the last line of defence
 * against a parser that sees a page differently from the browser. The body is Starlight's
 * `.sl-markdown-content` and whatever follows it up to the page footer (markup that closes
 * the content early stays in the region). The page is parsed once (parse5, linear) and
 * walked with explicit stacks; no pattern runs over the HTML. Returns why, or undefined.
 */
export function scriptInBody(page: string): string | undefined {
  // The cheap look first: a page without Starlight's content element has no body to judge.
  if (!page.includes('sl-markdown-content')) return undefined;
  const { fromHtml } = require('hast-util-from-html') as typeof import('hast-util-from-html');
  const first = guarded(() => {
    const tree = fromHtml(page);
    return [
      ...regionRoots(tree).flatMap((root) => refusals(root, RENDERED_SCHEMA).slice(0, 1)),
      // A stray <html> or <body> tag in the body gives its attributes to the page's own.
      ...rootAttributeRefusals(tree, ROOT_ATTRIBUTES),
    ];
  })[0];
  return first ? `${first.why}${first.line ? ` (page line ${first.line})` : ''}` : undefined;
}

const isContent = (el: Element) =>
  el.tagName === 'div' &&
  Array.isArray(el.properties.className) &&
  el.properties.className.includes('sl-markdown-content');

/** The largest subtrees that lie wholly inside the body region, in document order. */
function regionRoots(tree: Root): Element[] {
  // Which elements hold a footer (one pass, children before parents).
  const holdsFooter = new WeakSet<Nodes>();
  const order: Nodes[] = [];
  const stack: Nodes[] = [tree];
  while (stack.length) {
    const n = stack.pop()!;
    order.push(n);
    if ('children' in n) for (const c of n.children) stack.push(c);
  }
  const parents = new WeakMap<Nodes, Nodes>();
  for (const n of order) if ('children' in n) for (const c of n.children) parents.set(c, n);
  for (const n of order) {
    if (n.type === 'element' && n.tagName === 'footer') {
      for (let p: Nodes | undefined = n; p && !holdsFooter.has(p); p = parents.get(p)) holdsFooter.add(p);
    }
  }
  // Document order: the content element, then everything after it up to the first footer.
  const roots: Element[] = [];
  let inRegion = false;
  const walk: Nodes[] = [tree];
  while (walk.length) {
    const n = walk.pop()!;
    if (n.type === 'element') {
      if (inRegion && n.tagName === 'footer') break;
      if (!inRegion && isContent(n)) {
        inRegion = true;
        if (!holdsFooter.has(n)) {
          roots.push(n);
          continue;
        }
      } else if (inRegion && !holdsFooter.has(n)) {
        roots.push(n);
        continue;
      }
    }
    if ('children' in n) for (let i = n.children.length - 1; i >= 0; i--) walk.push(n.children[i]);
  }
  return roots;
}
