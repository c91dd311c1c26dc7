import type { Diagnostic } from '../diagnostic.ts';
import type { SeverityLadder } from '../severity-ladder.ts';
import type { RunbookFacts } from './collect.ts';

/** What every rule may consult besides the facts. */
export interface RuleContext {
  ladder: SeverityLadder;
}

/** One row of the rule table: the id, its default severity, and the check itself. */
export interface Rule {
  id: string;
  severity: 'error' | 'warning';
  /** One line on what the rule protects; shown on the rule's docs page. */
  description: string;
  check(facts: readonly RunbookFacts[], context: RuleContext): Omit<Diagnostic, 'ruleId' | 'severity'>[];
}

const knownIds = (ladder: SeverityLadder) => [...ladder.byId.keys()].join(', ');

/** The rule table. Adding a rule is one row here and a docs page. */
export const rules: Rule[] = [
  {
    id: 'frontmatter-yaml',
    severity: 'error',
    description: 'Frontmatter must be valid YAML, or nothing else on the page can be checked.',
    check: (all) =>
      all.flatMap((f) =>
        f.frontmatter.errors.map((e) => ({
          file: f.file, line: e.line, column: e.column,
          message: `Frontmatter is not valid YAML: ${e.message}`,
          hint: 'Fix the YAML between the `---` lines; quote values that start with @, : or #.',
        })),
      ),
  },
  {
    id: 'severity-unknown',
    severity: 'error',
    description: 'Every severity a runbook names, in frontmatter or in a :severity[…] badge, is a level of the ladder.',
    check: (all, { ladder }) =>
      all.flatMap((f) => {
        const out: Omit<Diagnostic, 'ruleId' | 'severity'>[] = [];
        const value = f.frontmatter.data.severity;
        const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
        list.forEach((id, i) => {
          if (typeof id === 'string' && ladder.byId.has(id)) return;
          out.push({
            file: f.file, ...f.frontmatter.positionOf(Array.isArray(value) ? ['severity', i] : ['severity']),
            message: `Unknown severity "${String(id)}"`,
            hint: `Use an id from src/content/severity.yaml: ${knownIds(ladder)}.`,
          });
        });
        for (const ref of f.severityRefs) {
          if (ladder.byId.has(ref.id)) continue;
          out.push({
            file: f.file, line: ref.line, column: ref.column,
            message: `Unknown severity "${ref.id}" in :severity[…]`,
            hint: `Use an id from src/content/severity.yaml: ${knownIds(ladder)}.`,
          });
        }
        return out;
      }),
  },
];

/** Runs every rule over the collected facts; findings come back sorted by file and place. */
export function runRules(facts: readonly RunbookFacts[], context: RuleContext): Diagnostic[] {
  const found = rules.flatMap((rule) => rule.check(facts, context).map((d) => ({ ...d, ruleId: rule.id, severity: rule.severity })));
  return found.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
