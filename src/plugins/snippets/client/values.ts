// The values round trip without the DOM: which typed values fill the commands, which are
// kept for the incident, and what a change in storage (this tab, another tab, the incident
// ending) means for the fields on this page. snippets.ts applies it to the page.
import { utcHhmm } from '../../incident/store.ts';

/** A field of the variables form as this logic sees it. */
export interface Field {
  name: string;
  /** A secret field has no input: its value is never typed, filled in or kept. */
  secret: boolean;
  value: string;
  /** The field's pattern (frontmatter `pattern:`), when it has one. */
  pattern?: string;
  /** The choices of an enum field; a value that is not one of them is not a value here. */
  options?: string[];
}

/** Whether `value` satisfies the field's pattern and choices (an empty value is "not filled in", not wrong). */
export function valid(field: Field): boolean {
  if (field.value === '') return true;
  if (field.options && !field.options.includes(field.value)) return false;
  if (field.pattern === undefined) return true;
  try {
    return new RegExp(field.pattern).test(field.value);
  } catch {
    return false; // a pattern the browser cannot read accepts nothing (the checker reports it)
  }
}

/** The values that fill the commands: typed, valid, never a secret's. */
export function usable(fields: readonly Field[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) if (!f.secret && f.value !== '' && valid(f)) out[f.name] = f.value;
  return out;
}

/**
 * What to keep for `field` after the responder changed it: the value, '' to forget the
 * one kept (emptied, or no longer valid, so no command uses it), or undefined to leave
 * storage alone, always for a secret. The one decision before store.keepValue.
 */
export function toKeep(field: Field): string | undefined {
  if (field.secret) return undefined;
  return valid(field) ? field.value : '';
}

/**
 * What changed in the kept values between two reads of storage, as the value each field
 * on the page should now show ('' when it was forgotten). Only names that changed: a
 * field the responder is typing in that storage never held (storage blocked) is left alone.
 */
export function changes(before: Record<string, string>, after: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)]))
    if (before[name] !== after[name]) out[name] = after[name] ?? '';
  return out;
}

/**
 * The line under the form and an open field saying where values are kept. In UTC, named,
 * as the incident clock and the log page say when the page fired: a bare local time beside
 * them would read as the same clock and be hours off.
 */
export function keptNote(incident: { started: number } | undefined): string {
  if (!incident)
    return 'Typing a value opens an incident in this browser, so a reload keeps it. Secrets are never kept.';
  return `Kept in this browser for the incident that started ${utcHhmm(incident.started)} UTC, until it ends. Secrets are never kept.`;
}
