/**
 * `runbook fix` and `runbook new` on real projects: the derived files follow only values
 * without findings (one mistake is one finding), the mechanical fixes change exactly what
 * they say, and a new page checks clean in the example project.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { project, removeProjects, write } from '../fixtures/check-project.ts';
import { BASE, BASE_RUNBOOK } from '../fixtures/bad-input.ts';
import { cli, ROOT } from '../fixtures/run/project.ts';
import { parseFrontmatter } from '../../src/plugins/index.ts';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';

const copies: string[] = [];
afterAll(() => {
  removeProjects();
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const TEAMS = 'teams: ["@ops-team", "@db-team"]\n';
const CODEOWNERS = '.github/CODEOWNERS';
const LOCK = 'shortlinks.lock';
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
/** No git identity: the reviewer falls back to the owner. */
const NO_GIT = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

/** Every finding of a check, as `ruleId file:line`. */
async function findings(dir: string): Promise<string[]> {
  const r = await cli(['check', '--format', 'json'], dir);
  return (JSON.parse(r.out) as { diagnostics: { ruleId: string; file: string; line: number }[] }).diagnostics.map(
    (d) => `${d.ruleId} ${d.file}:${d.line}`,
  );
}

/** A base project with the lock and the CODEOWNERS block written, checking clean. */
async function settled(files: Record<string, string> = {}): Promise<string> {
  const dir = project(
    { [LOCK]: '{ "version": 1, "slugs": {} }\n', [CODEOWNERS]: '* @org/maintainers\n', ...files },
    TEAMS,
  );
  expect((await cli(['codeowners'], dir)).code).toBe(0);
  expect((await cli(['fix'], dir)).code).toBe(0);
  expect(await findings(dir)).toEqual([]);
  return dir;
}

/** A temp copy of the example project (content, settings, lock, CODEOWNERS, scripts, alerts). */
function exampleCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbooks-example-'));
  copies.push(dir);
  for (const path of ['src', 'ops', 'alerts', '.github', 'runbooks.config.yaml', LOCK])
    cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

describe('derived findings are not reported while their cause is', () => {
  it('an owner typo is one finding, and fix keeps the CODEOWNERS line for that page', async () => {
    const dir = await settled();
    const before = read(dir, CODEOWNERS);
    expect(before).toContain(`/${BASE} @ops-team\n`);
    write(dir, BASE, BASE_RUNBOOK.replace('"@ops-team"', '"@ops-taem"'));
    expect(await findings(dir)).toEqual([`owner-invalid ${BASE}:3`]);
    const fixed = await cli(['fix'], dir);
    expect(fixed.code).toBe(1);
    expect(fixed.out).toContain('Nothing to fix.');
    expect(fixed.out).toContain('Owner "@ops-taem" is not in the teams list');
    expect(read(dir, CODEOWNERS)).toBe(before);
    // codeowners follows the same rule: no typo into the block.
    expect((await cli(['codeowners'], dir)).out).toBe('.github/CODEOWNERS is up to date (2 files).');
    // A handle that is not a handle at all, and a missing owner: the same.
    write(dir, BASE, BASE_RUNBOOK.replace('"@ops-team"', 'ops team'));
    expect(await findings(dir)).toEqual([`owner-invalid ${BASE}:3`]);
    write(dir, BASE, BASE_RUNBOOK.replace('owner: "@ops-team"\n', ''));
    expect(await findings(dir)).toEqual([`owner-missing ${BASE}:2`]);
    expect((await cli(['fix'], dir)).code).toBe(1);
    expect(read(dir, CODEOWNERS)).toBe(before);
    // Mended, the block follows the new owner.
    write(dir, BASE, BASE_RUNBOOK.replace('"@ops-team"', '"@db-team"'));
    expect(await findings(dir)).toEqual([`codeowners-stale ${CODEOWNERS}:3`]);
    const mended = await cli(['fix'], dir);
    expect(mended.code).toBe(0);
    expect(mended.out).toContain(
      `.github/CODEOWNERS: runbooks block updated: + /${BASE} @db-team, - /${BASE} @ops-team`,
    );
    expect(await findings(dir)).toEqual([]);
  });

  it('a YAML error is one finding; fix keeps the page line in CODEOWNERS and its slugs in the lock', async () => {
    const dir = await settled();
    const owners = read(dir, CODEOWNERS);
    const lock = read(dir, LOCK);
    expect(lock).toContain('"queue-stuck"');
    write(dir, BASE, BASE_RUNBOOK.replace('title: Queue stuck', 'title: [Queue stuck'));
    expect(await findings(dir)).toEqual([`frontmatter-yaml ${BASE}:3`]);
    const fixed = await cli(['fix'], dir);
    expect(fixed.code).toBe(1);
    expect(read(dir, CODEOWNERS)).toBe(owners);
    expect(read(dir, LOCK)).toBe(lock);
  });

  it('a slug on two pages is shortlink-duplicate alone; fix locks neither page', async () => {
    const dir = await settled();
    const lock = read(dir, LOCK);
    write(
      dir,
      'src/content/runbooks/t/twin.md',
      BASE_RUNBOOK.replace('[queue-stuck]', '[queue-twin]').replace('title: Queue stuck', 'title: Twin'),
    );
    write(dir, BASE, BASE_RUNBOOK.replace('[queue-stuck]', '[queue-stuck, queue-twin]'));
    // The new page's owner is sound: its CODEOWNERS line is the one derived finding left.
    expect(await findings(dir)).toEqual([
      `codeowners-stale ${CODEOWNERS}:3`,
      `shortlink-duplicate src/content/runbooks/t/twin.md:6`,
    ]);
    expect((await cli(['fix'], dir)).code).toBe(1);
    expect(read(dir, LOCK)).toBe(lock);
    expect(await findings(dir)).toEqual([`shortlink-duplicate src/content/runbooks/t/twin.md:6`]);
  });

  it('holds for generated mistakes: each is one finding of its cause, and fix leaves CODEOWNERS and the lock as they were', async () => {
    const pages = ['src/content/runbooks/a/one.md', 'src/content/runbooks/b/two.md', BASE];
    const text = (i: number, owner: string) =>
      BASE_RUNBOOK.replace('"@ops-team"', owner)
        .replace('[queue-stuck]', `[page-${i}]`)
        .replace('title: Queue stuck', `title: Page ${i}`);
    const owners = ['"@ops-team"', '"@db-team"', '"@ops-team"'];
    const dir = await settled(Object.fromEntries(pages.map((p, i) => [p, text(i, owners[i])])));
    const before = { owners: read(dir, CODEOWNERS), lock: read(dir, LOCK) };
    const random = mulberry32(2026);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    /** A team handle with one letter changed, dropped or doubled: a typo, still a handle. */
    const typo = (team: string) => {
      const at = 1 + Math.floor(random() * (team.length - 1));
      const letter = pick([...'abcdefghijklmnopqrstuvwxyz']);
      const kind = pick(['change', 'drop', 'double']);
      const out =
        kind === 'change'
          ? team.slice(0, at) + letter + team.slice(at + 1)
          : kind === 'drop'
            ? team.slice(0, at) + team.slice(at + 1)
            : team.slice(0, at) + team[at] + team.slice(at);
      return out === team || out === '@db-team' || out === '@ops-team' || out.length < 2 ? `${team}x` : out;
    };
    const mistakes: [string, (page: string) => string][] = [
      ['owner-invalid', (page) => page.replace(/owner: "(@[a-z-]+)"/, (_m, team: string) => `owner: "${typo(team)}"`)],
      ['owner-invalid', (page) => page.replace(/owner: "@([a-z-]+)"/, (_m, team: string) => `owner: ${team}`)],
      ['owner-missing', (page) => page.replace(/owner: .*\n/, '')],
      ['frontmatter-yaml', (page) => page.replace(/title: (.*)/, 'title: [$1')],
      ['frontmatter-yaml', (page) => page.replace(/title: (.*)/, 'title: "$1')],
      ['frontmatter-yaml', (page) => page.replace('  every: 90', '\tevery: 90')],
    ];
    for (let n = 0; n < 120; n++) {
      const i = Math.floor(random() * pages.length);
      const [rule, mistake] = pick(mistakes);
      const broken = mistake(text(i, owners[i]));
      write(dir, pages[i], broken);
      const found = await findings(dir);
      expect(found.length, `${rule}\n${broken}\n${found.join('\n')}`).toBe(1);
      expect(found[0], broken).toMatch(new RegExp(`^${rule} ${pages[i]}:`));
      expect((await cli(['fix'], dir)).code).toBe(1);
      expect(read(dir, CODEOWNERS), broken).toBe(before.owners);
      expect(read(dir, LOCK), broken).toBe(before.lock);
      write(dir, pages[i], text(i, owners[i]));
    }
    expect(await findings(dir)).toEqual([]);
  }, 120_000);
});

describe('runbook fix', () => {
  const misread = BASE_RUNBOOK.replace('title: Queue stuck', 'title: 2026').replace(
    'example: "q1.internal"',
    'example: 1.10',
  );

  it('writes the lock and the block, sets the executable bit and quotes misread values; --dry-run writes nothing', async () => {
    const dir = project(
      {
        [LOCK]: '{ "version": 1, "slugs": {} }\n',
        [CODEOWNERS]: '# BEGIN runbooks\n# END runbooks\n',
        [BASE]: misread,
        'ops/queue-depth.sh': { content: '#!/bin/sh\necho 0\n', mode: 0o644 },
      },
      TEAMS,
    );
    const before = {
      page: read(dir, BASE),
      lock: read(dir, LOCK),
      owners: read(dir, CODEOWNERS),
      mode: statSync(join(dir, 'ops/queue-depth.sh')).mode & 0o777,
    };
    expect(await findings(dir)).toEqual([
      `codeowners-stale ${CODEOWNERS}:1`,
      `frontmatter-type ${BASE}:2`,
      `shortlink-unlocked ${BASE}:6`,
      `frontmatter-type ${BASE}:13`,
      `script-not-executable ${BASE}:19`,
    ]);
    const lines = [
      `${BASE}: quoted 2026 on line 2 (YAML would read it as another type); quoted 1.10 on line 13 (YAML would read it as another type)`,
      'ops/queue-depth.sh: made executable (chmod +x)',
      'shortlinks.lock: updated: + /r/queue-stuck → /ops/queue-stuck/',
      `.github/CODEOWNERS: runbooks block updated: + /${BASE} @ops-team, + /src/content/slos/queue-latency.yaml @ops-team`,
    ];
    const dry = await cli(['fix', '--dry-run'], dir);
    expect(dry.code).toBe(0);
    expect(dry.out.split('\n')).toEqual([...lines, 'Dry run: 4 changes, nothing written.']);
    expect(read(dir, BASE)).toBe(before.page);
    expect(read(dir, LOCK)).toBe(before.lock);
    expect(read(dir, CODEOWNERS)).toBe(before.owners);
    expect(statSync(join(dir, 'ops/queue-depth.sh')).mode & 0o777).toBe(before.mode);

    const fixed = await cli(['fix'], dir);
    expect(fixed.code).toBe(0);
    expect(fixed.out.split('\n')).toEqual([...lines, 'Fixed: 4 changes. Review and commit them.']);
    // Only the quotes are added: nothing else in the page changes.
    expect(read(dir, BASE)).toBe(
      before.page.replace('title: 2026', 'title: "2026"').replace('example: 1.10', 'example: "1.10"'),
    );
    expect(statSync(join(dir, 'ops/queue-depth.sh')).mode & 0o777).toBe(0o755);
    expect(await findings(dir)).toEqual([]);
    const again = await cli(['fix'], dir);
    expect([again.code, again.out]).toEqual([0, 'Nothing to fix.']);
  });

  it('with paths, fixes only those pages and reports only their findings', async () => {
    const dir = await settled();
    write(dir, 'src/content/runbooks/t/other.md', misread.replace('[queue-stuck]', '[other-stuck]'));
    const only = await cli(['fix', BASE], dir);
    expect(only.out).not.toContain('quoted');
    expect(only.code).toBe(0);
    expect(read(dir, 'src/content/runbooks/t/other.md')).toContain('title: 2026\n');
  });

  it('refuses bad input with a usage error', async () => {
    const dir = project();
    const unknown = await cli(['fix', '--force'], dir);
    expect([unknown.code, unknown.err.split('\n')[0]]).toEqual([
      2,
      "Unknown option '--force'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--force\"",
    ]);
    const missing = await cli(['fix', 'no/such/path'], dir);
    expect([missing.code, missing.err]).toEqual([2, 'No such file or folder: no/such/path']);
    for (const outside of ['..', '/', '../..'])
      expect(await cli(['fix', outside], dir)).toMatchObject({
        code: 2,
        err: `Not inside this project: ${outside} (name a file or folder of the repository)`,
      });
    const lock = project({ [LOCK]: '{ "slugs": ' });
    const broken = await cli(['fix'], lock);
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(
      /^shortlinks.lock is not valid JSON .*: shortlinks.lock not written\. Restore it from git/,
    );
    const help = await cli(['fix', '--help'], dir);
    expect([help.code, help.out.split('\n')[0]]).toEqual([0, 'Usage: npx runbook fix [paths…] [--dry-run]']);
  });

  it('quotes exactly the text written, for generated misread values, and the result reads as that text', async () => {
    // Values YAML 1.2 reads as a number, a boolean or a timestamp, written where the field means text.
    const random = mulberry32(20);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
    // Text that does not read back as written (a text field keeps 2026-04-18T15:10:00Z or 42
    // as written, so only these are misreads there); Starlight's title takes no scalar but text.
    const misreads = [
      () => `${1 + Math.floor(random() * 9)}.${digits(1)}0`,
      () =>
        `20${digits(2)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)} 0${digits(1)}:${pick(['10', '20', '45'])}:00`,
      () => `0x${digits(2)}`,
      () => `1e${1 + Math.floor(random() * 9)}`,
    ];
    const misread = () => pick(misreads)();
    const values = () =>
      pick([
        ...misreads,
        () => `${1 + Math.floor(random() * 9)}${digits(3)}`,
        () => pick(['true', 'false']),
        () =>
          `20${digits(2)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}T0${digits(1)}:${pick(['10', '20', '45'])}:00Z`,
      ])();
    const dir = project({}, TEAMS);
    const file = 'src/content/runbooks/t/gen.md';
    for (let i = 0; i < 200; i++) {
      const title = values();
      const example = misread();
      const change = misread();
      const text = BASE_RUNBOOK.replace('title: Queue stuck', `title: ${title}`)
        .replace('[queue-stuck]', '[gen-stuck]')
        .replace('example: "q1.internal"', `example: ${example}`)
        .replace('change: "First version"', `change: ${change}`);
      write(dir, file, text);
      const r = await cli(['fix', file, '--dry-run'], dir);
      expect(r.out, text).toContain(`${file}: quoted ${title} on line 2`);
      const quoted = text
        .replace(`title: ${title}`, `title: "${title}"`)
        .replace(`example: ${example}`, `example: "${example}"`)
        .replace(`change: ${change}`, `change: "${change}"`);
      await cli(['fix', file], dir);
      expect(read(dir, file)).toBe(quoted);
      const data = parseFrontmatter(quoted).data as {
        title: unknown;
        vars: { HOST: { example: unknown } };
        review: { log: { change: unknown }[] };
      };
      expect([data.title, data.vars.HOST.example, data.review.log[0].change]).toEqual([title, example, change]);
    }
  }, 120_000);
});

describe('runbook new', () => {
  it('says so and exits 1 when the page is written but the lock and CODEOWNERS cannot be', async () => {
    const dir = project({ [LOCK]: '{ "version": 1, "slugs": {} }\n', [CODEOWNERS]: '# BEGIN runbooks\n' }, TEAMS);
    const r = await cli(['new', 't/no-end'], dir, { env: NO_GIT });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^Wrote src\/content\/runbooks\/t\/no-end\.md /);
    expect(r.err).toContain('The shortlink lock and CODEOWNERS were not updated: ');
    expect(r.err).toContain('has no "# END runbooks" line');
    expect(r.err).toContain('Then run npx runbook fix to write them.');
    expect(read(dir, LOCK)).toBe('{ "version": 1, "slugs": {} }\n');
    expect(read(dir, CODEOWNERS)).toBe('# BEGIN runbooks\n');
  });

  it('writes a page that checks clean in the example project, with the lock and CODEOWNERS', async () => {
    const dir = exampleCopy();
    // The example's only findings: two alerts written before their runbooks (a coverage gap it shows).
    const before = await findings(dir);
    expect(before).toEqual([
      'alert-runbook-missing alerts/kestrel.rules.yaml:50',
      'alert-runbook-missing alerts/kestrel.rules.yaml:56',
    ]);
    const r = await cli(['new', 'services/database/replica-lag'], dir, {
      env: NO_GIT,
      now: new Date('2026-12-07T09:00:00Z'),
    });
    expect(r.code).toBe(0);
    const file = 'src/content/runbooks/services/database/replica-lag.md';
    expect(r.out.split('\n').slice(0, 3)).toEqual([
      `Wrote ${file} (owner @db-team, shortlink /r/replica-lag).`,
      '  shortlinks.lock: updated: + /r/replica-lag → /services/database/replica-lag/',
      `  .github/CODEOWNERS: runbooks block updated: + /${file} @db-team`,
    ]);
    expect(r.out).toContain('npx runbook fix');
    const text = read(dir, file);
    expect(text).toContain('title: "Replica lag"\nowner: "@db-team"\n');
    expect(text).toContain('    - { date: 2026-12-07, reviewer: "@db-team", change: "First version" }');
    expect(text).toMatch(
      /```bash run id=first-look safety=read-only title="First look"\necho "Looking at \$TARGET"\n```/,
    );
    expect(await findings(dir)).toEqual(before);
    // An existing page is never overwritten.
    const again = await cli(['new', 'services/database/replica-lag'], dir);
    expect([again.code, again.err.split('\n')[0]]).toEqual([
      2,
      `${file} already exists; edit it, or pick another name.`,
    ]);
  }, 60_000);

  it('takes the owner from the folder, else the first team; the reviewer from git; no shortlink when the name is taken', async () => {
    const dir = project({}, TEAMS);
    const gitConfig = join(dir, 'gitconfig');
    writeFileSync(gitConfig, '[user]\n\temail = ana@example.com\n');
    const r = await cli(['new', 'ops/queue-stuck-again', '--title', 'Queue stuck: "again"'], dir, {
      env: { GIT_CONFIG_GLOBAL: gitConfig, GIT_CONFIG_NOSYSTEM: '1' },
    });
    expect(r.code).toBe(0);
    const text = read(dir, 'src/content/runbooks/ops/queue-stuck-again.md');
    expect(text).toContain('title: "Queue stuck: \\"again\\""\nowner: "@ops-team"\n');
    expect(text).toContain('reviewer: "ana@example.com"');
    // In a folder nobody owns yet: the first team of the settings.
    const fresh = await cli(['new', 'db/replica-lag'], dir, { env: NO_GIT });
    expect(fresh.out.split('\n')[0]).toBe(
      'Wrote src/content/runbooks/db/replica-lag.md (owner @ops-team, shortlink /r/replica-lag).',
    );
    // The name is a slug another page has: the new page gets none (a stand-in would be locked for good).
    const taken = await cli(['new', 'db/queue-stuck', '--owner', '@db-team'], dir, { env: NO_GIT });
    expect(taken.out.split('\n').slice(0, 2)).toEqual([
      'Wrote src/content/runbooks/db/queue-stuck.md (owner @db-team).',
      `  /r/queue-stuck is taken by ${BASE}: the page has no shortlink; add a free one under shortlinks: if it needs one.`,
    ]);
    expect(read(dir, 'src/content/runbooks/db/queue-stuck.md')).not.toContain('shortlinks:');
    expect(await findings(dir)).toEqual([]);
  });

  it('refuses each bad input with a usage error (exit 2) and writes nothing', async () => {
    const dir = project({}, TEAMS);
    const cases: [string[], string][] = [
      [['new'], 'Name the new runbook: <folder>/<name>.'],
      [['new', 'a/b', 'c/d'], 'Give one <folder>/<name>.'],
      [
        ['new', 'ops/Queue_Stuck'],
        '"Queue_Stuck" is not a name a runbook can have: lower-case letters, digits and dashes (it is the page\'s URL and shortlink), e.g. replica-lag.',
      ],
      [
        ['new', 'replica-lag'],
        'Give the folder too: <folder>/replica-lag (a folder is a sidebar group), e.g. services/replica-lag.',
      ],
      [
        ['new', '../outside/page'],
        '../outside/page is outside src/content/runbooks/: a runbook is <folder>/<name> inside it, e.g. services/database/replica-lag.',
      ],
      [
        ['new', 'ops/../../page'],
        'ops/../../page is outside src/content/runbooks/: a runbook is <folder>/<name> inside it, e.g. services/database/replica-lag.',
      ],
      [
        ['new', '/etc/page'],
        '/etc/page is outside src/content/runbooks/: a runbook is <folder>/<name> inside it, e.g. services/database/replica-lag.',
      ],
      [
        ['new', 'My Folder/page'],
        'The folder "My Folder" is not a folder name the site\'s URLs can carry: lower-case letters, digits, dots and dashes.',
      ],
      [['new', 'ops/queue-stuck'], `${BASE} already exists; edit it, or pick another name.`],
      [
        ['new', 'ops/page', '--owner', '@nobody'],
        '--owner @nobody is not one of the teams in runbooks.config.yaml (@ops-team, @db-team).',
      ],
      [
        ['new', 'ops/page', '--owner', 'ops-team'],
        '--owner ops-team is not a handle like @db-team (@ops-team, @db-team).',
      ],
      [
        ['new', 'ops/page', '--title', ' '],
        '--title is empty or has a control character (a line break, a tab, a direction mark).',
      ],
      [
        ['new', 'ops/page', '--colour'],
        "Unknown option '--colour'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--colour\"",
      ],
    ];
    const before = read(dir, BASE);
    for (const [args, message] of cases) {
      const r = await cli(args, dir);
      expect([r.code, r.err.split('\n')[0]], args.join(' ')).toEqual([2, message]);
      expect(r.err, args.join(' ')).toContain('Usage: npx runbook new <folder>/<name>');
    }
    expect(read(dir, BASE)).toBe(before);
    // No teams configured and an empty folder: the owner must be given.
    const bare = project();
    const noOwner = await cli(['new', 'fresh/page'], bare);
    expect([noOwner.code, noOwner.err.split('\n')[0]]).toEqual([
      2,
      'No team owns runbooks in that folder and runbooks.config.yaml lists no teams: give --owner @team.',
    ]);
    // Outside a project: the usual refusal, in the form that works.
    const nowhere = await cli(['new', 'a/b'], tmpdir());
    expect([nowhere.code, nowhere.err]).toEqual([
      2,
      `No src/content/runbooks/ here (${tmpdir()}). Run npx runbook new from the repository root.`,
    ]);
  });
});
