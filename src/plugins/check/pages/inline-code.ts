/** Splits text on `backticks` into plain and code parts, for rule summaries and hints. */
export function inlineCode(text: string): { code: boolean; text: string }[] {
  return text.split('`').map((part, i) => ({ code: i % 2 === 1, text: part }));
}
