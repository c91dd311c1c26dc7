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
}
