/**
 * JSON for files and terminals (transcripts, `--format json`, `list --json`): what
 * JSON.stringify leaves raw inside strings (DEL, C1 controls, U+2028/9, bidi and other
 * invisible characters) is written as `\uXXXX` too, so `cat`-ing the output shows text
 * and the terminal guard has nothing left to change in it. Parses back to the same value.
 */
import { unsafeChars } from './terminal.ts';

/** `JSON.stringify(value, null, space)` with every character the terminal guard would escape written as a `\uXXXX` escape. */
export function toJsonText(value: unknown, space?: number): string {
  const text = JSON.stringify(value, null, space);
  if (text === undefined) return text;
  let out = '';
  let last = 0;
  for (const u of unsafeChars(text)) {
    // Only inside strings can such a character occur; `\n` and `\t` between tokens are admitted.
    const ch = String.fromCodePoint(text.codePointAt(u.index)!);
    out +=
      text.slice(last, u.index) +
      [...Array(ch.length).keys()].map((i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
    last = u.index + ch.length;
  }
  return out + text.slice(last);
}
