import { describe, expect, it } from 'vitest';
import { collectFacts } from '../../src/plugins/runbook/facts.ts';
import { checkFacts } from '../../src/plugins/check/index.ts';
import { CONFIG_FILE, loadProjectConfig } from '../../src/plugins/runbook/config.ts';
import { affectsEveryPage } from '../../src/plugins/check/scope.ts';
import { BASELINE_FILE } from '../../src/plugins/check/baseline.ts';
import { LOCK_FILE } from '../../src/plugins/shortlinks/lock.ts';
import { CODEOWNERS_FILE } from '../../src/plugins/codeowners/block.ts';
import { LADDER_FILE, SLO_DIR } from '../../src/plugins/runbook/paths.ts';
import { ROOT } from '../build/helpers.ts';

const config = loadProjectConfig(ROOT);
/** Checks one in-memory page against the example project's ladder and SLOs. */
const check = (source: string) =>
  checkFacts(ROOT, [collectFacts(source, 'src/content/runbooks/t.md', 't.md')], {
    config,
    today: new Date('2026-11-23'),
  })
    .filter((d) => d.ruleId.startsWith('severity') || d.ruleId === 'frontmatter-yaml')
    .map((d) => [d.ruleId, d.line, d.column, d.message]);

describe('validation core: severity', () => {
  it('passes known severities, single or listed, in frontmatter and badges', () => {
    expect(check('---\ntitle: A\nseverity: SEV-1\n---\n\nSee :severity[SEV-2].\n')).toEqual([]);
    expect(check('---\ntitle: A\nseverity: [SEV-1, SEV-2]\n---\n')).toEqual([]);
  });

  it('reports an unknown frontmatter severity at its value', () => {
    expect(check('---\ntitle: A\nowner: "@x"\nseverity: SEV-9\n---\n')).toEqual([
      ['severity-unknown', 4, 11, 'Unknown severity "SEV-9"'],
    ]);
  });

  it('reports the unknown entry of a list, not the list', () => {
    expect(check('---\ntitle: A\nseverity:\n  - SEV-1\n  - sev-2\n---\n')).toEqual([
      ['severity-unknown', 5, 5, 'Unknown severity "sev-2"'],
    ]);
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
    expect(check('---\ntitle: A\nseverity: [SEV-1\n---\n')[0][0]).toBe('frontmatter-yaml');
  });
});

describe('the files every page is checked against (runbook check --changed-since)', () => {
  it('are the files the constants name, and the alert files the config names', () => {
    for (const file of [
      CONFIG_FILE,
      BASELINE_FILE,
      LOCK_FILE,
      LADDER_FILE,
      CODEOWNERS_FILE,
      `${SLO_DIR}/api.yaml`,
      'alerts/db.yml',
      // Grafana and Datadog exports as JSON are alert files by default too.
      'alerts/datadog/monitors.json',
    ]) {
      expect(affectsEveryPage(['src/content/runbooks/ops/a.md', file], config)).toBe(file);
    }
    // A file named by the project beats an alert file, whatever the order git listed them in.
    expect(affectsEveryPage(['alerts/db.yml', CONFIG_FILE], config)).toBe(CONFIG_FILE);
    expect(
      affectsEveryPage(['src/content/runbooks/ops/a.md', 'README.md', `${CONFIG_FILE}.orig`], config),
    ).toBeUndefined();
  });
});
