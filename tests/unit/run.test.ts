/**
 * `runbook run`: finding the block, variables, bash behaviour, needs, page runs, the
 * transcript and `list`, against fixture projects in temp directories.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, fixtureProject, runbookMd, transcriptEntries } from '../fixtures/run/project.ts';

const steps = runbookMd({
  title: 'Queue stuck',
  shortlinks: '[queue-stuck, { slug: queue-fix, anchor: fix }, { slug: queue-drain, anchor: drain }]',
  vars: [
    'RELEASE: { description: "Release tag", pattern: "^v\\\\d+\\\\.\\\\d+\\\\.\\\\d+$", example: v1.4.2 }',
    'MODE: { description: "How hard to push", enum: [gentle, hard], example: gentle }',
  ],
  body: `
## Look

\`\`\`bash run id=look safety=read-only title="Look at the queue"
echo "looking at $RELEASE"
\`\`\`

\`\`\`bash run id=plan safety=read-only
ops/plan.sh "$MODE"
\`\`\`

## Fix

\`\`\`bash run id=drain safety=mutating needs=plan timeout=30
echo "draining $MODE" > drained.txt
\`\`\`

\`\`\`bash run id=nuke safety=destructive confirm=nuke-queue
touch nuked
\`\`\`

\`\`\`bash run id=after safety=read-only
echo after
\`\`\`
`,
});

const shell = runbookMd({
  title: 'Shell behaviour',
  shortlinks: '[shell]',
  body: `
\`\`\`bash run id=fails safety=read-only
echo before
exit 3
\`\`\`

\`\`\`bash run id=strict safety=read-only
false
echo not-reached
\`\`\`

\`\`\`bash run id=lenient safety=read-only errexit=false
false
grep -q nothing /dev/null
echo still-here
\`\`\`

\`\`\`bash run id=unset safety=read-only
echo "$undefined_lower_case_thing"
\`\`\`

\`\`\`bash run id=pipefail safety=read-only
false | cat
echo not-reached
\`\`\`

\`\`\`bash run id=env safety=read-only
echo "shlvl=$SHLVL"
\`\`\`

\`\`\`bash run id=where safety=read-only cwd=ops
pwd
\`\`\`

\`\`\`bash run id=escape safety=read-only cwd=../
pwd
\`\`\`

\`\`\`python run id=query safety=read-only
print(1)
\`\`\`

\`\`\`bash run id=watch safety=read-only interactive
top
\`\`\`

\`\`\`bash run id=big safety=read-only
head -c 100000 /dev/zero | tr '\\0' a
\`\`\`
`,
});

let root: string;
beforeAll(() => {
  root = fixtureProject({
    'src/content/runbooks/team/queue.md': steps,
    'src/content/runbooks/team/shell.md': shell,
    'src/content/runbooks/team/no-links.md': runbookMd({
      title: 'No shortlinks',
      shortlinks: '[]',
      body: '```bash run id=hello safety=read-only\necho hello\n```',
    }),
    'ops/plan.sh': '#!/usr/bin/env bash\necho "plan: drain ($1)"\n',
  });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const t = (name: string) => join(root, `${name}.jsonl`);

describe('finding what to run', () => {
  it('takes a shortlink, /r/ form or page path, with #id', async () => {
    for (const target of [
      'queue-stuck#look',
      '/r/queue-stuck#look',
      'team/queue#look',
      'src/content/runbooks/team/queue.md#look',
    ]) {
      const r = await cli(['run', target, '--var', 'RELEASE=v1.2.3', '--transcript', t('find')], root);
      expect(r.code, target).toBe(0);
      expect(r.live).toBe('looking at v1.2.3\n');
    }
  });

  it('exits 2 for an unknown runbook or block, naming the blocks there are', async () => {
    expect((await cli(['run', 'nope'], root)).code).toBe(2);
    const r = await cli(['run', 'queue-stuck#nope'], root);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Its run blocks: look, plan, drain, nuke, after');
  });

  it('runs the block a shortlink anchor names, or the blocks of the heading it names', async () => {
    const drain = await cli(['run', 'queue-fix', '--dry-run', '--var', 'MODE=hard'], root);
    expect(drain.out).toContain('(the blocks under #fix)');
    expect(drain.out).toContain('▶ queue-stuck#drain');
    expect(drain.out).toContain(
      '↷ queue-stuck#nuke is skipped: destructive blocks run only by name: npx runbook run queue-stuck#nuke',
    );
    expect(drain.out).toContain('▶ queue-stuck#after');
    expect(drain.out).not.toContain('▶ queue-stuck#look');
    const one = await cli(['run', 'queue-drain', '--dry-run', '--var', 'MODE=hard'], root);
    expect(one.out.match(/▶/g)).toHaveLength(1);
  });

  it('lists runbooks with slugs, title, owner, severity and run blocks', async () => {
    const r = await cli(['list'], root);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^SLUGS\s+TITLE\s+OWNER\s+SEVERITY\s+RUN BLOCKS$/);
    expect(lines.find((l) => l.startsWith('queue-stuck, queue-fix, queue-drain'))).toMatch(
      /Queue stuck\s+@ops-team\s+SEV-2\s+5$/,
    );
    expect(lines.find((l) => l.startsWith('team/no-links'))).toMatch(/No shortlinks\s+@ops-team\s+SEV-2\s+1$/);
    const json = JSON.parse((await cli(['list', '--json'], root)).out);
    expect(json.find((x: { path: string }) => x.path === 'team/shell')).toMatchObject({
      slugs: ['shell'],
      runBlocks: 11,
    });
  });

  it('lists only text for a title, owner or severity of another type (the check reports those)', async () => {
    const odd = fixtureProject({
      'src/content/runbooks/t/a.md': '---\ntitle: 2024\nowner: 42\nseverity: 1\nshortlinks: [sl-a]\n---\n\nText.\n',
      'src/content/runbooks/t/b.md':
        '---\ntitle: true\nowner: true\nseverity: { x: 1 }\nshortlinks: [sl-b]\n---\n\nText.\n',
    });
    const json = JSON.parse((await cli(['list', '--json'], odd)).out) as {
      title: string;
      owner: string | null;
      severity: string[];
    }[];
    // `severity: 1` is the text "1", as the site shows it (a text field takes back what YAML read as a number).
    expect(json.map((r) => [r.title, r.owner, r.severity])).toEqual([
      ['t/a.md', null, ['1']],
      ['t/b.md', null, []],
    ]);
    expect((await cli(['list'], odd)).out).not.toMatch(/object Object|2024|\b42\b/);
  });

  it('prints usage with --help and exits 2 without a target', async () => {
    const help = await cli(['run', '--help'], root);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: npx runbook run <slug>[#id]');
    expect((await cli(['run'], root)).code).toBe(2);
  });
});

describe('variables', () => {
  it('exits 2 naming a missing variable when there is no terminal to ask in', async () => {
    const r = await cli(['run', 'queue-stuck#look'], root);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Variable RELEASE has no value (RELEASE: Release tag)');
  });

  it('asks in a terminal, with the description, and checks the answer', async () => {
    const r = await cli(['run', 'queue-stuck#look', '--transcript', t('ask')], root, {
      tty: true,
      answers: ['v9.9.9'],
    });
    expect(r.asked).toEqual([{ kind: 'text', message: 'RELEASE — Release tag', secret: false }]);
    expect(r.live).toBe('looking at v9.9.9\n');
  });

  it('prefers --var over the environment', async () => {
    const r = await cli(['run', 'queue-stuck#look', '--var', 'RELEASE=v1.0.0', '--transcript', t('prefer')], root, {
      env: { RELEASE: 'v2.0.0' },
    });
    expect(r.live).toBe('looking at v1.0.0\n');
  });

  it('exits 2 with the variable, the rule and its description for a bad value', async () => {
    const bad = await cli(['run', 'queue-stuck#look', '--var', 'RELEASE=latest'], root);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      'Variable RELEASE = "latest" from --var must match the pattern ^v\\d+\\.\\d+\\.\\d+$ (RELEASE: Release tag).',
    );
    const env = await cli(['run', 'queue-stuck#plan'], root, { env: { MODE: 'brutal' } });
    expect(env.code).toBe(2);
    expect(env.err).toContain(
      'Variable MODE = "brutal" from the environment must be one of gentle, hard (MODE: How hard to push)',
    );
  });

  it('exits 2 for a --var the runbook does not declare, or one without =', async () => {
    expect((await cli(['run', 'queue-stuck#look', '--var', 'RELASE=v1.0.0'], root)).err).toContain(
      'declares no variable RELASE',
    );
    expect((await cli(['run', 'queue-stuck#look', '--var', 'RELEASE'], root)).code).toBe(2);
  });
});

describe('bash behaviour', () => {
  it('propagates the exit code', async () => {
    const r = await cli(['run', 'shell#fails', '--transcript', t('fails')], root);
    expect(r.code).toBe(3);
    expect(r.live).toBe('before\n');
    expect(r.err).toContain('✖ shell#fails exited 3');
  });

  it('runs with -e, -u and pipefail, and without -e for errexit=false', async () => {
    expect((await cli(['run', 'shell#strict', '--transcript', t('sh')], root)).code).toBe(1);
    const unset = await cli(['run', 'shell#unset', '--transcript', t('sh')], root);
    expect(unset.code).toBe(1);
    expect(unset.live).toContain('undefined_lower_case_thing: unbound variable');
    expect((await cli(['run', 'shell#pipefail', '--transcript', t('sh')], root)).live).not.toContain('not-reached');
    const lenient = await cli(['run', 'shell#lenient', '--transcript', t('sh')], root);
    expect(lenient.code).toBe(0);
    expect(lenient.live).toBe('still-here\n');
  });

  it('starts bash with SHLVL=1 and no startup files', async () => {
    const r = await cli(['run', 'shell#env', '--transcript', t('sh')], root, {
      env: { BASH_ENV: join(root, 'ops/plan.sh'), SHLVL: '7' },
    });
    // bash counts itself: the 1 it was given (not the caller's 7) becomes 2. BASH_ENV would have printed "plan:".
    expect(r.live).toBe('shlvl=2\n');
  });

  it('runs in cwd= inside the repository and refuses one outside', async () => {
    const r = await cli(['run', 'shell#where', '--transcript', t('sh')], root);
    expect(r.live.trim()).toBe(join(root, 'ops'));
    const out = await cli(['run', 'shell#escape'], root);
    expect(out.code).toBe(2);
    expect(out.err).toContain('outside the repository');
  });

  it('leaves blocks it cannot run out of a page run, and says why', async () => {
    const r = await cli(['run', 'shell', '--dry-run'], root);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      '↷ shell#query is skipped: #query is a `python` block; runbook runs sh, bash and sql blocks only.',
    );
  });

  it('refuses languages it cannot run, and interactive blocks without a terminal', async () => {
    const sql = await cli(['run', 'shell#query'], root);
    expect(sql.code).toBe(2);
    expect(sql.err).toContain('runs sh, bash and sql blocks only');
    const top = await cli(['run', 'shell#watch', '--transcript', t('sh')], root);
    expect(top.code).toBe(1);
    expect(top.err).toContain('interactive and there is no terminal');
  });

  it('keeps at most 64 KB of output in the transcript, and says it cut it', async () => {
    const path = t('big');
    const r = await cli(['run', 'shell#big', '--transcript', path], root);
    expect(r.live).toHaveLength(100_000);
    const [entry] = transcriptEntries(path);
    expect(entry.output).toHaveLength(64 * 1024);
    expect(entry.outputTruncated).toBe(true);
  });
});

describe('needs, page runs and the transcript', () => {
  it('refuses a block whose needs have not succeeded in the transcript, unless --force-needs', async () => {
    const path = t('needs');
    const refused = await cli(['run', 'queue-stuck#drain', '--yes', '--var', 'MODE=hard', '--transcript', path], root);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('it needs #plan to have succeeded first');
    expect(existsSync(join(root, 'drained.txt'))).toBe(false);

    const forced = await cli(
      ['run', 'queue-stuck#drain', '--yes', '--force-needs', '--var', 'MODE=hard', '--transcript', path],
      root,
    );
    expect(forced.code).toBe(0);
    expect(readFileSync(join(root, 'drained.txt'), 'utf8')).toBe('draining hard\n');
    expect(transcriptEntries(path).at(-1)).toMatchObject({ block: 'drain', exitCode: 0, forcedNeeds: ['plan'] });
  });

  it('runs a block once its needs succeeded in the same transcript', async () => {
    const path = t('needs-met');
    expect((await cli(['run', 'queue-stuck#plan', '--var', 'MODE=gentle', '--transcript', path], root)).code).toBe(0);
    const r = await cli(['run', 'queue-stuck#drain', '--yes', '--var', 'MODE=gentle', '--transcript', path], root);
    expect(r.code).toBe(0);
    expect(transcriptEntries(path).at(-1)).not.toHaveProperty('forcedNeeds');
  });

  it('walks the page in order, skips destructive blocks and says so', async () => {
    const path = t('page');
    const r = await cli(
      ['run', 'queue-stuck', '--yes', '--var', 'MODE=gentle', '--var', 'RELEASE=v1.0.0', '--transcript', path],
      root,
    );
    expect(r.code).toBe(0);
    expect(r.live).toBe('looking at v1.0.0\nplan: drain (gentle)\nafter\n');
    expect(r.err).toContain('↷ Skipping queue-stuck#nuke: destructive blocks run only by name');
    expect(existsSync(join(root, 'nuked'))).toBe(false);
    expect(transcriptEntries(path).map((e) => e.block)).toEqual(['look', 'plan', 'drain', 'after']);
  });

  it('skips a declined step of a page run and goes on', async () => {
    const path = t('page-declined');
    const r = await cli(
      ['run', 'queue-stuck', '--var', 'MODE=gentle', '--var', 'RELEASE=v1.0.0', '--transcript', path],
      root,
      { tty: true, answers: [false] },
    );
    expect(r.code).toBe(0);
    expect(transcriptEntries(path).map((e) => [e.block, e.declined ?? false])).toEqual([
      ['look', false],
      ['plan', false],
      ['drain', true],
      ['after', false],
    ]);
  });

  it('writes one complete JSON line per run to the dated default transcript', async () => {
    const now = new Date('2026-11-23T02:14:05.000Z');
    const r = await cli(['run', 'queue-stuck#look', '--var', 'RELEASE=v1.2.3', '--incident', 'INC-42'], root, { now });
    expect(r.code).toBe(0);
    const path = join(root, '.runbook/transcripts/2026-11-23-queue-stuck.jsonl');
    const [entry] = transcriptEntries(path);
    expect(Object.keys(entry)).toEqual([
      'ts',
      'end',
      'operator',
      'gitSha',
      'runbook',
      'block',
      'safety',
      'snippetSha256',
      'vars',
      'exitCode',
      'durationMs',
      'incident',
      'output',
    ]);
    expect(entry).toMatchObject({
      ts: '2026-11-23T02:14:05.000Z',
      runbook: { slug: 'queue-stuck', file: 'src/content/runbooks/team/queue.md' },
      block: 'look',
      safety: 'read-only',
      vars: { RELEASE: 'v1.2.3' },
      exitCode: 0,
      incident: 'INC-42',
      output: 'looking at v1.2.3\n',
      gitSha: null,
      snippetSha256: createHash('sha256').update('echo "looking at $RELEASE"').digest('hex'),
    });
    expect(readFileSync(join(root, '.runbook/.gitignore'), 'utf8')).toContain('*');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(typeof entry.operator).toBe('string');
    expect(entry.operator).not.toBe('');
  });

  it('a dry run prints block, safety, command, env, cwd and timeout, and runs nothing', async () => {
    const r = await cli(
      ['run', 'queue-stuck#drain', '--dry-run', '--var', 'MODE=hard', '--transcript', t('dry')],
      root,
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('▶ queue-stuck#drain');
    expect(r.out).toContain('safety:   mutating');
    expect(r.out).toContain('cwd:      .');
    expect(r.out).toContain('timeout:  30 s');
    expect(r.out).toContain('needs:    plan (not yet succeeded in this transcript)');
    expect(r.out).toContain('    echo "draining $MODE" > drained.txt');
    expect(r.out).toContain('    MODE=hard');
    expect(r.asked).toEqual([]);
    expect(existsSync(t('dry'))).toBe(false);
  });
});
