import { createRequire } from 'node:module';
import { load, YAMLException } from 'js-yaml';
import type { Document, LineCounter, Node as YamlNode } from 'yaml';

// `yaml` (with positions) is loaded only when a finding needs a position: most runs
// never do, and loading it would cost `runbook run` a sixth of its start-up budget.
const require = createRequire(import.meta.url);
let yamlModule: typeof import('yaml') | undefined;
const yaml = () => (yamlModule ??= require('yaml') as typeof import('yaml'));

/**
 * A page's frontmatter: plain data (it crosses worker threads), with positions
 * worked out on demand by {@link positionOf} and {@link positionOfKey}.
 */
export interface Frontmatter {
  /** The parsed YAML as plain data (`{}` when absent or broken). */
  data: Record<string, unknown>;
  /** The YAML text between the fences. */
  yamlText: string;
  /** 1-based line where the frontmatter body starts in the file (after `---`). */
  startLine: number;
  /** Number of lines the frontmatter block occupies, fences included (0 when absent). */
  lineCount: number;
  /** YAML syntax errors, positioned in file coordinates. */
  errors: { line: number; column: number; message: string }[];
}

/** A 1-based place in a file. */
export interface Position {
  line: number;
  column: number;
}

const FENCE = /^---[ \t]*\r?\n/;
/**
 * How Astro finds frontmatter (`@astrojs/internal-helpers/frontmatter`): it ends at the
 * first line that merely starts with `---` or `+++`, whatever follows on that line.
 */
const ASTRO_FRONTMATTER = /(?:^\uFEFF?|^\s*\n)(?:---|\+\+\+)([\s\S]*?\n)(?:---|\+\+\+)/;

/** Offset of the closing fence: the first line after the opening one that is `---` alone ('\n' ends lines, nothing else). */
function closingFence(body: string, from: number): number | undefined {
  for (let at = from; at < body.length; ) {
    const end = body.indexOf('\n', at);
    const line = body.slice(at, end === -1 ? body.length : end).replace(/\r$/, '');
    if (/^---[ \t]*$/.test(line)) return at;
    if (end === -1) return undefined;
    at = end + 1;
  }
  return undefined;
}

/** How many values frontmatter may hold once its aliases are expanded: far above any real page. */
const MAX_VALUES = 10_000;

/** The number of values `value` holds with every alias written out, counted without writing them out. */
function expandedSize(value: unknown, memo = new Map<object, number>()): number {
  if (value === null || typeof value !== 'object' || value instanceof Date) return 1;
  const known = memo.get(value);
  if (known !== undefined) return known;
  memo.set(value, 1);
  let total = 1;
  for (const child of Object.values(value)) total = Math.min(total + expandedSize(child, memo), Number.MAX_SAFE_INTEGER);
  memo.set(value, total);
  return total;
}

/** Splits and parses the `---` frontmatter of Markdown `source`, tolerating BOM and CRLF. */
export function parseFrontmatter(source: string): Frontmatter {
  const bom = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const body = source.slice(bom);
  const open = FENCE.exec(body);
  const close = open ? closingFence(body, open[0].length) : undefined;
  if (!open || close === undefined) return { data: {}, yamlText: '', startLine: 1, lineCount: 0, errors: [] };
  const yamlText = body.slice(open[0].length, close);
  const startLine = 2;
  // Values come from js-yaml with its default schema, exactly as Astro's content loader
  // reads frontmatter, so the checker hands the one schema (schema.ts) the same data
  // the build will: an unquoted timestamp is a Date on both paths. Positions come from
  // `yaml`'s LineCounter, parsed only when a finding needs one.
  const errors: Frontmatter['errors'] = [];
  let data: Record<string, unknown> = {};
  // Where Astro would end the frontmatter elsewhere, the two would read different YAML.
  const astro = ASTRO_FRONTMATTER.exec(body);
  const astroClose = astro ? astro.index + astro[0].length - 3 : undefined;
  if (astroClose !== undefined && astroClose < close) {
    const line = body.slice(0, astroClose).split('\n').length;
    const text = body.slice(astroClose, body.indexOf('\n', astroClose) === -1 ? undefined : body.indexOf('\n', astroClose)).replace(/\r$/, '');
    errors.push({ line, column: 1, message: `this line starts with \`${text.slice(0, 3)}\`, so Astro ends the frontmatter here (\`${text.slice(0, 40)}\`), before the closing \`---\`; indent it or put it inside quotes on the line above` });
    return { data, yamlText, startLine: 2, lineCount: yamlText.split('\n').length + 1, errors };
  }
  try {
    const js = load(yamlText);
    const size = expandedSize(js);
    // Aliases share one parsed value, but everything downstream (Astro's data store, the
    // rules, JSON) copies it out: a few hundred bytes of aliases can mean billions of values.
    if (size > MAX_VALUES) errors.push({ line: startLine, column: 1, message: `anchors and aliases (\`&a\` … \`*a\`) expand this frontmatter to ${size > 1e12 ? 'more than a trillion' : size.toLocaleString('en')} values; at most ${MAX_VALUES.toLocaleString('en')} are read` });
    else if (js && typeof js === 'object' && !Array.isArray(js)) data = js as Record<string, unknown>;
    else if (js !== undefined && js !== null) errors.push({ line: startLine, column: 1, message: 'frontmatter must be a mapping of `key: value` lines' });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    // An unclosed quote is only noticed where the text ends: point at the quote instead.
    const quote = /(double|single) quoted/.exec(error.reason)?.[1] === 'single' ? "'" : /quoted/.test(error.reason) ? '"' : undefined;
    const opened = quote ? unclosedQuote(yamlText, quote) : undefined;
    errors.push(
      opened
        ? { line: opened.line + startLine - 1, column: opened.column, message: `a ${quote === '"' ? 'double' : 'single'} quote opened here is never closed` }
        : { line: error.mark.line + startLine, column: error.mark.column + 1, message: error.reason },
    );
  }
  return { data, yamlText, startLine, lineCount: yamlText.split('\n').length + 1, errors };
}

/** The first line whose `quote` characters do not pair up, and the column of the last one. */
function unclosedQuote(text: string, quote: string): Position | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const unescaped = lines[i].replace(quote === '"' ? /\\"/g : /''/g, '');
    if ((unescaped.split(quote).length - 1) % 2 === 1) return { line: i + 1, column: lines[i].lastIndexOf(quote) + 1 };
  }
  return undefined;
}

interface Located {
  doc: Document;
  lines: LineCounter;
}
const located = new WeakMap<Frontmatter, Located>();

function locate(fm: Frontmatter): Located {
  let hit = located.get(fm);
  if (!hit) {
    const lines = new (yaml().LineCounter)();
    hit = { doc: yaml().parseDocument(fm.yamlText, { lineCounter: lines, prettyErrors: false }), lines };
    located.set(fm, hit);
  }
  return hit;
}

function toFile(fm: Frontmatter, { lines }: Located, offset: number): Position {
  const { line, col } = lines.linePos(offset);
  return { line: line + fm.startLine - 1, column: col };
}

/**
 * The same walk as `nodeAt` in yaml-node.ts, kept here because that module imports
 * `yaml` eagerly and this one must not (see `yaml()` above).
 */
function walk(doc: Document, path: readonly (string | number)[]): YamlNode | null {
  let node: unknown = doc.contents;
  let found = (doc.contents as YamlNode | null) ?? null;
  const { isMap, isSeq } = yaml();
  for (const key of path) {
    if (isMap(node)) node = node.items.find((p) => (p.key as { value?: unknown })?.value === key)?.value;
    else if (isSeq(node) && typeof key === 'number') node = node.items[key];
    else break;
    if (!node) break;
    found = node as YamlNode;
  }
  return found;
}

/** File position of the value at `path` (or of the closest parent that exists). */
export function positionOf(fm: Frontmatter, path: readonly (string | number)[]): Position {
  if (fm.lineCount === 0) return { line: 1, column: 1 };
  const loc = locate(fm);
  const found = walk(loc.doc, path);
  return found?.range ? toFile(fm, loc, found.range[0]) : { line: fm.startLine - 1, column: 1 };
}

/** File position of the key `key` in the mapping at `parent` (for findings about the key itself). */
export function positionOfKey(fm: Frontmatter, key: string, parent: readonly (string | number)[] = []): Position {
  if (fm.lineCount === 0) return { line: 1, column: 1 };
  const loc = locate(fm);
  const map = walk(loc.doc, parent);
  const pair = yaml().isMap(map) ? map.items.find((p) => (p.key as { value?: unknown })?.value === key) : undefined;
  const range = (pair?.key as YamlNode | undefined)?.range;
  return range ? toFile(fm, loc, range[0]) : { line: fm.startLine - 1, column: 1 };
}

/** The text of the value at `path` as written, when it is written without quotes (so YAML may read it as a date, number or boolean). */
export function plainSource(fm: Frontmatter, path: readonly (string | number)[]): string | undefined {
  if (fm.lineCount === 0) return undefined;
  const node = walk(locate(fm).doc, path) as { type?: string; source?: string } | null;
  return node?.type === 'PLAIN' ? node.source : undefined;
}

/** Paths of the unquoted scalars written exactly as `text` (YAML reads them by their look, not as text). */
export function plainScalarPaths(fm: Frontmatter, text: string): (string | number)[][] {
  if (fm.lineCount === 0) return [];
  const out: (string | number)[][] = [];
  const { isMap, isSeq, isScalar } = yaml();
  const visit = (node: unknown, path: (string | number)[]) => {
    if (isMap(node)) for (const p of node.items) visit(p.value, [...path, String((p.key as { value?: unknown })?.value)]);
    else if (isSeq(node)) node.items.forEach((item, i) => visit(item, [...path, i]));
    else if (isScalar(node) && node.type === 'PLAIN' && node.source === text) out.push(path);
  };
  visit(locate(fm).doc.contents, []);
  return out;
}

/** The parsed value at `path` in frontmatter data, or undefined. */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}
