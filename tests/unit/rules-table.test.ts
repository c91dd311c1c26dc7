import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/plugins/check/rules.ts';
import { ROOT } from '../build/helpers.ts';

function testSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'fixtures' || name === 'rules-table.test.ts') return [];
    return statSync(path).isDirectory() ? testSources(path) : /\.(test|spec)\.ts$/.test(name) ? [readFileSync(path, 'utf8')] : [];
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
    const sources = testSources(join(ROOT, 'tests')).join('\n');
    // The id must appear as a whole word in some test: a tuple, a message or a build report.
    const untested = rules.map((r) => r.id).filter((id) => !new RegExp(`(^|[^a-z-])${id}($|[^a-z-])`, 'm').test(sources));
    expect(untested).toEqual([]);
  });
});
