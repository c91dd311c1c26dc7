/**
 * A shortlink mistake on a page is one finding: while one of its shortlinks has a finding
 * of its own, `runbook fix` keeps the page's slugs out of the lock, so the check does not
 * also report its other (new) slugs as unlocked with a hint to run `npx runbook fix`, which
 * would not lock them. Mended, they are reported and fix locks them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { project, removeProjects, write } from '../fixtures/check-project.ts';
import { BASE, BASE_RUNBOOK } from '../fixtures/bad-input.ts';
import { cli } from '../fixtures/run/project.ts';

afterAll(() => removeProjects());

async function findings(dir: string): Promise<string[]> {
  const r = await cli(['check', '--format', 'json'], dir);
  return (JSON.parse(r.out) as { diagnostics: { ruleId: string; line: number }[] }).diagnostics.map(
    (d) => `${d.ruleId} ${d.line}`,
  );
}

describe('a shortlink anchor typo beside a new slug', () => {
  it('is shortlink-anchor-missing alone; once mended, the new slugs are unlocked and fix locks them', async () => {
    const lock = '{ "version": 1, "slugs": { "queue-stuck": "/ops/queue-stuck/" } }\n';
    const page = (anchor: string) =>
      `${BASE_RUNBOOK.replace(
        'shortlinks: [queue-stuck]',
        `shortlinks: [queue-stuck, queue-new, { slug: queue-look, anchor: ${anchor} }]`,
      )}\n## Look\n\nText.\n`;
    const dir = project({ [BASE]: page('lok'), 'shortlinks.lock': lock });
    expect(await findings(dir)).toEqual(['shortlink-anchor-missing 6']);
    const fix = await cli(['fix'], dir);
    expect([fix.code, fix.out.split('\n')[0]]).toEqual([1, 'Nothing to fix.']);
    expect(fix.out).not.toContain('shortlink-unlocked');
    write(dir, BASE, page('look'));
    expect(await findings(dir)).toEqual(['shortlink-unlocked 6', 'shortlink-unlocked 6']);
    expect((await cli(['fix'], dir)).code).toBe(0);
    expect(await findings(dir)).toEqual([]);
  });
});
