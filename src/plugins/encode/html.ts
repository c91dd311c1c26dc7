/**
 * HTML text and double-quoted attribute values, encoded as Astro encodes `{expressions}`
 * (its escapeHTML): the five characters that could end a value, open a tag or start a
 * character reference. Pages we write outside Astro's renderer go through this, so a
 * value can never break out of the element or attribute it is written into.
 */
const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** `text` safe as HTML text and as a double-quoted attribute value. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
