// The patterns of the runbook format, in one light module (no zod) so that the model,
// the rules and `runbook run` share each one.

/** A team or person handle: `@db-team`, `@org/team`. */
export const HANDLE = /^@[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9._-]+)?$/;

/** A shortlink slug: lower-case letters, digits and dashes, at most 63 characters. */
export const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** A snippet variable name, as `$NAME` in shell and `:'NAME'` in psql. */
export const VAR_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** Pages that are not runbooks: the home and 404 splash pages, and `runbook: false`. */
export const isRunbookData = (data: Readonly<Record<string, unknown>>): boolean => data.runbook !== false && data.template !== 'splash';
