/**
 * YAML nested deeper than the `yaml` library's stack: it reports "Maximum call stack size
 * exceeded" at wherever the stack ran out (a column that depends on the machine). The
 * finding says what that means, at the start, the same on every machine.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseFrontmatter } from '../../src/plugins/index.ts';
import { placeYamlError } from '../../src/plugins/runbook/yaml-errors.ts';

const DEEP = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
const MESSAGE = 'nested too deeply to read (lists or mappings inside each other, hundreds of levels)';

describe('a YAML error in deeply nested YAML', () => {
  it('frontmatter: a later error behind deep nesting is reported as the nesting, at the first line', () => {
    const fm = parseFrontmatter(`---\ntitle: x\nd: ${DEEP}\na: b: c\n---\n`);
    expect(fm.errors).toEqual([{ line: 2, column: 1, message: `not valid YAML: ${MESSAGE}` }]);
  });
  it('any YAML file the project reads (config, ladder, SLOs, alerts) places it the same way', () => {
    const doc = parseDocument(`service: x\nwindow: ${DEEP}\n`);
    expect(doc.errors.length).toBeGreaterThan(0);
    expect(placeYamlError(doc, doc.errors[0])).toEqual({ offset: 0, message: MESSAGE });
  });
});
