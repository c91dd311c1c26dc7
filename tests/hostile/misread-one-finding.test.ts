/**
 * One misread value is one finding: a variable's example, pattern or enum that YAML read
 * as a number (and that quoting would keep) does not also fail var-example-invalid on the
 * text it was misread as; a real mismatch of what was written is still reported.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

describe('a tagged value is not a misread that quoting mends', () => {
  it('fix leaves `!!float 1.10` alone (quoted, the tag still makes it a number) and the finding does not promise it', async () => {
    const page = BASE_RUNBOOK.replace('title: Queue stuck', 'title: !!float 1.10').replace(
      'services: [queue]',
      'services: [!!int 07, 1.50]',
    );
    const dir = project({ [BASE]: page });
    const check = await cli(['check', '--format', 'json'], dir);
    const found = (JSON.parse(check.out) as { diagnostics: { line: number; message: string; hint?: string }[] })
      .diagnostics;
    expect(found.map((d) => [d.line, d.message])).toEqual([
      [2, '`title` must be a string, not the number 1.1'],
      [5, '`services.0` must be a string, not the number 7'],
      [5, '`services.1` is text, but YAML reads unquoted 1.50 as the number 1.5, shown as "1.5"'],
    ]);
    expect(found.slice(0, 2).some((d) => d.hint?.includes('npx runbook fix'))).toBe(false);
    const fixed = await cli(['fix'], dir);
    expect(fixed.out.split('\n')[0]).toBe(`${BASE}: quoted 1.50 on line 5 (YAML would read it as another type)`);
    expect(readFileSync(join(dir, BASE), 'utf8')).toBe(page.replace('1.50]', '"1.50"]'));
  });
});

describe('a misread shortlink is one finding, and never locked as misread', () => {
  it('`010` (read as 10) is frontmatter-type alone; fix locks /r/010 after quoting, never /r/10', async () => {
    const page = BASE_RUNBOOK.replace('shortlinks: [queue-stuck]', 'shortlinks: [queue-stuck, 010]');
    const dir = project({
      [BASE]: page,
      'shortlinks.lock': '{ "version": 1, "slugs": { "queue-stuck": "/ops/queue-stuck/" } }\n',
    });
    const check = await cli(['check', '--format', 'json'], dir);
    expect(
      (JSON.parse(check.out) as { diagnostics: { ruleId: string; line: number }[] }).diagnostics.map(
        (d) => `${d.ruleId} ${d.line}`,
      ),
    ).toEqual(['frontmatter-type 6']);
    // A fix of other paths leaves the page unquoted: the lock must not take the misread slug.
    const elsewhere = await cli(['fix', 'src/content/slos'], dir);
    expect(elsewhere.out.split('\n')[0]).toBe('Nothing to fix.');
    expect(readFileSync(join(dir, 'shortlinks.lock'), 'utf8')).not.toContain('"10"');
    // The dry run prints what the real run writes: the lock follows the quoted page.
    const dry = await cli(['fix', '--dry-run'], dir);
    const fixed = await cli(['fix'], dir);
    expect(fixed.code).toBe(0);
    expect(dry.out.split('\n').slice(0, -1)).toEqual(fixed.out.split('\n').slice(0, -1));
    expect(dry.out.split('\n')[1]).toBe('shortlinks.lock: updated: + /r/010 → /ops/queue-stuck/');
    const lock = readFileSync(join(dir, 'shortlinks.lock'), 'utf8');
    expect([lock.includes('"010"'), lock.includes('"10"')]).toEqual([true, false]);
  });
});
