import type { Element, ElementContent } from 'hast';
import type { SeverityLadder, SeverityLevel } from './ladder.ts';

/** Minimal hast element builder; keeps the plugin free of raw HTML strings. */
function h(tagName: string, properties: Element['properties'], children: ElementContent[] = []): Element {
  return { type: 'element', tagName, properties, children };
}
const text = (value: string): ElementContent => ({ type: 'text', value });

/** Column titles for the well-known keys; extra keys are title-cased from their names. */
const HEADINGS: Record<string, string> = {
  definition: 'Definition',
  examples: 'Examples',
  response: 'Respond within',
  page: 'Who is paged',
  resolve: 'Resolve by',
};

/** Turns `escalate_after` or `escalate-after` into "Escalate after". */
export function columnTitle(key: string): string {
  if (HEADINGS[key]) return HEADINGS[key];
  const words = key.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The inline style that colours a badge; the label text carries the meaning. */
export function badgeStyle(level: SeverityLevel | undefined): string | undefined {
  return level?.color ? `--sev-color: ${level.color}` : undefined;
}

/** A severity badge as hast: `<span class="sev-badge">SEV-1 · Critical</span>`. */
export function severityBadge(level: SeverityLevel): Element {
  return h('span', { className: ['sev-badge'], style: badgeStyle(level), 'data-severity': level.id, title: level.definition }, [
    text(level.id),
    h('span', { className: ['sev-badge__label'] }, [text(level.label)]),
  ]);
}

function cell(value: unknown): ElementContent[] {
  if (value === undefined || value === null || value === '') return [text('—')];
  if (Array.isArray(value)) return [h('ul', {}, value.map((v) => h('li', {}, [text(String(v))])))];
  return [text(String(value))];
}

/** The whole ladder as an accessible table, one row per level, extra keys as extra columns. */
export function severityTable(ladder: SeverityLadder): Element {
  // What to do comes before examples: the columns an on-call engineer needs first stay in view.
  const keys = ['definition', 'response', 'page', 'resolve', ...ladder.extraColumns, 'examples'];
  const present = keys.filter((k) => ladder.levels.some((l) => l[k] !== undefined));
  const head = h('thead', {}, [
    h('tr', {}, [h('th', { scope: 'col' }, [text('Level')]), ...present.map((k) => h('th', { scope: 'col' }, [text(columnTitle(k))]))]),
  ]);
  const body = h(
    'tbody',
    {},
    ladder.levels.map((level) =>
      h('tr', { id: `severity-${level.id.toLowerCase()}` }, [
        h('th', { scope: 'row' }, [severityBadge(level)]),
        // data-label lets narrow screens show each cell as a labelled line (see runbooks.css).
        ...present.map((k) => h('td', { dataLabel: columnTitle(k) }, cell(level[k]))),
      ]),
    ),
  );
  return h('div', { className: ['severity-table'] }, [h('table', {}, [h('caption', {}, [text('Severity levels, most severe first')]), head, body])]);
}
