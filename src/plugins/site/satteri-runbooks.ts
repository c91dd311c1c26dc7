import { fileURLToPath } from 'node:url';
import type { MdastPluginInput } from 'satteri';
import type { Code } from 'mdast';
import { claimDirective } from '../severity/directives.ts';
import { claimHandbookDirective } from '../handbook/render.ts';
import { siteHref } from '../links/site-href.ts';
import { cliName, frameOutputBlock, wrapRunBlock } from '../snippets/render.ts';
import type { RunbookMarkdownOptions } from './remark-runbooks.ts';

/**
 * The same plugin for sites on Sätteri (Astro 7's default processor): one visitor per
 * directive kind and one for code blocks, returning the claimed or framed node for
 * Sätteri to render.
 */
export function satteriRunbooks({ ladder, contentDirs, root, repoUrl }: RunbookMarkdownOptions): MdastPluginInput {
  return ({ fileURL }: { fileURL?: URL }) => {
    const path = fileURL ? fileURLToPath(fileURL) : '';
    if (!contentDirs.some((dir) => path.startsWith(dir))) return undefined;
    const claim = (node: { type: string; name: string }, label: string) => {
      const data = claimDirective(node, label, ladder);
      return data ? { ...node, data } : undefined;
    };
    const dir = contentDirs.find((d) => path.startsWith(d)) ?? '';
    let page: string | undefined;
    return {
      name: 'runbooks',
      leafDirective: (node, ctx) => claim(node, ctx.textContent(node)),
      textDirective: (node, ctx) => claim(node, ctx.textContent(node)),
      containerDirective: (node) => claimHandbookDirective(node) as never,
      link: (node) => {
        const href = siteHref(node.url, path, { root, contentDir: dir, repoUrl });
        return href ? ({ ...node, url: href } as never) : undefined;
      },
      definition: (node) => {
        const href = siteHref(node.url, path, { root, contentDir: dir, repoUrl });
        return href ? ({ ...node, url: href } as never) : undefined;
      },
      code: (node) => (frameOutputBlock(node as Code) ?? wrapRunBlock(node as Code, (page ??= cliName(path, dir)))) as never,
    };
  };
}
