/**
 * The bytes of a repository text file that is not UTF-8: where the first bad byte is, and
 * whether the file is UTF-16 or binary (NUL bytes) rather than text in another encoding.
 * Shared by the pages' reader (runbook/facts.ts) and the alert files' (alerts/load.ts).
 */
import { isUtf8 } from 'node:buffer';

/** Whether the bytes hold a NUL early on: UTF-16 (Windows PowerShell's default) or a binary file, never UTF-8 text. */
export const hasNulBytes = (buffer: Buffer) => buffer.subarray(0, 8192).includes(0);

/** Line and column of the first byte that breaks UTF-8. */
export function placeOfBadByte(buffer: Buffer): { line: number; column: number } {
  let i = 0;
  while (i < buffer.length) {
    const c = buffer[i];
    const size =
      c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    // isUtf8 on the one character also rejects overlong forms and surrogates.
    if (size === 0 || i + size > buffer.length || !isUtf8(buffer.subarray(i, i + size))) break;
    i += size;
  }
  const before = buffer.subarray(0, i).toString('utf8');
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: before.length - lineStart + 1 };
}
