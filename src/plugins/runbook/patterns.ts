import { runInNewContext } from 'node:vm';

// The patterns of the runbook format, in one light module (no zod) so that the model,
// the rules and `runbook run` share each one.

/** A team or person handle: `@db-team`, `@org/team`. */
export const HANDLE = /^@[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9._-]+)?$/;

/** A shortlink slug: lower-case letters, digits and dashes, at most 63 characters. */
export const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** A snippet variable name, as `$NAME` in shell and `:'NAME'` in psql. */
export const VAR_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** Pages that are not runbooks: the home and 404 splash pages, and `runbook: false`. */
export const isRunbookData = (data: Readonly<Record<string, unknown>>): boolean =>
  data.runbook !== false && data.template !== 'splash';

/** A `confirm=` word: something an operator types, so one word of letters, digits, `.`, `_`, `-`. */
export const CONFIRM_WORD = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A `timeout=`: whole seconds, at most a day. */
export const TIMEOUT_SECONDS = /^[1-9][0-9]{0,4}$/;

/** Values longer than this are refused before any pattern runs on them. */
export const MAX_VALUE_LENGTH = 4096;

/**
 * Whether `value` matches `source`, run with a time limit: a pattern that backtracks
 * on this value gives `timeout` instead of hanging the CLI (V8 interrupts the match).
 */
export function matchesWithin(source: string, value: string, ms = 250): boolean | 'timeout' | 'invalid' | 'too-long' {
  if (value.length > MAX_VALUE_LENGTH) return 'too-long';
  let pattern: RegExp;
  try {
    pattern = new RegExp(source);
  } catch {
    return 'invalid';
  }
  try {
    return runInNewContext('pattern.test(value)', { pattern, value }, { timeout: ms }) as boolean;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'timeout';
    throw error;
  }
}
