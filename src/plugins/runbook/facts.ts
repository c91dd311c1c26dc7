import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import { slug as githubSlug } from 'github-slugger';
import { markdownToHtml, mdxToJs, type MdastPluginInstance } from 'satteri';
import { type Frontmatter, opensFrontmatter, parseFrontmatter } from './frontmatter.ts';
import { type Meta, parseMeta } from './meta.ts';
import { readRepoFile, RepoPathError } from './paths.ts';
import { scanLimits } from './limits.ts';
import { lastAtOrBefore } from './text.ts';
import { hasNulBytes, placeOfBadByte } from './utf8.ts';
import { headingAnchors } from './anchors.ts';
import { isRunBlock, runMeta } from './run-meta.ts';

/** A 1-based place in a file. */
export interface Place {
  line: number;
  column: number;
}

/** A problem with the file itself, found before any Markdown is read. */
export interface FileProblem extends Place {
  kind:
    | 'unreadable'
    | 'outside-repo'
    | 'empty'
    | 'binary'
    | 'encoding'
    | 'too-large'
    | 'too-complex'
    | 'frontmatter-missing'
    | 'frontmatter-unclosed'
    | 'mdx-syntax'
    | 'mdx-import';
  detail?: string;
}

/** An inline `:severity[ID]` badge. */
export interface SeverityRef extends Place {
  id: string;
}

/** A heading and the anchor Starlight gives it. */
export interface HeadingFact extends Place {
  depth: number;
  text: string;
  slug: string;
}

/** A Markdown link, a link definition, or an image (Markdown or an HTML `<img>`). */
export interface LinkFact extends Place {
  url: string;
  /** True for images: Astro imports a relative one at build time, so it must exist. */
  image?: boolean;
  /** True for an HTML `<img>`, which Astro leaves as written: the browser resolves it against the page's URL. */
  html?: boolean;
}

/** A fenced code block with its meta parsed. */
export interface CodeFact extends Place {
  lang: string;
  meta: Meta;
  value: string;
  /** 1-based line of the block's first content line. */
  valueLine: number;
  /** Column where content lines start (indented fences shift it). */
  valueColumn: number;
}

/** A directive other than the ones that are page furniture handled elsewhere. */
export interface DirectiveFact extends Place {
  kind: 'text' | 'leaf' | 'container';
  name: string;
  label: string;
  attributes: Record<string, string>;
  /** A container directive's blocks, its `[label]` aside: what rules about its contents read. */
  blocks?: BlockFact[];
}

/** A block directly inside a container directive. */
export interface BlockFact extends Place {
  type: string;
  /** Lists: how many items are tasks (`- [ ]`), counting nested lists. */
  tasks?: number;
  /** Code blocks: the language and the text, with where the text starts. */
  lang?: string;
  /** Code blocks: the info string after the language (`run id=… safety=…`). */
  meta?: string;
  value?: string;
  valueLine?: number;
  valueColumn?: number;
}

/** Everything the rules need to know about one Markdown file, gathered in one pass. */
export interface RunbookFacts {
  /** Path relative to the project root, forward slashes. */
  file: string;
  /** Path relative to the content folder, forward slashes. */
  entry: string;
  /** The page's site path, e.g. `/services/db/db-down/`. */
  url: string;
  problems: FileProblem[];
  frontmatter: Frontmatter;
  /** Whether anything but whitespace follows the frontmatter. */
  hasBody: boolean;
  severityRefs: SeverityRef[];
  headings: HeadingFact[];
  links: LinkFact[];
  code: CodeFact[];
  directives: DirectiveFact[];
  /** Raw HTML blocks and inline HTML of the body: what the HTML policy reads. */
  html: (Place & { value: string })[];
  /** `id`s (and `<a name>`s) of raw HTML and JSX elements: anchors as much as headings are. */
  htmlIds: string[];
  /** `import … from '…'` sources in an MDX file, relative paths and packages alike. */
  esmImports: (Place & { path: string })[];
  /** An MDX page compiled to JavaScript, as the build compiles it, and its source (only when collected for the check). */
  mdxCode?: string;
  mdxSource?: string;
  /** The code an MDX page carries, as written: ESM blocks, `{…}` expressions, attribute expressions and spreads, JSX element names (what `mdx-code` judges). */
  mdxParts?: MdxPart[];
  /** Components and variables an MDX page uses but never imports or defines: the build would throw rendering it. */
  mdxUndefined: (Place & { name: string; component: boolean })[];
}

const requireFromHere = createRequire(import.meta.url);

/** One piece of code in an MDX page, at the place its text starts in the file. */
export interface MdxPart extends Place {
  kind: 'esm' | 'expression' | 'attribute' | 'spread' | 'element';
  value: string;
}

/**
 * The attributes of each start tag in raw HTML, read in one pass (a regular expression
 * with `[^>]*?\s` before the attribute backtracks quadratically on a long tag): the tag
 * name and offset, and each attribute's lower-case name, value and offset.
 */
export function startTags(
  html: string,
): { name: string; index: number; attributes: { name: string; value: string; index: number }[] }[] {
  const tags: { name: string; index: number; attributes: { name: string; value: string; index: number }[] }[] = [];
  const word = (c: string) => /[\w-]/.test(c);
  let i = html.indexOf('<');
  while (i !== -1 && i < html.length) {
    if (!/[a-zA-Z]/.test(html[i + 1] ?? '')) {
      i = html.indexOf('<', i + 1);
      continue;
    }
    let j = i + 1;
    while (j < html.length && word(html[j])) j++;
    const tag = {
      name: html.slice(i + 1, j).toLowerCase(),
      index: i,
      attributes: [] as { name: string; value: string; index: number }[],
    };
    // Attributes up to the `>` that ends the tag (quoted values may hold `>`).
    while (j < html.length && html[j] !== '>' && html[j] !== '<') {
      if (/\s|\//.test(html[j])) {
        j++;
        continue;
      }
      const at = j;
      while (j < html.length && !/[\s/>=<]/.test(html[j])) j++;
      const name = html.slice(at, j).toLowerCase();
      let k = j;
      while (k < html.length && /\s/.test(html[k])) k++;
      let value = '';
      if (html[k] === '=') {
        k++;
        while (k < html.length && /\s/.test(html[k])) k++;
        const q = html[k];
        if (q === '"' || q === "'") {
          const close = html.indexOf(q, k + 1);
          value = html.slice(k + 1, close === -1 ? html.length : close);
          k = close === -1 ? html.length : close + 1;
        } else {
          const from = k;
          while (k < html.length && !/[\s"'=<>`]/.test(html[k])) k++;
          value = html.slice(from, k);
        }
        j = k;
      }
      if (name) tag.attributes.push({ name, value, index: at });
      if (j === at) j++;
    }
    tags.push(tag);
    i = html.indexOf('<', j);
  }
  return tags;
}

/** A mdast node as far as the heading text needs it. */
interface TextNode {
  type: string;
  value?: string;
  name?: string;
  children?: TextNode[];
  position?: { start: { offset?: number }; end: { offset?: number } } | null;
}

/**
 * A heading's text as the rendered page has it, which is what Starlight slugs for its
 * anchor: raw HTML tags drop out, a `:severity[ID]` badge reads as its id and label,
 * other text directives (`09:00`) stay the text written, images add nothing.
 */
function headingText(node: TextNode, source: string, labels: ReadonlyMap<string, string>): string {
  const walk = (n: TextNode): string => {
    if (n.type === 'text' || n.type === 'inlineCode') return n.value ?? '';
    if (n.type === 'html' || n.type === 'image' || n.type === 'imageReference' || n.type === 'break') return '';
    if (n.type === 'textDirective') {
      const inner = (n.children ?? []).map(walk).join('');
      if (n.name === 'severity') return inner.trim() + (labels.get(inner.trim()) ?? '');
      const from = n.position?.start.offset;
      const to = n.position?.end.offset;
      return from !== undefined && to !== undefined ? source.slice(from, to) : inner;
    }
    return (n.children ?? []).map(walk).join('');
  };
  return (node.children ?? []).map(walk).join('');
}

/** The site path Astro's glob loader gives `entry` (github-slugged segments, no `index`, in NFC as Starlight publishes it). */
export function entryUrl(entry: string, slugOverride?: unknown): string {
  return rawEntryUrl(entry, slugOverride).normalize('NFC');
}

function rawEntryUrl(entry: string, slugOverride?: unknown): string {
  // The glob loader takes any truthy `slug` as the id, as text; Starlight then drops a final `index`.
  if ((typeof slugOverride === 'string' || typeof slugOverride === 'number') && slugOverride) {
    const id = String(slugOverride).replace(/(^|\/)index$/, '');
    return id ? `/${id}/`.replace(/\/\/+/g, '/') : '/';
  }
  const withoutExt = entry.replace(/\.(md|mdx)$/i, '');
  const slug = withoutExt
    .split('/')
    .map((segment) => githubSlug(segment))
    .join('/')
    .replace(/(^|\/)index$/, '');
  return slug ? `/${slug}/` : '/';
}

/** What {@link collectFacts} records beyond the basics. */
export interface CollectOptions {
  /** Files larger than this get a `too-large` problem. */
  maxBytes?: number;
  /** Ladder labels, for headings with a :severity[ID] badge (their anchors include the label). */
  severityLabels?: ReadonlyMap<string, string>;
  /** Find the names an MDX page uses and never binds (scope analysis: the check wants it, `runbook run` does not). */
  mdxBindings?: boolean;
}

/** The node visitors of one fact kind's collector: merged, they make the one visitor of the walk. */
type Collector = Omit<MdastPluginInstance, 'options'>;

/** A node's start, 1-based (the parser's own). */
const start = (node: { position?: { start: { line: number; column: number } } | null }): Place => ({
  line: node.position?.start.line ?? 1,
  column: node.position?.start.column ?? 1,
});

/**
 * Reads one file's bytes (or the error reading it) and records its facts: file-level problems first (empty,
 * binary, not UTF-8, too large, frontmatter fences), then one Sätteri walk over the
 * Markdown, each node kind handed to the collector of its fact. Sätteri is the Rust parser
 * behind Astro 7's default processor; it renders nothing the site uses here, the visitor only looks.
 */
export function collectFacts(
  bytes: Buffer | string | Error,
  file: string,
  entry: string,
  collect: CollectOptions = {},
): RunbookFacts {
  const { maxBytes = Infinity, severityLabels = new Map<string, string>(), mdxBindings = false } = collect;
  const facts: RunbookFacts = {
    file,
    entry,
    url: entryUrl(entry),
    problems: [],
    frontmatter: parseFrontmatter(''),
    hasBody: false,
    severityRefs: [],
    headings: [],
    links: [],
    code: [],
    directives: [],
    html: [],
    htmlIds: [],
    esmImports: [],
    mdxUndefined: [],
  };
  const mdx = /\.mdx$/i.test(file);
  const source = readableSource(bytes, facts, maxBytes, mdx);
  if (source === undefined) return facts;
  const text = collectFrontmatter(source, facts);
  const mdxParts = mdx ? collectMdx(facts, source) : undefined;
  // One walk over the tree: a single visitor, each node kind dispatched to its collector.
  const collector: MdastPluginInstance = {
    options: { position: true },
    ...collectHeadings(facts, text, severityLabels),
    ...collectLinks(facts),
    ...collectHtml(facts),
    ...collectCode(facts),
    ...collectDirectives(facts),
    ...mdxParts?.collector,
  };
  const options = {
    mdastPlugins: [{ name: 'runbook-collector', ...collector }],
    features: { directive: true, frontmatter: true },
  };
  if (!mdxParts) {
    // Typed "maybe a promise" because visitors may be async; ours are not, so it is done on return.
    void markdownToHtml(text, options);
    return anchorHeadings(facts);
  }
  const code = compileMdx(text, options, facts);
  if (code !== undefined) collectMdxUndefined(facts, code, source, mdxParts, mdxBindings);
  return anchorHeadings(facts);
}

/**
 * The page's text, or undefined when a problem with the file itself (recorded in
 * `facts`) leaves nothing to parse: unreadable, empty, binary, not UTF-8, or over a
 * nesting limit. Too large is recorded, and the page is still read.
 */
function readableSource(
  bytes: Buffer | string | Error,
  facts: RunbookFacts,
  maxBytes: number,
  mdx: boolean,
): string | undefined {
  if (bytes instanceof Error) {
    if (bytes instanceof RepoPathError && bytes.status === 'outside')
      facts.problems.push({ kind: 'outside-repo', line: 1, column: 1, detail: bytes.message });
    else if (bytes instanceof RepoPathError && bytes.status === 'special')
      facts.problems.push({ kind: 'unreadable', line: 1, column: 1, detail: bytes.message });
    else
      facts.problems.push({
        kind: 'unreadable',
        line: 1,
        column: 1,
        detail: (bytes as NodeJS.ErrnoException).code ?? bytes.message,
      });
    return undefined;
  }
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  if (buffer.length === 0 || /^\s*$/.test(buffer.toString('utf8'))) {
    facts.problems.push({ kind: 'empty', line: 1, column: 1 });
    return undefined;
  }
  if (hasNulBytes(buffer)) {
    facts.problems.push({ kind: 'binary', line: 1, column: 1 });
    return undefined;
  }
  if (!isUtf8(buffer)) {
    facts.problems.push({ kind: 'encoding', ...placeOfBadByte(buffer) });
    return undefined;
  }
  const source = buffer.toString('utf8');
  if (buffer.length > maxBytes)
    facts.problems.push({ kind: 'too-large', line: 1, column: 1, detail: String(buffer.length) });
  // No parser (YAML, Markdown, MDX, HTML) sees a page nested deeper than it survives:
  // one linear pass first, and a page over a limit is reported, not parsed.
  const breach = scanLimits(source, mdx);
  if (breach) {
    facts.problems.push({
      kind: 'too-complex',
      line: breach.line,
      column: breach.column,
      detail: `${breach.kind}:${breach.what}`,
    });
    return undefined;
  }
  return source;
}

/**
 * The frontmatter, the site path its `slug` gives, and whether a body follows; returns
 * what the Markdown parser reads: the body only, the frontmatter blanked out line for
 * line (positions stay, and frontmatter Sätteri would not recognise, a blank line first
 * or TOML, is never read as headings or rules).
 */
function collectFrontmatter(source: string, facts: RunbookFacts): string {
  const frontmatter = parseFrontmatter(source);
  facts.frontmatter = frontmatter;
  if (frontmatter.lineCount === 0) {
    facts.problems.push({
      kind: opensFrontmatter(source) ? 'frontmatter-unclosed' : 'frontmatter-missing',
      line: 1,
      column: 1,
    });
  }
  facts.url = entryUrl(facts.entry, frontmatter.data.slug);
  // Where the body starts: just after the line that closes the frontmatter.
  let bodyAt = 0;
  for (let line = 0; line < frontmatter.lineCount; line++) {
    const next = source.indexOf('\n', bodyAt);
    if (next === -1) {
      bodyAt = source.length;
      break;
    }
    bodyAt = next + 1;
  }
  facts.hasBody = /\S/.test(source.slice(bodyAt));
  return frontmatter.lineCount === 0 && facts.problems.some((p) => p.kind === 'frontmatter-unclosed')
    ? ''
    : '\n'.repeat(frontmatter.lineCount) + source.slice(bodyAt);
}

/** Headings, with their text; their anchors come once the run block ids are known ({@link anchorHeadings}). */
function collectHeadings(facts: RunbookFacts, text: string, severityLabels: ReadonlyMap<string, string>): Collector {
  return {
    heading(node) {
      const heading = headingText(node as unknown as TextNode, text, severityLabels);
      facts.headings.push({ depth: node.depth, text: heading, slug: '', ...start(node) });
    },
  };
}

/** Each heading's anchor as the page carries it (anchors.ts): slugged in page order, run block ids taken first. */
function anchorHeadings(facts: RunbookFacts): RunbookFacts {
  // page.ts's runIds, which imports this module: the same filter, without the cycle.
  const anchors = headingAnchors(facts.code.flatMap((c) => (isRunBlock(c.meta) ? (runMeta(c.meta).id ?? []) : [])));
  for (const h of facts.headings) h.slug = anchors.slug(h.text);
  return facts;
}

/** Markdown links, link definitions and images. */
function collectLinks(facts: RunbookFacts): Collector {
  return {
    link(node) {
      facts.links.push({ url: node.url, ...start(node) });
    },
    definition(node) {
      facts.links.push({ url: node.url, ...start(node) });
    },
    image(node) {
      facts.links.push({ url: node.url, image: true, ...start(node) });
    },
  };
}

/** Raw HTML: the HTML itself (for the policy), its `id`s and `name`s (anchors), and its `<img src>`s (images). */
function collectHtml(facts: RunbookFacts): Collector {
  return {
    html(node) {
      const place = start(node);
      facts.html.push({ value: node.value, ...place });
      // Lines counted as the tags go by (each character once), not from the start per tag.
      let counted = 0;
      let line = 0;
      let lineStart = -1;
      for (const tag of startTags(node.value)) {
        for (const a of tag.attributes) {
          if (a.name === 'id' || a.name === 'name') facts.htmlIds.push(a.value);
          if (tag.name !== 'img' || a.name !== 'src') continue;
          for (; counted < tag.index; counted++) {
            if (node.value[counted] === '\n') {
              line++;
              lineStart = counted;
            }
          }
          // The finding points at the tag, as an editor shows it.
          const column = line === 0 ? place.column + tag.index : tag.index - lineStart;
          facts.links.push({ url: a.value, image: true, html: true, line: place.line + line, column });
        }
      }
    },
  };
}

/** Fenced code blocks, with their meta parsed. */
function collectCode(facts: RunbookFacts): Collector {
  return {
    code(node) {
      const place = start(node);
      facts.code.push({
        lang: node.lang ?? '',
        meta: parseMeta(node.meta),
        value: node.value,
        ...place,
        valueLine: place.line + 1,
        valueColumn: place.column,
      });
    },
  };
}

/** Directives: `:severity[ID]` badges apart, every other text, leaf and container directive (a container with its blocks). */
function collectDirectives(facts: RunbookFacts): Collector {
  return {
    textDirective(node, ctx) {
      if (node.name === 'severity') facts.severityRefs.push({ id: ctx.textContent(node).trim(), ...start(node) });
      else facts.directives.push(directive('text', node, ctx.textContent(node), start(node)));
    },
    leafDirective(node, ctx) {
      facts.directives.push(directive('leaf', node, ctx.textContent(node), start(node)));
    },
    containerDirective(node) {
      const fact = directive('container', node, '', start(node));
      fact.blocks = (node.children as BlockNode[])
        .filter((c) => !c.data?.directiveLabel)
        .map((c) => blockFact(c, start(c)));
      facts.directives.push(fact);
    },
  };
}

/** What the MDX collector found during the walk, for after the compile. */
interface MdxWalk {
  collector: Collector;
  /** Capitalised or dotted JSX element names, where first used: components something must provide. */
  jsx: (Place & { name: string })[];
  /** Whether the page exports `components` (which may provide them). */
  exportsComponents: () => boolean;
}

/** An MDX page's code: ESM blocks (and their imports), `{…}` expressions, JSX elements, attribute expressions and spreads, JSX `id`s. */
function collectMdx(facts: RunbookFacts, source: string): MdxWalk {
  const parts: MdxPart[] = [];
  facts.mdxParts = parts;
  const jsx: MdxWalk['jsx'] = [];
  let exportsComponents = false;
  // Where a line starts in the file: attribute values carry no position of their own.
  const lineStarts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const placeOf = (offset: number): Place => {
    const index = lastAtOrBefore(lineStarts, offset);
    return { line: index + 1, column: offset - lineStarts[index] + 1 };
  };
  const expression = (node: { value: string; position?: { start: { line: number; column: number } } | null }) => {
    const at = start(node);
    // The value starts just after the `{`.
    parts.push({ kind: 'expression', value: node.value, line: at.line, column: at.column + 1 });
  };
  const element = (node: {
    name?: string | null;
    attributes?: { type: string; name?: string; value?: unknown }[];
    position?: { start: { line: number; column: number } } | null;
  }) => {
    if (node.name && /^[A-Z_$]|\./.test(node.name)) jsx.push({ name: node.name.split('.')[0], ...start(node) });
    const at = start(node);
    if (node.name) parts.push({ kind: 'element', value: node.name, line: at.line, column: at.column + 1 });
    let from = lineStarts[at.line - 1] + at.column - 1;
    for (const a of node.attributes ?? []) {
      const value =
        a.type === 'mdxJsxExpressionAttribute'
          ? a.value
          : (a.value as { type?: string; value?: unknown } | null)?.type === 'mdxJsxAttributeValueExpression'
            ? (a.value as { value: unknown }).value
            : undefined;
      if (typeof value !== 'string') continue;
      // Found in the file after the element's start (and after the attribute before it): its own place.
      const found = source.indexOf(value, from);
      const place = found === -1 ? at : placeOf(found);
      if (found !== -1) from = found + value.length;
      parts.push({ kind: a.type === 'mdxJsxExpressionAttribute' ? 'spread' : 'attribute', value, ...place });
    }
    for (const a of node.attributes ?? [])
      if (
        a.type === 'mdxJsxAttribute' &&
        (a.name === 'id' || (a.name === 'name' && node.name === 'a')) &&
        typeof a.value === 'string'
      )
        facts.htmlIds.push(a.value);
  };
  const collector: Collector = {
    mdxFlowExpression: expression,
    mdxTextExpression: expression,
    mdxjsEsm(node) {
      parts.push({ kind: 'esm', value: node.value, ...start(node) });
      for (const m of node.value.matchAll(/\bfrom\s+(['"])([^'"]+)\1|\bimport\s+(['"])([^'"]+)\3/g))
        facts.esmImports.push({ path: m[2] ?? m[4], ...start(node) });
      if (/\bexport\s+(const|let|var)\s+components\b/.test(node.value)) exportsComponents = true;
    },
    mdxJsxFlowElement: element,
    mdxJsxTextElement: element,
  };
  return { collector, jsx, exportsComponents: () => exportsComponents };
}

/** An MDX page compiled as the build compiles it (a syntax error the build would die on is a finding here); undefined when it does not compile. */
function compileMdx(text: string, options: Parameters<typeof mdxToJs>[1], facts: RunbookFacts): string | undefined {
  try {
    const result = mdxToJs(text, options);
    return 'code' in result ? result.code : '';
  } catch (error) {
    const m = /^(\d+):(\d+): (.*)$/s.exec((error as Error).message);
    facts.problems.push({
      kind: 'mdx-syntax',
      line: m ? Number(m[1]) : 1,
      column: m ? Number(m[2]) : 1,
      detail: (m ? m[3] : (error as Error).message).replace(/ \(\d+:\d+\)/, '').replace(/ \(mdx[^() ]*\)$/, ''),
    });
    return undefined;
  }
}

/** Components and (with `mdxBindings`) variables the compiled page uses and nothing provides: the build would throw rendering it. */
function collectMdxUndefined(
  facts: RunbookFacts,
  code: string,
  source: string,
  walk: MdxWalk,
  mdxBindings: boolean,
): void {
  // The MDX compiler itself names the components nothing provides (`_missingMdxReference`);
  // Astro provides Fragment, and `export const components` may provide the rest.
  const missing = walk.exportsComponents()
    ? []
    : [...new Set([...code.matchAll(/_missingMdxReference\("([^"]+)"/g)].map((m) => m[1].split('.')[0]))].filter(
        (n) => n !== 'Fragment',
      );
  for (const name of missing) {
    const use = walk.jsx.find((j) => j.name === name);
    facts.mdxUndefined.push({ name, component: true, line: use?.line ?? 1, column: use?.column ?? 1 });
  }
  if (mdxBindings) {
    facts.mdxCode = code;
    facts.mdxSource = source;
  }
  // Names the compiled page reads but nothing binds: a ReferenceError when it renders.
  for (const name of mdxBindings ? freeNames(code) : []) {
    if (name in globalThis || MDX_PROVIDED.has(name)) continue;
    facts.mdxUndefined.push({ name, component: false, ...firstUse(source, name, facts.frontmatter.lineCount) });
  }
}

/** What Astro's MDX integration binds in every page. */
const MDX_PROVIDED = new Set(['frontmatter']);

/** Free variables of compiled JavaScript, by scope analysis (acorn + periscopic, loaded only for MDX pages). */
function freeNames(code: string): string[] {
  const { parse } = requireFromHere('acorn') as typeof import('acorn');
  const { analyze } = requireFromHere('periscopic') as typeof import('periscopic');
  try {
    const ast = parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
    const { globals } = analyze(ast as never);
    // periscopic 4 leaves `import * as name` out of the module scope: every import binds its local name.
    const imported = new Set(
      ast.body.flatMap((node) => (node.type === 'ImportDeclaration' ? node.specifiers.map((s) => s.local.name) : [])),
    );
    return [...globals.keys()].filter((name) => !imported.has(name));
  } catch {
    return [];
  }
}

/** Where `name` is first read after the frontmatter: inside `{…}` (an expression or attribute), else anywhere. One pass per line, no backtracking. */
function firstUse(source: string, name: string, frontmatterLines: number): Place {
  const lines = source.split('\n');
  const ident = (c: string | undefined) => c !== undefined && /[\w$]/.test(c);
  let anywhere: Place | undefined;
  for (let i = frontmatterLines; i < lines.length; i++) {
    const text = lines[i];
    // The last `{` and `}` before the occurrence, kept as the scan moves right.
    let open = -1;
    let close = -1;
    let seen = 0;
    for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
      for (; seen < at; seen++) {
        if (text[seen] === '{') open = seen;
        else if (text[seen] === '}') close = seen;
      }
      if (ident(text[at - 1]) || text[at - 1] === '.' || ident(text[at + name.length])) continue;
      const place = { line: i + 1, column: at + 1 };
      // Inside braces: the last `{` before it is not closed before it.
      if (open > close) return place;
      anywhere ??= place;
    }
  }
  return anywhere ?? { line: frontmatterLines + 1, column: 1 };
}

/** A block node as far as {@link blockFact} reads it. */
interface BlockNode {
  type: string;
  checked?: boolean | null;
  lang?: string | null;
  meta?: string | null;
  value?: string;
  children?: BlockNode[];
  data?: { directiveLabel?: boolean } | null;
  position?: { start: { line: number; column: number } } | null;
}

function blockFact(node: BlockNode, place: Place): BlockFact {
  if (node.type === 'code')
    return {
      type: 'code',
      lang: node.lang ?? '',
      meta: node.meta ?? '',
      value: node.value ?? '',
      valueLine: place.line + 1,
      valueColumn: place.column,
      ...place,
    };
  if (node.type !== 'list') return { type: node.type, ...place };
  const count = (list: BlockNode): number =>
    (list.children ?? []).reduce(
      (n, item) =>
        n +
        (typeof item.checked === 'boolean' ? 1 : 0) +
        (item.children ?? []).filter((c) => c.type === 'list').reduce((m, c) => m + count(c), 0),
      0,
    );
  return { type: 'list', tasks: count(node), ...place };
}

function directive(
  kind: DirectiveFact['kind'],
  node: { name: string; attributes?: Record<string, string | null | undefined> | null },
  label: string,
  place: Place,
): DirectiveFact {
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(node.attributes ?? {})) attributes[k] = v ?? '';
  return { kind, name: node.name, label, attributes, ...place };
}

/**
 * A page's bytes (`file` from the repository root), or why they were not read: a link to
 * nothing, no permission, a FIFO, or a symbolic link that leaves the repository.
 */
export function readPage(root: string, file: string): Buffer | Error {
  return readRepoFile(root, file);
}
