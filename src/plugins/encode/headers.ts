/**
 * Netlify / Cloudflare Pages `_headers` rules: a path line, then one indented
 * `Name: value` line per header.
 */

/** A header name or value `_headers` cannot carry as written. */
export class HeadersEncodingError extends Error {}

/** Characters a `_headers` path keeps as they are; everything else is percent-encoded. `*` and `:` are the host's splat and placeholder, so a literal one is encoded too. */
const PATH_KEEP = /[A-Za-z0-9\-._~/!$&'()+,;=@]/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
/** C0 controls (CR and LF among them), DEL, C1 controls, and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * One rule of a `_headers` file. The one encoder for the format, so no value can
 * start a rule or a header of its own: the path is a literal URL path (a trailing `/*`
 * is the host's splat), percent-encoded outside a safe set, controls and spaces included;
 * a name must be a plain token and a value may hold no control character (a lone `\r`
 * included) and may not be empty: those are refused, not rewritten, since a changed
 * header is a wrong one.
 */
export function headersRule(path: string, headers: ReadonlyArray<readonly [string, string]>): string {
  if (!path.startsWith('/'))
    throw new HeadersEncodingError(`a _headers path must start with "/": ${JSON.stringify(path)}`);
  const splat = path.endsWith('/*');
  const literal = splat ? path.slice(0, -1) : path;
  let encoded = '';
  for (const ch of literal)
    encoded += PATH_KEEP.test(ch)
      ? ch
      : [...new TextEncoder().encode(ch)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  const lines = [encoded + (splat ? '*' : '')];
  for (const [name, value] of headers) {
    if (!NAME.test(name)) throw new HeadersEncodingError(`not a header name: ${JSON.stringify(name)}`);
    if (CONTROL.test(value))
      throw new HeadersEncodingError(`the value of ${name} holds a control character: ${JSON.stringify(value)}`);
    // Netlify's parser fails the whole file on `Name:` with nothing after it.
    if (value.trim() === '') throw new HeadersEncodingError(`the value of ${name} is empty`);
    lines.push(`  ${name}: ${value.trim()}`);
  }
  return `${lines.join('\n')}\n`;
}
