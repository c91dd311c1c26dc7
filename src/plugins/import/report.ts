/**
 * The import report (`.runbook/import-report.md`): every change by page, file:line,
 * before → after. The pages' text is quoted through the Markdown encoders, so a page
 * cannot write the report.
 */
import { markdownCode, markdownText } from '../encode/markdown.ts';
import type { ImportChange } from './page.ts';

/** The report's title line. */
export function reportTitle(given: string, from: string, into: string, today: string): string[] {
  return [`# runbook import of ${markdownText(given)} (${from}) into ${markdownText(into)} (${today})`, ''];
}

/** A page left as it is, because its target exists. */
export function keptSection(shown: string): string[] {
  return [`## ${markdownText(shown)}`, '', `- already there: left as it is`, ''];
}

/** A page written, with every change made to it. */
export function pageSection(shown: string, page: string, changes: readonly ImportChange[]): string[] {
  return [`## ${markdownText(shown)} (from ${markdownText(page)})`, '', ...changes.map((c) => changeLine(c)), ''];
}

/** What was not imported, and why. */
export function refusedSection(refused: readonly { path: string; why: string }[]): string[] {
  return refused.length
    ? ['## Not imported', '', ...refused.map((r) => `- ${markdownText(r.path)}: ${markdownText(r.why)}`), '']
    : [];
}

/** One change in the report. */
function changeLine(c: ImportChange): string {
  return `- line ${c.line}: ${markdownText(c.what)}${c.before !== undefined ? `\n  - before: ${markdownCode(c.before)}` : ''}${c.after !== undefined ? `\n  - after: ${markdownCode(c.after)}` : ''}`;
}
