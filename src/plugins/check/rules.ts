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
import { coverageRules } from '../coverage/rules.ts';
import { coverageChangeRules } from '../coverage/change.ts';
import { codeownersRules } from '../codeowners/rules.ts';
import { sloRules } from '../slos/rules.ts';
import { reviewRules } from '../review/rules.ts';
import { htmlRules, publicRules } from '../html/rules.ts';
import { handbookRules } from '../handbook/rules.ts';
import type { Finding, Phase, Rule } from '../runbook/rule.ts';
import { CONFIG_RULE_ID } from '../runbook/config.ts';
import { REFUSED_RULE_IDS } from '../runbook/paths.ts';
import { LADDER_RULE_ID } from '../severity/ladder.ts';
import { SLO_RULE_ID } from '../slos/load.ts';
import type { RuleContext } from './context.ts';

export type { Finding, Phase, Rule } from '../runbook/rule.ts';
export type { RuleContext } from './context.ts';

/** The rule table: every rule the build and `runbook check` run, in report order. */
export const rules = [
  ...fileRules,
  ...mdxCodeRules,
  ...frontmatterRules,
  ...reviewRules,
  ...shortlinkRules,
  ...severityRules,
  ...sloRules,
  ...snippetRules,
  ...scriptRules,
  ...linkRules,
  ...htmlRules,
  ...publicRules,
  ...handbookRules,
  ...alertRules,
  ...coverageRules,
  ...coverageChangeRules,
  ...codeownersRules,
] as const satisfies readonly Rule<RuleContext>[];

/** One row of the table, as written (its id a literal). */
type Row = (typeof rules)[number];

/** Every rule id: an id outside the table (a typo, a renamed rule) is a compile error wherever this type names it. */
export type RuleId = Row['id'];

/** The ids of the rules whose check runs in `phase` (a `facts` row marked `afterBuild` is in `build` too). */
export type RuleIdIn<P extends Phase> = Extract<
  Row,
  { phase: P } | (P extends 'build' ? { afterBuild: true } : never)
>['id'];

/**
 * The ids reported by name below the table, by loaders that cannot import it (the model
 * imports no concept): each must be a row, or this does not compile.
 */
export const LOADER_RULE_IDS = [
  CONFIG_RULE_ID,
  LADDER_RULE_ID,
  SLO_RULE_ID,
  REFUSED_RULE_IDS.outside,
  REFUSED_RULE_IDS.unreadable,
] as const satisfies readonly RuleId[];

const byId = new Map<string, Row>(rules.map((r) => [r.id, r]));

/** The row of `id`. */
export const ruleOf = (id: RuleId): Row => byId.get(id) as Row;

/** The ids of every rule, for `/rules/<id>/` links. */
export const ruleIds = (): Set<string> => new Set(byId.keys());

/** A rule's findings as diagnostics: the row gives the id, and the default severity and hint. */
export function diagnosticsOf(id: RuleId, findings: readonly Finding[]): Diagnostic[] {
  const rule = ruleOf(id);
  return findings.map((f) => ({
    file: f.file,
    line: f.line,
    column: f.column,
    ruleId: rule.id,
    severity: f.severity ?? rule.severity,
    message: f.message,
    hint: f.hint ?? rule.hint,
  }));
}

/** Whether a baseline may accept `d` (the row's `baseline` column). */
export function acceptable(d: Diagnostic): boolean {
  const accepts = byId.get(d.ruleId)?.baseline ?? true;
  return typeof accepts === 'function' ? accepts(d) : accepts;
}

/** Drops each finding that only follows from an error of another rule in its file (the row's `followsFrom`). */
function withoutDerived(found: readonly Diagnostic[]): Diagnostic[] {
  const errors = new Set(found.filter((d) => d.severity === 'error').map((d) => `${d.file}\0${d.ruleId}`));
  return found.filter(
    (d) => !((byId.get(d.ruleId) as Rule | undefined)?.followsFrom ?? []).some((id) => errors.has(`${d.file}\0${id}`)),
  );
}

/**
 * Runs every `facts` rule (or those `which` picks) over the collected facts; findings
 * come back sorted by file and place.
 */
export function runRules(
  facts: readonly RunbookFacts[],
  context: RuleContext,
  which: (id: RuleId) => boolean = () => true,
): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const rule of rules) {
    if (rule.phase !== 'facts' || !which(rule.id)) continue;
    for (const d of diagnosticsOf(rule.id, rule.check(facts, context))) found.push(d);
  }
  return withoutDerived(found).sort(byPlace);
}

/** The report order: by file, then line, column and rule id. */
export function byPlace(a: Diagnostic, b: Diagnostic): number {
  return a.file < b.file
    ? -1
    : a.file > b.file
      ? 1
      : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : 1);
}
