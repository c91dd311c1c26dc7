/**
 * `runbook codeowners` on real projects: the block maps runbooks and SLO files to their
 * owners, lines outside it are never touched, and the check reports a stale block.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { project, removeProjects, write } from '../fixtures/check-project.ts';
import { BASE, BASE_RUNBOOK } from '../fixtures/bad-input.ts';
import { cli } from '../fixtures/run/project.ts';

afterAll(() => removeProjects());

const ruleIds = async (dir: string) =>
  (
    JSON.parse((await cli(['check', '--format', 'json'], dir)).out) as {
      diagnostics: { ruleId: string; file: string; line: number }[];
    }
  ).diagnostics;

describe('runbook codeowners', () => {
  it('writes the block, keeps every other line, and the check holds the block to the content', async () => {
    const dir = project({
      'src/content/runbooks/t/second file.md': BASE_RUNBOOK.replace('"@ops-team"', '"@org/db-team"').replace(
        '[queue-stuck]',
        '[other-stuck]',
      ),
    });
    mkdirSync(join(dir, '.github'), { recursive: true });
    const theirs = '# Our own rules\n* @org/maintainers\n/docs/ @org/writers\n';
    writeFileSync(join(dir, '.github/CODEOWNERS'), theirs);
    // Before the block exists, nothing is required of CODEOWNERS.
    expect((await ruleIds(dir)).filter((d) => d.ruleId === 'codeowners-stale')).toEqual([]);

    const first = await cli(['codeowners'], dir);
    expect(first.code).toBe(0);
    expect(first.out).toBe('Updated the runbooks block of .github/CODEOWNERS: 3 files. Commit it.');
    const text = readFileSync(join(dir, '.github/CODEOWNERS'), 'utf8');
    expect(text.startsWith(theirs)).toBe(true);
    expect(text.slice(theirs.length).split('\n')).toEqual([
      '',
      "# BEGIN runbooks — written by `runbook codeowners` from each runbook and SLO file's `owner:`; edit those, not these lines",
      `/${BASE} @ops-team`,
      '/src/content/runbooks/t/second\\ file.md @org/db-team',
      '/src/content/slos/queue-latency.yaml @ops-team',
      '# END runbooks',
      '',
    ]);
    expect((await cli(['codeowners'], dir)).out).toBe('.github/CODEOWNERS is up to date (3 files).');
    expect((await ruleIds(dir)).filter((d) => d.ruleId === 'codeowners-stale')).toEqual([]);

    // An owner changes: the check points at the block; codeowners fixes it in place.
    write(dir, BASE, BASE_RUNBOOK.replace('"@ops-team"', '"@org/queue-team"'));
    expect((await ruleIds(dir)).filter((d) => d.ruleId === 'codeowners-stale')).toEqual([
      expect.objectContaining({ file: '.github/CODEOWNERS', line: 5, ruleId: 'codeowners-stale' }),
    ]);
    writeFileSync(
      join(dir, '.github/CODEOWNERS'),
      `${readFileSync(join(dir, '.github/CODEOWNERS'), 'utf8')}/after @org/late\n`,
    );
    expect((await cli(['codeowners'], dir)).code).toBe(0);
    const after = readFileSync(join(dir, '.github/CODEOWNERS'), 'utf8');
    expect(after.startsWith(theirs)).toBe(true);
    expect(after).toContain(`/${BASE} @org/queue-team\n`);
    expect(after.endsWith('# END runbooks\n/after @org/late\n')).toBe(true);
    expect((await ruleIds(dir)).filter((d) => d.ruleId === 'codeowners-stale')).toEqual([]);
  });

  it('writes only handles, escapes glob characters, keeps CRLF, and refuses a second block', async () => {
    const dir = project({
      'src/content/runbooks/t/a*b[1]!.md': BASE_RUNBOOK.replace('[queue-stuck]', '[ab-stuck]'),
      'src/content/runbooks/t/evil.md': BASE_RUNBOOK.replace('"@ops-team"', '"@db-team\\n* @evil"').replace(
        '[queue-stuck]',
        '[evil-stuck]',
      ),
    });
    mkdirSync(join(dir, '.github'), { recursive: true });
    writeFileSync(join(dir, '.github/CODEOWNERS'), '* @org/all\r\n');
    expect((await cli(['codeowners'], dir)).code).toBe(0);
    const text = readFileSync(join(dir, '.github/CODEOWNERS'), 'utf8');
    expect(text).not.toContain('@evil');
    expect(text).toContain('/src/content/runbooks/t/a\\*b\\[1\\]\\!.md @ops-team\r\n');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    writeFileSync(join(dir, '.github/CODEOWNERS'), `${text}# BEGIN runbooks\r\n/x @a\r\n# END runbooks\r\n`);
    expect((await cli(['codeowners'], dir)).code).toBe(1);
    expect((await ruleIds(dir)).filter((d) => d.ruleId === 'codeowners-stale').map((d) => d.line)).toEqual([
      text.split('\r\n').length,
    ]);
  });

  it('creates the file when there is none, and refuses a block that never ends', async () => {
    const dir = project();
    expect((await cli(['codeowners'], dir)).out).toBe(
      'Wrote the runbooks block of .github/CODEOWNERS: 2 files. Commit it.',
    );
    expect(readFileSync(join(dir, '.github/CODEOWNERS'), 'utf8').split('\n')[0]).toMatch(/^# BEGIN runbooks/);
    writeFileSync(join(dir, '.github/CODEOWNERS'), '# BEGIN runbooks\n/x @a\n');
    const r = await cli(['codeowners'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('.github/CODEOWNERS:1 opens the runbooks block but has no "# END runbooks" line');
    expect((await ruleIds(dir)).filter((d) => d.ruleId === 'codeowners-stale').map((d) => d.line)).toEqual([1]);
  });
});
