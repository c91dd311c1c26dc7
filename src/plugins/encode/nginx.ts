/**
 * nginx configuration: every value the build writes into it (a location's path, a
 * redirect's target, a header's name and value) passes here, written as one double-quoted
 * string. Inside quotes nginx still reads `$` (a variable), `\` (an escape) and `"` (the
 * end); outside the printable ASCII range nothing is needed. So a value is admitted only
 * when every character is on an allow-list, and refused otherwise: never rewritten, since a
 * changed path or header is a wrong one, and the caller percent-encodes a URL first.
 */

/** A value nginx's configuration cannot carry as written. */
export class NginxEncodingError extends Error {}

/**
 * The characters a value may hold: printable ASCII but `"`, `\`, `$`, `{`, `}` and the
 * backtick. `{` and `}` are harmless inside quotes but `${var}` is nginx's other variable
 * form; leaving them out keeps the rule simple to read: nothing here is ever syntax.
 */
const SAFE = /^[A-Za-z0-9 !#%&'()*+,\-./:;<=>?@[\]^_|~]+$/;

/** `value` as an nginx double-quoted string, or a NginxEncodingError when it is empty or holds a character off the allow-list. */
export function nginxString(value: string): string {
  if (!SAFE.test(value)) {
    const bad = [...value].find((ch) => !SAFE.test(ch));
    throw new NginxEncodingError(
      value === ''
        ? 'an empty value has no place in the nginx configuration'
        : `${JSON.stringify(bad)} is not admitted in an nginx value: ${JSON.stringify(value)}`,
    );
  }
  return `"${value}"`;
}
