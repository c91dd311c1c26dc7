/**
 * What every benchmark measures with: the median of a series, and a child process timed
 * by wall clock and by CPU (user + system, as bash's `time` counts them for the child),
 * because this machine is noisy and CPU time shows what wall time hides.
 */
import { spawnSync } from 'node:child_process';

/** The median of a series (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `node …cmd` in `cwd`: wall-clock seconds, CPU seconds of the child, its status and output (stdout and stderr together). */
export function timeNode(
  cmd: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): { seconds: number; cpu: number; status: number | null; stdout: string } {
  const start = performance.now();
  const r = spawnSync(
    'bash',
    ['-c', 'TIMEFORMAT="%U %S"; { time "$@" 2>&1 ; } 2>&3', 'time', process.execPath, ...cmd],
    { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] },
  );
  const seconds = (performance.now() - start) / 1000;
  const [user, sys] = String(r.output[3] ?? '')
    .trim()
    .split(/\s+/)
    .map(Number);
  return { seconds, cpu: (user ?? 0) + (sys ?? 0), status: r.status, stdout: r.stdout };
}
