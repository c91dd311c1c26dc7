/**
 * One misread value is one finding: a variable's example, pattern or enum that YAML read
 * as a number (and that quoting would keep) does not also fail var-example-invalid on the
 * text it was misread as; a real mismatch of what was written is still reported.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { project, removeProjects } from '../fixtures/check-project.ts';
import { BASE, BASE_RUNBOOK } from '../fixtures/bad-input.ts';
import { cli } from '../fixtures/run/project.ts';

afterAll(() => removeProjects());

const HOST = '  HOST: { description: "Host", example: "q1.internal" }';
async function findings(variable: string): Promise<string[]> {
  const dir = project({ [BASE]: BASE_RUNBOOK.replace(HOST, variable) });
  const r = await cli(['check', '--format', 'json'], dir);
  return (JSON.parse(r.out) as { diagnostics: { ruleId: string; line: number }[] }).diagnostics.map(
    (d) => `${d.ruleId} ${d.line}`,
  );
}

describe('a misread variable value is one finding', () => {
  it('example, enum: the misread alone; written values judged as written', async () => {
    expect(await findings('  HOST: { description: "Host", pattern: "^\\\\d\\\\.\\\\d\\\\d$", example: 1.10 }')).toEqual(
      ['frontmatter-type 13'],
    );
    expect(await findings('  HOST: { description: "Host", enum: [1.10, "2.00"], example: "1.10" }')).toEqual([
      'frontmatter-type 13',
    ]);
    // Accepted as written (42 is "42"): the pattern still judges it.
    expect(await findings('  HOST: { description: "Host", pattern: "^[a-z]+$", example: 42 }')).toEqual([
      'var-example-invalid 13',
    ]);
  });
});
