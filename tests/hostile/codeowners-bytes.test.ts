/**
 * The CODEOWNERS block is the only part of the file `runbook fix` and `runbook codeowners`
 * write: a BOM, each line's own ending (LF or CRLF, mixed) and a last line without one,
 * outside the block, stay byte for byte. Generated files, deterministic.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCodeowners, withBlock } from '../../src/plugins/index.ts';
import { BEGIN, END } from '../../src/plugins/codeowners/block.ts';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';

const dir = mkdtempSync(join(tmpdir(), 'runbooks-codeowners-'));
mkdirSync(join(dir, '.github'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writing the CODEOWNERS block keeps every byte outside it', () => {
  it('holds for generated files with a BOM, CRLF, LF and no final newline', () => {
    const rnd = mulberry32(20);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    for (let i = 0; i < 300; i++) {
      const eol = () => pick(['\n', '\r\n']);
      const outside = (n: number) =>
        Array.from({ length: n }, (_, k) => `${pick(['*', '/docs/', '# note', ''])}${k ? ` @t${k}` : ''}${eol()}`).join(
          '',
        );
      const before = `${rnd() < 0.3 ? '\uFEFF' : ''}${outside(Math.floor(rnd() * 4))}`;
      const blockEol = eol();
      const old = [BEGIN, '/old.md @a', END].join(blockEol);
      const afterLines = outside(Math.floor(rnd() * 4));
      const after = rnd() < 0.5 ? afterLines.replace(/\r?\n$/, '') : afterLines;
      const tail = after === '' && rnd() < 0.5 ? '' : eol();
      const raw = `${before}${old}${tail}${after}`;
      writeFileSync(join(dir, '.github/CODEOWNERS'), raw);
      const current = readCodeowners(dir);
      const out = withBlock(current, ['/new.md @b']);
      expect(out, JSON.stringify(raw)).toBe(`${before}${[BEGIN, '/new.md @b', END].join(blockEol)}${tail}${after}`);
    }
  });
});
