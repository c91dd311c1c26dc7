import type { SeverityLadder } from '../severity/ladder.ts';
import { asWritten } from '../runbook/coerce.ts';
import { didYouMean } from '../runbook/did-you-mean.ts';
import { at, type Rule } from '../runbook/rule.ts';
import { loadSlos, SLO_RULE_ID } from './load.ts';
import { runbook } from '../runbook/examples.ts';

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
    bad: {
      files: {
        ['src/content/slos/api-latency.yaml']:
          'service: kestrel-api\ndescription: Share of API requests answered within 300 ms\nobjective: 100\nwindow: 4 weeks\nindicator:\n  threshold: 300ms\n  ratio:\n    good: \'sum(rate(http_request_duration_seconds_bucket{le="0.3"}[{{window}}]))\'\n    total: \'sum(rate(http_request_duration_seconds_count[{{window}}]))\'\nowner: "@platform-team"\nalerts:\n  - { burn_rate: 14.4, long: 1h, short: 5m, severity: critical }\n',
      },
    },
    good: {
      files: {
        ['src/content/slos/api-latency.yaml']:
          'service: kestrel-api\ndescription: Share of API requests answered within 300 ms\nobjective: 99\nwindow: 28d\nindicator:\n  threshold: 300ms\n  ratio:\n    good: \'sum(rate(http_request_duration_seconds_bucket{le="0.3"}[{{window}}]))\'\n    total: \'sum(rate(http_request_duration_seconds_count[{{window}}]))\'\nowner: "@platform-team"\nalerts:\n  - { burn_rate: 14.4, long: 1h, short: 5m, severity: SEV-2 }\n',
      },
    },
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
    bad: { page: runbook(['slos: [api-availabilty]']) },
    good: { page: runbook(['slos: [api-availability]']) },
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
