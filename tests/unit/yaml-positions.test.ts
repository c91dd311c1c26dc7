import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';
import type { ConfigError } from '../../src/plugins/runbook/config.ts';
import { loadProjectConfig } from '../../src/plugins/runbook/config.ts';
import { parseFrontmatter } from '../../src/plugins/runbook/frontmatter.ts';
import type { LadderError } from '../../src/plugins/severity/ladder.ts';
import { parseSeverityLadder } from '../../src/plugins/severity/ladder.ts';
import { parseSlo } from '../../src/plugins/slos/load.ts';

// Every YAML file the project reads reports a syntax error at the offending token, as the
// `yaml` library places it, counted in the file: generated documents with one error of a
// known kind at a known place.

type Kind = 'bad indentation' | 'unclosed quote' | 'duplicate key' | 'tab indent' | 'unclosed flow';
const KINDS: Kind[] = ['bad indentation', 'unclosed quote', 'duplicate key', 'tab indent', 'unclosed flow'];

interface Broken {
  kind: Kind;
  text: string;
  /** Where the error is, 1-based in `text`: the token the author must fix. */
  line: number;
  column: number;
}

/** A document of valid `key: value` lines with one error of `kind` after `before` of them. */
function broken(rnd: () => number, kind: Kind): Broken {
  const key = (i: number) => `key${i}_${Math.floor(rnd() * 1000)}`;
  const lines = Array.from({ length: Math.floor(rnd() * 12) }, (_, i) =>
    rnd() < 0.3 ? `${key(i)}:\n  inner: ${Math.floor(rnd() * 100)}` : `${key(i)}: value ${i}`,
  ).flatMap((l) => l.split('\n'));
  const after = Array.from({ length: Math.floor(rnd() * 5) }, (_, i) => `tail${i}: x`);
  const at = lines.length + 1;
  const pad = ' '.repeat(Math.floor(rnd() * 3));
  switch (kind) {
    case 'bad indentation':
      // The second item of a mapping one column left of the first.
      return {
        kind,
        text: [...lines, 'parent:', '   first: 1', '  second: 2', ...after].join('\n') + '\n',
        line: at + 2,
        column: 1,
      };
    case 'unclosed quote': {
      const open = `owner_x:${pad} "@team`;
      return { kind, text: [...lines, open, ...after].join('\n') + '\n', line: at, column: open.indexOf('"') + 1 };
    }
    case 'duplicate key':
      return {
        kind,
        text: [...lines, 'twice: 1', ...after, 'twice: 2'].join('\n') + '\n',
        line: at + after.length + 1,
        column: 1,
      };
    case 'tab indent':
      return { kind, text: [...lines, 'parent:', '\tchild: 1', ...after].join('\n') + '\n', line: at + 1, column: 1 };
    case 'unclosed flow':
      // The list runs into the next line, where the error shows: the next key, not in the list.
      return {
        kind,
        text: [...lines, `list:${pad} [a, b`, 'next: 1'].join('\n') + '\n',
        line: at + 1,
        column: 1,
      };
  }
}

/** The `yaml` library's own first error of `text`, as 1-based line and column. */
function libraryPlace(text: string): { line: number; column: number; code: string } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const [e] = doc.errors;
  const { line, col } = lines.linePos(e.pos[0]);
  return { line, column: col, code: e.code };
}

const rnd = mulberry32(4);
const docs = Array.from({ length: 300 }, (_, i) => broken(rnd, KINDS[i % KINDS.length]));
const dir = mkdtempSync(join(tmpdir(), 'runbooks-yaml-positions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('YAML errors are reported at the offending token', () => {
  it('the generated places are where the yaml library puts the error (an unclosed quote: at the quote)', () => {
    for (const d of docs) {
      const lib = libraryPlace(d.text);
      if (d.kind === 'unclosed quote') expect(lib.code, d.text).toBe('MISSING_CHAR');
      else
        expect({ line: lib.line, column: lib.column }, `${d.kind}\n${d.text}`).toEqual({
          line: d.line,
          column: d.column,
        });
    }
  });

  it('in frontmatter, counted in the file (after the fence and any blank lines before it)', () => {
    for (const [i, d] of docs.entries()) {
      const blank = i % 3;
      const fm = parseFrontmatter(`${'\n'.repeat(blank)}---\n${d.text}---\n\nBody.\n`);
      expect(
        fm.errors.map((e) => [e.line, e.column]),
        `${d.kind}\n${d.text}`,
      ).toEqual([[d.line + blank + 1, d.column]]);
    }
  });

  it('in runbooks.config.yaml, the severity ladder and SLO files', () => {
    for (const d of docs) {
      writeFileSync(join(dir, 'runbooks.config.yaml'), d.text);
      let config: ConfigError | undefined;
      try {
        loadProjectConfig(dir);
      } catch (error) {
        config = error as ConfigError;
      }
      let ladder: LadderError | undefined;
      try {
        parseSeverityLadder(d.text, 'src/content/severity.yaml');
      } catch (error) {
        ladder = error as LadderError;
      }
      const slo = parseSlo(d.text, 'src/content/slos/x.yaml', 'x').diagnostics;
      const place = [d.line, d.column];
      expect(
        config?.diagnostics.map((e) => [e.line, e.column]),
        d.text,
      ).toEqual([place]);
      expect(
        ladder?.diagnostics.map((e) => [e.line, e.column]),
        d.text,
      ).toEqual([place]);
      // An SLO file lists every error YAML finds; the first is the offending token.
      expect([slo[0].line, slo[0].column], d.text).toEqual(place);
    }
  });

  it('pins each kind: message, line and column', () => {
    const at = (text: string) => parseFrontmatter(`---\ntitle: A\n${text}---\n`).errors;
    expect(at('owner x\nseverity: SEV-1\n')).toEqual([
      { line: 3, column: 1, message: 'not valid YAML: Implicit keys need to be on a single line' },
    ]);
    expect(at('a:\n   b: 1\n  c: 2\n')).toEqual([
      { line: 5, column: 1, message: 'not valid YAML: All mapping items must start at the same column' },
    ]);
    expect(at('owner: "@x\nseverity: SEV-1\n')).toEqual([
      { line: 3, column: 8, message: 'not valid YAML: a double quote opened here is never closed' },
    ]);
    expect(at("owner: '@x\n")).toEqual([
      { line: 3, column: 8, message: 'not valid YAML: a single quote opened here is never closed' },
    ]);
    expect(at('title: B\n')).toEqual([{ line: 3, column: 1, message: 'not valid YAML: Map keys must be unique' }]);
    expect(at('a:\n\tb: 1\n')).toEqual([
      { line: 4, column: 1, message: 'not valid YAML: Tabs are not allowed as indentation' },
    ]);
    expect(at('services: [a, b\nowner: x\n')).toEqual([
      {
        line: 4,
        column: 1,
        message: 'not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      },
    ]);
  });
});
