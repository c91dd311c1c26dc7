/**
 * `runbook check --changed-since <ref>` in a real git repository: it reports on the
 * changed runbooks and the pages whose links point into them, with exactly the findings
 * a full check has for those files.
 */
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { project, removeProjects, write } from '../fixtures/check-project.ts';
import { BASE, BASE_RUNBOOK } from '../fixtures/bad-input.ts';
import { cli } from '../fixtures/run/project.ts';

afterAll(() => removeProjects());

const env = (dir: string): NodeJS.ProcessEnv => ({
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CEILING_DIRECTORIES: dirname(dir),
});
function git(dir: string, ...args: string[]) {
  const r = spawnSync(
    'git',
    ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args],
    { cwd: dir, env: env(dir), encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

const page = (title: string, body: string) =>
  `---\ntitle: ${title}\nowner: "@ops-team"\nreview:\n  log:\n    - { date: 2026-11-01, reviewer: "@ana", change: "First" }\n---\n\n${body}\n`;
const REFERRER = 'src/content/runbooks/t/referrer.md';
const UNRELATED = 'src/content/runbooks/t/unrelated.md';
type Found = { file: string; line: number; ruleId: string; message: string };

async function findings(dir: string, ...extra: string[]) {
  const r = await cli(['check', '--format', 'json', ...extra], dir, { env: env(dir) });
  return {
    code: r.code,
    err: r.err,
    list: (JSON.parse(r.out) as { diagnostics: Found[] }).diagnostics.map((d) => `${d.ruleId} ${d.file}:${d.line}`),
  };
}

describe('runbook check --changed-since', () => {
  it('reports the changed runbooks and the pages that link into them, as a full check does', async () => {
    const dir = project({
      [REFERRER]: page('Referrer', 'Check [the queue depth](/ops/queue-stuck/#check-the-queue) first.'),
      [UNRELATED]: page('Unrelated', 'An old problem: [gone](/gone/).'),
    });
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');

    // The change renames the heading the referrer links to, and adds a page with a broken link.
    write(dir, BASE, BASE_RUNBOOK.replace('## Check the queue', '## Look at the queue'));
    write(dir, 'src/content/runbooks/t/new.md', page('New', 'See [nothing](/nothing/).'));

    const full = await findings(dir);
    const scoped = await findings(dir, '--changed-since', 'HEAD');
    expect(scoped.code).toBe(1);
    expect(scoped.list).toEqual([
      'link-broken src/content/runbooks/t/new.md:9',
      'link-anchor-broken src/content/runbooks/t/referrer.md:9',
    ]);
    // Exactly the full check's findings for those files; the unrelated page's old finding is left out.
    expect(full.list.filter((f) => !f.includes(UNRELATED))).toEqual(scoped.list);
    expect(full.list).toContain('link-broken src/content/runbooks/t/unrelated.md:9');

    // Nothing changed: nothing to report.
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'change');
    expect((await findings(dir, '--changed-since', 'HEAD')).list).toEqual([]);

    // A settings change affects every page: everything is checked, and it says why.
    write(dir, 'runbooks.config.yaml', 'review: { every: 60 }\n');
    const all = await findings(dir, '--changed-since', 'HEAD');
    expect(all.err).toContain(
      'runbooks.config.yaml changed since HEAD: it affects every page, so every file is checked.',
    );
    expect(all.list).toContain('link-broken src/content/runbooks/t/unrelated.md:9');

    git(dir, 'checkout', '-q', '--', '.');

    // Consequences that land on unchanged files, as an attack pass found them.
    // [what changes, the finding it causes on a file the change did not touch]
    const cases: [string, () => void, string][] = [
      [
        'a deleted page that others link to',
        () => {
          spawnSync('git', ['rm', '-q', BASE], { cwd: dir, env: env(dir) });
        },
        'link-broken src/content/runbooks/t/referrer.md:9',
      ],
      [
        'a new page that takes an existing slug',
        () => write(dir, 'src/content/runbooks/a/first.md', BASE_RUNBOOK.replace('title: Queue stuck', 'title: First')),
        `shortlink-duplicate ${BASE}:6`,
      ],
      [
        'a script a block calls, deleted',
        () => {
          spawnSync('git', ['rm', '-q', 'ops/queue-depth.sh'], { cwd: dir, env: env(dir) });
        },
        `script-missing ${BASE}:19`,
      ],
    ];
    for (const [name, change, caused] of cases) {
      write(
        dir,
        REFERRER,
        page(
          'Referrer',
          'Check [the queue depth](/ops/queue-stuck/#check-the-queue) and [/r/queue-stuck](/r/queue-stuck).',
        ),
      );
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '--allow-empty', '-m', `before ${name}`);
      change();
      const f = await findings(dir);
      const c = await findings(dir, '--changed-since', 'HEAD');
      expect(c.code, name).toBe(f.code);
      // What the change caused is reported, and nothing a full check would not report.
      expect(f.list, name).toContain(caused);
      expect(c.list, name).toContain(caused);
      expect(
        c.list.every((x) => f.list.includes(x)),
        name,
      ).toBe(true);
      spawnSync('git', ['reset', '-q', '--hard'], { cwd: dir, env: env(dir) });
      spawnSync('git', ['clean', '-qfd'], { cwd: dir, env: env(dir) });
    }

    const unknown = await cli(['check', '--changed-since', 'no-such-ref'], dir, { env: env(dir) });
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('--changed-since: unknown git ref "no-such-ref"');
  });
});
