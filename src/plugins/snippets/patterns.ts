import { createRequire } from 'node:module';

// A variable's `pattern` is a JavaScript regular expression run on a value someone typed
// at 3 a.m.: it must compile, and it must not backtrack for ever.

/** What the static analysis says of a pattern. */
export type PatternVerdict =
  { kind: 'safe' } | { kind: 'invalid'; reason: string } | { kind: 'exponential' | 'polynomial'; attack?: string };

const require = createRequire(import.meta.url);
const verdicts = new Map<string, PatternVerdict>();

/**
 * Whether matching `source` can take exponential or polynomial time, by `recheck`'s
 * analysis (loaded only when a site has patterns; each distinct pattern is analysed once).
 */
export function patternVerdict(source: string): PatternVerdict {
  const known = verdicts.get(source);
  if (known) return known;
  let verdict: PatternVerdict;
  try {
    new RegExp(source);
    const { checkSync } = require('recheck') as typeof import('recheck');
    const result = checkSync(source, '', { timeout: 2000 });
    verdict =
      result.status === 'vulnerable'
        ? {
            kind: result.complexity.type === 'exponential' ? 'exponential' : 'polynomial',
            attack: result.attack?.pattern,
          }
        : { kind: 'safe' };
  } catch (error) {
    verdict = { kind: 'invalid', reason: (error as Error).message.replace(/^Invalid regular expression: /, '') };
  }
  verdicts.set(source, verdict);
  return verdict;
}
