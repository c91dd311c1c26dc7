/**
 * Runs a run block's snippet (bash, or psql for SQL): through the one spawn wrapper, in
 * its own process group (a timeout takes everything it started), with live output
 * masked for secrets and captured for the transcript.
 */
import { StringDecoder } from 'node:string_decoder';
import { Redactor } from './redact.ts';
import { spawnProcess } from './spawn.ts';

/** The process a block runs as: built by shell.ts (bash) or psql.ts (psql), never from pasted text. */
export interface Invocation {
  program: string;
  args: string[];
  /** Standard input (psql's SQL); none for bash. */
  input?: string;
}
import { MAX_OUTPUT } from './transcript.ts';

/** What running a block produced. */
export interface Execution {
  exitCode: number;
  timedOut: boolean;
  durationMs: number;
  /** stdout and stderr as they arrived, secrets masked, cut at {@link MAX_OUTPUT}. */
  output: string;
  outputTruncated: boolean;
  /** stdout alone, secrets masked (for doc tests). */
  stdout: string;
}

/** Options of {@link execute}. */
export interface ExecuteOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Values to mask in everything shown or kept. */
  secrets: readonly string[];
  timeoutMs?: number;
  /** Live output; masked already. Not called for interactive blocks, which own the terminal. A promise holds the snippet's output back until it settles. */
  write?: (chunk: string, stream: 'stdout' | 'stderr') => void | Promise<void>;
  /** Attach the terminal instead of capturing (interactive blocks). */
  interactive?: boolean;
}

/** Runs a block's invocation and reports what happened. */
export async function execute(invocation: Invocation, options: ExecuteOptions): Promise<Execution> {
  const redactors = { stdout: new Redactor(options.secrets), stderr: new Redactor(options.secrets) };
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  let output = '';
  let stdout = '';
  let truncated = false;
  const emit = (text: string, stream: 'stdout' | 'stderr'): void | Promise<void> => {
    if (!text) return;
    const pending = options.write?.(text, stream);
    if (stream === 'stdout' && stdout.length < MAX_OUTPUT * 16) stdout += text;
    const room = MAX_OUTPUT - output.length;
    if (text.length > room) truncated = true;
    if (room > 0) output += text.slice(0, room);
    return pending;
  };
  const result = await spawnProcess(invocation.program, invocation.args, {
    input: invocation.input,
    cwd: options.cwd,
    env: options.env,
    timeoutMs: options.timeoutMs,
    stdio: options.interactive ? 'inherit' : 'pipe',
    capture: false,
    forwardSignals: true,
    onOutput: (chunk, stream) => emit(redactors[stream].push(decoders[stream].write(chunk)), stream),
  });
  for (const stream of ['stdout', 'stderr'] as const)
    await emit(redactors[stream].push(decoders[stream].end()) + redactors[stream].end(), stream);
  if (result.error)
    await emit(
      `runbook: could not start ${invocation.program}: ${result.error}${invocation.program === 'psql' && /ENOENT/.test(result.error) ? ' (install the PostgreSQL client, e.g. apt-get install postgresql-client)' : ''}\n`,
      'stderr',
    );
  return {
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    durationMs: result.durationMs,
    output,
    outputTruncated: truncated,
    stdout,
  };
}
