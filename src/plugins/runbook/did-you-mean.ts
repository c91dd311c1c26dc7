/** Edit distance, for did-you-mean suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** The closest known word to `word`, if it is close enough to be a typo. */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  // A guess is a courtesy: never let it make a report quadratic (40,000 broken anchors into 40,000 headings).
  if (word.length > 200 || known.length > 5000) return undefined;
  const lower = word.toLowerCase();
  const budget = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    if (Math.abs(k.length - word.length) > budget) continue;
    const d = distance(lower, k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}
