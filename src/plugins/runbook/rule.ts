import type { Place, RunbookFacts } from './facts.ts';
import { positionOf } from './frontmatter.ts';

/** One finding a rule reports; the table adds the rule id and severity. */
export interface Finding extends Place {
  file: string;
  message: string;
  /** Overrides the rule's default hint when the fix depends on the case. */
  hint?: string;
  /** Overrides the rule's default severity (e.g. review-overdue set to error in config). */
  severity?: 'error' | 'warning';
}

/** One row of the rule table. Adding a rule is one row and nothing else: its docs page comes from here. */
export interface Rule<C = unknown> {
  id: string;
  severity: 'error' | 'warning';
  /** One line on what the rule protects. */
  summary: string;
  /** The default way to fix a finding. */
  hint: string;
  /** A small wrong example and the right one, for the docs page. */
  bad: string;
  good: string;
  /** Each rule declares only the context it reads (the table gives it all of it). */
  check(facts: readonly RunbookFacts[], context: C): Finding[];
}

/** A finding at a frontmatter value. */
export const at = (f: RunbookFacts, path: readonly (string | number)[], message: string, hint?: string): Finding => ({ file: f.file, ...positionOf(f.frontmatter, path), message, hint });
