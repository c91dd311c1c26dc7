import type { Element, Root, RootContent } from 'hast';
import type { HastPluginInput } from 'satteri';
import { visit } from 'unist-util-visit';
import { headingAnchors } from '../runbook/anchors.ts';
import { parseMeta } from '../runbook/meta.ts';
import { runMeta } from '../runbook/run-meta.ts';

// Both Markdown processors give a heading that meets a run block id the anchor
// runbook/anchors.ts decides (`## Rollback` next to `id=rollback` is `#rollback-1`),
// before Astro's own heading-id pass: Astro keeps an id a heading already has, uses it in
// the page's headings (Starlight's "On this page") and slugs only the others. So from the
// first heading whose anchor differs from Astro's, every heading carries its id itself.

const HEADING = /^h[1-6]$/;

/** The key in Sätteri's per-document data bag where the Markdown pass leaves the page's run block ids. */
const RUN_IDS = 'runbookRunIds';

/** Records a run block's id (from its meta) for the heading pass of the same document (Sätteri). */
export function noteRunBlock(data: Record<string, unknown>, meta: string | null | undefined): void {
  const id = runMeta(parseMeta(meta)).id;
  if (id === undefined) return;
  const ids = (data[RUN_IDS] ??= []) as string[];
  ids.push(id);
}

/** A heading's text as Astro's heading-id pass reads it: its text, and raw HTML that is not a tag. */
function headingText(node: Element | RootContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'raw') return /^\n?<.*>\n?$/.test(node.value) ? '' : node.value;
  return 'children' in node ? node.children.map(headingText).join('') : '';
}

/** The rehype plugin, for sites on `unified()` (before Astro's rehypeHeadingIds). */
export function rehypeHeadingAnchors() {
  return (tree: Root) => {
    const runIds: string[] = [];
    const headings: Element[] = [];
    visit(tree, 'element', (el: Element) => {
      if (HEADING.test(el.tagName)) headings.push(el);
      else if (typeof el.properties.id === 'string' && el.properties.className?.includes('rb-snippet'))
        runIds.push(el.properties.id);
    });
    if (runIds.length === 0) return;
    const anchors = headingAnchors(runIds);
    for (const h of headings) {
      if (typeof h.properties.id === 'string') continue;
      const slug = anchors.slug(headingText(h));
      if (anchors.differs()) h.properties.id = slug;
    }
  };
}

/** The same pass for sites on Sätteri: a hast visitor of headings, with the run ids the Markdown pass noted. */
export function satteriHeadingAnchors(): HastPluginInput {
  return () => {
    let anchors: ReturnType<typeof headingAnchors> | undefined;
    return {
      name: 'runbooks-heading-anchors',
      element: {
        filter: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'],
        visit(node, ctx) {
          const runIds = ctx.data[RUN_IDS] as string[] | undefined;
          if (!runIds?.length || typeof node.properties?.id === 'string') return undefined;
          anchors ??= headingAnchors(runIds);
          const slug = anchors.slug(ctx.textContent(node));
          if (anchors.differs()) ctx.setProperty(node, 'id', slug);
          return undefined;
        },
      },
    };
  };
}
