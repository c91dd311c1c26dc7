/**
 * `_redirects` lines (Netlify, Cloudflare Pages): whitespace separates the fields and a
 * line break ends the rule, so a field is written only when it is one token.
 */

/** A field may hold printable ASCII other than the space: nothing that could split it or the line. */
const TOKEN = /^[!-~]+$/;

/** One `_redirects` rule from its fields (`from to status`), or undefined when a field is empty or holds whitespace or a control character. */
export function redirectsLine(fields: readonly string[]): string | undefined {
  return fields.length > 0 && fields.every((f) => TOKEN.test(f) && !f.startsWith('#')) ? fields.join(' ') : undefined;
}
