import type { Diagnostic } from '../runbook/diagnostic.ts';
import type { RunbookFacts } from '../runbook/facts.ts';
import { fileRules } from '../runbook/file-rules.ts';
import { mdxCodeRules } from '../runbook/mdx-code.ts';
import { frontmatterRules } from '../runbook/frontmatter-rules.ts';
import { linkRules } from '../links/rules.ts';
import { scriptRules } from '../snippets/script-rules.ts';
import { severityRules } from '../severity/rules.ts';
import { shortlinkRules } from '../shortlinks/rules.ts';
import { snippetRules } from '../snippets/rules.ts';
import { alertRules } from '../alerts/rules.ts';
import { codeownersRules } from '../codeowners/rules.ts';
import { sloRules } from '../slos/rules.ts';
import { reviewRules } from '../review/rules.ts';
import { htmlRules, publicRules } from '../html/rules.ts';
import { handbookRules } from '../handbook/rules.ts';
import type { Rule } from '../runbook/rule.ts';
import type { RuleContext } from './context.ts';

export type { Rule } from '../runbook/rule.ts';
export type { RuleContext } from './context.ts';

/** The rule table: every rule the build and `runbook check` run, in report order. */
export const rules: Rule<RuleContext>[] = [...fileRules, ...mdxCodeRules, ...frontmatterRules, ...reviewRules, ...shortlinkRules, ...severityRules, ...sloRules, ...snippetRules, ...scriptRules, ...linkRules, ...htmlRules, ...publicRules, ...handbookRules, ...alertRules, ...codeownersRules];

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
