import type { Rule } from '../check/rules/types.ts';
import { loadSlos, SLO_RULE_ID } from './load.ts';

/** Rules about SLO files: one row, since every SLO file problem has the same fix (edit that file at that line). */
export const sloRules: Rule[] = [
  {
    id: SLO_RULE_ID, severity: 'error',
    summary: 'Every file in src/content/slos/ is valid YAML with the SLO fields, an objective between 0 and 100, windows like `28d`, and alert severities from the ladder.',
    hint: 'Fix the SLO file at the line shown; see "SLO file" in DESIGN.md for the fields.',
    bad: 'objective: 100\nwindow: 4 weeks\nalerts:\n  - { burn_rate: 14.4, long: 1h, short: 5m, severity: critical }',
    good: 'objective: 99.9\nwindow: 28d\nalerts:\n  - { burn_rate: 14.4, long: 1h, short: 5m, severity: SEV-1 }',
    // SLO files are not Markdown, so they are not among the collected facts: the
    // loader reads them itself, the same loader the SLO pages and outputs use.
    check: (_facts, { root, ladder }) => loadSlos(root, ladder).diagnostics.map(({ file, line, column, message, hint }) => ({ file, line, column, message, hint })),
  },
];
