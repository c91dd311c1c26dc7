import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';

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
