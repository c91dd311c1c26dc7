/**
 * `runbook run` against hostile runbooks and hostile values, with real bash processes:
 * no hang, no run a bare Enter can start, no value dropped, no process left behind, no
 * memory that grows with what a snippet prints.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, fixtureProject, gone, ROOT, runbookMd } from '../fixtures/run/project.ts';

const root = fixtureProject({
  'src/content/runbooks/hostile.md': runbookMd({
    shortlinks: '[hostile]',
    vars: [
      'NAME: { description: "A name", pattern: "^(a+)+$" }',
      'REGION: { description: "Region", example: "eu" }',
      'TOKEN: { description: "Token", secret: true }',
      'HOST: { description: "Host" }',
    ],
    body: `
\`\`\`bash run id=redos safety=read-only
echo "$NAME"
\`\`\`

\`\`\`bash run id=bare-enter safety=destructive confirm=""
touch destroyed
\`\`\`

\`\`\`bash run id=twice safety=read-only safety=destructive
touch twice-ran
\`\`\`

\`\`\`bash run id=expansions safety=read-only
echo "region=\${REGION:-none} length=\${#REGION} head=\${REGION:0:1} cut=\${REGION%-*} swap=\${REGION/-/_}"
\`\`\`

\`\`\`bash run id=session safety=read-only
setsid sleep 60 > /dev/null 2>&1 < /dev/null &
echo $! > session.pid
\`\`\`

\`\`\`bash run id=session-timeout safety=read-only timeout=1
setsid sleep 60 > /dev/null 2>&1 < /dev/null &
echo $! > session-timeout.pid
sleep 30
\`\`\`

\`\`\`bash run id=arith safety=read-only
[[ "$HOST" -eq 1 ]] && echo one || echo other
\`\`\`

\`\`\`bash run id=detached safety=read-only
setsid env -i /bin/sh -c 'trap "" TERM HUP; echo $$ > detached.pid; sleep 60' > /dev/null 2>&1 < /dev/null &
sleep 0.2
echo started
\`\`\`

\`\`\`bash run id=stubborn safety=read-only
bash -c 'trap "" TERM; echo $$ > stubborn.pid; sleep 60' > /dev/null 2>&1 &
sleep 0.3
\`\`\`

\`\`\`bash run id=flood safety=read-only
head -c 400000000 /dev/zero | tr '\\0' 'x'
\`\`\`
`,
  }),
});

async function waitGone(pid: number, ms = 3000): Promise<boolean> {
  for (let waited = 0; waited < ms && !gone(pid); waited += 50) await new Promise((r) => setTimeout(r, 50));
  return gone(pid);
}

const pidIn = (file: string) => Number(readFileSync(join(root, file), 'utf8'));

describe('runbook run with hostile runbooks', () => {
  it('refuses a value a backtracking pattern cannot decide, quickly, instead of hanging', async () => {
    const started = Date.now();
    const r = await cli(['run', 'hostile#redos', '--var', `NAME=${'a'.repeat(40)}!`, '--dry-run'], root);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('backtracks on it for too long');
    expect(Date.now() - started).toBeLessThan(5000);
  }, 10_000);

  it('refuses a value bash would evaluate as code, for a variable nothing confines', async () => {
    const r = await cli(['run', 'hostile#arith', '--var', 'HOST=BASH_VERSINFO[$(touch pwned-arith)]'], root);
    expect(r.code).toBe(2);
    expect(r.err).toContain('used where bash evaluates it as code');
    expect(existsSync(join(root, 'pwned-arith'))).toBe(false);
    expect((await cli(['run', 'hostile#arith', '--var', 'HOST=1'], root)).live).toContain('one');
  });

  it('refuses a value longer than any pattern should read', async () => {
    const r = await cli(['run', 'hostile#redos', '--var', `NAME=${'a'.repeat(5000)}`, '--dry-run'], root);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('longer than 4096 characters');
  });

  it('never runs a destructive block whose confirm word is empty, not even on a bare Enter', async () => {
    const r = await cli(['run', 'hostile#bare-enter', '--yes'], root, { tty: true, answers: [''] });
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('confirm=""');
    expect(existsSync(join(root, 'destroyed'))).toBe(false);
  });

  it('never runs a block that gives safety= twice', async () => {
    const r = await cli(['run', 'hostile#twice', '--yes'], root, { tty: true, answers: ['hostile'] });
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('`safety=` more than once');
    expect(existsSync(join(root, 'twice-ran'))).toBe(false);
  });

  it('passes a value the block only uses as ${NAME:-…}, ${#NAME}, ${NAME:0:1}, ${NAME%…} or ${NAME/…}', async () => {
    const r = await cli(['run', 'hostile#expansions', '--var', 'REGION=ap-south'], root);
    expect(r.code).toBe(0);
    expect(r.live).toContain('region=ap-south length=8 head=a cut=ap swap=ap_south');
  });

  it('ends a child that left the process group with setsid, when the block ends', async () => {
    const r = await cli(['run', 'hostile#session'], root);
    expect(r.code).toBe(0);
    expect(await waitGone(pidIn('session.pid'))).toBe(true);
  }, 15_000);

  it('ends a setsid child on timeout too', async () => {
    const r = await cli(['run', 'hostile#session-timeout'], root);
    expect(r.code).toBe(124);
    expect(await waitGone(pidIn('session-timeout.pid'))).toBe(true);
  }, 20_000);

  it('ends a child that left the group and dropped its environment (setsid env -i) and ignores SIGTERM', async () => {
    const r = await cli(['run', 'hostile#detached'], root);
    expect(r.code).toBe(0);
    expect(await waitGone(pidIn('detached.pid'))).toBe(true);
  }, 15_000);

  it('ends a child that ignores SIGTERM, with SIGKILL, when the block ends normally', async () => {
    const r = await cli(['run', 'hostile#stubborn'], root);
    expect(r.code).toBe(0);
    expect(await waitGone(pidIn('stubborn.pid'))).toBe(true);
  }, 15_000);

  it('keeps its memory bounded while 400 MB of output go to a slow reader', async () => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'scripts/runbook.ts'), 'run', 'hostile#flood', '--transcript', join(root, 'flood.jsonl')],
      {
        cwd: root,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    let read = 0;
    let peakKb = 0;
    // What the CLI takes before any output (Node, the Markdown parser's native code, the prompts).
    let baseKb = 0;
    const sample = setInterval(() => {
      const m = /VmRSS:\s+(\d+) kB/.exec(
        existsSync(`/proc/${child.pid}/status`) ? readFileSync(`/proc/${child.pid}/status`, 'utf8') : '',
      );
      if (m && read === 0) baseKb = Math.max(baseKb, Number(m[1]));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    }, 100);
    // A slow reader: take a chunk, then pause, so the pipe is full most of the time.
    child.stdout.on('data', (chunk: Buffer) => {
      read += chunk.length;
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 1);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearInterval(sample);
    expect(code).toBe(0);
    expect(read).toBeGreaterThanOrEqual(400_000_000);
    // The output adds a bounded amount, not 400 MB: before back-pressure it grew to 1 GB.
    expect((peakKb - baseKb) / 1024).toBeLessThan(50);
    expect(peakKb / 1024).toBeLessThan(150);
  }, 120_000);
});
