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
  return h(
    'span',
    { className: ['sev-badge'], style: badgeStyle(level), 'data-severity': level.id, title: level.definition },
    [text(level.id), h('span', { className: ['sev-badge__label'] }, [text(level.label)])],
  );
}

function cell(value: unknown): ElementContent[] {
  if (value === undefined || value === null || value === '') return [text('—')];
  if (Array.isArray(value))
    return [
      h(
        'ul',
        {},
        value.map((v) => h('li', {}, [text(String(v))])),
      ),
    ];
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a ladder value of any YAML type, printed as JavaScript prints it
  return [text(String(value))];
}

/** A level's definition, then its examples (if any) as a labelled list. */
function definitionCell(level: SeverityLadder['levels'][number]): ElementContent[] {
  const examples = Array.isArray(level.examples) ? level.examples : level.examples ? [level.examples] : [];
  if (examples.length === 0) return cell(level.definition);
  return [
    h('p', {}, cell(level.definition)),
    h('p', { className: ['severity-table__examples-label'] }, [text(`${columnTitle('examples')}:`)]),
    h(
      'ul',
      { className: ['severity-table__examples'] },
      examples.map((v) => h('li', {}, [text(String(v))])),
    ),
  ];
}

/** The whole ladder as an accessible table, one row per level, extra keys as extra columns. */
export function severityTable(ladder: SeverityLadder): Element {
  // Examples sit under the definition they illustrate, so the table has room for what to do.
  const keys = ['definition', 'response', 'page', 'resolve', ...ladder.extraColumns];
  const present = keys.filter((k) => ladder.levels.some((l) => l[k] !== undefined));
  const head = h('thead', {}, [
    h('tr', {}, [
      h('th', { scope: 'col' }, [text('Level')]),
      ...present.map((k) => h('th', { scope: 'col' }, [text(columnTitle(k))])),
    ]),
  ]);
  const body = h(
    'tbody',
    {},
    ladder.levels.map((level) =>
      h('tr', { id: `severity-${level.id.toLowerCase()}` }, [
        h('th', { scope: 'row' }, [severityBadge(level)]),
        // data-label: on a phone each value sits under its label (see runbooks.css).
        ...present.map((k) =>
          h('td', { dataLabel: columnTitle(k) }, k === 'definition' ? definitionCell(level) : cell(level[k])),
        ),
      ]),
    ),
  );
  // data-cols: the ladder is laid out as every table in a page is (runbooks.css, "Tables"):
  // a table while its column has room, one card per level on a phone.
  return h('div', { className: ['severity-table'] }, [
    h('table', { dataCols: present.length + 1 }, [
      h('caption', {}, [text('Severity levels, most severe first')]),
      head,
      body,
    ]),
  ]);
}
