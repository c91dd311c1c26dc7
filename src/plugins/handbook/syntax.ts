// The handbook directives' own syntax, shared by the rendering, the rules and the page
// script (so this file imports nothing: it is bundled into the client chunk too).
//
//   :::checklist[Acknowledge]{by=2m}      a band of a timed checklist: a task list to
//   - [ ] Acknowledge the page             finish within 2 minutes of the incident's start
//   :::
//                                          (without `by=`, on a page of such bands only: an
//                                          untimed checklist, ticked but not on the clock)
//
//   :::template[Internal kickoff]          a message with fill-in fields: one code block
//   ```text                                whose <PLACEHOLDER>s become fields
//   Incident declared - <SEVERITY: e.g. SEV-2>
//   ```
//   :::

/** The attributes each directive reads; anything else is a finding. */
export const ATTRIBUTES: Record<'checklist' | 'template', readonly string[]> = { checklist: ['by'], template: [] };

/** The longest target a checklist band may have: a day. */
export const MAX_TARGET_SECONDS = 24 * 3600;

const DURATION = /^(?:(\d{1,5})h)?(?:(\d{1,5})m)?(?:(\d{1,5})s)?$/;

/**
 * A band's target (`by=2m`, `90s`, `1h30m`) in seconds after the incident's start, or
 * undefined when it is not a duration we read.
 */
export function parseTarget(value: string): number | undefined {
  const m = DURATION.exec(value.trim());
  if (!m || value.trim() === '') return undefined;
  const seconds = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return seconds > 0 && seconds <= MAX_TARGET_SECONDS ? seconds : undefined;
}

/** A target as people say it: `2 min`, `1 h 30 min`, `45 s`. */
export function formatTarget(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : '', s ? `${s} s` : ''].filter(Boolean).join(' ');
}

/** A clock reading: `4:05`, `1:02:09`. */
export function formatClock(seconds: number): string {
  const t = Math.max(0, Math.floor(seconds));
  const h = Math.floor(t / 3600);
  const mm = String(Math.floor((t % 3600) / 60));
  const ss = String(t % 60).padStart(2, '0');
  return h ? `${h}:${mm.padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** A placeholder name: capitals and digits, words joined by a space, `_` or `-` (`START TIME UTC`, `YYYYMMDD`). */
export const PLACEHOLDER_NAME = /^[A-Z][A-Z0-9]*(?:[ _-][A-Z0-9]+)*$/;

/** One `<NAME>` or `<NAME: guidance>` in a template. */
export interface Placeholder {
  name: string;
  /** What to write, shown in the field (`e.g. "failed API requests"`). */
  hint: string;
  /** Offset of the `<` in the template text, and the length up to and including the `>`. */
  offset: number;
  length: number;
}

/** Something written like a placeholder that is not one, with why. */
export interface BadPlaceholder {
  offset: number;
  text: string;
  reason: string;
}

/**
 * The placeholders of a template, and what looks like one but is not: a `<` followed by a
 * letter is a placeholder, so it must close on its line and be named in capitals. Other
 * `<` (`a < b`, `<-`, `<3`) are text.
 */
export function scanTemplate(text: string): { placeholders: Placeholder[]; bad: BadPlaceholder[] } {
  const placeholders: Placeholder[] = [];
  const bad: BadPlaceholder[] = [];
  const open = /<(?=[A-Za-z])/g;
  for (let m = open.exec(text); m; m = open.exec(text)) {
    const at = m.index;
    const lineEnd = text.indexOf('\n', at) === -1 ? text.length : text.indexOf('\n', at);
    const close = text.indexOf('>', at);
    const nextOpen = text.indexOf('<', at + 1);
    if (close === -1 || close > lineEnd || (nextOpen !== -1 && nextOpen < close)) {
      bad.push({
        offset: at,
        text: text.slice(at, Math.min(lineEnd, at + 40)),
        reason: 'is not closed with `>` on its line',
      });
      continue;
    }
    const inner = text.slice(at + 1, close);
    const colon = inner.indexOf(':');
    const name = (colon === -1 ? inner : inner.slice(0, colon)).trim();
    const hint = colon === -1 ? '' : inner.slice(colon + 1).trim();
    if (!PLACEHOLDER_NAME.test(name) || name.length > 48 || (colon === -1 && name !== inner)) {
      bad.push({ offset: at, text: `<${inner}>`, reason: 'is not a placeholder name in capitals' });
    } else {
      placeholders.push({ name, hint, offset: at, length: close - at + 1 });
    }
    open.lastIndex = close + 1;
  }
  return { placeholders, bad };
}

/** What a filled-in template is made of: text, and the placeholders with their value (undefined when empty). */
export type Piece = { text: string } | { name: string; value: string | undefined };

/** The template in pieces with the values filled in; an empty value leaves `<NAME>` showing. */
export function fillTemplate(text: string, values: Readonly<Record<string, string>>): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  for (const p of scanTemplate(text).placeholders) {
    if (p.offset > at) pieces.push({ text: text.slice(at, p.offset) });
    pieces.push({ name: p.name, value: values[p.name] || undefined });
    at = p.offset + p.length;
  }
  if (at < text.length) pieces.push({ text: text.slice(at) });
  return pieces;
}

/** The text to copy: values where filled, `<NAME>` where not. */
export const filledText = (pieces: Piece[]): string =>
  pieces.map((p) => ('text' in p ? p.text : (p.value ?? `<${p.name}>`))).join('');

/** A short stable key for a task's text, so ticks stay on their task when others are added. */
export function taskKey(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
