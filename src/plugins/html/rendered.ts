import { createRequire } from 'node:module';
import type { Element, Nodes, Root } from 'hast';
import type { DefaultTreeAdapterMap } from 'parse5';
import type { Schema } from 'hast-util-sanitize';
import { BODY_SCHEMA, guarded, lineColumn, type Refusal, refusals, rootAttributeRefusals } from './policy.ts';

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

const HTML_NS = 'http://www.w3.org/1999/xhtml';
const SVG_NS = 'http://www.w3.org/2000/svg';

/** A parse5 node as this scan reads it: parse5's own tree (no hast yet). */
type P5 = DefaultTreeAdapterMap['node'];
type P5Element = DefaultTreeAdapterMap['element'];
const isElement = (n: P5): n is P5Element => 'tagName' in n;
const childrenOf = (n: P5): P5[] => ('childNodes' in n ? n.childNodes : []);

/**
 * What the site's own policy refuses in a built page's body, the last line of defence
 * against a parser that sees a page differently from the browser. The body is Starlight's
 * `.sl-markdown-content` and whatever follows it to the end of the page (markup that closes
 * the content early stays in the region; the template's own footer passes the same
 * policy). Two reads, both parse5 (linear) as a browser parses: the fast one
 * ({@link cleanInContext}) parses from the body on and can only say clean; the whole-page
 * one decides everything else and gives the line. Walks use explicit stacks; the only
 * patterns over the page are literal searches and the shape of a `<select>` tag.
 * Returns why, or undefined.
 */
export function scriptInBody(page: string): string | undefined {
  // The cheap look first: a page without Starlight's content element has no body to judge.
  if (!page.includes('sl-markdown-content')) return undefined;
  if (cleanInContext(page)) return undefined;
  return scriptInWholePage(page);
}

/**
 * {@link scriptInBody} by the whole page's parse alone, which every refusal comes from
 * (exported for the test that holds the fast read to it). Only the region's subtrees, and
 * the page's own `<html>` and `<body>` without their children, become hast for the
 * sanitizer: the sidebar and header are never converted.
 */
export function scriptInWholePage(page: string): string | undefined {
  if (!page.includes('sl-markdown-content')) return undefined;
  const { parse } = require('parse5') as typeof import('parse5');
  const { fromParse5 } = require('hast-util-from-parse5') as typeof import('hast-util-from-parse5');
  const { VFile } = require('vfile') as typeof import('vfile');
  const first = guarded(() => {
    // As hast-util-from-html parses (the check's parser): positions kept, <noscript> read as markup.
    const document = parse(page, { sourceCodeLocationInfo: true, scriptingEnabled: false });
    const file = new VFile(page);
    const hast = (node: P5Element) =>
      fromParse5(node, { file, space: node.namespaceURI === SVG_NS ? 'svg' : 'html' }) as Element;
    const regions = regionRoots(document);
    const found = regions
      .map((root) => refusals(withTemplateContent(hast(root)), RENDERED_SCHEMA)[0])
      .filter((r) => r !== undefined);
    const select = oddSelect(page, Math.max(0, page.indexOf('sl-markdown-content')));
    if (select) found.push(select);
    // A stray <html> or <body> tag in the body gives its attributes to the page's own.
    const html = childrenOf(document).find((c): c is P5Element => isElement(c) && c.tagName === 'html');
    const body = html && childrenOf(html).find((c): c is P5Element => isElement(c) && c.tagName === 'body');
    const bare = (el: P5Element): Element => ({ ...hast({ ...el, childNodes: [] }), children: [] });
    const roots: Root = {
      type: 'root',
      children: html ? [{ ...bare(html), children: body ? [bare(body)] : [] }] : [],
    };
    return [...found, ...rootAttributeRefusals(roots, ROOT_ATTRIBUTES)];
  })[0];
  return first ? `${first.why}${first.line ? ` (page line ${first.line})` : ''}` : undefined;
}

/** The longest start tag of a `<select>` or `<option>` read: the site's own are a few dozen characters. */
const MAX_TAG = 2000;
/** A `<select>` or `<option>` start tag with plain attributes: names, and double-quoted values without markup. */
const PLAIN_TAG = /^<(?:select|option)(?:[\t\n\f\r ]+[a-z][a-z0-9-]*(?:="[^"<>]*")?)*[\t\n\f\r ]*>$/i;

/**
 * Every `<select>` from the body onward must be what the site writes (its variables form,
 * Starlight's theme picker): plain `<option>`s with text, then `</select>`. Browsers no
 * longer agree on the rest: parse5 drops any markup inside a `<select>` but options,
 * while Chromium's customisable-select parser keeps it (an `<img onerror>` there runs),
 * with raw-text and foreign elements of its own. Bytes of this shape hold no other tag,
 * so every parser reads them alike. Found by the text `<select` in any case, so a select
 * no parser sees is held to the shape too. Returns the refusal, at the select's line.
 */
function oddSelect(page: string, from: number): Refusal | undefined {
  for (const match of page.slice(from).matchAll(/<select(?=[\t\n\f\r />])/gi)) {
    const start = from + match.index;
    let at = start;
    const tag = (): boolean => {
      const end = page.indexOf('>', at);
      if (end === -1 || end - at > MAX_TAG || !PLAIN_TAG.test(page.slice(at, end + 1))) return false;
      at = end + 1;
      return true;
    };
    const skipSpace = () => {
      while (at < page.length && '\t\n\f\r '.includes(page[at])) at++;
    };
    const closes = (name: string) => {
      const ok = page.slice(at, at + name.length).toLowerCase() === name;
      if (ok) at += name.length;
      return ok;
    };
    let plain = tag();
    while (plain) {
      skipSpace();
      if (closes('</select>')) break;
      if (page.slice(at, at + 7).toLowerCase() !== '<option' || !tag()) plain = false;
      else {
        const text = page.indexOf('<', at);
        at = text === -1 ? page.length : text;
        plain = closes('</option>');
      }
    }
    if (!plain)
      return {
        ...lineColumn(page, start),
        tag: 'select',
        why: 'a <select> holding more than plain options (browsers disagree on what markup inside one means, and Chromium runs it)',
      };
  }
  return undefined;
}

/**
 * `tree` with each `<template>`'s content moved among its children, where the sanitizer
 * judges it: hast keeps that content apart, so it was never looked at. Inert until a
 * script clones it, but a body has no business holding what the policy refuses there.
 */
function withTemplateContent(tree: Element): Element {
  const stack: Nodes[] = [tree];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'element' && n.tagName === 'template' && n.content) {
      n.children.push(...(n.content.children as Element['children']));
      n.content = undefined;
    }
    if ('children' in n) for (const c of n.children) stack.push(c);
  }
  return tree;
}

/** How Starlight's page template opens the runbook body (`.sl-markdown-content`), byte for byte. */
const CONTENT_OPEN = '<div class="sl-markdown-content">';
/** How it closes it: the body's `</div>`, then its footer (Starlight's `<footer class="sl-flex …">`). */
const CONTENT_CLOSE = '</div><footer class="sl-flex';
/** What follows the footer: one end tag per element the template holds open around the body, then the page's own. */
const TEMPLATE_END = /^(?:<\/(?:div|main)>)*<\/body><\/html>\s*$/;

/**
 * The elements the template holds open around the body (outermost first, under
 * `<body>`): read from the end tags after its footer, which close exactly those. Only
 * `<div>` and `<main>`, which the parser consults for nothing but their names; anything
 * else (another layout), undefined.
 */
function templateChain(page: string): string[] | undefined {
  const footerEnd = page.lastIndexOf('</footer>');
  if (footerEnd === -1) return undefined;
  const after = page.slice(footerEnd + '</footer>'.length);
  const footer = page.lastIndexOf('<footer class="sl-flex', footerEnd);
  if (!TEMPLATE_END.test(after) || footer === -1 || !page.startsWith(CONTENT_CLOSE, footer - '</div>'.length))
    return undefined;
  return after
    .slice(0, after.indexOf('</body>'))
    .split('>')
    .filter(Boolean)
    .map((tag) => tag.slice(2))
    .reverse();
}

/**
 * The fast read, which can only say "clean": the page from just after the template's
 * content element to its end, behind a stand-in for everything before it that leaves the
 * parser in the same state (a no-quirks document, text in `<body>`, then the same chain of
 * `<div>`s and `<main>` the template holds open, read from its closing tags), parsed
 * without source positions. The parser consults the open elements by name only (an end
 * tag for one of them closes any foreign content above it), so the body and everything
 * after it parse as in the page; the template's own text is escaped and leaves nothing
 * open. `tests/hostile/html-policy.test.ts` holds the two reads to the same verdict on
 * generated bodies, and a build test holds the chain to the whole page's. A page where
 * this cannot be said takes the whole-page read: the opening found other than exactly
 * once, another layout, a `<html`/`<body` tag in the body (the page's own roots would
 * take its attributes) or a `<select>` (held to a plain shape by the whole-page read).
 * Anything refused is judged again by the whole-page read, which reports it with its line.
 */
function cleanInContext(page: string): boolean {
  const source = standInSource(page);
  if (source === undefined) return false;
  const { parse } = require('parse5') as typeof import('parse5');
  const { fromParse5 } = require('hast-util-from-parse5') as typeof import('hast-util-from-parse5');
  return (
    guarded(() => {
      const document = parse(source, { scriptingEnabled: false });
      return regionRoots(document).flatMap((root) => {
        const tree = withTemplateContent(
          fromParse5(root, { space: root.namespaceURI === SVG_NS ? 'svg' : 'html' }) as Element,
        );
        // The sanitizer keeps positions, by which refusals() pairs each element with its
        // sanitized self: a running number per element stands in for the source offset.
        let offset = 0;
        const stack: Nodes[] = [tree];
        while (stack.length) {
          const n = stack.pop()!;
          if (n.type === 'element') {
            const point = { line: 1, column: 1, offset: offset++ };
            n.position = { start: point, end: point };
          }
          if ('children' in n) for (const c of n.children) stack.push(c);
        }
        return refusals(tree, RENDERED_SCHEMA);
      });
    }).length === 0
  );
}

/** The document the fast read parses in place of `page`, or undefined where it does not apply. */
function standInSource(page: string): string | undefined {
  const at = page.indexOf(CONTENT_OPEN);
  if (at === -1 || page.includes(CONTENT_OPEN, at + 1)) return undefined;
  const rest = page.slice(at + CONTENT_OPEN.length);
  const chain = templateChain(page);
  if (!chain || /<(?:html|body|select)/i.test(rest)) return undefined;
  return `<!DOCTYPE html><html><head></head><body>.${chain.map((name) => `<${name}>`).join('')}${CONTENT_OPEN}${rest}`;
}

/**
 * The two reads of `page` side by side, for the build test that holds them equal: the
 * chain {@link templateChain} reads against the one the whole page's parse finds, and the
 * body region as each read's parser builds it (serialized; `fast` undefined where the fast
 * read does not apply).
 */
export function readsOf(page: string): {
  read: string[] | undefined;
  parsed: string[];
  fast: string | undefined;
  whole: string;
} {
  const { parse, serializeOuter } = require('parse5') as typeof import('parse5');
  const region = (document: P5) =>
    regionRoots(document)
      .map((root) => serializeOuter(root))
      .join('');
  const source = standInSource(page);
  const document = parse(page, { scriptingEnabled: false });
  // The region's first root is the content element.
  const parsed: string[] = [];
  let up = regionRoots(document)[0]?.parentNode;
  while (up && 'tagName' in up) {
    if (up.tagName !== 'body' && up.tagName !== 'html') parsed.unshift(up.tagName);
    up = up.parentNode;
  }
  return {
    read: templateChain(page),
    parsed,
    fast: source === undefined ? undefined : region(parse(source, { scriptingEnabled: false })),
    whole: region(document),
  };
}

const isContent = (el: P5Element) =>
  el.tagName === 'div' &&
  el.namespaceURI === HTML_NS &&
  el.attrs.some((a) => a.name === 'class' && a.value.split(/[ \t\n\f\r]+/).includes('sl-markdown-content'));

/**
 * The subtrees that make up the body region, in document order: the content element, then
 * every element after it to the end of the document. Not only up to the page's footer: a
 * `<footer>` the body itself produced would end the region early and hide what follows it.
 */
function regionRoots(tree: P5): P5Element[] {
  const roots: P5Element[] = [];
  let inRegion = false;
  const walk: P5[] = [tree];
  while (walk.length) {
    const n = walk.pop()!;
    if (isElement(n) && (inRegion || isContent(n))) {
      inRegion = true;
      roots.push(n);
      continue;
    }
    const children = childrenOf(n);
    for (let i = children.length - 1; i >= 0; i--) walk.push(children[i]);
  }
  return roots;
}
