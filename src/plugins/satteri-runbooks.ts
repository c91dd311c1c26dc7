import { fileURLToPath } from 'node:url';
import type { MdastPluginInput } from 'satteri';
import { claimDirective } from './directives.ts';
import type { RunbookMarkdownOptions } from './remark-runbooks.ts';

/**
 * The same plugin for sites on Sätteri (Astro 7's default processor): one visitor per
 * directive kind, returning the claimed node for Sätteri to render.
 */
export function satteriRunbooks({ ladder, contentDirs }: RunbookMarkdownOptions): MdastPluginInput {
  return ({ fileURL }: { fileURL?: URL }) => {
    const path = fileURL ? fileURLToPath(fileURL) : '';
    if (!contentDirs.some((dir) => path.startsWith(dir))) return undefined;
    const claim = (node: { type: string; name: string }, label: string) => {
      const data = claimDirective(node, label, ladder);
      return data ? { ...node, data } : undefined;
    };
    return {
      name: 'runbooks',
      leafDirective: (node, ctx) => claim(node, ctx.textContent(node)),
      textDirective: (node, ctx) => claim(node, ctx.textContent(node)),
    };
  };
}
