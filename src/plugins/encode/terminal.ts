/**
 * The terminal guard: runbook text is shown, never obeyed. Every character outside an
 * allow-list (printable letters, marks, numbers, punctuation and symbols, the space, and
 * in multi-line text `\n` and `\t`) is written as a visible name such as `⟨ESC⟩`, `⟨CR⟩`
 * or `⟨U+202E⟩`, so an escape sequence, a carriage return or a bidi override cannot move
 * the cursor, recolour, retitle, write the clipboard (OSC 52) or hide what will run.
 */

/** The ASCII names of C0 controls, U+0000–U+001F. */
const C0 = [
  'NUL',
  'SOH',
  'STX',
  'ETX',
  'EOT',
  'ENQ',
  'ACK',
  'BEL',
  'BS',
  'HT',
  'LF',
  'VT',
  'FF',
  'CR',
  'SO',
  'SI',
  'DLE',
  'DC1',
  'DC2',
  'DC3',
  'DC4',
  'NAK',
  'SYN',
  'ETB',
  'CAN',
  'EM',
  'SUB',
  'ESC',
  'FS',
  'GS',
  'RS',
  'US',
];
const NAMES = new Map<string, number>([...C0.map((n, i) => [n, i] as [string, number]), ['DEL', 0x7f]]);

/** Opens and closes a visible name; the opener is itself escaped in the text, so the form can be read back. */
const OPEN = '⟨';
const CLOSE = '⟩';

/**
 * What may reach a terminal as it is: visible characters and the plain space. Invisible
 * ones (Default_Ignorable_Code_Point: bidi controls, zero-width spaces, the Hangul filler,
 * tag characters) are out although some are letters; variation selectors stay, they
 * only choose how an emoji looks.
 */
const PRINTABLE = /^(?:(?!\p{Default_Ignorable_Code_Point})[\p{L}\p{M}\p{N}\p{P}\p{S} ]|[\ufe0e\ufe0f])$/u;

/** How text is shown: `oneLine` escapes `\n` and `\t` too (a table cell, a title); `color` shows escapes in inverse video. */
export interface TerminalOptions {
  oneLine?: boolean;
  color?: boolean;
}

/** Text that is printable ASCII, `\n` and `\t` only: admitted as a whole without looking at each character (most text is). */
const PLAIN_ASCII = /^[ -~\n\t]*$/;

/** Whether `ch` (one code point) may be written as it is. */
const admitted = (ch: string, oneLine: boolean) => PRINTABLE.test(ch) || (!oneLine && (ch === '\n' || ch === '\t'));

/** The visible name of one code point: `⟨ESC⟩`, `⟨DEL⟩`, `⟨U+202E⟩`. */
function nameOf(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const name = cp < 0x20 ? C0[cp] : cp === 0x7f ? 'DEL' : `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return `${OPEN}${name}${CLOSE}`;
}

/** Runbook-derived text as a terminal may show it: every character outside the allow-list by its visible name (see module comment). Reversible with {@link fromTerminal}. */
export function forTerminal(text: string, options: TerminalOptions = {}): string {
  if (!options.oneLine && PLAIN_ASCII.test(text)) return text;
  let out = '';
  for (const ch of String(text)) {
    if (admitted(ch, options.oneLine ?? false) && ch !== OPEN) out += ch;
    else out += options.color ? `\x1b[7m${nameOf(ch)}\x1b[27m` : nameOf(ch);
  }
  return out;
}

/** Reads a plain {@link forTerminal} form back into the text it shows. */
export function fromTerminal(shown: string): string {
  return shown.replace(/⟨([A-Z0-9]{2,3}|U\+[0-9A-F]{4,6})⟩/g, (_m, name: string) =>
    String.fromCodePoint(name.startsWith('U+') ? parseInt(name.slice(2), 16) : NAMES.get(name)!),
  );
}

/** One character the terminal guard would not let through: where it is (0-based offset in UTF-16 units), its visible form, and its name for a message (`U+001B (ESC)`: no `⟨`, so an encoder of the message shows it once). */
export interface UnsafeChar {
  index: number;
  shown: string;
  name: string;
}

/** The characters of multi-line text (`\n` and `\t` allowed) that the guard would show by name: what a run block must not contain. */
export function unsafeChars(text: string): UnsafeChar[] {
  const found: UnsafeChar[] = [];
  if (PLAIN_ASCII.test(text)) return found;
  let index = 0;
  for (const ch of text) {
    if (!admitted(ch, false)) {
      const shown = nameOf(ch);
      const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      found.push({ index, shown, name: shown.includes('U+') ? code : `${code} (${shown.slice(1, -1)})` });
    }
    index += ch.length;
  }
  return found;
}

/** The colours and styles our own output uses (SGR codes): the only escape sequences the sink passes. */
const OWN_SGR = /^\x1b\[(?:(?:0|1|2|4|7|22|24|27|31|32|33|39)(?:;(?:0|1|2|4|7|22|24|27|31|32|33|39))*)?m/;

/**
 * The last door before the process's stdout and stderr: whatever a command prints is
 * passed through here, so a caller that forgot {@link forTerminal} still sends no control
 * character. With `color`, our own SGR colour codes pass; nothing else does. Idempotent on
 * {@link forTerminal} output (it leaves `⟨` alone; that form is already escaped).
 */
export function terminalSink(text: string, color: boolean): string {
  if (PLAIN_ASCII.test(text)) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (ch === '\x1b' && color) {
      const sgr = OWN_SGR.exec(text.slice(i, i + 64));
      if (sgr) {
        out += sgr[0];
        i += sgr[0].length;
        continue;
      }
    }
    out += admitted(ch, false) ? ch : color ? `\x1b[7m${nameOf(ch)}\x1b[27m` : nameOf(ch);
    i += ch.length;
  }
  return out;
}
