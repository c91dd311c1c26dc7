/**
 * The one HTML policy: what raw HTML a runbook may put on the team's incident site.
 * Runbooks arrive through pull requests, so raw HTML (and JSX in MDX, and SVG files the
 * site serves) is untrusted. The decision is an allow-list kept by a maintained sanitizer
 * (hast-util-sanitize, GitHub's schema as the base): a fragment is allowed when sanitizing
 * it changes nothing. What the sanitizer would drop is the finding, with its position.
 *
 * Decided on purpose:
 * - No `class`, `style` or `data-*` in raw HTML: our run blocks, variables form and
 *   checklists are found by their classes and data attributes (`rb-snippet`, `data-code`,
 *   `data-rb-vars`…), Starlight's by `sl-*`; a body that could set them could imitate
 *   them. `style` can overlay the page's own controls.
 * - `id` (and `name` on `<a>`) stay, because a runbook links to its own steps, but only as
 *   a plain slug outside the site's namespaces (`rb-`, `qj-`, `var-`, `sl-`, `starlight`,
 *   `ec-`, `user-content-`): a body cannot take an id our scripts or GFM look up.
 * - GFM's own markup (task-list and footnote classes with exactly those values, a disabled
 *   checkbox, `language-*` on code) stays allowed: Markdown produces it, and MDX compiles
 *   it to the same JSX a hand-written element becomes.
 * - No forms, inputs other than GFM's checkbox, `tabindex` or `accesskey`: nothing in a
 *   body takes focus or keys away from the page's own controls.
 * - Links: http, https, mailto, tel and relative; images: http, https, relative, and
 *   inline raster `data:image/…` (an SVG data: URL can carry script). No `srcset`
 *   (`<picture>`/`<source>` are left out), so every URL goes through the same check.
 */
import { createRequire } from 'node:module';
import type { Element, Nodes, Properties, Root } from 'hast';
import type { Schema } from 'hast-util-sanitize';

// The sanitizer and the HTML parser load only when a page holds something to decide.
const require = createRequire(import.meta.url);
const lib = () => require('hast-util-sanitize') as typeof import('hast-util-sanitize');

/** An anchor a body may define: a plain slug, not in one of the site's own namespaces. */
const ANCHOR = /^(?!(?:rb|qj|var|sl|ec|user-content)-|starlight|_top$)[\p{L}\p{N}][\p{L}\p{N}_.-]*$/u;

/** Attributes any allowed body element may carry. */
const COMMON: NonNullable<Schema['attributes']>[string] = [
  'title',
  'lang',
  'dir',
  'align',
  'ariaLabel',
  'ariaHidden',
  ['id', ANCHOR],
];

/** Inline raster images only: a `data:image/svg+xml` URL is a document that can run script. */
const IMAGE_URL = /^(?!data:)|^data:image\/(?:png|gif|jpe?g|webp|avif)[;,]/i;

/** Schemes a link may use (a relative URL has none and is always fine); `hxxps:` is the defanged notation of incident notes, inert in a browser. */
export const LINK_PROTOCOLS = ['http', 'https', 'mailto', 'tel', 'hxxp', 'hxxps'];

/** The allow-list for HTML in a runbook body (Markdown raw HTML and MDX JSX alike). */
export const BODY_SCHEMA: Schema = {
  allowComments: true,
  allowDoctypes: false,
  clobber: [],
  clobberPrefix: '',
  ancestors: {
    tbody: ['table'],
    td: ['table'],
    th: ['table'],
    thead: ['table'],
    tfoot: ['table'],
    tr: ['table'],
    caption: ['table'],
    col: ['table'],
    colgroup: ['table'],
  },
  tagNames: [
    'a',
    'abbr',
    'b',
    'blockquote',
    'br',
    'caption',
    'code',
    'col',
    'colgroup',
    'dd',
    'del',
    'details',
    'div',
    'dl',
    'dt',
    'em',
    'figcaption',
    'figure',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'hr',
    'i',
    'img',
    'input',
    'ins',
    'kbd',
    'li',
    'mark',
    'ol',
    'p',
    'pre',
    'q',
    'rp',
    'rt',
    'ruby',
    's',
    'samp',
    'section',
    'small',
    'span',
    'strike',
    'strong',
    'sub',
    'summary',
    'sup',
    'table',
    'tbody',
    'td',
    'tfoot',
    'th',
    'thead',
    'time',
    'tr',
    'tt',
    'u',
    'ul',
    'var',
    'wbr',
  ],
  attributes: {
    '*': COMMON,
    // GFM footnotes: their ids carry GFM's own `user-content-` prefix, never one of ours.
    a: [
      'href',
      'hrefLang',
      ['name', ANCHOR],
      'dataFootnoteBackref',
      'dataFootnoteRef',
      ['className', 'data-footnote-backref'],
      ['id', /^user-content-fnref-[\w-]+$/],
      ['ariaDescribedBy', 'footnote-label'],
    ],
    abbr: ['title'],
    blockquote: ['cite'],
    q: ['cite'],
    del: ['cite', 'dateTime'],
    ins: ['cite', 'dateTime'],
    time: ['dateTime'],
    code: [['className', /^language-[\w+#.-]+$/]],
    details: ['open'],
    // decoding and loading are hints Astro's image service also writes on every optimised image.
    img: [['src', IMAGE_URL], 'alt', 'width', 'height', 'loading', 'decoding'],
    input: [
      ['type', 'checkbox'],
      ['disabled', true],
      ['checked', true],
    ],
    li: [['className', 'task-list-item'], 'value', ['id', /^user-content-fn-[\w-]+$/]],
    ol: ['start', 'reversed', ['className', 'contains-task-list']],
    ul: [['className', 'contains-task-list']],
    section: ['dataFootnotes', ['className', 'footnotes']],
    h2: [
      ['className', 'sr-only'],
      ['id', 'footnote-label'],
    ],
    table: ['summary'],
    td: ['colSpan', 'rowSpan', 'headers', 'vAlign'],
    th: ['colSpan', 'rowSpan', 'headers', 'scope', 'abbr', 'vAlign'],
    col: ['span', 'width'],
    colgroup: ['span', 'width'],
  },
  protocols: { href: LINK_PROTOCOLS, src: ['http', 'https', 'data'], cite: ['http', 'https'] },
  // GFM's checkbox is always disabled: a body cannot make a control.
  required: { input: { type: 'checkbox', disabled: true } },
  strip: ['script', 'style'],
};

/** SVG presentation attributes (hast property names): how a shape looks, nothing that loads or runs. */
const SVG_PRESENTATION = [
  'fill',
  'fillOpacity',
  'fillRule',
  'stroke',
  'strokeWidth',
  'strokeOpacity',
  'strokeLinecap',
  'strokeLinejoin',
  'strokeDasharray',
  'strokeDashoffset',
  'strokeMiterlimit',
  'opacity',
  'transform',
  'color',
  'display',
  'visibility',
  'fontFamily',
  'fontSize',
  'fontWeight',
  'fontStyle',
  'textAnchor',
  'dominantBaseline',
  'alignmentBaseline',
  'letterSpacing',
  'stopColor',
  'stopOpacity',
  'clipRule',
  'vectorEffect',
  'shapeRendering',
  'textRendering',
  'markerStart',
  'markerMid',
  'markerEnd',
  'clipPath',
  'mask',
  'filter',
  'id',
  'className',
  'lang',
  'xmlLang',
  'xmlSpace',
  'style',
];

/** Geometry of the shapes and gradients. */
const SVG_GEOMETRY: NonNullable<Schema['attributes']>[string] = [
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'fx',
  'fy',
  'width',
  'height',
  'd',
  'points',
  'pathLength',
  'dx',
  'dy',
  'rotate',
  'textLength',
  'lengthAdjust',
  'offset',
  'gradientUnits',
  'gradientTransform',
  'spreadMethod',
  'patternUnits',
  'patternContentUnits',
  'patternTransform',
  'clipPathUnits',
  'maskUnits',
  'maskContentUnits',
  'viewBox',
  'preserveAspectRatio',
  'markerWidth',
  'markerHeight',
  'refX',
  'refY',
  'orient',
  'markerUnits',
  'stdDeviation',
  'in',
  'in2',
  'result',
  'mode',
  'operator',
  'values',
  'type',
  'version',
  'baseProfile',
  ['xmlns', 'http://www.w3.org/2000/svg'],
  ['xmlnsXLink', 'http://www.w3.org/1999/xlink'],
  'role',
  'ariaLabel',
  'ariaHidden',
  'focusable',
];

/**
 * The allow-list for an SVG file the site serves: shapes, paths, text, gradients,
 * markers, patterns, simple filters, presentation attributes and CSS (diagram tools write
 * `<style>`; CSS runs no script). No script, no foreignObject, no animate/set (they can
 * turn an href into script), no event handlers, and `href` only to a fragment of the file.
 */
export const SVG_SCHEMA: Schema = {
  allowComments: true,
  allowDoctypes: true,
  clobber: [],
  clobberPrefix: '',
  tagNames: [
    'svg',
    'style',
    'g',
    'defs',
    'symbol',
    'use',
    'title',
    'desc',
    'metadata',
    'path',
    'rect',
    'circle',
    'ellipse',
    'line',
    'polyline',
    'polygon',
    'text',
    'tspan',
    'textPath',
    'linearGradient',
    'radialGradient',
    'stop',
    'pattern',
    'clipPath',
    'mask',
    'marker',
    'filter',
    'feGaussianBlur',
    'feOffset',
    'feBlend',
    'feFlood',
    'feComposite',
    'feMerge',
    'feMergeNode',
    'feColorMatrix',
    'feDropShadow',
  ],
  attributes: {
    '*': [...SVG_PRESENTATION, ...SVG_GEOMETRY],
    use: [
      ['href', /^#/],
      ['xLinkHref', /^#/],
    ],
    textPath: [
      ['href', /^#/],
      ['xLinkHref', /^#/],
    ],
    linearGradient: [
      ['href', /^#/],
      ['xLinkHref', /^#/],
    ],
    radialGradient: [
      ['href', /^#/],
      ['xLinkHref', /^#/],
    ],
    pattern: [
      ['href', /^#/],
      ['xLinkHref', /^#/],
    ],
  },
  protocols: {},
  required: {},
  strip: ['script', 'foreignObject'],
};

/** What the policy dropped first from one element: the element itself, or one of its attributes. */
export interface Refusal {
  /** Where the parser met the element (1-based), when it knows. */
  line?: number;
  column?: number;
  /** The element as the parser named it. */
  tag: string;
  /** The attribute (hast property name) the policy dropped, when the element itself stays. */
  attribute?: string;
  /** Why, in words for the author. */
  why: string;
}

/** The key that finds an element again after sanitizing: the sanitizer keeps positions. */
const keyOf = (el: Element) =>
  el.position?.start.offset !== undefined ? `${el.position.start.offset}:${el.tagName}` : undefined;

/**
 * Everything `schema` would drop from `tree`, in document order, one entry per element
 * (its first dropped attribute, or the element itself, whose content then goes with it).
 * Empty: the tree is allowed, sanitizing it changes nothing.
 */
export function refusals(tree: Root | Element, schema: Schema): Refusal[] {
  const clean = lib().sanitize(tree, schema);
  const kept = new Map<string, Element>();
  const index = (node: Nodes) => {
    // An explicit stack: deep nesting must not overflow ours (the sanitizer's own recursion is bounded by the parsers' depth limits upstream).
    const stack: Nodes[] = [node];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'element') {
        const k = keyOf(n);
        if (k) kept.set(k, n);
      }
      if ('children' in n) for (const c of n.children) stack.push(c);
    }
  };
  index(clean);
  const out: Refusal[] = [];
  const stack: Nodes[] = [tree];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'element') {
      const at = n.position?.start;
      const place = { line: at?.line, column: at?.column, tag: n.tagName };
      const k = keyOf(n);
      const same = k ? kept.get(k) : undefined;
      // An element the parser made up (no position: a tbody it inserted, a formatting element it
      // reopened with the original's attributes) is judged alone, by the same sanitizer.
      const alone = k ? undefined : lib().sanitize({ ...n, children: [] }, { ...schema, ancestors: {} });
      const allowed = same ?? (alone?.type === 'element' && alone.tagName === n.tagName ? alone : undefined);
      if (!allowed) {
        // Its content is judged with it: one finding for the element, not one per descendant.
        out.push({ ...place, why: elementWhy(n.tagName) });
        continue;
      } else {
        const dropped = droppedAttribute(n.properties, allowed.properties);
        // The sanitizer adds a required attribute that is missing: to the check, that is a change too.
        const missing = Object.keys(schema.required?.[n.tagName] ?? {}).find(
          (k) => n.properties[k] === undefined || n.properties[k] === null,
        );
        if (dropped)
          out.push({ ...place, attribute: dropped, why: attributeWhy(n.tagName, dropped, n.properties[dropped]) });
        else if (missing)
          out.push({
            ...place,
            attribute: missing,
            why:
              n.tagName === 'script'
                ? "<script> runs script (only the site's own bundles may)"
                : `<${n.tagName}> without ${attributeName(missing)} is not allowed`,
          });
      }
    }
    if ('children' in n) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out;
}

/** The first property of `before` that `after` lacks or holds differently. */
function droppedAttribute(before: Properties, after: Properties): string | undefined {
  for (const [key, value] of Object.entries(before)) {
    if (value === undefined || value === null) continue;
    if (!sameValue(after[key], value)) return key;
  }
  return undefined;
}

/** Whether two hast property values are the same (a string, number, boolean or list of them). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Elements that run script or embed a document, named so in the message. */
const EMBEDS = new Set(['script', 'iframe', 'frame', 'object', 'embed', 'foreignObject']);

function elementWhy(tag: string): string {
  if (EMBEDS.has(tag)) return `<${tag}> runs script or embeds another document`;
  if (tag === 'animate' || tag === 'set') return `<${tag}> can animate an attribute into script`;
  return `<${tag}> is not on the allow-list of HTML a runbook may use`;
}

/** The attribute as an author wrote it: `onError` → `onerror`, `xLinkHref` → `xlink:href`. */
function attributeName(property: string): string {
  const { find, html } = require('property-information') as typeof import('property-information');
  return find(html, property).attribute;
}

/** A JSX or HTML attribute name as the hast property the sanitizer reads (`class` → `className`, `onClick` → `onClick`). */
export function propertyName(attribute: string): string {
  const { find, html } = require('property-information') as typeof import('property-information');
  return find(html, attribute).property;
}

function attributeWhy(tag: string, property: string, value: unknown): string {
  const name = attributeName(property);
  if (/^on/i.test(property)) return `the ${name} attribute on <${tag}> runs script`;
  const text = Array.isArray(value) ? value.join(' ') : String(value);
  const scheme = schemeOf(text);
  if (/href|src|cite|action|data|poster/i.test(property) && scheme)
    return `${name} on <${tag}>: ${schemeWhy(scheme, text)}`;
  if (property === 'className' || property === 'id' || /^data[A-Z]/.test(property))
    return `the ${name} attribute on <${tag}> is not allowed in a runbook body (it could imitate the site's own markup)`;
  return `the ${name} attribute on <${tag}> is not on the allow-list of HTML a runbook may use`;
}

/** The scheme a browser reads from a URL (it drops whitespace and controls first), lower case. */
function schemeOf(url: string): string | undefined {
  let squeezed = '';
  for (const ch of url)
    if (ch.charCodeAt(0) > 0x20 && !(ch.charCodeAt(0) >= 0x7f && ch.charCodeAt(0) <= 0x9f)) squeezed += ch;
  return /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(squeezed)?.[1].toLowerCase();
}

function schemeWhy(scheme: string, url: string): string {
  if (LINK_PROTOCOLS.includes(scheme) && !url.trimStart().startsWith(`${scheme}:`))
    return `write the ${scheme}: scheme in lower case`;
  if (LINK_PROTOCOLS.includes(scheme)) return 'this attribute may only point within the file (#id)';
  if (scheme === 'javascript' || scheme === 'vbscript') return `a ${scheme}: URL runs script`;
  if (scheme === 'data')
    return /^\s*data:image\/svg/i.test(url)
      ? 'a data: URL of an SVG can run script'
      : 'a data: URL can carry a page of its own';
  return `the ${scheme}: scheme is not allowed (links may use http, https, mailto, tel or a relative path)`;
}

/** What a parse or sanitize that ran out of stack reports: a tree too deep to judge is refused, never let through or crashed on. */
const TOO_DEEP: Refusal = {
  line: 1,
  column: 1,
  tag: '(document)',
  why: 'the markup is nested too deeply to check (the parser or sanitizer ran out of stack): flatten it',
};

/** Runs a judgement; a stack overflow (deep nesting) becomes one refusal instead of a crash. */
export function guarded(judge: () => Refusal[]): Refusal[] {
  try {
    return judge();
  } catch (error) {
    if (error instanceof RangeError) return [TOO_DEEP];
    throw error;
  }
}

/**
 * A served file read as UTF-8 that holds NUL bytes is UTF-16 (or binary) to a browser,
 * which would decode markup this check never saw: refused before any parse.
 */
function servedText(text: string, judge: () => Refusal[]): Refusal[] {
  const nul = text.indexOf('\u0000');
  if (nul !== -1)
    return [
      {
        ...lineColumn(text, nul),
        tag: '(document)',
        why: 'the file is not UTF-8 text (it holds NUL bytes, so a browser may read it as UTF-16): save it as UTF-8',
      },
    ];
  return guarded(judge);
}

/** Parses an HTML fragment as a browser does (entities decoded, case folded, SVG in its namespace). */
export function parseFragment(html: string): Root {
  const { fromHtml } = require('hast-util-from-html') as typeof import('hast-util-from-html');
  return fromHtml(html, { fragment: true });
}

/** What the body policy refuses in a raw HTML fragment, in document order. */
export function refuseHtml(html: string): Refusal[] {
  return guarded(() => [...refusals(parseFragment(html), BODY_SCHEMA), ...strayRootTags(html)]);
}

/**
 * The page's own `<html>` and `<body>` in a document tree (as parse5 always builds them).
 */
function documentRoots(tree: Root): Element[] {
  const html = tree.children.find((c): c is Element => c.type === 'element' && c.tagName === 'html');
  const body = html?.children.find((c): c is Element => c.type === 'element' && c.tagName === 'body');
  return [html, body].filter((e): e is Element => e !== undefined);
}

/**
 * The attributes on a document's own `<html>` and `<body>` beyond `allowed` (hast property
 * names; `data*` allows every data attribute). A `<html>` or `<body>` start tag met inside
 * a page's body makes no element: a browser gives its attributes to the page's own (an
 * `onload` there runs), where a parse of the body alone never shows them.
 */
export function rootAttributeRefusals(tree: Root, allowed: readonly string[]): Refusal[] {
  const out: Refusal[] = [];
  for (const el of documentRoots(tree))
    for (const [key, value] of Object.entries(el.properties)) {
      if (value === undefined || value === null || allowed.includes(key)) continue;
      if (allowed.includes('data*') && /^data[A-Z0-9]/.test(key)) continue;
      out.push({
        tag: el.tagName,
        attribute: key,
        why: `a <${el.tagName}> tag inside the page gives ${attributeName(key)} to the page's own <${el.tagName}>${/^on/i.test(key) ? ', where it runs script' : ''}`,
      });
    }
  return out;
}

/**
 * {@link rootAttributeRefusals} of a raw HTML fragment, parsed as the page parses it: inside
 * a document's body. Only a fragment that holds `<html` or `<body` (in any case) can
 * carry such a tag: no other text makes one.
 */
function strayRootTags(html: string): Refusal[] {
  if (!/<(?:html|body)/i.test(html)) return [];
  const { fromHtml } = require('hast-util-from-html') as typeof import('hast-util-from-html');
  return rootAttributeRefusals(fromHtml(`<!doctype html><html><head></head><body>${html}`), []);
}

/** What the body policy refuses in one element given as a tag and its hast properties (MDX JSX, a Markdown link). */
export function refuseElement(tag: string, properties: Properties): Refusal | undefined {
  const el: Element = {
    type: 'element',
    tagName: tag,
    properties,
    children: [],
    position: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
  };
  // One element alone has no ancestors to judge (a `<td>` of an MDX table): its name and attributes are.
  return refusals(el, { ...BODY_SCHEMA, ancestors: {} })[0];
}

/**
 * Why a Markdown link or image URL is refused, or undefined: the same protocol allow-list
 * as raw HTML (`[x](url)` is `<a href=url>`, `![x](url)` is `<img src=url>`).
 */
export function unsafeUrl(url: string, image = false): string | undefined {
  const refused = refuseElement(image ? 'img' : 'a', image ? { src: url } : { href: url });
  if (!refused) return undefined;
  const scheme = schemeOf(url);
  return scheme ? schemeWhy(scheme, url) : 'the URL is not allowed';
}

/**
 * Whether a refused link URL could load or run something in the browser (a script URL, a
 * document of its own, any image or an unreadable URL) rather than only name a scheme the
 * site does not publish (`link:https://…`, `slack:`): the first is `html-unsafe`, which no
 * baseline accepts; the second `link-scheme`, which a baseline may. The door is the same
 * allow-list either way: this only picks which finding reports what it refused.
 */
export function refusedOnlyForScheme(url: string, image = false): boolean {
  const scheme = schemeOf(url);
  return (
    !image &&
    scheme !== undefined &&
    !['javascript', 'vbscript', 'data', 'blob', 'filesystem'].includes(scheme) &&
    !LINK_PROTOCOLS.includes(scheme)
  );
}

/**
 * Markup an XML parser reads and an HTML parser does not: a DOCTYPE (its entities can
 * expand into elements this check never saw) and processing instructions other than the
 * leading `<?xml …?>` (an `xml-stylesheet` can load XSLT that runs script). The HTML
 * parser keeps both as comments or drops them, so they are refused outright.
 */
function xmlOnly(text: string, tree: Root): Refusal[] {
  const out: Refusal[] = [];
  const lower = text.toLowerCase();
  const doctype = lower.indexOf('<!doctype');
  if (doctype !== -1)
    out.push({
      ...lineColumn(text, doctype),
      tag: '!DOCTYPE',
      why: 'an SVG or XML file may not have a DOCTYPE (its entities can hide markup from this check)',
    });
  const stack: Nodes[] = [tree];
  while (stack.length) {
    const n = stack.pop()!;
    if (
      n.type === 'comment' &&
      n.value.startsWith('?') &&
      !(n.position?.start.offset === 0 && /^\?xml\s/.test(n.value))
    ) {
      out.push({
        line: n.position?.start.line,
        column: n.position?.start.column,
        tag: `<${n.value.split(/\s/)[0]}`,
        why: 'a processing instruction (an xml-stylesheet can run script) is not allowed',
      });
    }
    if ('children' in n) for (const c of n.children) stack.push(c);
  }
  return out;
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** An SVG file as the browser reads it when the site serves it, and what the SVG policy refuses in it. */
export function refuseSvg(text: string): Refusal[] {
  return servedText(text, () => svgRefusals(text));
}

function svgRefusals(text: string): Refusal[] {
  // Parsed as HTML whose content is an <svg>: element and attribute names keep their SVG case,
  // and a prefixed `<x:script>` stays an element the allow-list does not know.
  const body = text.replace(/^\uFEFF/, '');
  const tree = parseFragment(body);
  const refused = xmlOnly(body, tree);
  for (const node of tree.children) if (node.type === 'element') refused.push(...refusals(node, SVG_SCHEMA));
  return refused;
}

/** Namespaces a plain data XML file (a feed, a sitemap, an OpenSearch description) may declare. */
const DATA_NAMESPACES = [
  'http://www.sitemaps.org/schemas/sitemap/0.9',
  'http://www.w3.org/2005/Atom',
  'http://purl.org/rss/1.0/modules/content/',
  'http://a9.com/-/spec/opensearch/1.1/',
  'http://www.w3.org/XML/1998/namespace',
];

/**
 * What is refused in an XML file the site serves: with an `<svg>` root it is an SVG; any
 * other XML may declare only data namespaces (an XHTML or SVG namespace makes its elements
 * live markup), no DOCTYPE and no processing instruction.
 */
export function refuseXml(text: string): Refusal[] {
  return servedText(text, () => xmlRefusals(text));
}

function xmlRefusals(text: string): Refusal[] {
  const body = text.replace(/^\uFEFF/, '');
  const tree = parseFragment(body);
  const root = tree.children.find((c): c is Element => c.type === 'element');
  if (root?.tagName === 'svg') return refuseSvg(text);
  const { find, html } = require('property-information') as typeof import('property-information');
  const out = xmlOnly(body, tree);
  const stack: Nodes[] = [tree];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'element') {
      for (const [key, value] of Object.entries(n.properties)) {
        const attribute = find(html, key).attribute.toLowerCase();
        if ((attribute === 'xmlns' || attribute.startsWith('xmlns:')) && !DATA_NAMESPACES.includes(String(value))) {
          out.push({
            line: n.position?.start.line,
            column: n.position?.start.column,
            tag: n.tagName,
            attribute: key,
            why: `the namespace ${JSON.stringify(String(value))} is not one a data file may declare (XHTML or SVG elements would run as a page)`,
          });
        }
      }
    }
    if ('children' in n) for (const c of n.children) stack.push(c);
  }
  return out;
}

/** A whole HTML page the site serves as it is (public/): the body policy, plus a head with a title and meta tags. */
export const PAGE_SCHEMA: Schema = {
  ...BODY_SCHEMA,
  tagNames: [...(BODY_SCHEMA.tagNames ?? []), 'html', 'head', 'body', 'title', 'meta'],
  attributes: { ...BODY_SCHEMA.attributes, meta: ['charSet', 'name', 'content'] },
  allowDoctypes: true,
};

/** What is refused in an HTML file the site serves as it is. */
export function refusePage(text: string): Refusal[] {
  const { fromHtml } = require('hast-util-from-html') as typeof import('hast-util-from-html');
  return servedText(text, () => refusals(fromHtml(text), PAGE_SCHEMA));
}

/** The SVG with everything the SVG policy refuses removed, serialised again (for `runbook import`). */
export function sanitizeSvg(text: string): string {
  const { toHtml } = require('hast-util-to-html') as typeof import('hast-util-to-html');
  const tree = parseFragment(text.replace(/^\uFEFF/, ''));
  // Processing instructions (kept by the HTML parser as comments) and the DOCTYPE go; comments stay.
  const clean = lib().sanitize(tree, { ...SVG_SCHEMA, allowComments: false, allowDoctypes: false });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${toHtml(clean, { space: 'svg' }).trim()}\n`;
}
