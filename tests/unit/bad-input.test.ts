import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/plugins/runbook/diagnostic.ts';
import { checkProject } from '../../src/plugins/check/index.ts';
import { cases, TODAY } from '../fixtures/bad-input.ts';
import { project, removeProjects } from '../fixtures/check-project.ts';
import { astroAccepts } from '../fixtures/model/variants.ts';

afterAll(removeProjects);

function check(dir: string): Diagnostic[] {
  let found: Diagnostic[] | undefined;
  expect(() => {
    found = checkProject(dir, { today: TODAY });
  }).not.toThrow();
  return found ?? [];
}

describe('checkProject on bad input', () => {
  it('has at least 45 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it('finds nothing in the clean base project', () => {
    expect(check(project())).toEqual([]);
  });

  it.each(cases)('$name', async ({ files, config, expected, severities, messages }) => {
    const dir = project(files, config);
    const found = check(dir);
    expect(found.map((d) => [d.ruleId, d.file, d.line, d.column])).toEqual(expected);
    if (severities) expect(found.map((d) => d.severity)).toEqual(severities);
    if (messages) messages.forEach((m, i) => expect(`${found[i]?.message}\n${found[i]?.hint}`).toContain(m));
    // The model property on every page the case writes: whatever the build's content
    // layer would refuse, the check has already reported in that file.
    for (const [path, spec] of Object.entries(files)) {
      if (!/^src\/content\/runbooks\/.*\.md$/.test(path) || /\/_/.test(path) || typeof spec !== 'string') continue;
      const accepted = await astroAccepts(readFileSync(join(dir, path), 'utf8'));
      const errors = found.filter((d) => d.file === path && d.severity === 'error');
      if (!accepted)
        expect(
          errors.length,
          `${path}: the content layer refuses it, so the check must report an error`,
        ).toBeGreaterThan(0);
    }
  });
});
