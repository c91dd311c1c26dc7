/**
 * The findings baseline on real projects: adopt with today's findings, keep them accepted
 * through unrelated edits, fail on new ones, say when some are fixed, and let the real
 * Astro build through with only baselined findings.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { project, removeProjects, write } from '../fixtures/check-project.ts';
import { cli } from '../fixtures/run/project.ts';
import { astroBuild, scratchSite } from '../build/helpers.ts';

afterAll(() => removeProjects());

const C = 'src/content/runbooks/t/legacy.md';
/** A page imported from elsewhere: two broken links (the same one twice) and an unknown severity. */
const legacy = (before = '') => `---
title: Legacy page
owner: "@ops-team"
severity: SEV-9
review:
  log:
    - { date: 2026-10-01, reviewer: "@ana", change: "Imported" }
---
${before}
See [the old page](/nowhere/) and, again, [the old page](/nowhere/).
`;

const json = (out: string) =>
  JSON.parse(out) as {
    diagnostics: { ruleId: string; line: number }[];
    baseline?: { accepted: number; fixed: number };
  };

describe('runbook check --update-baseline', () => {
  it("accepts today's findings, keeps them through unrelated edits, fails only on new ones, and says when some are fixed", async () => {
    const dir = project({ [C]: legacy() });
    const before = await cli(['check', '--format', 'json'], dir);
    expect(before.code).toBe(1);
    expect(
      json(before.out)
        .diagnostics.map((d) => d.ruleId)
        .sort(),
    ).toEqual(['link-broken', 'link-broken', 'severity-unknown']);

    const adopt = await cli(['check', '--update-baseline'], dir);
    expect(adopt.code).toBe(0);
    expect(adopt.out).toContain('Wrote runbooks.baseline.json: 3 findings (3 errors, 0 warnings)');
    const file = JSON.parse(readFileSync(join(dir, 'runbooks.baseline.json'), 'utf8'));
    expect(file.version).toBe(1);
    expect(file.findings).toHaveLength(3);

    const clean = await cli(['check'], dir);
    expect(clean.code).toBe(0);
    expect(clean.out).toContain('✔ 2 files checked: 0 errors, 0 warnings');
    expect(clean.out).toContain('(3 findings accepted by runbooks.baseline.json)');

    // Lines move: a new paragraph above the links. The baselined findings stay accepted.
    write(dir, C, legacy('A note added above.\n\nAnd another paragraph.\n'));
    expect((await cli(['check'], dir)).code).toBe(0);

    // A third copy of the same broken link is new.
    write(dir, C, `${legacy()}\nOnce more: [the old page](/nowhere/).\n`);
    const fresh = await cli(['check', '--format', 'json'], dir);
    expect(fresh.code).toBe(1);
    expect(json(fresh.out).diagnostics.map((d) => [d.ruleId, d.line])).toEqual([['link-broken', 12]]);
    expect(json(fresh.out).baseline).toEqual({ file: 'runbooks.baseline.json', accepted: 3, fixed: 0 });

    // Fixing a baselined finding is reported so the baseline can shrink.
    write(dir, C, legacy().replace('severity: SEV-9', 'severity: SEV-2'));
    const fixed = await cli(['check'], dir);
    expect(fixed.code).toBe(0);
    expect(fixed.out).toContain(
      '2 findings accepted by runbooks.baseline.json; 1 baselined finding no longer occurs: run `npx runbook check --update-baseline` to shrink the baseline',
    );

    // --no-baseline shows everything; the GitHub format carries the summary as a notice.
    expect((await cli(['check', '--no-baseline'], dir)).code).toBe(1);
    expect((await cli(['check', '--format', 'github'], dir)).out).toContain(
      '::notice file=runbooks.baseline.json::2 findings accepted',
    );
  });

  it('keeps numbers in names: a link to /db/db-2/ is not the baselined link to /db/db-1/; an entry accepts only its own file and rule', async () => {
    const dir = project({
      [C]: legacy()
        .replace('See [the old page](/nowhere/) and, again, [the old page](/nowhere/).', 'See [a](/db/db-1/).')
        .replace('SEV-9', 'SEV-1'),
    });
    expect((await cli(['check', '--update-baseline'], dir)).out).toContain('1 finding');
    write(
      dir,
      C,
      legacy()
        .replace('See [the old page](/nowhere/) and, again, [the old page](/nowhere/).', 'See [a](/db/db-2/).')
        .replace('SEV-9', 'SEV-1'),
    );
    expect((await cli(['check'], dir)).code).toBe(1);
    // Relabelled: an entry whose file or rule is not the finding's accepts nothing.
    write(dir, C, legacy().replace('SEV-9', 'SEV-1').replace(' and, again, [the old page](/nowhere/)', ''));
    expect((await cli(['check', '--update-baseline'], dir)).code).toBe(0);
    const file = JSON.parse(readFileSync(join(dir, 'runbooks.baseline.json'), 'utf8'));
    file.findings[0].rule = 'review-overdue';
    writeFileSync(join(dir, 'runbooks.baseline.json'), JSON.stringify(file));
    expect((await cli(['check'], dir)).code).toBe(1);
  });

  it('never accepts what the build cannot get past or what would put script on the site', async () => {
    const dir = project({ [C]: `${legacy()}\n<img src=x onerror="alert(1)">\n\n![graph](missing.png)\n` });
    const adopt = await cli(['check', '--update-baseline'], dir);
    expect(adopt.code).toBe(1);
    expect(adopt.out).toContain(
      '2 findings are not baselined: the build cannot get past them (or they would put script on the site). Fix them:',
    );
    expect(adopt.out).toContain('html-unsafe');
    const r = await cli(['check', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    expect(
      json(r.out)
        .diagnostics.map((d) => d.ruleId)
        .sort(),
    ).toEqual(['html-unsafe', 'link-broken']);
  });

  it('reports a baseline it cannot read as a finding, not a crash', async () => {
    const dir = project({ [C]: legacy() });
    writeFileSync(join(dir, 'runbooks.baseline.json'), '{ "version": 1, "findings": [ { "key": 3 } ] }');
    const r = await cli(['check', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    expect(json(r.out).diagnostics[0]).toMatchObject({ ruleId: 'config-invalid', line: 1 });
    writeFileSync(join(dir, 'runbooks.baseline.json'), 'not json');
    expect((await cli(['check'], dir)).out).toContain('runbooks.baseline.json is not valid JSON');
    expect((await cli(['check', '--update-baseline', 'src'], dir)).code).toBe(2);
  });
});

describe('the build with a baseline', () => {
  it('builds a site whose only findings are baselined, and still fails on a new one', async () => {
    const files = { 'src/content/runbooks/t/legacy.md': legacy() };
    const root = scratchSite('basic', 'baseline', files);
    const first = astroBuild(root);
    expect(first.status).not.toBe(0);
    expect((await cli(['check', '--update-baseline'], root)).code).toBe(0);
    const adopted = astroBuild(root);
    expect(adopted.status, adopted.output).toBe(0);
    expect(adopted.output).toMatch(/\d+ findings accepted by runbooks.baseline.json/);
    write(root, 'src/content/runbooks/t/legacy.md', `${legacy()}\n[new](/also-nowhere/)\n`);
    const broken = astroBuild(root);
    expect(broken.status).not.toBe(0);
    expect(broken.output).toContain('/also-nowhere/');
  }, 240_000);
});
