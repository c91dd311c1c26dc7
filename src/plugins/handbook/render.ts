import type { ElementContent, Properties } from 'hast';
import type { Code, List, ListItem, Paragraph, PhrasingContent, RootContent } from 'mdast';
import type { ContainerDirective } from 'mdast-util-directive';
import { toString } from 'mdast-util-to-string';
// hName/hProperties/hChildren on mdast `data`: the fields both processors turn into HTML.
import type {} from 'mdast-util-to-hast';
import { formatTarget, parseTarget, taskKey } from './syntax.ts';

// Rendering of `:::checklist` and `:::template`, shared by both Markdown processors.
// Sätteri hands plugins frozen nodes, so these build new nodes and never change the old.

const text = (value: string): ElementContent => ({ type: 'text', value });
const el = (tagName: string, properties: Properties, children: ElementContent[] = []): ElementContent => ({
  type: 'element',
  tagName,
  properties,
  children,
});
/** An mdast node that renders as the given element (a paragraph: both processors honour its data). */
const block = (tagName: string, properties: Properties, children: ElementContent[] = []): Paragraph => ({
  type: 'paragraph',
  data: { hName: tagName, hProperties: properties, hChildren: children },
  children: [],
});

/** The label paragraph (`:::checklist[Label]`) and the rest. */
function splitLabel(node: ContainerDirective): { label: string; body: RootContent[] } {
  const [first, ...rest] = node.children;
  if (first?.type === 'paragraph' && (first.data as { directiveLabel?: boolean } | undefined)?.directiveLabel)
    return { label: toString(first), body: rest };
  return { label: '', body: node.children };
}

/**
 * A task list item as the checklist shows it: no GFM checkbox (without JavaScript it
 * could only be a dead, unlabelled control), a drawn box that prints, and a key for the
 * page script, which turns the item into a labelled checkbox.
 */
function taskItem(item: ListItem, seen: Map<string, number>): ListItem {
  const children = item.children.map((child) => (child.type === 'list' ? taskList(child, seen) : child));
  if (item.checked === null || item.checked === undefined) return { ...item, children };
  const base = taskKey(toString({ ...item, children: children.filter((c) => c.type !== 'list') }));
  const n = seen.get(base) ?? 0;
  seen.set(base, n + 1);
  const box = block('span', { className: ['rb-task__box'], ariaHidden: 'true' });
  const [first, ...rest] = children;
  const lead: ListItem['children'] =
    first?.type === 'paragraph'
      ? [{ ...first, children: [box, ...first.children] as PhrasingContent[] }, ...rest]
      : [box, ...children];
  return {
    ...item,
    checked: null,
    data: { ...item.data, hProperties: { className: ['rb-task'], dataTask: n ? `${base}-${n}` : base } },
    children: lead,
  };
}

function taskList(list: List, seen: Map<string, number>): List {
  const tasks = list.children.some((i) => typeof i.checked === 'boolean');
  return {
    ...list,
    data: tasks ? { ...list.data, hProperties: { className: ['rb-tasks'] } } : list.data,
    children: list.children.map((i) => taskItem(i, seen)),
  };
}

/** `:::checklist[Label]{by=2m}`: a band of a timed checklist. */
export function renderChecklist(node: ContainerDirective): ContainerDirective {
  const { label, body } = splitLabel(node);
  const seconds = parseTarget(node.attributes?.by ?? '');
  const seen = new Map<string, number>();
  const children = body.map((child) => (child.type === 'list' ? taskList(child, seen) : child));
  const target =
    seconds === undefined
      ? []
      : [
          el('span', { className: ['rb-checklist__by'] }, [
            text('Target: done by '),
            el('strong', {}, [text(formatTarget(seconds))]),
          ]),
        ];
  const head = block('p', { className: ['rb-checklist__head'] }, [
    ...(label ? [el('span', { className: ['rb-checklist__title'] }, [text(label)])] : []),
    ...target,
    // The page script writes "due in 1:20" / "overdue by 0:45" / "done" here.
    el('span', { className: ['rb-checklist__status'], dataStatus: '' }),
  ]);
  return {
    ...node,
    data: {
      hName: 'div',
      hProperties: { className: ['rb-checklist'], dataBy: seconds, dataLabel: label || undefined },
    },
    children: [head, ...children] as ContainerDirective['children'],
  };
}

/**
 * `:::template[Label]` around one code block: the block stays as it is (so the page reads
 * the same without JavaScript), and the page script adds a field per placeholder, the
 * filled-in message and a copy button in the hidden part.
 */
export function renderTemplate(node: ContainerDirective): ContainerDirective {
  const { label, body } = splitLabel(node);
  const code = body.find((c): c is Code => c.type === 'code');
  const title = label ? [block('p', { className: ['rb-template__title'] }, [text(label)])] : [];
  const live = block('div', { className: ['rb-template__live'], hidden: true });
  return {
    ...node,
    data: {
      hName: 'div',
      hProperties: { className: ['rb-template'], dataTemplate: code?.value, dataLabel: label || undefined },
    },
    children: [...title, ...body, ...(code ? [live] : [])] as ContainerDirective['children'],
  };
}

/** The handbook directive `node` renders as, or undefined when it is not one of ours. */
export function claimHandbookDirective(node: { type: string; name: string }): ContainerDirective | undefined {
  if (node.type !== 'containerDirective') return undefined;
  if (node.name === 'checklist') return renderChecklist(node as ContainerDirective);
  if (node.name === 'template') return renderTemplate(node as ContainerDirective);
  return undefined;
}
