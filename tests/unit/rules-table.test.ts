import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/plugins/check/rules.ts';
import { ROOT } from '../build/helpers.ts';
import { cases } from '../fixtures/bad-input.ts';

/** Test code without its comments (strings kept whole): a rule id named only in a comment is not tested. */
function withoutComments(code: string): string {
  let out = '';
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < code.length && code[j] !== c) j += code[j] === '\\' ? 2 : 1;
      out += code.slice(i, j + 1);
      i = j + 1;
    } else if (code.startsWith('//', i)) {
      i = code.indexOf('\n', i) === -1 ? code.length : code.indexOf('\n', i);
    } else if (code.startsWith('/*', i)) {
      i = code.indexOf('*/', i) === -1 ? code.length : code.indexOf('*/', i) + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function testSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'fixtures' || name === 'rules-table.test.ts') return [];
    return statSync(path).isDirectory()
      ? testSources(path)
      : /\.(test|spec)\.ts$/.test(name)
        ? [withoutComments(readFileSync(path, 'utf8'))]
        : [];
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
      expect(rule.bad, rule.id).not.toEqual(rule.good);
    }
  });

  it('says for every row where its check runs and whether a baseline may accept it', () => {
    for (const rule of rules) {
      expect(['load', 'facts', 'build', 'change'], rule.id).toContain(rule.phase);
      // A facts row carries its check; a load, build or change row is reported by the loader, check/post-build.ts or runbook diff.
      expect('check' in rule, rule.id).toBe(rule.phase === 'facts');
      expect(['boolean', 'function'], rule.id).toContain(typeof rule.baseline);
    }
    // What the build cannot get past is never baselined.
    expect(rules.filter((r) => r.phase !== 'facts' && r.baseline !== false)).toEqual([]);
  });

  it('has a test that pins every rule id', () => {
    // Pinned: the rule of a finding the bad-input table expects (asserted against real
    // check output), or an id inside a string literal of test code, where an assertion can compare it.
    const pinnedByCases = new Set(cases.flatMap((c) => c.expected.map(([ruleId]) => ruleId)));
    const sources = testSources(join(ROOT, 'tests')).join('\n');
    const untested = rules
      .map((r) => r.id)
      .filter(
        (id) =>
          !pinnedByCases.has(id) &&
          !new RegExp(`['"\`][^'"\`\\n]*(?<![a-z-])${id}(?![a-z-])[^'"\`\\n]*['"\`]`).test(sources),
      );
    expect(untested).toEqual([]);
  });
});

describe('followsFrom', () => {
  it('names only facts rules of the table that report errors, never the row itself', () => {
    const byId = new Map(rules.map((r) => [r.id as string, r]));
    for (const r of rules as readonly { id: string; followsFrom?: readonly string[] }[])
      for (const cause of r.followsFrom ?? []) {
        expect(cause).not.toBe(r.id);
        expect(byId.get(cause), `${r.id} follows from ${cause}`).toMatchObject({ phase: 'facts', severity: 'error' });
      }
  });
});
