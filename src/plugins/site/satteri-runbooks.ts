import { fileURLToPath } from 'node:url';
import type { HastPluginInput, MdastPluginInput } from 'satteri';
import type { Element as HastElement } from 'hast';
import type { Code, Table } from 'mdast';
import { claimDirective } from '../severity/directives.ts';
import { claimHandbookDirective } from '../handbook/render.ts';
import { siteHref } from '../links/site-href.ts';
import { tableLabels } from './tables.ts';
import { taskLabel } from './task-labels.ts';
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
      table: (node, ctx) => {
        ctx.setProperty(node, 'data', tableLabels(node as Table, (cell) => ctx.textContent(cell as never)).table as Record<string, unknown>);
        return undefined;
      },
      code: (node) => (frameOutputBlock(node as Code) ?? wrapRunBlock(node as Code, (page ??= cliName(path, dir)))) as never,
    };
  };
}

/**
 * Sätteri renders no `data` set on table cells, so on Sätteri the cell labels of
 * `tableLabels` are added to the HTML instead: each body `td` gets its column's header
 * text as `data-label`.
 */
export function satteriTableLabels(): HastPluginInput {
  const elements = (node: { children?: readonly unknown[] } | undefined) =>
    (node?.children ?? []).filter((c): c is HastElement => (c as HastElement).type === 'element');
  return {
    name: 'runbooks-table-labels',
    element: {
      filter: ['td'],
      visit(node, ctx) {
        const row = ctx.parent(node) as HastElement | undefined;
        const body = row && (ctx.parent(row as never) as HastElement | undefined);
        const table = body && (ctx.parent(body as never) as HastElement | undefined);
        if (!row || !body || body.tagName !== 'tbody' || !table) return undefined;
        const column = elementIndex(row, ctx.indexOf(node) ?? -1);
        const header = elements(elements(elements(table).find((e) => e.tagName === 'thead'))[0])[column];
        const label = header ? ctx.textContent(header as never).trim() : '';
        return label ? ({ ...node, properties: { ...node.properties, dataLabel: label } } as never) : undefined;
      },
    },
  };
}

/** The position of the child at `index` among its parent's element children. */
function elementIndex(parent: HastElement, index: number): number {
  return parent.children.slice(0, index).filter((c) => c.type === 'element').length;
}

/** Sätteri's side of site/task-labels.ts: a GFM task checkbox is labelled with its item's text. */
export function satteriTaskLabels(): HastPluginInput {
  return {
    name: 'runbooks-task-labels',
    element: {
      filter: ['input'],
      visit(node, ctx) {
        if (node.properties?.type !== 'checkbox' || node.properties.ariaLabel !== undefined) return undefined;
        let item = ctx.parent(node) as HastElement | undefined;
        if (item?.tagName === 'p') item = ctx.parent(item as never) as HastElement | undefined;
        if (item?.tagName !== 'li') return undefined;
        return { ...node, properties: { ...node.properties, ariaLabel: taskLabel(ctx.textContent(item as never)) } } as never;
      },
    },
  };
}
