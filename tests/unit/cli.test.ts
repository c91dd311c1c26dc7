import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/runbook.ts';
import type { Context } from '../../scripts/cli/context.ts';
import { astroBuild, ROOT, scratchSite } from '../build/helpers.ts';

/** Runs the CLI in-process with captured output. */
async function run(argv: string[], cwd: string, env?: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: Context = { cwd, out: (t) => out.push(t), err: (t) => err.push(t), color: false, ...(env ? { env } : {}) };
  const code = await main(argv, ctx);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let clean: string;
let broken: string;
beforeAll(() => {
  clean = scratchSite('basic', 'cli-clean', {
    // Recent enough that the fixture has no overdue warning.
    'src/content/runbooks/ops/queue-stuck.md':
      '---\ntitle: Queue stuck\nowner: "@ops-team"\nseverity: P1\nreview:\n  log:\n    - { date: 2026-11-01, reviewer: "@ana", change: "First" }\n---\n\nText.\n',
  });
  broken = scratchSite('basic', 'cli-broken', {
    'src/content/runbooks/ops/bad.md':
      '---\ntitle: Bad, with "quotes", 100% sure\nowner: "@ops-team"\nseverity: P9\nreview:\n  log:\n    - { date: 2026-11-01, reviewer: "@ana", change: "First" }\n---\n\nSee [x](/ops/nowhere/).\n',
  });
});

describe('runbook check', () => {
  it('exits 0 and says so on a clean site', async () => {
    const r = await run(['check'], clean);
    expect(r.code).toBe(0);
    expect(r.out).toContain('✔ 2 files checked: 0 errors, 0 warnings');
  });

  it('exits 1 with findings grouped by file, with file:line:col, rule and hint', async () => {
    const r = await run(['check'], broken);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'src/content/runbooks/ops/bad.md\n  src/content/runbooks/ops/bad.md:4:11  error    Unknown severity "P9"  severity-unknown\n    hint: Use an id from src/content/severity.yaml: P0, P1, P2.',
    );
    expect(r.out).toContain(
      'src/content/runbooks/ops/bad.md:10:5  error    Link to a missing page /ops/nowhere/  link-broken',
    );
    expect(r.out).toMatch(/✖ 3 files checked: 2 errors, \d+ warnings?/);
  });

  it('prints GitHub workflow commands with escaped properties', async () => {
    const r = await run(['check', '--format', 'github', 'src/content/runbooks/ops/bad.md'], broken);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')).toEqual([
      '::error file=src/content/runbooks/ops/bad.md,line=4,col=11,title=severity-unknown::Unknown severity "P9". Hint: Use an id from src/content/severity.yaml: P0, P1, P2.',
      '::error file=src/content/runbooks/ops/bad.md,line=10,col=5,title=link-broken::Link to a missing page /ops/nowhere/. Hint: Link to an existing page with its URL, e.g. /services/database/db-unreachable/.',
    ]);
  });

  it('prints stable JSON (version 1)', async () => {
    const r = await run(['check', '--format=json', 'src/content/runbooks/ops/bad.md'], broken);
    const report = JSON.parse(r.out);
    expect(report.version).toBe(1);
    expect(report.summary).toEqual({ files: 1, errors: 2, warnings: 0 });
    expect(Object.keys(report.diagnostics[0])).toEqual([
      'file',
      'line',
      'column',
      'ruleId',
      'severity',
      'message',
      'hint',
    ]);
    expect(report.diagnostics[0]).toMatchObject({
      file: 'src/content/runbooks/ops/bad.md',
      line: 4,
      column: 11,
      ruleId: 'severity-unknown',
      severity: 'error',
    });
  });

  it('limits the report to the given paths but still reads the whole site', async () => {
    const r = await run(['check', 'src/content/runbooks/ops/queue-stuck.md'], broken);
    expect(r.out).not.toContain('bad.md');
  });

  it('exits 2 on usage errors: unknown format, unknown option, missing path, not a project', async () => {
    expect((await run(['check', '--format', 'xml'], clean)).code).toBe(2);
    expect((await run(['check', '--frobnicate'], clean)).code).toBe(2);
    const missing = await run(['check', 'no/such/file.md'], clean);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('No such file or folder: no/such/file.md');
    const elsewhere = await run(['check'], join(ROOT, 'tests'));
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.err).toContain('No src/content/runbooks/ here');
    expect((await run(['frobnicate'], clean)).code).toBe(2);
    expect((await run([], clean)).code).toBe(2);
  });

  it('runs as a real process through the npm script, with the exit code', () => {
    const r = spawnSync('npm', ['run', '--silent', 'runbook', '--', 'check', '--format', 'json'], {
      cwd: broken,
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).summary.errors).toBe(2);
  });
});

describe('the github reporter', () => {
  it('escapes %, CR, LF in data and also : and , in properties', async () => {
    const { github } = await import('../../src/plugins/check/reporters.ts');
    const out = github({
      files: 1,
      diagnostics: [
        {
          file: 'a,b:c.md',
          line: 1,
          column: 2,
          ruleId: 'x-y',
          severity: 'warning',
          message: '100% bad\nreally',
          hint: 'fix: it',
        },
      ],
    });
    expect(out).toBe('::warning file=a%2Cb%3Ac.md,line=1,col=2,title=x-y::100%25 bad%0Areally. Hint: fix: it');
  });

  it('annotates at most ten errors and ten warnings, errors first, and says where the rest are', async () => {
    const { github, markdown } = await import('../../src/plugins/check/reporters.ts');
    const d = (i: number, severity: 'error' | 'warning') => ({
      file: `f${i}.md`,
      line: i,
      column: 1,
      ruleId: 'r',
      severity,
      message: `m|${i}`,
      hint: 'h',
    });
    const report = {
      files: 30,
      diagnostics: [
        ...Array.from({ length: 14 }, (_, i) => d(i, 'warning')),
        ...Array.from({ length: 12 }, (_, i) => d(i, 'error')),
      ],
    };
    const lines = github(report).split('\n');
    expect(lines.filter((l) => l.startsWith('::error ')).length).toBe(10);
    expect(lines.filter((l) => l.startsWith('::warning ')).length).toBe(10);
    expect(lines[0]).toMatch(/^::error file=f0.md/);
    expect(lines.at(-1)).toBe(
      '::notice::6 more findings than GitHub shows as annotations: every one is in the job summary (npx runbook check writes it to $GITHUB_STEP_SUMMARY) and in npx runbook check --format json.',
    );
    const md = markdown(report).split('\n');
    expect(md[0]).toBe('### runbook check: 30 files, 12 errors, 14 warnings');
    expect(md).toContain('| `f3.md:3:1` | ⚠ warning | `r` | m\\|3 | h |');
    expect(md.length).toBe(2 + 2 + 26);
  });

  it('writes every finding to the GitHub job summary when run in a job', async () => {
    const summary = join(broken, 'summary.md');
    const r = await run(['check', '--format', 'github'], broken, { GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(1);
    const text = readFileSync(summary, 'utf8');
    expect(text).toContain('### runbook check: ');
    expect(text).toContain(
      '| `src/content/runbooks/ops/bad.md:10:5` | ✖ error | `link-broken` | Link to a missing page /ops/nowhere/ |',
    );
  });
});

describe('runbook lock', () => {
  it('records slugs, keeps removed ones until dropped by name, and the check follows it', async () => {
    const { writeFileSync } = await import('node:fs');
    const dir = scratchSite('basic', 'cli-lock');
    const page = join(dir, 'src/content/runbooks/ops/queue-stuck.md');
    const first = await run(['lock'], dir);
    expect(first.code).toBe(0);
    expect(first.out).toContain('+ /r/queue-stuck → /ops/queue-stuck/');
    expect(JSON.parse(readFileSync(join(dir, 'shortlinks.lock'), 'utf8'))).toEqual({
      version: 1,
      slugs: { 'queue-stuck': '/ops/queue-stuck/' },
    });

    // The slug disappears from the content: the check fails at the lock line.
    writeFileSync(page, readFileSync(page, 'utf8').replace('shortlinks: [queue-stuck]', 'shortlinks: [queue-jammed]'));
    const check = await run(['check', '--format', 'json'], dir);
    expect(check.code).toBe(1);
    const rules = JSON.parse(check.out).diagnostics.map(
      (d: { ruleId: string; file: string }) => `${d.ruleId} ${d.file}`,
    );
    expect(rules).toEqual(
      expect.arrayContaining([
        'shortlink-removed shortlinks.lock',
        'shortlink-unlocked src/content/runbooks/ops/queue-stuck.md',
      ]),
    );

    // `lock` adds the new slug but keeps the old one; only --drop removes it.
    const again = await run(['lock'], dir);
    expect(again.out).toContain('1 locked slug(s) are on no page and will fail the check: /r/queue-stuck');
    expect((await run(['check', '--format', 'json'], dir)).code).toBe(1);
    expect((await run(['lock', '--drop', 'queue-stuck'], dir)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'shortlinks.lock'), 'utf8')).slugs).toEqual({
      'queue-jammed': '/ops/queue-stuck/',
    });
    expect(JSON.parse((await run(['check', '--format', 'json'], dir)).out).summary.errors).toBe(0);
  });

  it('refuses to drop a slug that a page still lists', async () => {
    const dir = scratchSite('basic', 'cli-lock-drop');
    await run(['lock'], dir);
    const r = await run(['lock', '--drop', 'queue-stuck'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('/r/queue-stuck is still on src/content/runbooks/ops/queue-stuck.md');
  });
});

describe('a shortlinks.lock that is not the lock runbook lock writes', () => {
  it('is a finding for check, and lock leaves it as it is with exit 1', async () => {
    const broken = '{ "slugs": { "queue-stuck": "/ops/queue-stuck/" }\n<<<<<<< ours\n';
    const dir = scratchSite('basic', 'cli-lock-invalid', { 'shortlinks.lock': broken });
    const check = await run(['check'], dir);
    expect(check.code).toBe(1);
    expect(check.out).toContain('shortlink-lock-invalid');
    expect(check.out).not.toContain('at readLock');
    const lock = await run(['lock'], dir);
    expect(lock.code).toBe(1);
    expect(lock.err).toContain('shortlinks.lock is not valid JSON');
    expect(lock.err).toContain('not written');
    expect(readFileSync(join(dir, 'shortlinks.lock'), 'utf8')).toBe(broken);
  });
});

describe('a broken runbooks.config.yaml', () => {
  it('is a config-invalid finding at each bad setting, in every format, exit 1', async () => {
    const dir = scratchSite('basic', 'cli-bad-config', {
      'runbooks.config.yaml': 'teamz: ["@ops-team"]\nreview: { overdue: sometimes, every: x }\n',
    });
    const r = await run(['check', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const found = JSON.parse(r.out).diagnostics.map(
      (d: { ruleId: string; line: number; column: number; message: string }) => [d.ruleId, d.line, d.column, d.message],
    );
    expect(found).toEqual([
      // An unknown setting is reported at its key, as the SLO and frontmatter rules do.
      ['config-invalid', 1, 1, 'Unknown setting `teamz`; did you mean `teams`?'],
      ['config-invalid', 2, 20, expect.stringContaining('runbooks.config.yaml: review.overdue')],
      ['config-invalid', 2, 38, expect.stringContaining('runbooks.config.yaml: review.every')],
    ]);
  });

  it('refuses a setting the check would later misread: a team without @, no teams, a folder outside, a URL for a host', async () => {
    const dir = scratchSite('basic', 'cli-bad-settings', {
      'runbooks.config.yaml': [
        'teams: ["ops-team"]',
        'scriptRoots: [ops, ../shared, /etc]',
        'shortlinks: { allowHosts: ["https://status.example.com", Status.Example.com, "status.example.com:8443"] }',
        '',
      ].join('\n'),
    });
    const r = await run(['check', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const found = JSON.parse(r.out).diagnostics.map(
      (d: { ruleId: string; line: number; column: number; message: string }) => [d.ruleId, d.line, d.column, d.message],
    );
    const host = 'must be a host name in lower case, such as "status.example.com" (no scheme, port or path)';
    const folder = 'must be a folder inside the repository, such as "ops" (no `..`, not absolute)';
    expect(found).toEqual([
      ['config-invalid', 1, 9, 'runbooks.config.yaml: teams.0 must be a handle such as "@db-team" or "@org/team"'],
      ['config-invalid', 2, 20, `runbooks.config.yaml: scriptRoots.1 ${folder}`],
      ['config-invalid', 2, 31, `runbooks.config.yaml: scriptRoots.2 ${folder}`],
      ['config-invalid', 3, 28, `runbooks.config.yaml: shortlinks.allowHosts.0 ${host}`],
      ['config-invalid', 3, 58, `runbooks.config.yaml: shortlinks.allowHosts.1 ${host}`],
      ['config-invalid', 3, 78, `runbooks.config.yaml: shortlinks.allowHosts.2 ${host}`],
    ]);
    writeFileSync(join(dir, 'runbooks.config.yaml'), 'teams: []\n');
    const none = await run(['check', '--format', 'json'], dir);
    expect(JSON.parse(none.out).diagnostics.map((d: { message: string }) => d.message)).toEqual([
      'runbooks.config.yaml: teams must list at least one team (or leave `teams` out)',
    ]);
  });

  it('refuses alerts.files globs outside the repository: an absolute one matched nothing the reader could find, silently', async () => {
    const dir = scratchSite('basic', 'cli-bad-alert-globs', {
      'runbooks.config.yaml': 'alerts:\n  files: [/srv/alerts/*.yaml, "../shared/**/*.yaml", "alerts/**/*.yaml"]\n',
    });
    const r = await run(['check', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const glob = 'must be a glob inside the repository, such as "alerts/**/*.yaml" (no `..`, not absolute)';
    expect(
      JSON.parse(r.out).diagnostics.map((d: { ruleId: string; line: number; column: number; message: string }) => [
        d.ruleId,
        d.line,
        d.column,
        d.message,
      ]),
    ).toEqual([
      ['config-invalid', 2, 11, `runbooks.config.yaml: alerts.files.0 ${glob}`],
      ['config-invalid', 2, 31, `runbooks.config.yaml: alerts.files.1 ${glob}`],
    ]);
  });

  it('fails the build with a report, not a stack trace', () => {
    const dir = scratchSite('basic', 'build-bad-config', { 'runbooks.config.yaml': 'teams: [\n' });
    const build = astroBuild(dir);
    expect(build.status).not.toBe(0);
    expect(build.output).toContain('runbooks.config.yaml:2:1  error    runbooks.config.yaml is not valid YAML');
    expect(build.output).toContain('config-invalid');
    expect(build.output).not.toMatch(/Stack trace/);
  });
});

describe('runbook lock refuses what the site cannot publish', () => {
  it('a reserved, invalid or duplicated slug is reported and nothing is written', async () => {
    const { existsSync } = await import('node:fs');
    const dir = scratchSite('basic', 'cli-lock-bad', {
      'src/content/runbooks/ops/other.md':
        '---\ntitle: Other\nowner: "@ops-team"\nshortlinks: [rules, Bad_Slug, queue-stuck]\nreview:\n  log:\n    - { date: 2026-11-01, reviewer: "@ana", change: "First" }\n---\n\nText.\n',
    });
    const r = await run(['lock'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('shortlinks.lock not written: fix these first.');
    expect(r.err).toContain('shortlink-reserved');
    expect(r.err).toContain('shortlink-invalid');
    expect(r.err).toContain('shortlink-duplicate');
    expect(existsSync(join(dir, 'shortlinks.lock'))).toBe(false);
  });

  it('dropping a slug that is not in the lock is an error', async () => {
    const dir = scratchSite('basic', 'cli-lock-drop-none');
    await run(['lock'], dir);
    const r = await run(['lock', '--drop', 'nope'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('/r/nope is not in shortlinks.lock; nothing to drop');
  });
});
