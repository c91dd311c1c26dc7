import type { Data, Table, TableCell } from 'mdast';
import { toString } from 'mdast-util-to-string';

/**
 * What a Markdown table gets so a narrow column can show each row as a card of labelled
 * lines instead of a table cut off at the edge (runbooks.css): each body cell labelled
 * with its column's header (`data-label`), the table with its column count
 * (`data-cols`). Both Markdown processors apply these `data` values (remark by
 * assignment, Sätteri through its setProperty); the table's content stays as written.
 */
export function tableLabels(table: Table, text: (node: TableCell) => string = toString): { table: Data; cells: [TableCell, Data][] } {
  const [head, ...rows] = table.children;
  const labels = (head?.children ?? []).map((cell) => text(cell).trim());
  const cells = rows.flatMap((row) =>
    row.children.flatMap((cell, i): [TableCell, Data][] => (labels[i] ? [[cell, { ...cell.data, hProperties: { ...cell.data?.hProperties, dataLabel: labels[i] } }]] : [])),
  );
  return { table: { ...table.data, hProperties: { ...table.data?.hProperties, dataCols: labels.length } }, cells };
}
