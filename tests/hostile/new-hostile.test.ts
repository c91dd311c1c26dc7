/**
 * `runbook new` against hostile layouts: a folder that is a symbolic link out of the
 * repository (or to nothing), a page file that is a dangling link, and a URL another page
 * or the site already has. Each is refused (exit 2, nothing written outside), never a page
 * that the check then reports or never reads.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { project, removeProjects } from '../fixtures/check-project.ts';
import { BASE_RUNBOOK } from '../fixtures/bad-input.ts';
import { cli } from '../fixtures/run/project.ts';

const TEAMS = 'teams: ["@ops-team", "@db-team"]\n';
const outside = mkdtempSync(join(tmpdir(), 'runbooks-outside-'));
afterAll(() => {
  removeProjects();
  rmSync(outside, { recursive: true, force: true });
});

describe('runbook new refuses what would not check clean or would leave the repository', () => {
  it('a symbolic link out of the repository, or to nothing, is not written through', async () => {
    const dir = project(
      {
        'src/content/runbooks/evil': { symlink: outside },
        'src/content/runbooks/gone': { symlink: join(outside, 'missing') },
        'src/content/runbooks/ops/dangling.md': { symlink: join(outside, 'nothing.md') },
      },
      TEAMS,
    );
    const cases: [string, string][] = [
      [
        'evil/pwn',
        `src/content/runbooks/evil is not a folder inside the repository (a symbolic link to ${outside}): a runbook is not written through it.`,
      ],
      [
        'evil/deeper/pwn',
        `src/content/runbooks/evil is not a folder inside the repository (a symbolic link to ${outside}): a runbook is not written through it.`,
      ],
      [
        'gone/pwn',
        `src/content/runbooks/gone is not a folder inside the repository (a symbolic link to ${join(outside, 'missing')}): a runbook is not written through it.`,
      ],
      ['ops/dangling', 'src/content/runbooks/ops/dangling.md already exists; edit it, or pick another name.'],
    ];
    for (const [name, message] of cases) {
      const r = await cli(['new', name], dir);
      expect([r.code, r.err.split('\n')[0]], name).toEqual([2, message]);
    }
    expect(readdirSync(outside)).toEqual([]);
  });

  it('a URL that another page or the site has is refused before anything is written', async () => {
    const dir = project(
      { 'src/content/runbooks/ops/sub/index.md': BASE_RUNBOOK.replace('queue-stuck', 'sub-x') },
      TEAMS,
    );
    mkdirSync(join(dir, 'src/content/runbooks/r'), { recursive: true });
    const cases: [string, string][] = [
      [
        'r/page',
        'The URL /r/page/ is one the site publishes itself (/r/…, /rules/<rule>/, /slos/<slo>/): pick another folder or name.',
      ],
      ['ops/sub', "The URL /ops/sub/ is already src/content/runbooks/ops/sub/index.md's: pick another name."],
      [
        'ops/queue-stuck/index',
        "The URL /ops/queue-stuck/ is already src/content/runbooks/ops/queue-stuck.md's: pick another name.",
      ],
    ];
    for (const [name, message] of cases) {
      const r = await cli(['new', name], dir);
      expect([r.code, r.err.split('\n')[0]], name).toEqual([2, message]);
    }
    expect(existsSync(join(dir, 'src/content/runbooks/r/page.md'))).toBe(false);
    expect(existsSync(join(dir, 'src/content/runbooks/ops/sub.md'))).toBe(false);
  });
});

describe('runbook new with a name YAML reads as a number', () => {
  it('010, 1e3, 0x1f and null are slugs: the page quotes its shortlink and checks clean, the lock has the name', async () => {
    const dir = project({ 'shortlinks.lock': '{ "version": 1, "slugs": {} }\n' }, TEAMS);
    for (const name of ['010', '1e3', '0x1f', 'null']) {
      const r = await cli(['new', `ops/${name}`], dir);
      expect([r.code, r.out.split('\n')[0]], name).toEqual([
        0,
        `Wrote src/content/runbooks/ops/${name}.md (owner @ops-team, shortlink /r/${name}).`,
      ]);
      expect(readFileSync(join(dir, `src/content/runbooks/ops/${name}.md`), 'utf8')).toContain(
        `shortlinks: ["${name}"]`,
      );
    }
    const check = await cli(['check', '--format', 'json'], dir);
    expect((JSON.parse(check.out) as { diagnostics: unknown[] }).diagnostics).toEqual([]);
    const lock = JSON.parse(readFileSync(join(dir, 'shortlinks.lock'), 'utf8')) as { slugs: Record<string, string> };
    expect(Object.keys(lock.slugs).sort()).toEqual(['010', '0x1f', '1e3', 'null', 'queue-stuck']);
  });
});

describe('runbook new refuses a title a reader cannot see as written', () => {
  it('invisible, a line separator, a bidirectional override: refused; an emoji with a joiner is kept', async () => {
    const dir = project({}, TEAMS);
    for (const title of ['\u200b', '\u3000\u200b', 'A\u2028B', 'evil \u202egnp.exe', 'x\u2066y\u2069']) {
      const r = await cli(['new', 'ops/page', '--title', title], dir);
      expect([r.code, r.err.split('\n')[0]], JSON.stringify(title)).toEqual([
        2,
        '--title is empty or has a control character (a line break, a tab, a direction mark).',
      ]);
    }
    expect(existsSync(join(dir, 'src/content/runbooks/ops/page.md'))).toBe(false);
    const ok = await cli(['new', 'ops/page', '--title', 'On call \u{1f469}\u200d\u{1f4bb} handoff'], dir);
    expect(ok.code).toBe(0);
  });
});
