import { isMap, isScalar, isSeq, type Document, type Node as YamlNode } from 'yaml';

/** Source offset range of a YAML node, as `yaml` records it. */
type Ranged = YamlNode & { range?: [number, number, number] | null };

/**
 * The node at `path` in a parsed document, or the deepest node on the way there when
 * the path runs out (a missing key points at the mapping that should hold it).
 */
export function nodeAt(root: unknown, path: readonly PropertyKey[]): Ranged | null {
  let node: unknown = root;
  let last = (root ?? null) as Ranged | null;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      node = pair?.value ?? pair?.key;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
    } else break;
    if (!node) break;
    last = node as Ranged;
  }
  return last;
}

/** The key node `key` of the mapping at `path`, for findings about the key itself (unknown keys). */
export function keyNodeAt(root: unknown, path: readonly PropertyKey[], key: string): Ranged | null {
  const map = nodeAt(root, path);
  if (!isMap(map)) return map;
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  return (pair?.key as Ranged | undefined) ?? map;
}

/** What an alias bomb is called in a finding. */
export const ALIAS_BOMB = 'anchors and aliases (`&a` … `*a`) expand this file too far to read';

/**
 * A parsed document's data, aliases expanded within `yaml`'s limit (100 per document);
 * undefined for a document that would expand without bound (an alias bomb).
 */
export function documentData(doc: Document): { data: unknown } | undefined {
  try {
    return { data: doc.toJS({ maxAliasCount: 100 }) };
  } catch (error) {
    if (error instanceof ReferenceError) return undefined;
    throw error;
  }
}
