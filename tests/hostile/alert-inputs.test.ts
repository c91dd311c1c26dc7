/**
 * Alert files as a hostile repository or a messy export writes them: long Datadog messages,
 * pathological link syntax, deep nesting. Each is read in time, as alerts or findings.
 */
import { describe, expect, it } from 'vitest';
import { messageLinks } from '../../src/plugins/alerts/datadog.ts';

/** Milliseconds `f` takes. */
const timed = (f: () => void) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

describe('Datadog messages of pathological link syntax', () => {
  it('trims the punctuation after a link in linear time: 400,000 dots inside or after a URL (quadratic: minutes)', () => {
    const dots = '.'.repeat(400_000);
    let links: ReturnType<typeof messageLinks> = [];
    expect(timed(() => (links = messageLinks(`https://a${dots}x`)))).toBeLessThan(3_000);
    expect(links.map((l) => l.url.length)).toEqual([400_010]);
    expect(timed(() => (links = messageLinks(`see https://rb.example/r/q${dots}`)))).toBeLessThan(3_000);
    expect(links.map((l) => l.url)).toEqual(['https://rb.example/r/q']);
    expect(messageLinks('https://rb.example/r/q-stuck.*_~!?;:, then')[0].url).toBe('https://rb.example/r/q-stuck');
  });
});
