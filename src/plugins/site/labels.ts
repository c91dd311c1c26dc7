import type { Element, ElementContent, Root } from 'hast';
import { visit } from 'unist-util-visit';

/**
 * Labels the rendered HTML needs and Markdown cannot say, decided here once for both
 * Markdown processors (the rehype plugin below for `unified()`, the hast visitors in
 * satteri-runbooks.ts for Sätteri, which pass their own parent and text lookups):
 *
 * - a table's body cells get their column's header text (`data-label`) and the table its
 *   column count (`data-cols`), so a narrow column shows each row as a card of labelled
 *   lines instead of a table cut off at the edge (runbooks.css);
 * - a GFM task checkbox (`- [ ] step`) gets its item's text as `aria-label`: unlabelled,
 *   a screen reader says only "checkbox, not checked" (axe `label`, critical). Pages with
 *   `:::checklist` get real labelled checkboxes from handbook/; this covers every other
 *   task list, such as imported ones.
 */

type Text = (el: Element) => string;

/** The element children of a hast node, in order. */
export const elements = (node: { children?: readonly unknown[] } | undefined): Element[] =>
  (node?.children ?? []).filter((c): c is Element => (c as Element).type === 'element');

/** A table's column headers: the text of its head row's cells. */
export const columnLabels = (table: Element, text: Text): string[] =>
  elements(elements(elements(table).find((e) => e.tagName === 'thead'))[0]).map((th) => text(th).trim());

/**
 * Whether a table already labels its own cells (the severity ladder, which the
 * `::severity-table` directive renders with its own `data-label`s and `data-cols`): such
 * a table is left as it is.
 */
export const labelsItself = (table: Element): boolean =>
  elements(elements(table).find((e) => e.tagName === 'tbody')).some((row) =>
    elements(row).some((cell) => cell.properties.dataLabel !== undefined),
  );

/** A task checkbox's label: its item's text on one line, at most 200 characters. */
export const taskLabel = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 200);

/** The list item a checkbox leads, when it is a task checkbox (directly in the item, or in its first paragraph). */
export function taskItem(box: Element, parent: (el: Element) => Element | undefined): Element | undefined {
  if (box.tagName !== 'input' || box.properties.type !== 'checkbox' || box.properties.ariaLabel !== undefined)
    return undefined;
  let item = parent(box);
  if (item?.tagName === 'p') item = parent(item);
  return item?.tagName === 'li' ? item : undefined;
}

const textOf = (node: ElementContent | Element): string =>
  node.type === 'text' ? node.value : 'children' in node ? node.children.map(textOf).join('') : '';

/** The rehype plugin, for sites on `unified()`. */
export function rehypeLabels() {
  return (tree: Root) => {
    const parents = new Map<Element, Element>();
    visit(tree, 'element', (el: Element, _i, parent) => {
      if (parent?.type === 'element') parents.set(el, parent);
      if (el.tagName === 'table' && !labelsItself(el)) {
        const labels = columnLabels(el, textOf);
        el.properties.dataCols = labels.length;
        for (const row of elements(elements(el).find((e) => e.tagName === 'tbody'))) {
          elements(row).forEach((td, i) => {
            if (td.tagName === 'td' && labels[i]) td.properties.dataLabel = labels[i];
          });
        }
      }
      const item = taskItem(el, (e) => parents.get(e));
      if (item) el.properties.ariaLabel = taskLabel(textOf(item));
    });
  };
}
