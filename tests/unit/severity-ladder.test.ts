import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LadderError, parseSeverityLadder } from '../../src/plugins/severity/ladder.ts';
import { columnTitle, severityTable } from '../../src/plugins/severity/render.ts';

const example = readFileSync(new URL('../../src/content/severity.yaml', import.meta.url), 'utf8');

function ladderErrors(text: string) {
  try {
    parseSeverityLadder(text, 'severity.yaml');
  } catch (error) {
    if (error instanceof LadderError) return error.diagnostics.map((d) => [d.ruleId, d.line, d.column, d.message]);
    throw error;
  }
  return [];
}

describe('severity ladder', () => {
  it('reads the example ladder in order, keeping unknown keys as extra columns in file order', () => {
    const ladder = parseSeverityLadder(example, 'severity.yaml');
    expect(ladder.levels.map((l) => l.id)).toEqual(['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4']);
    expect(ladder.extraColumns).toEqual(['updates', 'postmortem']);
    expect(ladder.byId.get('SEV-2')?.label).toBe('Major');
  });

  it('accepts any naming, P0–P3 included', () => {
    const ladder = parseSeverityLadder(
      'levels:\n  - { id: P0, label: Outage, definition: Down }\n  - { id: P1, label: Degraded, definition: Slow }\n',
      'x.yaml',
    );
    expect([...ladder.byId.keys()]).toEqual(['P0', 'P1']);
  });

  it('reports a level without a definition at the level', () => {
    expect(ladderErrors('levels:\n  - id: P0\n    label: Outage\n')).toEqual([
      ['severity-ladder-invalid', 2, 5, expect.stringContaining('levels.0.definition')],
    ]);
  });

  it('reports a duplicate id at its second use', () => {
    expect(
      ladderErrors('levels:\n  - { id: P0, label: A, definition: a }\n  - { id: P0, label: B, definition: b }\n'),
    ).toEqual([['severity-ladder-invalid', 3, 11, 'Severity ladder: id "P0" is used twice']]);
  });

  it('reports a colour that is not hex at the value', () => {
    expect(ladderErrors('levels:\n  - id: P0\n    label: A\n    definition: a\n    color: red\n')).toEqual([
      ['severity-ladder-invalid', 5, 12, expect.stringContaining('hex colour')],
    ]);
  });

  it('reports broken YAML with its line', () => {
    expect(ladderErrors('levels:\n  - id: [P0\n')[0]).toEqual([
      'severity-ladder-invalid',
      3,
      1,
      expect.stringContaining('not valid YAML'),
    ]);
  });

  it('renders every level as a row with a labelled badge and the extra columns as headers', () => {
    const table = JSON.stringify(severityTable(parseSeverityLadder(example, 'severity.yaml')));
    const titles = [
      ...table.matchAll(/"tagName":"th","properties":{"scope":"col"},"children":\[{"type":"text","value":"([^"]+)"/g),
    ].map((m) => m[1]);
    expect(titles).toEqual([
      'Level',
      'Definition',
      'Respond within',
      'Who is paged',
      'Resolve by',
      'Updates',
      'Postmortem',
    ]);
    expect(table).toContain('"value":"Critical"');
    expect(table).toContain('--sev-color: #d92d20');
    // Its column count, as site/labels.ts gives every Markdown table: the card layout reads it.
    expect(table).toContain('"tagName":"table","properties":{"dataCols":7}');
  });

  it('titles extra keys from their names', () => {
    expect(columnTitle('escalate_after')).toBe('Escalate after');
    expect(columnTitle('incident-commander')).toBe('Incident commander');
  });
});
