/**
 * Markdown for text from runbooks (job summary, PR comment, timeline, import report):
 * the result renders as exactly the text, in a table cell or inline, whatever it holds.
 */
import { forTerminal } from './terminal.ts';

/**
 * What could start Markdown syntax anywhere in a line: escape, code, emphasis, links and
 * images, HTML and autolinks, entities, table pipes, strikethrough, math; `@` (e-mail
 * autolinks). Escaping these and no more keeps the Markdown source readable.
 */
const ANYWHERE = /[\\`*_[\]<>&|~$@]/g;

/**
 * Runbook text as inline Markdown that renders as that literal text: controls, line
 * breaks (`\r`, `\n`, U+2028/9) and invisible characters by their visible names (as the
 * terminal shows them); every character that could start inline syntax backslash-escaped,
 * as are a block marker at the start (`#`, `-`, `1.`, `>`), the `:` of `http://` and the
 * dot of `www.` (no autolink); a space at either end as a character reference (a table
 * cell would trim it).
 */
export function markdownText(text: string): string {
  return forTerminal(text, { oneLine: true })
    .replace(ANYWHERE, '\\$&')
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/^(\d*)([!-/:-@[-`{-~])/, (m, digits: string, mark: string) => (mark === '\\' ? m : `${digits}\\${mark}`))
    .replace(/^ | $/g, '&#32;');
}

/** Runbook text as a Markdown code span (outside tables): a backtick fence longer than any run inside, so the text is literal whatever it holds. */
export function markdownCode(text: string): string {
  const shown = forTerminal(text, { oneLine: true });
  const fence = '`'.repeat(Math.max(0, ...[...shown.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  const pad = shown === '' || /^[` ]|[` ]$/.test(shown) ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}
