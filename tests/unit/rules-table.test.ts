import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/plugins/check/rules.ts';
import { ROOT } from '../build/helpers.ts';
import { cases } from '../fixtures/bad-input.ts';

/** Test code without its comments: a rule id named only in a comment is not tested. */
const withoutComments = (code: string) => code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

function testSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'fixtures' || name === 'rules-table.test.ts') return [];
    return statSync(path).isDirectory() ? testSources(path) : /\.(test|spec)\.ts$/.test(name) ? [withoutComments(readFileSync(path, 'utf8'))] : [];
  });
}

describe('the rule table', () => {
  it('has unique kebab-case ids, each with a summary, hint and examples for its docs page', () => {
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of rules) {
      expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(rule.summary.length, rule.id).toBeGreaterThan(20);
      expect(rule.hint.length, rule.id).toBeGreaterThan(10);
      expect(rule.bad, rule.id).not.toBe(rule.good);
    }
  });

  it('has a test that pins every rule id', () => {
    // Pinned: the rule of a finding the bad-input table expects (asserted against real
    // check output), or an id inside a string literal of test code, where an assertion can compare it.
    const pinnedByCases = new Set(cases.flatMap((c) => c.expected.map(([ruleId]) => ruleId)));
    const sources = testSources(join(ROOT, 'tests')).join('\n');
    const untested = rules.map((r) => r.id).filter((id) => !pinnedByCases.has(id) && !new RegExp(`['"\`][^'"\`\\n]*(?<![a-z-])${id}(?![a-z-])[^'"\`\\n]*['"\`]`).test(sources));
    expect(untested).toEqual([]);
  });
});
