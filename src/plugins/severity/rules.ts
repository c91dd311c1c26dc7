import { asWritten } from '../runbook/coerce.ts';
import { positionOf } from '../runbook/frontmatter.ts';
import type { Rule } from '../runbook/rule.ts';
import type { SeverityLadder } from './ladder.ts';
import { runbook } from '../runbook/examples.ts';
import { LADDER_FILE } from '../runbook/paths.ts';
import { didYouMean } from '../runbook/did-you-mean.ts';

/** The severity rules: the ladder itself is sound, and every id a runbook names is a rung of it. */
export const severityRules = [
  {
    id: 'severity-ladder-invalid',
    severity: 'error',
    phase: 'load',
    baseline: false,
    summary:
      'src/content/severity.yaml is valid YAML with `levels:`, each with a unique `id`, a `label` and a `definition`.',
    hint: 'Fix the ladder at the line shown; each level is a list item under `levels:`.',
    bad: { files: { [LADDER_FILE]: 'levels:\n  - id: SEV-1\n    label: Critical\n' } },
    good: {
      files: {
        [LADDER_FILE]:
          'levels:\n  - id: SEV-1\n    label: Critical\n    definition: Customers cannot use the Kestrel API.\n',
      },
    },
    // The ladder loader reports these with positions before any other rule runs
    // (without a ladder the other severity findings would be noise).
  },
  {
    id: 'severity-unknown',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      'Every severity a runbook names, in frontmatter or in a :severity[…] badge, is a level of the ladder in src/content/severity.yaml.',
    hint: 'Use an id from src/content/severity.yaml.',
    bad: { page: runbook(['severity: critical']) },
    good: { page: runbook(['severity: SEV-1']) },
    check: (all, { ladder }) => {
      const ids = [...ladder.byId.keys()];
      const listed = `Use an id from src/content/severity.yaml: ${ids.join(', ')}.`;
      // `SEV2` for `SEV-2`: name the level first, then the list (not for ids too short
      // for one edit to say much: `P9` is not a typo of `P0`).
      const hintFor = (id: string) => {
        const guess = id.length >= 4 ? didYouMean(id, ids) : undefined;
        return guess ? `Did you mean ${guess}? ${listed}` : listed;
      };
      return all.flatMap((f) => {
        const value = f.frontmatter.data.severity;
        const list = (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(asWritten);
        const out = list.flatMap((id, i) =>
          typeof id === 'string' && ladder.byId.has(id)
            ? []
            : [
                {
                  file: f.file,
                  ...positionOf(f.frontmatter, Array.isArray(value) ? ['severity', i] : ['severity']),
                  message: `Unknown severity "${String(id)}"`,
                  hint: hintFor(String(id)),
                },
              ],
        );
        for (const ref of f.severityRefs) {
          if (!ladder.byId.has(ref.id))
            out.push({
              file: f.file,
              line: ref.line,
              column: ref.column,
              message: `Unknown severity "${ref.id}" in :severity[…]`,
              hint: hintFor(ref.id),
            });
        }
        return out;
      });
    },
  },
] as const satisfies readonly Rule<{ root: string; ladder: SeverityLadder }>[];
