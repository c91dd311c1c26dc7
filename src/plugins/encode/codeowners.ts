/**
 * CODEOWNERS lines: `/path owner`. A line break would add a rule of the runbook's making
 * (a pattern with no owner takes ownership away), so a path is written only when every
 * character is visible; spaces, `#` and glob characters are backslash-escaped so the
 * pattern matches exactly its own file.
 */
import { unsafeChars } from './terminal.ts';

/** An owner is one token: a handle or an e-mail address, printable ASCII without spaces. */
const OWNER = /^[!-~]+$/;

/** The CODEOWNERS pattern matching exactly `path` (from the repository root), or undefined when it could not be written as one field. */
export function codeownersPattern(path: string): string | undefined {
  if (path === '' || /[\t\n]/.test(path) || unsafeChars(path).length > 0) return undefined;
  return `/${path.replace(/([\s#\\*?[\]!])/g, '\\$1')}`;
}

/** The CODEOWNERS line giving `path` (from the repository root) to `owner`, or undefined when either could not be written as one field. */
export function codeownersLine(path: string, owner: string): string | undefined {
  const pattern = codeownersPattern(path);
  if (!OWNER.test(owner) || owner.startsWith('#') || pattern === undefined) return undefined;
  return `${pattern} ${owner}`;
}
