import type { Element, ElementContent, Root } from 'hast';
import { visit } from 'unist-util-visit';

/**
 * GFM task lists (`- [ ] step`) render a checkbox with no label: a screen reader says
 * "checkbox, not checked" and nothing more (axe: `label`, critical). Each one gets the
 * text of its item as `aria-label`. Pages that use `:::checklist` get real labelled
 * checkboxes from handbook/; this covers every other task list, such as imported ones.
 */
export const taskLabel = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 200);

const textOf = (node: ElementContent | Element): string =>
  node.type === 'text' ? node.value : 'children' in node ? (node.children as ElementContent[]).map(textOf).join('') : '';

/** The checkbox leading a list item: its first child, or the first child of its first paragraph. */
function leadingCheckbox(li: Element): Element | undefined {
  const first = li.children.find((c) => c.type === 'element' || (c.type === 'text' && c.value.trim() !== ''));
  const candidate = first?.type === 'element' && first.tagName === 'p' ? first.children.find((c) => c.type === 'element') : first;
  return candidate?.type === 'element' && candidate.tagName === 'input' && candidate.properties.type === 'checkbox' ? candidate : undefined;
}

/** The rehype plugin, for sites on `unified()`. */
export function rehypeTaskLabels() {
  return (tree: Root) => {
    visit(tree, 'element', (li: Element) => {
      if (li.tagName !== 'li') return;
      const box = leadingCheckbox(li);
      if (box && box.properties.ariaLabel === undefined) box.properties.ariaLabel = taskLabel(textOf(li));
    });
  };
}
