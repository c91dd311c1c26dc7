import { createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
import { isAbsolute, join, posix, relative, sep } from 'node:path';
import { CONTENT_DIR } from './paths.ts';
import type { MdxPart, RunbookFacts } from './facts.ts';
import type { Finding, Rule } from './rule.ts';
import { runbook } from './examples.ts';

const require = createRequire(import.meta.url);

/** An ESTree node as acorn gives it. */
interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/** One refused node: where it starts in the part's text, and what it is. */
interface Refusal {
  offset: number;
  what: string;
}

/** The content tree: a page there may import only other pages and images from it. */
const CONTENT = 'src/content/';
/** Packages a page may import from: components the site's own dependencies provide. */
const PACKAGES = new Set(['@astrojs/starlight/components']);
const IMAGES = /\.(png|jpe?g|gif|webp|avif|svg)$/i;
const PAGES = /\.mdx?$/i;
/** A relative path made of ordinary name characters: no query, hash, percent-escape or backslash. */
const PLAIN_PATH = /^\.\.?\/[\p{L}\p{N} ._\-/]+$/u;
/** Properties that lead from data to code (`x.constructor.constructor` is `Function`). */
const NEVER_PROPERTIES = new Set(['constructor', '__proto__', 'prototype', 'caller', 'callee', 'arguments']);
/** Names every page may read besides its own bindings: data, never code. */
const PROVIDED = new Set(['undefined', 'frontmatter']);

const WHY = 'MDX content may not run code at build time';

/** Why an import specifier is refused, or undefined when the allow-list admits it. */
function importRefusal(root: string, file: string, spec: string): string | undefined {
  if (PACKAGES.has(spec)) return undefined;
  if (!PLAIN_PATH.test(spec))
    return `an import of \`${spec}\`: a page may import only @astrojs/starlight/components and relative .astro, .md, .mdx or image files`;
  const written = posix.normalize(posix.join(posix.dirname(file), spec));
  if (written.startsWith('../') || written === '..') return `an import of \`${spec}\`: it leads outside the repository`;
  // Vite loads the file a symlink leads to, by that file's own name: the real path is what is judged.
  const target = realTarget(root, written);
  if (target === undefined) return `an import of \`${spec}\`: it leads outside the repository`;
  const what = target === written ? '' : ` (a link to ${target})`;
  if (IMAGES.test(target)) return undefined;
  if (!target.startsWith(CONTENT))
    return PAGES.test(target) || /\.astro$/i.test(target)
      ? undefined
      : `an import of \`${spec}\`${what}: only .astro, .md, .mdx and image files may be imported`;
  // From the content tree, only pages this check reads itself, as findMarkdown lists them (not a `_partial.mdx`, a dot-folder or a page outside the runbooks folder).
  if (PAGES.test(target) && target.startsWith(`${CONTENT_DIR}/`) && !/(^|\/)\.|\/_[^/]*$/.test(target))
    return undefined;
  return `an import of \`${spec}\`${what}: a file in the content tree is content, so only the site's own pages and images may be imported from it`;
}

/** The path from the root a written path really leads to (undefined when out of the repository; the written path when missing). */
function realTarget(root: string, written: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(join(root, written));
  } catch {
    return written;
  }
  const rel = relative(realpathSync(root), real).split(sep).join('/');
  return rel.startsWith('../') || isAbsolute(rel) ? undefined : rel;
}

/** The names a page's ESM binds: its imports and `export const`s. */
function boundNames(programs: Node[]): Set<string> {
  const names = new Set<string>();
  for (const program of programs) {
    for (const s of program.body as Node[]) {
      if (s.type === 'ImportDeclaration')
        for (const sp of s.specifiers as Node[]) names.add((sp.local as Node).name as string);
      const d = s.declaration as Node | null | undefined;
      if (s.type === 'ExportNamedDeclaration' && d?.type === 'VariableDeclaration') {
        for (const v of d.declarations as Node[])
          if ((v.id as Node).type === 'Identifier') names.add((v.id as Node).name as string);
      }
    }
  }
  return names;
}

/** Refusals in an expression: every node is on the allow-list or it is reported (its children are not walked further). */
function judgeExpression(node: Node, bound: ReadonlySet<string>, out: Refusal[]): void {
  const refuse = (n: Node, what: string) => out.push({ offset: n.start, what });
  switch (node.type) {
    case 'Literal':
      if ((node as { regex?: unknown }).regex) refuse(node, 'a regular expression');
      return;
    case 'TemplateLiteral':
      for (const e of node.expressions as Node[]) judgeExpression(e, bound, out);
      return;
    case 'Identifier':
      // Only the page's own names: a global (`process`) or whatever the module runner puts in scope is refused.
      if (!bound.has(node.name as string) && !PROVIDED.has(node.name as string))
        refuse(
          node,
          (node.name as string) in globalThis
            ? `the global \`${node.name as string}\` of the build`
            : `the name \`${node.name as string}\`, which the page does not bind`,
        );
      return;
    case 'MemberExpression': {
      const p = node.property as Node;
      if (node.computed) refuse(p, 'a computed member access (`x[…]`)');
      else if (NEVER_PROPERTIES.has(p.name as string)) refuse(p, `the property \`${p.name as string}\``);
      else judgeExpression(node.object as Node, bound, out);
      return;
    }
    case 'ArrayExpression':
      for (const e of node.elements as (Node | null)[])
        if (e) judgeExpression(e.type === 'SpreadElement' ? (e.argument as Node) : e, bound, out);
      return;
    case 'ObjectExpression':
      for (const p of node.properties as Node[]) {
        if (p.type === 'SpreadElement') judgeExpression(p.argument as Node, bound, out);
        else if (p.computed) refuse(p, 'a computed key (`[…]: …`)');
        else if (p.kind !== 'init' || p.method) refuse(p, 'a getter, setter or method');
        else if (((p.key as Node).name ?? (p.key as Node).value) === '__proto__') refuse(p, 'the key `__proto__`');
        else judgeExpression(p.value as Node, bound, out);
      }
      return;
    case 'ConditionalExpression':
      for (const k of ['test', 'consequent', 'alternate']) judgeExpression(node[k] as Node, bound, out);
      return;
    case 'LogicalExpression':
    case 'BinaryExpression':
      judgeExpression(node.left as Node, bound, out);
      judgeExpression(node.right as Node, bound, out);
      return;
    case 'UnaryExpression':
      if (node.operator === 'delete') refuse(node, 'a `delete`');
      else judgeExpression(node.argument as Node, bound, out);
      return;
    default:
      refuse(node, DESCRIBE[node.type] ?? `a ${node.type}`);
  }
}

/** What a refused node is, in words a page author knows. */
const DESCRIBE: Record<string, string> = {
  CallExpression: 'a function call',
  NewExpression: 'a `new`',
  FunctionExpression: 'a function',
  ArrowFunctionExpression: 'a function',
  AssignmentExpression: 'an assignment',
  UpdateExpression: 'an assignment (`++`/`--`)',
  ThisExpression: '`this`',
  ImportExpression: 'a dynamic `import()`',
  MetaProperty: '`import.meta`',
  TaggedTemplateExpression: 'a tagged template (a function call)',
  AwaitExpression: 'an `await`',
  YieldExpression: 'a `yield`',
  SequenceExpression: 'a comma sequence',
  ClassExpression: 'a class',
  ChainExpression: 'optional chaining (`?.`)',
  JSXElement: 'JSX inside an expression',
};

/** Refusals in one ESM block: allowed imports and `export const NAME = <allowed expression>` only. */
function judgeProgram(root: string, file: string, program: Node, bound: ReadonlySet<string>, out: Refusal[]): void {
  for (const s of program.body as Node[]) {
    if (s.type === 'ImportDeclaration') {
      const why = importRefusal(root, file, (s.source as Node).value as string);
      if (why) out.push({ offset: s.start, what: why });
      else if ((s.attributes as Node[] | undefined)?.length)
        out.push({ offset: s.start, what: 'an import with attributes (`with { … }`)' });
      continue;
    }
    const d = s.declaration as Node | null | undefined;
    if (s.type === 'ExportNamedDeclaration' && !s.source && d?.type === 'VariableDeclaration' && d.kind === 'const') {
      for (const v of d.declarations as Node[]) {
        if ((v.id as Node).type !== 'Identifier')
          out.push({ offset: (v.id as Node).start, what: 'a destructuring export' });
        else if (!v.init) out.push({ offset: v.start, what: 'an export without a value' });
        else judgeExpression(v.init as Node, bound, out);
      }
      continue;
    }
    out.push({
      offset: s.start,
      what:
        s.type === 'ExportDefaultDeclaration'
          ? 'an `export default`'
          : s.type === 'ExportNamedDeclaration' && d?.type === 'FunctionDeclaration'
            ? 'a function'
            : s.type.startsWith('Export')
              ? 'an export other than `export const NAME = value`'
              : 'a statement',
    });
  }
}

/** The place in the file of an offset into a part's text. */
function placeIn(part: MdxPart, offset: number): { line: number; column: number } {
  const before = part.value.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return lines.length === 1
    ? { line: part.line, column: part.column + offset }
    : { line: part.line + lines.length - 1, column: lines[lines.length - 1].length + 1 };
}

/** Every refusal in an MDX page's code, at its place in the page. */
export function mdxCodeFindings(f: RunbookFacts, root: string): Finding[] {
  if (!f.mdxParts?.length) return [];
  const acorn = require('acorn') as typeof import('acorn');
  const out: Finding[] = [];
  const report = (part: MdxPart, offset: number, what: string) =>
    out.push({ file: f.file, ...placeIn(part, offset), message: `MDX code refused: ${what}: ${WHY}` });
  const programs: [MdxPart, Node][] = [];
  for (const part of f.mdxParts.filter((p) => p.kind === 'esm')) {
    try {
      programs.push([
        part,
        acorn.parse(part.value, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as Node,
      ]);
    } catch (error) {
      report(part, (error as { pos?: number }).pos ?? 0, 'code this check cannot read');
    }
  }
  const bound = boundNames(programs.map(([, p]) => p));
  // A name mdx-undefined already reports (bound nowhere, no global) is one finding, not two.
  for (const u of f.mdxUndefined) if (!u.component) bound.add(u.name);
  for (const [part, program] of programs) {
    const refusals: Refusal[] = [];
    judgeProgram(root, f.file, program, bound, refusals);
    for (const r of refusals) report(part, r.offset, r.what);
  }
  for (const part of f.mdxParts) {
    if (part.kind === 'esm') continue;
    if (part.kind === 'element') {
      // `<A.constructor>` renders a property of a component: the same way out as `{A.constructor}`.
      const bad = part.value.split(/[.:]/).find((segment) => NEVER_PROPERTIES.has(segment));
      if (bad) report(part, part.value.indexOf(bad), `the property \`${bad}\` in an element name`);
      continue;
    }
    // A comment alone (`{/* note */}`) is no code.
    let tokens = 0;
    try {
      for (const _ of acorn.tokenizer(part.value, { ecmaVersion: 'latest' })) tokens++;
    } catch {
      tokens = 1;
    }
    if (tokens === 0 && part.kind === 'expression') continue;
    // Read as MDX reads it: the text between the braces is one expression (a spread, `{...x}`, an object's spread).
    const [open, close] = part.kind === 'spread' ? ['({', '\n})'] : ['(', '\n)'];
    let program: Node;
    try {
      program = acorn.parse(`${open}${part.value}${close}`, {
        ecmaVersion: 'latest',
        sourceType: 'module',
      }) as unknown as Node;
    } catch (error) {
      const at = Math.max(0, ((error as { pos?: number }).pos ?? open.length) - open.length);
      // Plain acorn reads no JSX: an element inside braces is refused, and written outside them it is fine.
      report(
        part,
        at,
        part.value[at] === '<'
          ? 'JSX inside an expression (write the element outside the braces)'
          : 'code this check cannot read',
      );
      continue;
    }
    const body = program.body as Node[];
    if (body.length !== 1 || body[0].type !== 'ExpressionStatement') {
      report(part, 0, 'more than one expression');
      continue;
    }
    const refusals: Refusal[] = [];
    judgeExpression(body[0].expression as Node, bound, refusals);
    for (const r of refusals) report(part, r.offset - open.length, r.what);
  }
  return out;
}

/** The MDX code door: a content page's code is held to an allow-list of syntax. */
export const mdxCodeRules = [
  {
    id: 'mdx-code',
    severity: 'error',
    phase: 'facts',
    baseline: false,
    summary:
      'An .mdx page runs no code of its own at build time: its imports, `export const`s and `{…}` expressions stay within an allow-list (components, images, pages, literals, names it binds), so a page from an untrusted pull request cannot read files or secrets.',
    hint: "Use a component from @astrojs/starlight/components or one the repository's reviewed code provides (src/components/), and write values as plain text. (A repository whose every author is trusted can set `allowMdxCode: true` in runbooks.config.yaml.)",
    bad: {
      page: runbook(
        [],
        "import { readFileSync } from 'node:fs';\n\nThis host is {readFileSync('/etc/hostname', 'utf8')}.\n",
      ),
      pageFile: 'src/content/runbooks/api/api-down.mdx',
    },
    good: {
      page: runbook(
        [],
        "import { Aside } from '@astrojs/starlight/components';\nexport const limits = { connections: 20 };\n\n<Aside>The pool holds {limits.connections} connections.</Aside>\n",
      ),
      pageFile: 'src/content/runbooks/api/api-down.mdx',
    },
    check: (all, { root, config }) => (config.allowMdxCode ? [] : all.flatMap((f) => mdxCodeFindings(f, root))),
  },
] as const satisfies readonly Rule<{ root: string; config: { allowMdxCode: boolean } }>[];
