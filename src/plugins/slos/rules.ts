import type { SeverityLadder } from '../severity/ladder.ts';
import { asWritten } from '../runbook/coerce.ts';
import { didYouMean } from '../runbook/did-you-mean.ts';
import { at, type Rule } from '../runbook/rule.ts';
import { loadSlos, SLO_RULE_ID } from './load.ts';

/** Rules about SLO files: one row, since every SLO file problem has the same fix (edit that file at that line). */
export const sloRules = [
  {
    id: SLO_RULE_ID,
    severity: 'error',
    phase: 'facts',
    baseline: false,
    summary:
      'Every file in src/content/slos/ is valid YAML with the SLO fields, an objective between 0 and 100, windows like `28d`, and alert severities from the ladder.',
    hint: 'Fix the SLO file at the line shown; see "SLOs" in the README for the fields.',
    bad: 'objective: 100\nwindow: 4 weeks\nalerts:\n  - { burn_rate: 14.4, long: 1h, short: 5m, severity: critical }',
    good: 'objective: 99.9\nwindow: 28d\nalerts:\n  - { burn_rate: 14.4, long: 1h, short: 5m, severity: SEV-1 }',
    // SLO files are not Markdown, so they are not among the collected facts: the
    // loader reads them itself, the same loader the SLO pages and outputs use.
    check: (_facts, { root, ladder }) =>
      loadSlos(root, ladder).diagnostics.map(({ file, line, column, message, hint }) => ({
        file,
        line,
        column,
        message,
        hint,
      })),
  },
  {
    id: 'slo-unknown',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: 'Every SLO a runbook cites has its file in src/content/slos/.',
    hint: 'Fix the id, or add src/content/slos/<id>.yaml.',
    bad: 'slos: [api-availabilty]',
    good: 'slos: [api-availability]',
    check: (all, { slos }) =>
      all.flatMap((f) => {
        const list = f.frontmatter.data.slos;
        if (!Array.isArray(list)) return [];
        return list.map(asWritten).flatMap((id, i) => {
          if (typeof id !== 'string' || slos.has(id)) return [];
          const guess = didYouMean(id, [...slos]);
          return [
            at(
              f,
              ['slos', i],
              `Unknown SLO "${id}"`,
              guess
                ? `Did you mean "${guess}"?`
                : `Add src/content/slos/${id}.yaml, or use one of: ${[...slos].join(', ') || '(none yet)'}.`,
            ),
          ];
        });
      }),
  },
] as const satisfies readonly Rule<{ root: string; ladder: SeverityLadder; slos: Set<string> }>[];
