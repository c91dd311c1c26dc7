import { terminalPrompter, type Prompter } from './prompts.ts';

export type { Prompter } from './prompts.ts';

/** What a command may use from the outside world; tests pass a small literal. */
export interface Context {
  /** The project root the command works in. */
  cwd: string;
  /** Prints a line of normal output. */
  out(text: string): void;
  /** Prints a line of error output. */
  err(text: string): void;
  /** Whether output may use ANSI colour. */
  color: boolean;
  /** Whether a person can answer prompts (stdin is a terminal). Default: `process.stdin.isTTY`. */
  isTTY?: boolean;
  /** The environment snippets inherit and variables fall back to. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Asks the person at the terminal; tests script the answers. Default: @clack/prompts on stderr. */
  prompt?: Prompter;
  /** The clock, for transcripts and their file names. */
  now?: () => Date;
  /**
   * Writes a chunk of a snippet's live output as is (no newline added). Default: the
   * process's own streams. A returned promise means "wait": the snippet's output is not
   * read until it settles, so a slow reader never makes the CLI buffer without bound.
   */
  write?: (chunk: string, stream: 'stdout' | 'stderr') => void | Promise<void>;
}

/** A context with every optional part filled in from the real process. */
export type Terminal = Required<Context>;

/** Fills in what a test context may leave out, from the real process. */
export function terminal(ctx: Context): Terminal {
  return {
    ...ctx,
    isTTY: ctx.isTTY ?? Boolean(process.stdin.isTTY),
    env: ctx.env ?? process.env,
    prompt: ctx.prompt ?? terminalPrompter(),
    now: ctx.now ?? (() => new Date()),
    write:
      ctx.write ??
      ((chunk, stream) => {
        const out = stream === 'stdout' ? process.stdout : process.stderr;
        if (!out.write(chunk)) return new Promise<void>((resolve) => out.once('drain', resolve));
      }),
  };
}
