import { isUtf8 } from 'node:buffer';
import GithubSlugger, { slug as githubSlug } from 'github-slugger';
import { markdownToHtml, mdxToJs, type MdastPluginInstance } from 'satteri';
import { type Frontmatter, parseFrontmatter } from './frontmatter.ts';
import { type Meta, parseMeta } from './meta.ts';

/** A 1-based place in a file. */
export interface Place {
  line: number;
  column: number;
}

/** A problem with the file itself, found before any Markdown is read. */
export interface FileProblem extends Place {
  kind: 'empty' | 'binary' | 'encoding' | 'too-large' | 'frontmatter-missing' | 'frontmatter-unclosed' | 'mdx-syntax' | 'mdx-import';
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
  /** `import … from '…'` sources in an MDX file, relative paths and packages alike. */
  esmImports: (Place & { path: string })[];
  /** Components and variables an MDX page uses but never imports or defines: the build would throw rendering it. */
  mdxUndefined: (Place & { name: string; component: boolean })[];
}

/** `src` of an HTML `<img>`: double-quoted, single-quoted or bare. */
const IMG_SRC = /<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/gi;

/** The site path Astro's glob loader gives `entry` (github-slugged segments, no `index`). */
export function entryUrl(entry: string, slugOverride?: unknown): string {
  if (typeof slugOverride === 'string' && slugOverride.trim()) return `/${slugOverride.replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');
  const withoutExt = entry.replace(/\.(md|mdx)$/i, '');
  const slug = withoutExt
    .split('/')
    .map((segment) => githubSlug(segment))
    .join('/')
    .replace(/(^|\/)index$/, '');
  return slug ? `/${slug}/` : '/';
}

/** Line and column of the first byte that breaks UTF-8. */
function placeOfBadByte(buffer: Buffer): Place {
  let i = 0;
  while (i < buffer.length) {
    const c = buffer[i];
    const size = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    // isUtf8 on the one character also rejects overlong forms and surrogates.
    if (size === 0 || i + size > buffer.length || !isUtf8(buffer.subarray(i, i + size))) break;
    i += size;
  }
  const before = buffer.subarray(0, i).toString('utf8');
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: before.length - lineStart + 1 };
}

/**
 * Reads one file's bytes and records its facts: file-level problems first (empty,
 * binary, not UTF-8, too large, frontmatter fences), then one Sätteri walk over the
 * Markdown. Sätteri is the Rust parser behind Astro 7's default processor; it renders
 * nothing the site uses here, the visitor only looks.
 */
export function collectFacts(bytes: Buffer | string, file: string, entry: string, maxBytes = Infinity): RunbookFacts {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const facts: RunbookFacts = {
    file, entry, url: entryUrl(entry), problems: [], frontmatter: parseFrontmatter(''), hasBody: false,
    severityRefs: [], headings: [], links: [], code: [], directives: [], esmImports: [], mdxUndefined: [],
  };
  if (buffer.length === 0 || /^\s*$/.test(buffer.toString('utf8'))) {
    facts.problems.push({ kind: 'empty', line: 1, column: 1 });
    return facts;
  }
  if (buffer.subarray(0, 8192).includes(0)) {
    facts.problems.push({ kind: 'binary', line: 1, column: 1 });
    return facts;
  }
  if (!isUtf8(buffer)) {
    facts.problems.push({ kind: 'encoding', ...placeOfBadByte(buffer) });
    return facts;
  }
  const source = buffer.toString('utf8');
  if (buffer.length > maxBytes) facts.problems.push({ kind: 'too-large', line: 1, column: 1, detail: String(buffer.length) });

  const frontmatter = parseFrontmatter(source);
  facts.frontmatter = frontmatter;
  if (frontmatter.lineCount === 0) {
    facts.problems.push({ kind: /^\uFEFF?---[ \t]*\r?\n/.test(source) ? 'frontmatter-unclosed' : 'frontmatter-missing', line: 1, column: 1 });
  }
  facts.url = entryUrl(entry, frontmatter.data.slug);
  facts.hasBody = /\S/.test(frontmatter.lineCount === 0 ? source : source.split('\n').slice(frontmatter.lineCount).join('\n'));

  const slugger = new GithubSlugger();
  const start = (node: { position?: { start: { line: number; column: number } } | null }): Place => ({
    line: node.position?.start.line ?? 1,
    column: node.position?.start.column ?? 1,
  });
  const collector: MdastPluginInstance = {
    options: { position: true },
    heading(node, ctx) {
      const text = ctx.textContent(node);
      facts.headings.push({ depth: node.depth, text, slug: slugger.slug(text), ...start(node) });
    },
    link(node) {
      facts.links.push({ url: node.url, ...start(node) });
    },
    definition(node) {
      facts.links.push({ url: node.url, ...start(node) });
    },
    image(node) {
      facts.links.push({ url: node.url, image: true, ...start(node) });
    },
    html(node) {
      const place = start(node);
      for (const m of node.value.matchAll(IMG_SRC)) {
        const before = node.value.slice(0, m.index);
        const line = before.split('\n').length - 1;
        const column = line === 0 ? place.column + (m.index ?? 0) : (m.index ?? 0) - before.lastIndexOf('\n');
        facts.links.push({ url: m[1] ?? m[2] ?? m[3], image: true, line: place.line + line, column });
      }
    },
    code(node) {
      const place = start(node);
      facts.code.push({
        lang: node.lang ?? '', meta: parseMeta(node.meta), value: node.value, ...place,
        valueLine: place.line + 1, valueColumn: place.column,
      });
    },
    textDirective(node, ctx) {
      if (node.name === 'severity') facts.severityRefs.push({ id: ctx.textContent(node).trim(), ...start(node) });
      else facts.directives.push(directive('text', node, ctx.textContent(node), start(node)));
    },
    leafDirective(node, ctx) {
      facts.directives.push(directive('leaf', node, ctx.textContent(node), start(node)));
    },
    containerDirective(node) {
      facts.directives.push(directive('container', node, '', start(node)));
    },
  };
  const text = frontmatter.lineCount === 0 && facts.problems.some((p) => p.kind === 'frontmatter-unclosed') ? '' : source;
  const mdx = /\.mdx$/i.test(file);
  const jsx: (Place & { name: string })[] = [];
  const expressions: (Place & { value: string })[] = [];
  const declared = new Set(['props', 'frontmatter', 'Astro']);
  if (mdx) {
    collector.mdxjsEsm = (node) => {
      for (const m of node.value.matchAll(/\bfrom\s+(['"])([^'"]+)\1|\bimport\s+(['"])([^'"]+)\3/g)) facts.esmImports.push({ path: m[2] ?? m[4], ...start(node) });
      for (const name of esmBindings(node.value)) declared.add(name);
    };
    const element = (node: { name?: string | null; position?: { start: { line: number; column: number } } | null }) => {
      if (node.name && /^[A-Z_$]|\./.test(node.name)) jsx.push({ name: node.name.split('.')[0], ...start(node) });
    };
    collector.mdxJsxFlowElement = element;
    collector.mdxJsxTextElement = element;
    const expression = (node: { value: string; position?: { start: { line: number; column: number } } | null }) => {
      expressions.push({ value: node.value, ...start(node) });
    };
    collector.mdxFlowExpression = expression;
    collector.mdxTextExpression = expression;
  }
  const options = { mdastPlugins: [{ name: 'runbook-collector', ...collector }], features: { directive: true, frontmatter: true } };
  if (!mdx) {
    markdownToHtml(text, options);
    return facts;
  }
  // MDX is parsed as MDX, so a syntax error the build would die on is a finding here.
  let code = '';
  try {
    const result = mdxToJs(text, options);
    code = 'code' in result ? result.code : '';
  } catch (error) {
    const m = /^(\d+):(\d+): (.*)$/s.exec((error as Error).message);
    facts.problems.push({ kind: 'mdx-syntax', line: m ? Number(m[1]) : 1, column: m ? Number(m[2]) : 1, detail: (m ? m[3] : (error as Error).message).replace(/ \(\d+:\d+\)/, '').replace(/ \(mdx[^)]*\)$/, '') });
    return facts;
  }
  // The MDX compiler itself names the components nothing provides (`_missingMdxReference`).
  const missing = new Set([...code.matchAll(/_missingMdxReference\("([^"]+)"/g)].map((m) => m[1].split('.')[0]));
  for (const name of missing) {
    const use = jsx.find((j) => j.name === name);
    facts.mdxUndefined.push({ name, component: true, line: use?.line ?? 1, column: use?.column ?? 1 });
  }
  // A `{name…}` expression whose first name is bound nowhere throws a ReferenceError when the page renders.
  for (const e of expressions) {
    const root = /^\s*([A-Za-z_$][\w$]*)/.exec(e.value)?.[1];
    if (root && !declared.has(root) && !missing.has(root) && !JS_WORDS.has(root) && !(root in globalThis)) facts.mdxUndefined.push({ name: root, component: false, line: e.line, column: e.column });
  }
  return facts;
}

/** Words that may start an expression without being a variable. */
const JS_WORDS = new Set(['true', 'false', 'null', 'undefined', 'new', 'typeof', 'void', 'await', 'this', 'function', 'class', 'async', 'yield', 'delete', 'in', 'instanceof', 'NaN', 'Infinity']);

/** Names an MDX page's `import`/`export` statements bind. */
function esmBindings(esm: string): string[] {
  const names: string[] = [];
  for (const m of esm.matchAll(/\bimport\s+([^'";]+?)\s+from\b/g)) {
    const clause = m[1];
    const def = /^([A-Za-z_$][\w$]*)/.exec(clause.trim());
    if (def && !clause.trim().startsWith('{') && !clause.trim().startsWith('*')) names.push(def[1]);
    const ns = /\*\s+as\s+([A-Za-z_$][\w$]*)/.exec(clause);
    if (ns) names.push(ns[1]);
    const named = /\{([^}]*)\}/.exec(clause);
    if (named) for (const part of named[1].split(',')) {
      const n = /(?:[\w$]+\s+as\s+)?([A-Za-z_$][\w$]*)\s*$/.exec(part.trim());
      if (n) names.push(n[1]);
    }
  }
  for (const m of esm.matchAll(/\bexport\s+(?:default\s+)?(?:const|let|var|function\*?|async\s+function|class)\s+([A-Za-z_$][\w$]*)/g)) names.push(m[1]);
  for (const m of esm.matchAll(/\bexport\s+(?:const|let|var)\s+\{([^}]*)\}/g)) for (const part of m[1].split(',')) names.push(part.split(':').at(-1)!.trim());
  return names;
}

function directive(kind: DirectiveFact['kind'], node: { name: string; attributes?: Record<string, string | null | undefined> | null }, label: string, place: Place): DirectiveFact {
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(node.attributes ?? {})) attributes[k] = v ?? '';
  return { kind, name: node.name, label, attributes, ...place };
}
