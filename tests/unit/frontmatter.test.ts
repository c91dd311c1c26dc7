import { describe, expect, it } from 'vitest';
import { parseFrontmatter, positionOf } from '../../src/plugins/runbook/frontmatter.ts';

describe('frontmatter with positions', () => {
  it('points at a value by path, in file lines', () => {
    const fm = parseFrontmatter('---\ntitle: A\nseverity: [SEV-1, P9]\n---\nbody\n');
    expect(fm.data.severity).toEqual(['SEV-1', 'P9']);
    expect(positionOf(fm, ['severity', 1])).toEqual({ line: 3, column: 19 });
    expect(fm.lineCount).toBe(4);
  });

  it('tolerates a byte-order mark and CRLF line endings', () => {
    const fm = parseFrontmatter('\uFEFF---\r\ntitle: A\r\nowner: "@x"\r\n---\r\nbody\r\n');
    expect(fm.data).toEqual({ title: 'A', owner: '@x' });
    expect(positionOf(fm, ['owner'])).toEqual({ line: 3, column: 8 });
  });

  it('returns no data for a file without frontmatter or with an unclosed block', () => {
    expect(parseFrontmatter('# Title\n').data).toEqual({});
    expect(parseFrontmatter('---\ntitle: A\n').lineCount).toBe(0);
  });

  it('reports YAML errors in file coordinates', () => {
    const fm = parseFrontmatter('---\ntitle: A\nowner: [a\n---\n');
    expect(fm.errors.length).toBeGreaterThan(0);
    expect(fm.errors[0].line).toBeGreaterThanOrEqual(3);
  });
});

describe('an unclosed quote', () => {
  it('is reported at the quote, not where the text runs out', () => {
    const fm = parseFrontmatter('---\ntitle: A\nowner: "@x\nseverity: SEV-1\nservices: [a]\n---\n');
    expect(fm.errors).toEqual([
      { line: 3, column: 8, message: 'not valid YAML: a double quote opened here is never closed' },
    ]);
  });
});
