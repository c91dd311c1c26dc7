/**
 * The one way the CLI starts processes: snippets, git, doc tests and the benchmark
 * all come through here. No shell is ever involved (`shell` is never set), so
 * arguments reach the program as data; the caller decides what program that is.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
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
  /**
   * Each chunk of output as it arrives (pipe mode). Returning a promise pauses reading
   * the process's output until it settles: a slow reader slows the process down
   * instead of filling memory.
   */
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void | Promise<void>;
  /** Keep stdout/stderr in the result (pipe mode); off for long snippet output that `onOutput` handles. */
  capture?: boolean;
  /** Pass Ctrl-C, SIGTERM and SIGHUP received by the CLI on to the process group. */
  forwardSignals?: boolean;
  /** Written to the process's standard input, which is then closed (pipe mode); otherwise stdin is /dev/null. */
  input?: string;
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

/** The environment variable every process of one run carries, so the ones that left the process group can still be found. */
const MARKER = 'RUNBOOK_PROCESS_MARK';

/** Processes whose environment carries `MARKER=<mark>`: everything the run started, `setsid` or not (Linux; none elsewhere). */
function marked(mark: string): number[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const needle = Buffer.from(`${MARKER}=${mark}\0`);
  return names.flatMap((name) => {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) return [];
    try {
      return readFileSync(`/proc/${name}/environ`).includes(needle) ? [Number(name)] : [];
    } catch {
      return [];
    }
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Parent and start time of every process, from /proc (empty elsewhere). */
function processTable(): Map<number, { ppid: number; start: string }> {
  const table = new Map<number, { ppid: number; start: string }>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Fields after the command name (which may hold spaces and parentheses): state, ppid, …, starttime (22nd).
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), { ppid: Number(fields[1]), start: fields[19] });
    } catch {
      // Gone meanwhile.
    }
  }
  return table;
}

/**
 * Follows a run's process tree while it runs: every descendant seen is remembered with
 * its start time, so one that later leaves the group and the environment marker
 * (`setsid env -i …`) and is orphaned is still known, and a recycled PID is not mistaken for it.
 */
class Descendants {
  readonly seen = new Map<number, string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly root: number;
  constructor(root: number) {
    this.root = root;
    this.scan();
    // Often at first, when a snippet usually starts what it leaves behind; then at a pace
    // that costs a long block little (a scan reads every /proc/<pid>/stat).
    const started = Date.now();
    const tick = () => {
      this.scan();
      this.timer = setTimeout(tick, Date.now() - started < 2000 ? 20 : 200);
      this.timer.unref();
    };
    this.timer = setTimeout(tick, 20);
    this.timer.unref();
  }
  scan(): void {
    const table = processTable();
    let grew = true;
    while (grew) {
      grew = false;
      for (const [pid, p] of table) {
        if (this.seen.has(pid) || (p.ppid !== this.root && !this.seen.has(p.ppid))) continue;
        this.seen.set(pid, p.start);
        grew = true;
      }
    }
  }
  stop(): void {
    clearTimeout(this.timer);
  }
  /** The remembered processes that are still the same processes. */
  alive(): number[] {
    const table = processTable();
    return [...this.seen].filter(([pid, start]) => table.get(pid)?.start === start).map(([pid]) => pid);
  }
}

/**
 * Ends everything a run started: its process group, every marked process (a `setsid`
 * child leaves the group, not the environment) and every descendant seen while it ran.
 * SIGTERM first, SIGKILL to what is left after `graceMs`, so a process that ignores
 * SIGTERM still ends.
 */
async function endAll(pid: number, mark: string, group: boolean, graceMs: number, tree?: Descendants): Promise<void> {
  tree?.scan();
  const targets = () => [
    ...new Set([...(group && alive(-pid) ? [-pid] : []), ...marked(mark), ...(tree?.alive() ?? [])]),
  ];
  let left = targets();
  for (const t of left) kill(t, 'SIGTERM', false);
  for (let waited = 0; left.length > 0 && waited < graceMs; waited += 25) {
    await new Promise((r) => setTimeout(r, 25));
    left = targets();
  }
  for (const t of left) kill(t, 'SIGKILL', false);
  // SIGKILL cannot be refused; wait (briefly) until the kernel has reaped them.
  for (let waited = 0; targets().length > 0 && waited < 1000; waited += 25) await new Promise((r) => setTimeout(r, 25));
  tree?.stop();
}

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
  const mark = randomUUID();
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...(options.env ?? process.env), [MARKER]: mark },
      stdio: stdio === 'pipe' ? [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] : 'inherit',
      detached: group,
      windowsHide: true,
    });
    const tree = child.pid ? new Descendants(child.pid) : undefined;
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
      const pending = options.onOutput?.(chunk, stream);
      if (pending) {
        const source = stream === 'stdout' ? child.stdout : child.stderr;
        source?.pause();
        void pending.finally(() => source?.resume());
      }
      if (options.capture !== false && sizes[stream] < MAX_CAPTURE) {
        list.push(chunk);
        sizes[stream] += chunk.length;
      }
    };
    if (child.stdin && options.input !== undefined) {
      // A process that exits without reading all of it closes the pipe: not our error.
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    }
    child.stdout?.on('data', collect('stdout', out));
    child.stderr?.on('data', collect('stderr', err));

    if (options.timeoutMs !== undefined && options.timeoutMs > 0) {
      timers.push(
        setTimeout(() => {
          if (!child.pid) return;
          timedOut = true;
          void endAll(child.pid, mark, group, GRACE_MS, tree);
        }, options.timeoutMs),
      );
    }

    const finish = async (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      // Nothing the run started outlives it: what it left in its group (`cmd &`), what
      // left the group (`setsid`), what ignores SIGTERM.
      if (child.pid) await endAll(child.pid, mark, group, 500, tree);
      tree?.stop();
      if (options.forwardSignals) for (const s of FORWARDED) process.off(s, onSignal);
      const exitCode = timedOut
        ? TIMEOUT_EXIT
        : spawnError
          ? 127
          : (code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
      resolvePromise({
        exitCode,
        signal,
        timedOut,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        durationMs: Math.round(performance.now() - started),
        error: spawnError,
      });
    };

    child.on('error', (error) => {
      spawnError = error.message;
      void finish(null, null);
    });
    child.on('exit', (code, signal) => {
      // One last look while orphans may still name their parent.
      tree?.scan();
      // What the process left running (`cmd &`) would be out of reach of the operator's
      // Ctrl-C: it ends with the process. Then wait for the output still in flight, but
      // not forever for something that holds the pipe open.
      if (group && child.pid) kill(child.pid, 'SIGTERM', true);
      const drain = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        void finish(code, signal);
      }, 1000);
      child.once('close', () => {
        clearTimeout(drain);
        void finish(code, signal);
      });
    });
  });
}
