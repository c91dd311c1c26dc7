/**
 * One policy for a broken project file (src/plugins/project/load.ts): every command that
 * reads the project, and the build, stops on a broken runbooks.config.yaml or ladder with
 * the same exit code and the same finding (file:line:column, rule id, message, hint).
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../scripts/runbook.ts';
import type { Context } from '../../scripts/cli/context.ts';
import { astroBuild, scratchSite } from '../build/helpers.ts';

/** Runs the CLI in-process with captured output. */
async function run(argv: string[], cwd: string, env?: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: Context = { cwd, out: (t) => out.push(t), err: (t) => err.push(t), color: false, ...(env ? { env } : {}) };
  const code = await main(argv, ctx);
  return { code, text: `${out.join('\n')}\n${err.join('\n')}` };
}

/** A scratch site with `files` on top, committed to a git repository of its own (for `runbook diff`). */
function brokenSite(name: string, files: Record<string, string>, remove?: string) {
  const dir = scratchSite('basic', name, files);
  if (remove) rmSync(join(dir, remove));
  const env = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CEILING_DIRECTORIES: dirname(dir),
  };
  for (const args of [
    ['init', '-q'],
    ['add', '-A'],
    ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', 'commit', '-qm', 'base'],
  ]) {
    const r = spawnSync('git', args, { cwd: dir, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  }
  return { dir, env };
}

const COMMANDS = [
  ['check'],
  ['check', '--format', 'json'],
  ['coverage'],
  ['coverage', '--format', 'json'],
  ['lock'],
  ['codeowners'],
  ['diff', '--base', 'HEAD'],
  ['test'],
];

const BROKEN = [
  {
    file: 'runbooks.config.yaml',
    text: 'teams: [\n',
    at: 'runbooks.config.yaml:2:1',
    rule: 'config-invalid',
    message: 'runbooks.config.yaml is not valid YAML',
  },
  {
    file: 'src/content/severity.yaml',
    text: 'levels:\n  - id: P0\n    label: Outage\n',
    at: 'src/content/severity.yaml:2:5',
    rule: 'severity-ladder-invalid',
    message: 'levels.0.definition is required',
  },
  {
    file: 'src/content/severity.yaml',
    remove: true,
    text: '',
    at: 'src/content/severity.yaml:1:1',
    rule: 'severity-ladder-invalid',
    message: 'There is no severity ladder: src/content/severity.yaml does not exist',
  },
];

describe('a broken project file', () => {
  for (const broken of BROKEN) {
    it(`${broken.file}${broken.remove ? ' missing' : ''}: every command stops with exit 1 and the finding`, async () => {
      const { dir, env } = broken.remove
        ? brokenSite(`missing-${broken.rule}`, {}, broken.file)
        : brokenSite(`broken-${broken.rule}`, { [broken.file]: broken.text });
      for (const argv of COMMANDS) {
        const r = await run(argv, dir, env);
        expect([argv.join(' '), r.code]).toEqual([argv.join(' '), 1]);
        if (argv.includes('json')) {
          expect(JSON.parse(r.text).diagnostics[0]).toMatchObject({
            file: broken.file,
            ruleId: broken.rule,
            message: expect.stringContaining(broken.message),
            hint: expect.any(String),
          });
        } else {
          expect(r.text, argv.join(' ')).toContain(broken.at);
          expect(r.text, argv.join(' ')).toContain(broken.rule);
          expect(r.text, argv.join(' ')).toContain(broken.message);
          expect(r.text, argv.join(' ')).toContain('hint: ');
        }
      }
    }, 120_000);
  }

  it('runbooks.config.yaml: the build stops with the same finding', () => {
    const dir = scratchSite('basic', 'build-broken-config', { 'runbooks.config.yaml': 'teams: [\n' });
    const build = astroBuild(dir);
    expect(build.status).toBe(1);
    expect(build.output).toContain('runbooks.config.yaml:2:1  error    runbooks.config.yaml is not valid YAML');
    expect(build.output).toContain('config-invalid');
  }, 300_000);
});
