/**
 * The one way the CLI starts processes: snippets, git, doc tests and the benchmark
 * all come through here. No shell is ever involved (`shell` is never set), so
 * arguments reach the program as data; the caller decides what program that is.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** How to start a process. */
export interface SpawnOptions {
  cwd: string;
  /** The complete environment of the process (nothing is merged in). */
  env?: NodeJS.ProcessEnv;
  /** Stop the process after this many milliseconds: SIGTERM, then SIGKILL {@link GRACE_MS} later. */
  timeoutMs?: number;
  /**
   * `pipe` captures output and runs the process in its own process group, so a timeout
   * or Ctrl-C reaches everything it started, and nothing it started outlives it. `inherit` attaches the terminal (for
   * interactive commands): the process then stays in the terminal's foreground group,
   * which is what lets it read the keyboard.
   */
  stdio?: 'pipe' | 'inherit';
  /** Each chunk of output as it arrives (pipe mode). */
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
  /** Keep stdout/stderr in the result (pipe mode); off for long snippet output that `onOutput` handles. */
  capture?: boolean;
  /** Pass Ctrl-C, SIGTERM and SIGHUP received by the CLI on to the process group. */
  forwardSignals?: boolean;
}

/** What a process did. */
export interface SpawnResult {
  /** The exit code; 124 after a timeout, 128+n after signal n, 127 when the program could not start. */
  exitCode: number;
  /** The signal that ended the process, if any. */
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Captured output (empty unless `capture`), at most {@link MAX_CAPTURE} bytes each. */
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Why the process could not be started, when it could not. */
  error?: string;
}

/** Upper bound on captured output per stream, so a chatty process cannot exhaust memory. */
export const MAX_CAPTURE = 16 * 1024 * 1024;
/** Time a timed-out process group gets between SIGTERM and SIGKILL, to clean up. */
export const GRACE_MS = 3000;
/** Exit code for a timeout, as coreutils `timeout` uses. */
export const TIMEOUT_EXIT = 124;

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Sends `signal` to the process group of `pid` (or to `pid` alone), ignoring processes already gone. */
function kill(pid: number, signal: NodeJS.Signals, group: boolean): void {
  try {
    process.kill(group ? -pid : pid, signal);
  } catch {
    // ESRCH: it already ended.
  }
}

/** Runs `command` with `args` and resolves when it has ended and its output is drained. */
export function spawnProcess(command: string, args: readonly string[], options: SpawnOptions): Promise<SpawnResult> {
  const stdio = options.stdio ?? 'pipe';
  const group = stdio === 'pipe';
  const started = performance.now();
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: stdio === 'pipe' ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      detached: group,
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const sizes = { stdout: 0, stderr: 0 };
    let timedOut = false;
    let spawnError: string | undefined;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const onSignal = (signal: NodeJS.Signals) => child.pid && kill(child.pid, signal, group);
    if (options.forwardSignals) for (const s of FORWARDED) process.on(s, onSignal);

    const collect = (stream: 'stdout' | 'stderr', list: Buffer[]) => (chunk: Buffer) => {
      options.onOutput?.(chunk, stream);
      if (options.capture !== false && sizes[stream] < MAX_CAPTURE) {
        list.push(chunk);
        sizes[stream] += chunk.length;
      }
    };
    child.stdout?.on('data', collect('stdout', out));
    child.stderr?.on('data', collect('stderr', err));

    if (options.timeoutMs !== undefined && options.timeoutMs > 0) {
      timers.push(
        setTimeout(() => {
          if (!child.pid) return;
          timedOut = true;
          kill(child.pid, 'SIGTERM', group);
          timers.push(setTimeout(() => child.pid && kill(child.pid, 'SIGKILL', group), GRACE_MS).unref());
        }, options.timeoutMs),
      );
    }

    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      if (options.forwardSignals) for (const s of FORWARDED) process.off(s, onSignal);
      const exitCode = timedOut ? TIMEOUT_EXIT : spawnError ? 127 : code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1);
      resolvePromise({
        exitCode, signal, timedOut,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        durationMs: Math.round(performance.now() - started),
        error: spawnError,
      });
    };

    child.on('error', (error) => {
      spawnError = error.message;
      finish(null, null);
    });
    child.on('exit', (code, signal) => {
      // What the process left running in its group (`cmd &`) would be out of reach of the
      // operator's Ctrl-C: it ends with the process. Then wait for the output still in
      // flight, but not forever for something that ignored SIGTERM.
      if (group && child.pid) kill(child.pid, 'SIGTERM', true);
      const drain = setTimeout(() => {
        if (group && child.pid) kill(child.pid, 'SIGKILL', true);
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish(code, signal);
      }, 1000);
      child.once('close', () => {
        clearTimeout(drain);
        finish(code, signal);
      });
    });
  });
}
