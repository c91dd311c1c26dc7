/**
 * Two readings of shell snippets judged by real bash: our lexer (snippet.ts, what the site
 * and the CLI use) and mvdan/sh through sh-syntax (sh-parse.ts). On generated snippets
 * full of quoting, here-documents, arithmetic, expansions, comments and line
 * continuations, each reading must name the variables bash reads, the ones bash evaluates
 * as code, and fill the copy-with-values text so that pasting it does what running the
 * snippet with the values does. Ours must be right at least as often as the parser we
 * could have used instead (the README says why we keep ours).
 */
import { describe, expect, it } from 'vitest';
import { evaluatedUses, fillSnippet, fillUses, variableUses } from '../../src/plugins/snippets/snippet.ts';
import { shReading } from '../../src/plugins/snippets/sh-parse.ts';
import { generateSnippets, judge, type Reading } from '../fixtures/shell-oracle.ts';

const SEED = 19;
const COUNT = 200;

describe('shell snippets: our lexer and mvdan/sh against bash', () => {
  it(`names the variables bash reads and fills the copy as bash runs it, on ${COUNT} generated snippets (property)`, async () => {
    const snippets = generateSnippets(SEED, COUNT);
    const ours: Reading[] = snippets.map((t) => ({
      uses: variableUses(t),
      evaluated: evaluatedUses(t),
      fill: (v) => fillSnippet(t, v),
    }));
    const sh: Reading[] = [];
    let rejected = 0;
    for (const t of snippets) {
      const r = await shReading(t).catch(() => undefined);
      // A snippet the parser refuses is read as using nothing: that is what a check built on it would see.
      if (r === undefined) rejected++;
      sh.push(r ? { ...r, fill: (v) => fillUses(t, r.uses, v) } : { uses: [], evaluated: [], fill: () => '' });
    }
    const verdict = judge(snippets, { ours, sh }, SEED);
    const summary = Object.fromEntries(
      Object.entries(verdict.disagreements).map(([who, ds]) => [
        who,
        ds.map((d) => `${d.kind}: said ${d.said || '-'}, bash ${d.bash || '-'}\n${d.snippet}`),
      ]),
    );
    console.info(
      `bash runs ${verdict.valid} of ${COUNT}; right on every fact: ours ${verdict.agree.ours}, sh-syntax ${verdict.agree.sh} (it refused ${rejected} of ${COUNT})`,
    );
    expect(verdict.valid).toBeGreaterThan(COUNT * 0.9);
    expect(summary.ours).toEqual([]);
    expect(verdict.agree.ours).toBeGreaterThanOrEqual(verdict.agree.sh);
  });
});
