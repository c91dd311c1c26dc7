import { describe, expect, it } from 'vitest';
import { collectFacts } from '../../src/plugins/check/collect.ts';
import { runRules } from '../../src/plugins/check/rules.ts';
import { parseSeverityLadder } from '../../src/plugins/severity-ladder.ts';

const ladder = parseSeverityLadder(
  'levels:\n  - { id: SEV-1, label: Critical, definition: Down }\n  - { id: SEV-2, label: Major, definition: Degraded }\n',
  'severity.yaml',
);
const check = (source: string) =>
  runRules([collectFacts(source, 'r.md')], { ladder }).map((d) => [d.ruleId, d.line, d.column, d.message]);

describe('validation core: severity', () => {
  it('passes known severities, single or listed, in frontmatter and badges', () => {
    expect(check('---\ntitle: A\nseverity: SEV-1\n---\n\nSee :severity[SEV-2].\n')).toEqual([]);
    expect(check('---\ntitle: A\nseverity: [SEV-1, SEV-2]\n---\n')).toEqual([]);
  });

  it('reports an unknown frontmatter severity at its value', () => {
    expect(check('---\ntitle: A\nowner: "@x"\nseverity: SEV-9\n---\n')).toEqual([['severity-unknown', 4, 11, 'Unknown severity "SEV-9"']]);
  });

  it('reports the unknown entry of a list, not the list', () => {
    expect(check('---\ntitle: A\nseverity:\n  - SEV-1\n  - sev-2\n---\n')).toEqual([['severity-unknown', 5, 5, 'Unknown severity "sev-2"']]);
  });

  it('reports an unknown inline badge at the directive, counting frontmatter lines', () => {
    expect(check('---\ntitle: A\n---\n\nText\n\nNow :severity[P1] here.\n')).toEqual([
      ['severity-unknown', 7, 5, 'Unknown severity "P1" in :severity[…]'],
    ]);
  });

  it('never reports times and ratios that look like text directives', () => {
    expect(check('---\ntitle: A\n---\n\nAt 09:00 UTC, ratio 3:1, a:b and 0:00.\n')).toEqual([]);
  });

  it('reports broken frontmatter YAML instead of crashing', () => {
    const found = check('---\ntitle: A\nseverity: [SEV-1\n---\n');
    expect(found[0][0]).toBe('frontmatter-yaml');
  });
});
