import { createRequire } from 'node:module';
import { load, YAMLException } from 'js-yaml';
import type { Document, LineCounter, Node as YamlNode } from 'yaml';
import { placeYamlError } from './yaml-errors.ts';

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
  /** `---` YAML (positions known) or `+++` TOML (positions at the block). */
  format: 'yaml' | 'toml';
}

/** A 1-based place in a file. */
export interface Position {
  line: number;
  column: number;
}

/**
 * How Astro finds frontmatter (`@astrojs/internal-helpers/frontmatter`), which decides
 * what the build reads: after optional blank lines, `---` (YAML) or `+++` (TOML), up to
 * the first line that merely starts with `---` or `+++`.
 */
const ASTRO_FRONTMATTER = /(?:^\uFEFF?|^\s*\n)(---|\+\+\+)([\s\S]*?\n)(?:---|\+\+\+)/;
/** Whether the text opens a frontmatter block at all (Astro's test of the fence). */
const OPENS = /(?:^\uFEFF?|^\s*\n)(?:---|\+\+\+)/;

/** How many values frontmatter may hold once its aliases are expanded: far above any real page. */
const MAX_VALUES = 10_000;

/** The number of values `value` holds with every alias written out, counted without writing them out; Infinity for an alias inside itself. */
function expandedSize(value: unknown, memo = new Map<object, number>(), open = new Set<object>()): number {
  if (value === null || typeof value !== 'object' || value instanceof Date) return 1;
  const known = memo.get(value);
  if (known !== undefined) return known;
  if (open.has(value)) return Infinity;
  open.add(value);
  let total = 1;
  for (const child of Object.values(value)) total += expandedSize(child, memo, open);
  open.delete(value);
  memo.set(value, total);
  return total;
}

/** Whether `source` starts a frontmatter block (it may still never close). */
export const opensFrontmatter = (source: string) => OPENS.test(source);

/**
 * Splits and parses the frontmatter of Markdown `source` exactly where and how Astro's
 * content loader does: the same fences, js-yaml's default schema for `---`, smol-toml
 * for `+++`. Then it refuses what would make the two disagree with what a reader sees:
 * text after a fence on its line (a `---two"` inside a value ends the block for Astro).
 */
export function parseFrontmatter(source: string): Frontmatter {
  const bom = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const body = source.slice(bom);
  const m = ASTRO_FRONTMATTER.exec(body);
  if (!m) return { data: {}, yamlText: '', startLine: 1, lineCount: 0, errors: [], format: 'yaml' };
  const fenceLine = body.slice(0, m.index + m[0].indexOf(m[1])).split('\n').length;
  const firstBreak = m[2].indexOf('\n');
  const opening = m[2].slice(0, firstBreak).replace(/\r$/, '');
  const yamlText = m[2].slice(firstBreak + 1);
  const startLine = fenceLine + 1;
  const closeAt = m.index + m[0].length - 3;
  const closeLine = body.slice(0, closeAt).split('\n').length;
  const format = m[1] === '+++' ? 'toml' : 'yaml';
  const result: Frontmatter = { data: {}, yamlText, startLine, lineCount: closeLine, errors: [], format };
  const closing = body
    .slice(closeAt, body.indexOf('\n', closeAt) === -1 ? undefined : body.indexOf('\n', closeAt))
    .replace(/\r$/, '');
  if (!/^(---|\+\+\+)[ \t]*$/.test(closing)) {
    result.errors.push({
      line: closeLine,
      column: 1,
      message: `this line starts with \`${closing.slice(0, 3)}\`, so Astro ends the frontmatter here (\`${closing.slice(0, 40)}\`); indent it, or quote the value it belongs to`,
    });
    return result;
  }
  if (opening.trim() && !/^\s*#/.test(opening)) {
    result.errors.push({
      line: fenceLine,
      column: 4,
      message: 'text after the opening fence is read as part of the frontmatter; move it to its own line',
    });
    return result;
  }
  if (format === 'toml') return parseToml(m[2], result);
  // Values come from js-yaml with its default schema, exactly as Astro's content loader
  // reads frontmatter, so the checker hands the one schema (schema.ts) the same data
  // the build will: an unquoted timestamp is a Date on both paths. Positions come from
  // `yaml`'s LineCounter, parsed only when a finding needs one.
  const errors = result.errors;
  try {
    const js = load(m[2]);
    const size = expandedSize(js);
    // Aliases share one parsed value, but everything downstream (Astro's data store, the
    // rules, JSON) copies it out: a few hundred bytes of aliases can mean billions of values.
    if (size === Infinity)
      errors.push({
        line: startLine,
        column: 1,
        message: 'an alias (`*a`) is used inside the value it names (`&a`): the frontmatter would never end',
      });
    else if (size > MAX_VALUES)
      errors.push({
        line: startLine,
        column: 1,
        message: `anchors and aliases (\`&a\` … \`*a\`) expand this frontmatter to ${size > 1e12 ? 'more than a trillion' : size.toLocaleString('en')} values; at most ${MAX_VALUES.toLocaleString('en')} are read`,
      });
    else if (js && typeof js === 'object' && !Array.isArray(js)) result.data = js as Record<string, unknown>;
    else if (js !== undefined && js !== null)
      errors.push({ line: startLine, column: 1, message: 'frontmatter must be a mapping of `key: value` lines' });
  } catch (error) {
    if (error instanceof RangeError) {
      errors.push({ line: startLine, column: 1, message: 'the frontmatter is nested too deeply to read' });
      return result;
    }
    if (!(error instanceof YAMLException)) throw error;
    // js-yaml (Astro's reader) decides that the text is broken; `yaml` says where: the
    // offending token, not where js-yaml gave up (often the line after).
    const loc = locate(result);
    const first = loc.doc.errors[0];
    if (first) {
      const placed = placeYamlError(loc.doc, first);
      errors.push({ ...toFile(result, loc, placed.offset), message: `not valid YAML: ${placed.message}` });
    } else
      errors.push({
        line: error.mark.line + fenceLine,
        column: error.mark.column + 1,
        message: `not valid YAML: ${error.reason}`,
      });
  }
  return result;
}

/** TOML frontmatter (`+++`), read with smol-toml as Astro reads it; positions point at the block. */
function parseToml(text: string, result: Frontmatter): Frontmatter {
  try {
    const { parse } = require('smol-toml') as typeof import('smol-toml');
    result.data = parse(text);
  } catch (error) {
    const e = error as { line?: number; column?: number; message: string };
    result.errors.push({
      line: (e.line ?? 1) + result.startLine - 2,
      column: e.column ?? 1,
      message: e.message.split('\n')[0],
    });
  }
  return result;
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
  let found = doc.contents ?? null;
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
  if (fm.format === 'toml') return { line: fm.startLine - 1, column: 1 };
  const loc = locate(fm);
  const found = walk(loc.doc, path);
  return found?.range ? toFile(fm, loc, found.range[0]) : { line: fm.startLine - 1, column: 1 };
}

/** File position of the key `key` in the mapping at `parent` (for findings about the key itself). */
export function positionOfKey(fm: Frontmatter, key: string, parent: readonly (string | number)[] = []): Position {
  if (fm.lineCount === 0) return { line: 1, column: 1 };
  if (fm.format === 'toml') return { line: fm.startLine - 1, column: 1 };
  const loc = locate(fm);
  const map = walk(loc.doc, parent);
  const pair = yaml().isMap(map) ? map.items.find((p) => (p.key as { value?: unknown })?.value === key) : undefined;
  const range = (pair?.key as YamlNode | undefined)?.range;
  return range ? toFile(fm, loc, range[0]) : { line: fm.startLine - 1, column: 1 };
}

/**
 * The text of the value at `path` as written, when it is written without quotes (so YAML
 * may read it as a date, number or boolean) and without a tag: `!!float 1.10` is a number
 * on purpose, and quoting it (`!!float "1.10"`) would still read as one.
 */
export function plainSource(fm: Frontmatter, path: readonly (string | number)[]): string | undefined {
  if (fm.lineCount === 0 || fm.format === 'toml') return undefined;
  const node = walk(locate(fm).doc, path) as { type?: string; source?: string; tag?: string } | null;
  return node?.type === 'PLAIN' && node.tag === undefined ? node.source : undefined;
}

/** Paths of the unquoted scalars written exactly as `text` (YAML reads them by their look, not as text). */
export function plainScalarPaths(fm: Frontmatter, text: string): (string | number)[][] {
  if (fm.lineCount === 0 || fm.format === 'toml') return [];
  const out: (string | number)[][] = [];
  const { isMap, isSeq, isScalar } = yaml();
  const visit = (node: unknown, path: (string | number)[]) => {
    if (isMap(node))
      for (const p of node.items) visit(p.value, [...path, String((p.key as { value?: unknown })?.value)]);
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
