import type { Diagnostic } from '../../diagnostic.ts';
import type { RunbookFacts } from '../collect.ts';
import { fileRules } from './file.ts';
import { frontmatterRules } from './frontmatter.ts';
import { linkRules } from './links.ts';
import { scriptRules } from './scripts.ts';
import { severityRules } from './severity.ts';
import { shortlinkRules } from './shortlinks.ts';
import { snippetRules } from './snippets.ts';
import { sloRules } from '../../slo/rules.ts';
import type { Rule, RuleContext } from './types.ts';

export type { Rule, RuleContext } from './types.ts';

/** The rule table: every rule the build and `runbook check` run, in report order. */
export const rules: Rule[] = [...fileRules, ...frontmatterRules, ...shortlinkRules, ...severityRules, ...sloRules, ...snippetRules, ...scriptRules, ...linkRules];

/** Runs every rule over the collected facts; findings come back sorted by file and place. */
export function runRules(facts: readonly RunbookFacts[], context: RuleContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const rule of rules) {
    for (const f of rule.check(facts, context)) {
      found.push({
        file: f.file, line: f.line, column: f.column, ruleId: rule.id,
        severity: f.severity ?? rule.severity, message: f.message, hint: f.hint ?? rule.hint,
      });
    }
  }
  return found.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : 1)));
}
