/**
 * Markdown for text from runbooks (job summary, PR comment, timeline, import report):
 * the result renders as exactly the text, in a table cell or inline, whatever it holds.
 */
import { forTerminal, fromTerminal } from './terminal.ts';

/**
 * What could start Markdown syntax anywhere in a line: escape, code, emphasis, links and
 * images, HTML and `<…>` autolinks, entities, table pipes, strikethrough, math, and `@`
 * (an e-mail autolink would show escapes inside it literally). Escaping these and no more
 * keeps the Markdown source readable.
 */
const ANYWHERE = /[\\`*_[\]<>&|~$@]/g;

/**
 * Runbook text as inline Markdown that renders as that literal text: controls, line
 * breaks (`\r`, `\n`, U+2028/9) and invisible characters by their visible names (as the
 * terminal shows them); every character that could start inline syntax backslash-escaped,
 * as is a block marker at the start (`#`, `>`, `-`, `+`, `=`, `1.`), and the `:` of `://`
 * and the dot of `www.` (GFM would read a literal autolink from the raw text, backslashes
 * and all); a space at either end as a character reference (a table cell would trim it).
 * A renderer may still link a bare address after unescaping: its text is then exactly the
 * address, so it shows what it is.
 */
export function markdownText(text: string): string {
  return forTerminal(text, { oneLine: true })
    .replace(ANYWHERE, '\\$&')
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/^[#>+=-]|^(\d{1,9})([.)])(?= |$)/, (m, digits?: string, mark?: string) =>
      digits === undefined ? `\\${m}` : `${digits}\\${mark}`,
    )
    .replace(/^ | $/g, '&#32;');
}

/**
 * Runbook text as a Markdown code span (outside tables): a backtick fence longer than any
 * run inside, so the text is literal whatever it holds. `{ shown: true }` when the text is
 * already in its visible form (after {@link markdownText} was undone with `markdownUnescaped`);
 * `{ table: true }` inside a table cell (text with a pipe then comes as {@link markdownText}).
 */
export function markdownCode(text: string, options: { shown?: boolean; table?: boolean } = {}): string {
  const shown = options.shown ? text : forTerminal(text, { oneLine: true });
  // In a GFM table a pipe ends the cell even inside a code span, and `\\|` there is an escaped
  // backslash and then a pipe: such text is written as escaped text instead.
  if (options.table && shown.includes('|')) return markdownText(fromTerminal(shown));
  const fence = '`'.repeat(Math.max(0, ...[...shown.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  // CommonMark strips one space at each end when both are there, unless the span is all spaces.
  const pad = shown === '' || (/[^ ]/.test(shown) && /^[` ]|[` ]$/.test(shown)) ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/** The visible form a {@link markdownText} result shows: its backslash escapes and edge-space references undone. */
export const markdownUnescaped = (encoded: string) =>
  encoded.replace(/&#32;/g, ' ').replace(/\\([!-/:-@[-`{-~])/g, '$1');
