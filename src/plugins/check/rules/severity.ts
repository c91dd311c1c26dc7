import type { Rule } from './types.ts';

/** The severity rule: every id a runbook names is a rung of the ladder. */
export const severityRules: Rule[] = [
  {
    id: 'severity-unknown', severity: 'error',
    summary: 'Every severity a runbook names, in frontmatter or in a :severity[…] badge, is a level of the ladder in src/content/severity.yaml.',
    hint: 'Use an id from src/content/severity.yaml.',
    bad: 'severity: critical', good: 'severity: SEV-1',
    check: (all, { ladder }) => {
      const known = [...ladder.byId.keys()].join(', ');
      const hint = `Use an id from src/content/severity.yaml: ${known}.`;
      return all.flatMap((f) => {
        const value = f.frontmatter.data.severity;
        const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
        const out = list.flatMap((id, i) =>
          typeof id === 'string' && ladder.byId.has(id)
            ? []
            : [{ file: f.file, ...f.frontmatter.positionOf(Array.isArray(value) ? ['severity', i] : ['severity']), message: `Unknown severity "${String(id)}"`, hint }],
        );
        for (const ref of f.severityRefs) {
          if (!ladder.byId.has(ref.id)) out.push({ file: f.file, line: ref.line, column: ref.column, message: `Unknown severity "${ref.id}" in :severity[…]`, hint });
        }
        return out;
      });
    },
  },
];
