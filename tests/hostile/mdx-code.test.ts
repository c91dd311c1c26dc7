/**
 * mdx-code over generated pages: a seeded grammar mixes expressions the allow-list admits
 * with constructs that run code (calls, functions, `new`, assignments, globals, the
 * constructor chain, dynamic import, computed access, getters, …), in text, flow, attribute,
 * spread and `export const` positions. The generator knows what it planted, so the oracle
 * needs no evaluator: a page is clean exactly when nothing forbidden was planted, and the
 * finding sits on the line it was planted on. A sample of clean pages then goes through a
 * real `astro build` with a canary secret in the environment that must never reach dist/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import type { Diagnostic } from '../../src/plugins/runbook/diagnostic.ts';
import { checkProject } from '../../src/plugins/check/index.ts';
import { project, removeProjects } from '../fixtures/check-project.ts';
import { astroBuild, type BuildResult, scratchSite } from '../build/helpers.ts';
import { seeded } from '../fixtures/seeded.ts';

afterAll(removeProjects);

const PAGES = 300;
const BUILT = 20;
const DIR = 'src/content/runbooks/gen';
const FM = (title: string) =>
  `---\ntitle: ${title}\nowner: "@ops-team"\nreview:\n  log:\n    - { date: 2026-10-01, reviewer: "@ana", change: "x" }\n---\n\n`;
/** Frontmatter is 7 lines, a blank, then two ESM lines and a blank: the slot is line 12. */
const HEAD =
  "import { Aside, Badge } from '@astrojs/starlight/components';\nexport const data = { size: 20, name: 'pool', list: [1, 2], nested: { deep: 'x' } };\n\n";
const SLOT_LINE = 12;

const g = seeded(1818);

/** A generated expression and whether the generator planted something that runs code. */
interface Expr {
  src: string;
  bad: boolean;
}

const SAFE_ATOMS = [
  '1',
  '2.5',
  "'text'",
  '"q"',
  'true',
  'null',
  'undefined',
  'data',
  'data.size',
  'data.name',
  'data.list',
  'data.nested.deep',
  'frontmatter.title',
  'data.list.length',
];
/** Each of these runs code at build time or reaches something that can. */
const BAD_ATOMS = [
  'data.name.toString()',
  '(() => 1)',
  'function () { return 1; }',
  'new Date()',
  'data.size = 3',
  'this',
  'import.meta.url',
  'String.raw`x`',
  "data['size']",
  'data.constructor',
  "[].constructor.constructor('return process')()",
  'process.env.RUNBOOK_CANARY',
  'delete data.size',
  '(1, 2)',
  'data?.size',
  'globalThis',
  '{ get x() { return 1; } }',
  '{ [data.name]: 1 }',
  '/re/',
  'data.size++',
  "import('node:fs')",
  'data.__proto__',
  'Reflect',
  'class {}',
  'JSON.parse("1")',
  '`${process.pid}`',
  "process.getBuiltinModule('fs')",
];

function expr(depth: number): Expr {
  if (depth <= 0 || g.chance(0.3)) {
    return g.chance(0.1) ? { src: g.pick(BAD_ATOMS), bad: true } : { src: g.pick(SAFE_ATOMS), bad: false };
  }
  const a = expr(depth - 1);
  const b = expr(depth - 1);
  const c = expr(depth - 1);
  const join = (src: string, ...parts: Expr[]) => ({ src, bad: parts.some((p) => p.bad) });
  switch (
    g.pick(['cond', 'and', 'or', 'plus', 'cmp', 'not', 'typeof', 'neg', 'array', 'object', 'template', 'paren'])
  ) {
    case 'cond':
      return join(`${a.src} ? ${b.src} : ${c.src}`, a, b, c);
    case 'and':
      return join(`(${a.src}) && (${b.src})`, a, b);
    case 'or':
      return join(`(${a.src}) ?? (${b.src})`, a, b);
    case 'plus':
      return join(`(${a.src}) + (${b.src})`, a, b);
    case 'cmp':
      return join(`(${a.src}) === (${b.src})`, a, b);
    case 'not':
      return join(`!(${a.src})`, a);
    case 'typeof':
      return join(`typeof (${a.src})`, a);
    case 'neg':
      return join(`-(${a.src})`, a);
    case 'array':
      return join(`[${a.src}, ${b.src}]`, a, b);
    case 'object':
      return join(`{ k: ${a.src}, 'q': ${b.src} }`, a, b);
    case 'template':
      return join(`\`t ${'${'}${a.src}} u\``, a);
    default:
      return join(`(${a.src})`, a);
  }
}

/** One page: the expression in one of the places MDX runs code. */
function makePage(i: number): { file: string; text: string; bad: boolean; where: string } {
  const e = expr(3);
  const where = g.pick(['text', 'flow', 'attribute', 'component', 'spread', 'export', 'import']);
  let slot: string;
  let bad = e.bad;
  switch (where) {
    case 'text':
      slot = `Value: {${e.src}} here.`;
      break;
    case 'flow':
      slot = `{${e.src}}`;
      break;
    case 'attribute':
      slot = `<span title={${e.src}}>x</span>`;
      break;
    // Badge takes a string: the value goes through a template literal.
    case 'component':
      slot = `<Badge text={\`\${${e.src}}\`} />`;
      break;
    // A spread of a generated value: an object literal of safe values is allowed.
    case 'spread':
      slot = `<span {...{ title: ${e.src} }}>x</span>`;
      break;
    case 'export':
      slot = `export const v${i} = ${e.src};`;
      break;
    default: {
      const spec = g.pick([
        'node:fs',
        'node:child_process',
        './x.ts',
        './x.json',
        '../../../components/Box.astro',
        './other.mdx',
        './shot.png',
        './shot.png?raw',
        'astro:content',
        '@astrojs/starlight/components',
      ]);
      bad = !['../../../components/Box.astro', './other.mdx', './shot.png', '@astrojs/starlight/components'].includes(
        spec,
      );
      slot = `import * as m${i} from '${spec}';`;
    }
  }
  return { file: `${DIR}/p${i}.mdx`, text: `${FM(`Page ${i}`)}${HEAD}${slot}\n\nEnd.\n`, bad, where };
}

const pages = Array.from({ length: PAGES }, (_, i) => makePage(i));

/** Node types that run code or reach a global, found by walking the compiled page (no evaluation). */
const RUNS_CODE = new Set([
  'FunctionExpression',
  'ArrowFunctionExpression',
  'NewExpression',
  'AssignmentExpression',
  'UpdateExpression',
  'ThisExpression',
  'ImportExpression',
  'MetaProperty',
  'TaggedTemplateExpression',
  'AwaitExpression',
  'ClassExpression',
  'SequenceExpression',
]);

/** What in a page's compiled code runs code or reaches a global: MDX's own wrapper is declarations and `_jsx` calls, so anything left came from the page. */
function runsCode(text: string): string[] {
  const req = createRequire(import.meta.url);
  const { parse } = req('acorn') as typeof import('acorn');
  const { mdxToJs } = req('satteri') as typeof import('satteri');
  const result = mdxToJs(text.slice(text.indexOf('---\n\n', 4) + 5), {});
  const code = 'code' in result ? result.code : '';
  const offending: string[] = [];
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    const node = n as { type?: string; name?: string; property?: { name?: string } };
    if (node.type && RUNS_CODE.has(node.type)) offending.push(node.type);
    if (
      node.type === 'Identifier' &&
      ['process', 'globalThis', 'Function', 'eval', 'require', 'Reflect', 'JSON'].includes(node.name ?? '')
    )
      offending.push(node.name ?? '');
    if (
      node.type === 'MemberExpression' &&
      ['constructor', '__proto__', 'prototype'].includes(node.property?.name ?? '')
    )
      offending.push('constructor chain');
    for (const v of Object.values(n)) walk(v);
  };
  walk(parse(code, { ecmaVersion: 'latest', sourceType: 'module' }));
  return offending;
}

describe('mdx-code over generated pages', () => {
  let found: Diagnostic[];
  beforeAll(() => {
    const files: Record<string, string> = {
      'src/components/Box.astro': '<div><slot /></div>\n',
      [`${DIR}/other.mdx`]: `${FM('Other')}Other.\n`,
      [`${DIR}/shot.png`]: 'png',
      [`${DIR}/x.ts`]: 'export {}\n',
      [`${DIR}/x.json`]: '{}\n',
    };
    for (const p of pages) files[p.file] = p.text;
    found = checkProject(project(files), { today: new Date('2026-12-01') });
  }, 120_000);

  it('generates a few hundred pages, a good share of each kind', () => {
    expect(pages.length).toBe(PAGES);
    expect(pages.filter((p) => p.bad).length).toBeGreaterThan(60);
    expect(pages.filter((p) => !p.bad).length).toBeGreaterThan(60);
  });

  it('a page is mdx-code clean exactly when nothing that runs code was planted, and the finding is on the planted line', () => {
    for (const p of pages) {
      const mine = found.filter((d) => d.file === p.file && d.ruleId === 'mdx-code');
      if (p.bad) {
        expect(mine.length, `${p.where}: ${p.text.split('\n')[SLOT_LINE - 1]}`).toBeGreaterThan(0);
        expect(mine[0].line, p.file).toBe(SLOT_LINE);
        expect(mine[0].message).toMatch(/^MDX code refused: .+: MDX content may not run code at build time$/);
      } else {
        expect(mine, `${p.where}: ${p.text.split('\n')[SLOT_LINE - 1]}`).toEqual([]);
      }
    }
  });

  it('the compiled code of every clean page holds no node that runs code (a walk of its ESTree, no evaluation); the walk does see planted ones', () => {
    for (const p of pages.filter((x) => !x.bad))
      expect(runsCode(p.text), p.text.split('\n')[SLOT_LINE - 1]).toEqual([]);
    // Not a walk that cannot fail: most planted constructs (all but plain calls, which the runtime makes too) show in it.
    const planted = pages.filter((x) => x.bad && x.where !== 'import');
    expect(planted.filter((p) => runsCode(p.text).length > 0).length).toBeGreaterThan(planted.length / 3);
  });
});

describe('a real build of clean generated pages', () => {
  const CANARY = 'canary-5f1c0e7d-not-for-pages';
  let build: BuildResult;
  let sample: ReturnType<typeof makePage>[];
  beforeAll(() => {
    // Clean pages only, of every placement; imports of other files are left out of the fixture site.
    sample = pages.filter((p) => !p.bad && p.where !== 'import').slice(0, BUILT);
    const files: Record<string, string> = {};
    for (const p of sample) files[p.file.replace('/gen/', '/ops/gen-')] = p.text;
    process.env.RUNBOOK_CANARY = CANARY;
    build = astroBuild(scratchSite('basic', 'mdx-code-build', files));
    delete process.env.RUNBOOK_CANARY;
  }, 900_000);

  it('builds every sampled page, and the canary secret in the environment reaches nothing in dist/', () => {
    expect(sample.length).toBe(BUILT);
    expect(build.status, build.output.slice(-3000)).toBe(0);
    const dist = join(build.dir, 'dist');
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) =>
        statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)],
      );
    const out = walk(dist);
    for (const p of sample)
      expect(
        out.some((f) => f.includes(p.file.replace(`${DIR}/`, 'gen-').replace('.mdx', ''))),
        p.file,
      ).toBe(true);
    for (const f of out) expect(readFileSync(f).includes(CANARY), f).toBe(false);
  });
});

describe('the canary is real: a trusted repository (allowMdxCode) that reads it publishes it', () => {
  const CANARY = 'canary-0b9e44a1-control';
  let build: BuildResult;
  beforeAll(() => {
    process.env.RUNBOOK_CANARY = CANARY;
    build = astroBuild(
      scratchSite('basic', 'mdx-code-control', {
        'runbooks.config.yaml': 'allowMdxCode: true\n',
        'src/content/runbooks/ops/leak.mdx': `${FM('Leak')}Secret: {process.env.RUNBOOK_CANARY}\n`,
      }),
    );
    delete process.env.RUNBOOK_CANARY;
  }, 900_000);

  it('builds, and the page carries the canary: what the gate refuses by default would leak', () => {
    expect(build.status, build.output.slice(-3000)).toBe(0);
    expect(readFileSync(join(build.dir, 'dist/ops/leak/index.html'), 'utf8')).toContain(CANARY);
  });
});
