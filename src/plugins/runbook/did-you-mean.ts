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
  return nearest(word, known, 1)[0];
}

/**
 * Up to `count` known words close enough to `word` to be typos of it, closest first
 * (within a third of its length in edits). The check's hints and the site's "did you
 * mean" for an unknown /r/ slug both ask here.
 */
export function nearest(word: string, known: readonly string[], count: number): string[] {
  // A guess is a courtesy: never let it make a report quadratic (40,000 broken anchors into 40,000 headings).
  if (word.length > 200 || known.length > 5000) return [];
  const lower = word.toLowerCase();
  const budget = Math.max(1, Math.floor(word.length / 3));
  return known
    .filter((k) => Math.abs(k.length - word.length) <= budget)
    .map((k) => ({ k, d: distance(lower, k.toLowerCase()) }))
    .filter(({ d }) => d <= budget)
    .sort((a, b) => a.d - b.d)
    .slice(0, count)
    .map(({ k }) => k);
}
