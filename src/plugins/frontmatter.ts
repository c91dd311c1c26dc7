import { load, YAMLException } from 'js-yaml';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';

/** A runbook's frontmatter parsed with positions, so findings can point at the exact key. */
export interface Frontmatter {
  /** The parsed YAML as plain data (`{}` when absent or broken). */
  data: Record<string, unknown>;
  /** 1-based line where the frontmatter body starts in the file (after `---`). */
  startLine: number;
  /** Number of lines the frontmatter block occupies, fences included (0 when absent). */
  lineCount: number;
  /** YAML syntax errors, positioned in file coordinates. */
  errors: { line: number; column: number; message: string }[];
  /** File position of the value at `path` (or of the closest parent that exists). */
  positionOf(path: readonly (string | number)[]): { line: number; column: number };
  /** File position of the key `key` in the mapping at `parent` (for unknown-key findings). */
  positionOfKey(key: string, parent?: readonly (string | number)[]): { line: number; column: number };
}

const FENCE = /^---[ \t]*\r?\n/;

/** Splits and parses the `---` frontmatter of Markdown `source`, tolerating BOM and CRLF. */
export function parseFrontmatter(source: string): Frontmatter {
  const bom = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const body = source.slice(bom);
  const open = FENCE.exec(body);
  const close = open ? /^---[ \t]*$/m.exec(body.slice(open[0].length)) : null;
  if (!open || !close) {
    const top = () => ({ line: 1, column: 1 });
    return { data: {}, startLine: 1, lineCount: 0, errors: [], positionOf: top, positionOfKey: top };
  }
  const yamlText = body.slice(open[0].length, open[0].length + close.index);
  const startLine = 2;
  const lineCount = yamlText.split('\n').length + 1;
  // Data comes from js-yaml, the parser Astro itself reads frontmatter with, so both
  // see the same values; it is also fast. Positions come from `yaml`'s LineCounter,
  // parsed only when a finding needs one.
  const errors: Frontmatter['errors'] = [];
  let data: Record<string, unknown> = {};
  try {
    const js = load(yamlText);
    if (js && typeof js === 'object' && !Array.isArray(js)) data = js as Record<string, unknown>;
    else if (js !== undefined && js !== null) errors.push({ line: startLine, column: 1, message: 'frontmatter must be a mapping of `key: value` lines' });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    errors.push({ line: error.mark.line + startLine, column: error.mark.column + 1, message: error.reason });
  }
  let doc: Document | undefined;
  let lineCounter: LineCounter;
  const parsed = () => {
    if (!doc) {
      lineCounter = new LineCounter();
      doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
    }
    return doc;
  };
  const toFile = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: line + startLine - 1, column: col };
  };
  const walk = (path: readonly (string | number)[]) => {
    let node: unknown = parsed().contents;
    let found: YamlNode | null = (parsed().contents as YamlNode | null) ?? null;
    for (const key of path) {
      if (isMap(node)) node = node.items.find((p) => (p.key as { value?: unknown })?.value === key)?.value;
      else if (isSeq(node) && typeof key === 'number') node = node.items[key];
      else break;
      if (!node) break;
      found = node as YamlNode;
    }
    return found;
  };
  const fence = { line: startLine - 1, column: 1 };
  return {
    data,
    startLine,
    lineCount,
    errors,
    positionOf(path) {
      const found = walk(path);
      return found?.range ? toFile(found.range[0]) : fence;
    },
    positionOfKey(key, parent = []) {
      const map = walk(parent);
      const pair = isMap(map) ? map.items.find((p) => (p.key as { value?: unknown })?.value === key) : undefined;
      const range = (pair?.key as YamlNode | undefined)?.range;
      return range ? toFile(range[0]) : fence;
    },
  };
}
