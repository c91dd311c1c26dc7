import type { Root } from 'mdast';
import type { LeafDirective, TextDirective } from 'mdast-util-directive';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { claimDirective } from './directives.ts';
import type { SeverityLadder } from './severity-ladder.ts';

/** Options for the runbook Markdown plugins. */
export interface RunbookMarkdownOptions {
  /** The loaded severity ladder. */
  ladder: SeverityLadder;
  /** Only files under these absolute directories (with a trailing slash) are runbooks. */
  contentDirs: string[];
}

/**
 * The runbook remark plugin, for sites on `unified()`: renders the directives we own
 * (`::severity-table`, `:severity[ID]`), claiming them so Starlight leaves them be.
 */
export function remarkRunbooks({ ladder, contentDirs }: RunbookMarkdownOptions) {
  return function transformer(tree: Root, file: VFile) {
    const path = file.path;
    if (!path || !contentDirs.some((dir) => path.startsWith(dir))) return;
    visit(tree, (node) => {
      if (node.type !== 'leafDirective' && node.type !== 'textDirective') return;
      const data = claimDirective(node as LeafDirective | TextDirective, toString(node), ladder);
      if (data) node.data = data;
    });
  };
}
