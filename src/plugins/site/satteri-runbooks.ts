import { fileURLToPath } from 'node:url';
import type { HastPluginInput, MdastPluginInput } from 'satteri';
import type { Element as HastElement } from 'hast';
import { claimDirective } from '../severity/directives.ts';
import { claimHandbookDirective } from '../handbook/render.ts';
import { siteHref } from '../links/site-href.ts';
import { columnLabels, labelsItself, taskItem, taskLabel } from './labels.ts';
import { cliName, frameOutputBlock, wrapRunBlock } from '../snippets/render.ts';
import { noteRunBlock } from './heading-anchors.ts';
import { pageLinks, type RunbookMarkdownOptions } from './remark-runbooks.ts';

/**
 * The same plugin for sites on Sätteri (Astro 7's default processor): one visitor per
 * directive kind and one for code blocks, returning the claimed or framed node for
 * Sätteri to render.
 */
export function satteriRunbooks(options: RunbookMarkdownOptions): MdastPluginInput {
  const { ladder, contentDirs } = options;
  return ({ fileURL }: { fileURL?: URL }) => {
    const path = fileURL ? fileURLToPath(fileURL) : '';
    if (!contentDirs.some((dir) => path.startsWith(dir))) return undefined;
    const claim = (node: { type: string; name: string }, label: string) => {
      const data = claimDirective(node, label, ladder);
      return data ? { ...node, data } : undefined;
    };
    const dir = contentDirs.find((d) => path.startsWith(d)) ?? '';
    const links = pageLinks(options, path, dir);
    let page: string | undefined;
    return {
      name: 'runbooks',
      leafDirective: (node, ctx) => claim(node, ctx.textContent(node)),
      textDirective: (node, ctx) => claim(node, ctx.textContent(node)),
      containerDirective: (node) => claimHandbookDirective(node),
      link: (node) => {
        const href = siteHref(node.url, path, links);
        return href ? { ...node, url: href } : undefined;
      },
      definition: (node) => {
        const href = siteHref(node.url, path, links);
        return href ? { ...node, url: href } : undefined;
      },
      code: (node, ctx) => {
        const output = frameOutputBlock(node);
        if (output) return output;
        const wrapped = wrapRunBlock(node, (page ??= cliName(path, dir)));
        // The heading pass (heading-anchors.ts) reserves the block ids it finds here.
        if (wrapped) noteRunBlock(ctx.data, node.meta);
        return wrapped;
      },
    };
  };
}

/**
 * Sätteri's side of site/labels.ts: the table's column count, each body cell's column
 * label, each task checkbox's label, through Sätteri's parent and text lookups (it
 * renders no `data` set on table cells in the mdast pass, so this works on the HTML).
 */
export function satteriLabels(): HastPluginInput {
  return {
    name: 'runbooks-labels',
    element: {
      filter: ['table', 'td', 'input'],
      visit(node, ctx) {
        const el = node as HastElement;
        const text = (e: HastElement) => ctx.textContent(e);
        const parent = (e: HastElement) => ctx.parent(e as never) as HastElement | undefined;
        const withProps = (props: Record<string, unknown>) =>
          ({ ...node, properties: { ...node.properties, ...props } }) as never;
        if (el.tagName === 'table')
          return labelsItself(el) ? undefined : withProps({ dataCols: columnLabels(el, text).length });
        if (el.tagName === 'input') {
          const item = taskItem(el, parent);
          return item ? withProps({ ariaLabel: taskLabel(text(item)) }) : undefined;
        }
        const row = parent(el);
        const body = row && parent(row);
        const table = body && parent(body);
        if (!row || body?.tagName !== 'tbody' || !table || el.properties?.dataLabel !== undefined) return undefined;
        const label = columnLabels(table, text)[elementIndex(row, ctx.indexOf(node) ?? -1)];
        return label ? withProps({ dataLabel: label }) : undefined;
      },
    },
  };
}

/** The position of the child at `index` among its parent's element children. */
function elementIndex(parent: HastElement, index: number): number {
  return parent.children.slice(0, index).filter((c) => c.type === 'element').length;
}
