import type { Root } from 'mdast';
import type { LeafDirective, TextDirective } from 'mdast-util-directive';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { SeverityLadder } from './severity-ladder.ts';
import { severityBadge, severityTable } from './severity-render.ts';

/** Options for {@link remarkRunbooks}. */
export interface RemarkRunbooksOptions {
  /** The loaded severity ladder. */
  ladder: SeverityLadder;
  /** Only files under these absolute directories are treated as runbooks. */
  contentDirs: string[];
}

/**
 * The runbook remark plugin: renders the directives we own, `::severity-table` and
 * `:severity[ID]`. It claims them (`data.hName`) so Starlight does not turn them back
 * into text. An unknown id is left unclaimed; the validation core reports it.
 */
export function remarkRunbooks(options: RemarkRunbooksOptions) {
  const { ladder, contentDirs } = options;
  return function transformer(tree: Root, file: VFile) {
    const path = file.path;
    if (!path || !contentDirs.some((dir) => path.startsWith(dir))) return;
    visit(tree, (node) => {
      if (node.type === 'leafDirective' && (node as LeafDirective).name === 'severity-table') {
        const table = severityTable(ladder);
        node.data = { hName: table.tagName, hProperties: table.properties, hChildren: table.children };
      } else if (node.type === 'textDirective' && (node as TextDirective).name === 'severity') {
        const level = ladder.byId.get(toString(node).trim());
        if (!level) return;
        const badge = severityBadge(level);
        node.data = { hName: badge.tagName, hProperties: badge.properties, hChildren: badge.children };
      }
    });
  };
}
