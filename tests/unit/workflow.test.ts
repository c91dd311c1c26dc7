/**
 * The GitHub workflow, run here: every `run:` step calls an npm script and a runbook
 * command that exist, and the check job's steps, executed with bash in a real git
 * repository on a pull-request branch with GITHUB_STEP_SUMMARY set, annotate, write the
 * full report and the diff to the summary, and fail on what they should.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { ROOT, scratchSite } from '../build/helpers.ts';

interface Step {
  run?: string;
  if?: string;
  uses?: string;
}
const workflow = yaml.load(readFileSync(join(ROOT, '.github/workflows/runbooks.yml'), 'utf8')) as {
  jobs: Record<string, { steps: Step[] }>;
};
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const git = (dir: string, ...args: string[]) => {
  const r = spawnSync(
    'git',
    ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args],
    {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CEILING_DIRECTORIES: dirname(dir),
      },
    },
  );
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};

describe('.github/workflows/runbooks.yml', () => {
  it('is valid YAML whose run steps call npm scripts and runbook commands that exist', () => {
    const runs = Object.values(workflow.jobs).flatMap((j) => j.steps.flatMap((s) => (s.run ? [s.run] : [])));
    expect(runs.length).toBeGreaterThan(4);
    for (const command of runs) {
      for (const m of command.matchAll(/npm run (?:--silent )?([\w:.-]+)/g))
        expect(Object.keys(pkg.scripts), command).toContain(m[1]);
      for (const m of command.matchAll(/runbook -- (\w+)/g)) {
        const help = spawnSync(process.execPath, [join(ROOT, 'scripts/runbook.ts'), m[1], '--help'], {
          cwd: ROOT,
          encoding: 'utf8',
        });
        expect(help.status, `${m[1]}: ${help.stderr}`).toBe(0);
      }
    }
  });

  it('runs the check job on a pull request: annotations, the full report and the diff in the summary, and a failing check', () => {
    // A repository shaped like a user's: the basic fixture site, npm scripts that call our CLI.
    const repo = scratchSite('basic', 'workflow-repo');
    made.push(repo);
    writeFileSync(
      join(repo, 'package.json'),
      JSON.stringify({
        private: true,
        scripts: {
          runbook: `"${process.execPath}" "${join(ROOT, 'scripts/runbook.ts')}"`,
          'test:docs': `"${process.execPath}" "${join(ROOT, 'scripts/runbook.ts')}" test`,
        },
      }),
    );
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'base');
    git(repo, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
    git(repo, 'checkout', '-q', '-b', 'feature');
    // The pull request adds a section with a command and a broken link, and logs no review.
    const page = join(repo, 'src/content/runbooks/ops/queue-stuck.md');
    writeFileSync(
      page,
      `${readFileSync(page, 'utf8')}\n## Drain\n\n\`\`\`bash run id=drain safety=mutating\necho drain\n\`\`\`\n\nSee [the old page](/nowhere/).\n`,
    );
    git(repo, 'commit', '-q', '-am', 'drain step');

    const summary = join(mkdtempSync(join(tmpdir(), 'gh-summary-')), 'summary.md');
    made.push(dirname(summary));
    const results: { command: string; status: number | null; stdout: string }[] = [];
    for (const step of workflow.jobs.check.steps) {
      if (!step.run || /npm ci|npm install/.test(step.run)) continue;
      // A pull request against main; `always()` holds because the runner would evaluate it so.
      if (step.if && !/always\(\)|github.event_name == 'pull_request'/.test(step.if)) continue;
      const command = step.run.replace(/\$\{\{\s*github\.base_ref\s*\}\}/g, 'main');
      const r = spawnSync('bash', ['-eo', 'pipefail', '-c', command], {
        cwd: repo,
        encoding: 'utf8',
        env: { ...process.env, GITHUB_STEP_SUMMARY: summary, CI: 'true' },
      });
      results.push({ command, status: r.status, stdout: r.stdout });
    }
    const check = results.find((r) => r.command.includes('check --format github'))!;
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(
      /^::error file=src\/content\/runbooks\/ops\/queue-stuck.md,line=\d+,col=\d+,title=link-broken::Link to a missing page \/nowhere\//m,
    );
    const diff = results.find((r) => r.command.includes('diff --base'))!;
    expect(diff.status).toBe(1);
    expect(existsSync(summary)).toBe(true);
    const text = readFileSync(summary, 'utf8');
    expect(text).toContain('### runbook check: ');
    expect(text).toContain('`link-broken` | Link to a missing page /nowhere/');
    expect(text).toContain('## Runbook changes against `origin/main`');
    expect(text).toContain('- **Not reviewed:** `src/content/runbooks/ops/queue-stuck.md`');
    expect(text).toContain('  - section added: `## Drain`');
    // The coverage of the team whose runbook changed.
    expect(text).toMatch(/^### Coverage\n\n- \*\*\\@[\w-]+\*\*: paging alerts on a runbook reviewed in its cadence /m);
    expect(results.find((r) => r.command.includes('test:docs'))!.status).toBe(0);
  }, 120_000);
});
