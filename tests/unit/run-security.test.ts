/**
 * The security properties of `runbook run`, with real bash processes in real temp
 * directories: variable values are data, secrets never leave the CLI, a timeout takes
 * the whole process group, and the safety prompts cannot be skipped.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, fixtureProject, gone, ROOT, runbookMd, transcriptEntries } from '../fixtures/run/project.ts';

const SECRET = 'hunter2-Zq9xV7-s3cr3t';

const md = runbookMd({
  shortlinks: '[sec]',
  vars: [
    'VALUE: { description: "Any text" }',
    'API_TOKEN: { description: "Admin API token", secret: true }',
    'PIN_TOKEN: { description: "A token with a shape", secret: true, pattern: "^tok-[a-z]+$" }',
  ],
  body: `
\`\`\`bash run id=echo-quoted safety=read-only
printf '%s' "$VALUE"
\`\`\`

\`\`\`bash run id=echo-unquoted safety=read-only
echo $VALUE
\`\`\`

\`\`\`bash run id=leak safety=read-only
printf 'token=%s\\n' "$API_TOKEN"
printf '%s' "\${API_TOKEN:0:7}"
sleep 0.3
printf '%s\\n' "\${API_TOKEN:7}"
echo "to stderr: $API_TOKEN" >&2
\`\`\`

\`\`\`bash run id=leak-mutating safety=mutating
echo "$API_TOKEN"
\`\`\`

\`\`\`bash run id=pinned safety=read-only
echo "$PIN_TOKEN"
\`\`\`

\`\`\`bash run id=orphan safety=read-only timeout=1
sleep 30 & echo $! > child.pid
sleep 30
\`\`\`

\`\`\`bash run id=leftover safety=read-only
sleep 30 & echo $! > leftover.pid
\`\`\`

\`\`\`bash run id=interrupt safety=read-only
sleep 30 & echo $! > interrupt.pid
sleep 30
\`\`\`

\`\`\`bash run id=change safety=mutating
touch mutated
\`\`\`

\`\`\`bash run id=wipe safety=destructive confirm=wipe-it
touch wiped
\`\`\`

\`\`\`bash run id=wipe-default-word safety=destructive
touch wiped-default
\`\`\`
`,
});

let root: string;
beforeAll(() => {
  root = fixtureProject({ 'src/content/runbooks/sec.md': md });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const transcriptOf = (name: string) => join(root, `${name}.jsonl`);

describe('variable values reach the snippet as data, never as shell text', () => {
  const hostile = [
    '; touch pwned',
    '$(touch pwned)',
    '`touch pwned`',
    'line one\n$(touch pwned)\nline three; touch pwned',
    `it's a 'single' quote'; touch pwned; '`,
    'a "double" quote"; touch pwned; "',
    '|| touch pwned && echo $HOME > pwned',
  ];

  it.each(hostile)('%j is printed literally and creates nothing (--var, quoted use)', async (value) => {
    const r = await cli(
      ['run', 'sec#echo-quoted', '--var', `VALUE=${value}`, '--transcript', transcriptOf('inject')],
      root,
    );
    expect(r.code).toBe(0);
    expect(r.live).toBe(value);
    expect(existsSync(join(root, 'pwned'))).toBe(false);
  });

  it.each(hostile)('%j creates nothing even when the snippet leaves $VALUE unquoted', async (value) => {
    const r = await cli(
      ['run', 'sec#echo-unquoted', '--var', `VALUE=${value}`, '--transcript', transcriptOf('inject')],
      root,
    );
    expect(r.code).toBe(0);
    // Word splitting still applies to an unquoted expansion, but nothing in the value is ever executed.
    expect(r.live).toBe(`${value.split(/\s+/).filter(Boolean).join(' ')}\n`);
    expect(existsSync(join(root, 'pwned'))).toBe(false);
  });

  it('takes values from the environment the same way', async () => {
    const r = await cli(['run', 'sec#echo-quoted', '--transcript', transcriptOf('inject')], root, {
      env: { VALUE: '$(touch pwned)`touch pwned`' },
    });
    expect(r.code).toBe(0);
    expect(r.live).toBe('$(touch pwned)`touch pwned`');
    expect(existsSync(join(root, 'pwned'))).toBe(false);
  });

  it('takes prompted values the same way', async () => {
    const r = await cli(['run', 'sec#echo-quoted', '--transcript', transcriptOf('inject')], root, {
      tty: true,
      answers: ['"; touch pwned; echo "'],
    });
    expect(r.code).toBe(0);
    expect(r.live).toBe('"; touch pwned; echo "');
    expect(existsSync(join(root, 'pwned'))).toBe(false);
  });

  it('a real `node scripts/runbook.ts run` process passes hostile values as data too', () => {
    const value = '$(touch pwned); `touch pwned` \' " \n touch pwned';
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'scripts/runbook.ts'),
        'run',
        'sec#echo-quoted',
        '--var',
        `VALUE=${value}`,
        '--transcript',
        transcriptOf('spawned'),
      ],
      {
        cwd: root,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(value);
    expect(existsSync(join(root, 'pwned'))).toBe(false);
  });
});

describe('secret values never leave the CLI', () => {
  it('are masked in live output, in the captured output and everywhere in the transcript file, also when split across chunks', async () => {
    const path = transcriptOf('secret');
    const r = await cli(['run', 'sec#leak', '--transcript', path], root, { env: { API_TOKEN: SECRET } });
    expect(r.code).toBe(0);
    const file = readFileSync(path, 'utf8');
    expect(file).not.toContain(SECRET);
    // No fragment that would give most of it away either.
    expect(file).not.toContain(SECRET.slice(0, 7));
    expect(file).not.toContain(SECRET.slice(7));
    const [entry] = transcriptEntries(path);
    expect(entry.output).toBe('token=••••\n••••\nto stderr: ••••\n');
    expect(entry.vars).toEqual({ API_TOKEN: '••••' });
    expect(r.live).not.toContain(SECRET);
    expect(r.live).toContain('token=••••');
    expect(`${r.out}\n${r.err}`).not.toContain(SECRET);
  });

  it('are masked when given with --var, which also warns about shell history', async () => {
    const path = transcriptOf('secret-var');
    const r = await cli(['run', 'sec#leak', '--var', `API_TOKEN=${SECRET}`, '--transcript', path], root);
    expect(r.code).toBe(0);
    expect(readFileSync(path, 'utf8')).not.toContain(SECRET);
    expect(r.err).toContain('API_TOKEN is secret');
  });

  it('are masked in what a mutating prompt shows and asked for with hidden input', async () => {
    const path = transcriptOf('secret-prompt');
    const r = await cli(['run', 'sec#leak-mutating', '--transcript', path], root, {
      tty: true,
      answers: [SECRET, false],
    });
    expect(r.asked[0]).toMatchObject({ kind: 'text', secret: true });
    expect(r.asked[1]).toMatchObject({ kind: 'confirm', message: 'Run it?' });
    expect(r.err).toContain('API_TOKEN=••••');
    expect(`${r.out}\n${r.err}\n${readFileSync(path, 'utf8')}`).not.toContain(SECRET);
  });

  it('are not echoed when they break their pattern', async () => {
    const r = await cli(['run', 'sec#pinned', '--var', `PIN_TOKEN=${SECRET}`], root);
    expect(r.code).toBe(2);
    expect(r.err).toContain('PIN_TOKEN');
    expect(r.err).toContain('must match the pattern ^tok-[a-z]+$');
    expect(r.err).toContain('A token with a shape');
    expect(r.err).not.toContain(SECRET);
  });

  it('are masked in what --dry-run prints, in-process and in a real process', async () => {
    const r = await cli(['run', 'sec#leak', '--dry-run'], root, { env: { API_TOKEN: SECRET } });
    expect(r.code).toBe(0);
    expect(r.out).toContain('API_TOKEN=••••');
    expect(`${r.out}\n${r.err}`).not.toContain(SECRET);

    const p = spawnSync(
      process.execPath,
      [join(ROOT, 'scripts/runbook.ts'), 'run', 'sec', '--dry-run', '--var', `API_TOKEN=${SECRET}`],
      {
        cwd: root,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME, PIN_TOKEN: 'tok-abc' },
      },
    );
    expect(p.status).toBe(0);
    expect(p.stdout).toContain('API_TOKEN=••••');
    expect(p.stdout).toContain('PIN_TOKEN=••••');
    expect(`${p.stdout}${p.stderr}`).not.toContain(SECRET);
    expect(`${p.stdout}${p.stderr}`).not.toContain('tok-abc');
    // A dry run runs nothing and records nothing.
    expect(existsSync(join(root, '.runbook'))).toBe(false);
  });
});

describe('process groups', () => {
  it('kill the whole process group, background children included, with exit code 124', async () => {
    const path = transcriptOf('timeout');
    const started = Date.now();
    const r = await cli(['run', 'sec#orphan', '--transcript', path], root);
    expect(r.code).toBe(124);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.err).toContain('timed out after 1 s');
    const child = Number(readFileSync(join(root, 'child.pid'), 'utf8'));
    expect(child).toBeGreaterThan(0);
    // The child got SIGTERM with its group; give its reaper a moment.
    for (let i = 0; i < 20 && !gone(child); i++) await new Promise((r) => setTimeout(r, 100));
    expect(gone(child)).toBe(true);
    expect(transcriptEntries(path)[0]).toMatchObject({ block: 'orphan', exitCode: 124, timedOut: true });
  });

  it('end what a snippet left running in the background when it exits', async () => {
    const r = await cli(['run', 'sec#leftover', '--transcript', transcriptOf('leftover')], root);
    expect(r.code).toBe(0);
    const child = Number(readFileSync(join(root, 'leftover.pid'), 'utf8'));
    for (let i = 0; i < 20 && !gone(child); i++) await new Promise((r) => setTimeout(r, 100));
    expect(gone(child)).toBe(true);
  });

  it('pass Ctrl-C on to the whole process group of a real `runbook run` process', async () => {
    const cliProcess = spawn(
      process.execPath,
      [join(ROOT, 'scripts/runbook.ts'), 'run', 'sec#interrupt', '--transcript', transcriptOf('interrupt')],
      {
        cwd: root,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        stdio: 'ignore',
      },
    );
    const pidFile = join(root, 'interrupt.pid');
    for (let i = 0; i < 100 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 100));
    cliProcess.kill('SIGINT');
    const code = await new Promise<number | null>((r) => cliProcess.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    const child = Number(readFileSync(pidFile, 'utf8'));
    for (let i = 0; i < 20 && !gone(child); i++) await new Promise((r) => setTimeout(r, 100));
    expect(gone(child)).toBe(true);
    expect(transcriptEntries(transcriptOf('interrupt'))[0]).toMatchObject({ block: 'interrupt', exitCode: 130 });
  });
});

describe('safety prompts', () => {
  it('--yes does not run a destructive block without a terminal', async () => {
    const path = transcriptOf('destructive-notty');
    const r = await cli(['run', 'sec#wipe', '--yes', '--transcript', path], root);
    expect(r.code).toBe(1);
    expect(r.err).toContain('destructive');
    expect(r.err).toContain('--yes does not skip');
    expect(existsSync(join(root, 'wiped'))).toBe(false);
    expect(transcriptEntries(path)[0]).toMatchObject({
      block: 'wipe',
      exitCode: null,
      refused: expect.stringContaining('destructive'),
    });
  });

  it('--yes still asks for the confirm word in a terminal; a wrong word runs nothing', async () => {
    const path = transcriptOf('destructive-wrong');
    const r = await cli(['run', 'sec#wipe', '--yes', '--transcript', path], root, { tty: true, answers: ['yes'] });
    expect(r.asked).toEqual([{ kind: 'text', message: expect.stringContaining('"wipe-it"') }]);
    expect(r.code).toBe(1);
    expect(existsSync(join(root, 'wiped'))).toBe(false);
    expect(transcriptEntries(path)[0]).toMatchObject({ block: 'wipe', declined: true, exitCode: null });
  });

  it('runs a destructive block when the confirm word is typed', async () => {
    const r = await cli(['run', 'sec#wipe', '--transcript', transcriptOf('destructive-ok')], root, {
      tty: true,
      answers: ['wipe-it'],
    });
    expect(r.code).toBe(0);
    expect(existsSync(join(root, 'wiped'))).toBe(true);
  });

  it('uses the first shortlink as the confirm word when the block names none', async () => {
    const r = await cli(['run', 'sec#wipe-default-word', '--transcript', transcriptOf('destructive-default')], root, {
      tty: true,
      answers: ['sec'],
    });
    expect(r.asked[0].message).toContain('"sec"');
    expect(r.code).toBe(0);
    expect(existsSync(join(root, 'wiped-default'))).toBe(true);
  });

  it('a mutating block answered No does not run, and the No is recorded', async () => {
    const path = transcriptOf('mutating-no');
    const r = await cli(['run', 'sec#change', '--transcript', path], root, { tty: true, answers: [false] });
    expect(r.asked).toEqual([{ kind: 'confirm', message: 'Run it?' }]);
    expect(r.err).toContain('touch mutated');
    expect(r.code).toBe(1);
    expect(existsSync(join(root, 'mutated'))).toBe(false);
    expect(transcriptEntries(path)[0]).toMatchObject({
      block: 'change',
      safety: 'mutating',
      declined: true,
      exitCode: null,
    });
  });

  it('a mutating block without a terminal needs --yes', async () => {
    const r = await cli(['run', 'sec#change', '--transcript', transcriptOf('mutating-notty')], root);
    expect(r.code).toBe(1);
    expect(r.err).toContain('pass --yes');
    expect(existsSync(join(root, 'mutated'))).toBe(false);
    const yes = await cli(['run', 'sec#change', '--yes', '--transcript', transcriptOf('mutating-yes')], root);
    expect(yes.asked).toEqual([]);
    expect(yes.code).toBe(0);
    expect(existsSync(join(root, 'mutated'))).toBe(true);
  });
});
