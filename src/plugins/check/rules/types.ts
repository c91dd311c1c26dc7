import type { ProjectConfig } from '../config.ts';
import type { CodeFact, Place, RunbookFacts } from '../collect.ts';
import type { SeverityLadder } from '../../severity-ladder.ts';

/** What every rule may consult besides the facts. */
export interface RuleContext {
  /** Absolute project root. */
  root: string;
  config: ProjectConfig;
  ladder: SeverityLadder;
  /** Ids of the files in `src/content/slos/`. */
  slos: Set<string>;
  /** Every page, by site path (`/services/db/db-down/`). */
  pages: Map<string, RunbookFacts>;
  /** Every declared shortlink slug → the runbooks that claim it. */
  shortlinks: Map<string, RunbookFacts[]>;
  /** Today, for review dates (injectable so tests are stable). */
  today: Date;
  /** Ids of all rules, for `/rules/<id>/` links. */
  ruleIds: Set<string>;
}

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
export interface Rule {
  id: string;
  severity: 'error' | 'warning';
  /** One line on what the rule protects. */
  summary: string;
  /** The default way to fix a finding. */
  hint: string;
  /** A small wrong example and the right one, for the docs page. */
  bad: string;
  good: string;
  check(facts: readonly RunbookFacts[], context: RuleContext): Finding[];
}

/**
 * Pages the runbook-only rules apply to: readable files with sound frontmatter (broken
 * YAML is reported once, not again as every field it hides), and not the home or
 * 404 splash pages or `runbook: false`.
 */
export function isRunbook(f: RunbookFacts): boolean {
  const data = f.frontmatter.data;
  return f.problems.every((p) => p.kind === 'too-large') && f.frontmatter.errors.length === 0 && data.runbook !== false && data.template !== 'splash';
}

const runBlockCache = new WeakMap<RunbookFacts, RunbookFacts['code']>();

/** The run blocks of a page (fenced blocks with `run` in their meta); many rules ask, so it is kept. */
export function runBlocks(f: RunbookFacts): RunbookFacts['code'] {
  let blocks = runBlockCache.get(f);
  if (!blocks) runBlockCache.set(f, (blocks = f.code.filter((c) => c.meta.flags.has('run'))));
  return blocks;
}

/** The ids of a page's run blocks, in page order. */
export const runIds = (f: RunbookFacts): string[] => runBlocks(f).flatMap((b) => b.meta.values.get('id') ?? []);

/**
 * File position of `offset` in a code block's text. Content lines sit at the fence's
 * column (a fence indented in a list item strips that indentation from every line).
 */
export function placeInBlock(block: CodeFact, offset: number): Place {
  const before = block.value.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: block.valueLine + before.split('\n').length - 1, column: block.valueColumn + offset - lineStart };
}
