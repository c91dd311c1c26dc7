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

/**
 * When a rule's check runs: `load` while the project loader reads the settings, the
 * ladder and the SLOs (before any page); `facts` over the collected pages (the build's
 * gate and `runbook check`); `build` over the built site (dist/), which `runbook check`
 * never sees; `change` over two revisions (`runbook diff`): what a change does, which no
 * check of one revision can see.
 */
export type Phase = 'load' | 'facts' | 'build' | 'change';

/** What every row of the rule table says, whatever its phase: the docs page comes from here. */
interface RuleRow<Id extends string> {
  id: Id;
  severity: 'error' | 'warning';
  /**
   * Whether a baseline may accept a finding of this rule. `false` when the build cannot
   * get past it (Astro stops on an unreadable page, a refused frontmatter, broken MDX) or
   * it would put script on the site; a function when that depends on the finding.
   */
  baseline: boolean | ((finding: { message: string }) => boolean);
  /** One line on what the rule protects. */
  summary: string;
  /** The default way to fix a finding. */
  hint: string;
  /**
   * Rules whose error in the same file this rule's finding only follows from: while one
   * is reported, this one is not (one mistake, one finding). The table applies it.
   */
  followsFrom?: readonly string[];
  /** Real input that gives exactly this rule's finding (tests/unit/rule-examples.test.ts runs it), for the docs page. */
  bad: RuleExample;
  /** The same input put right: no finding at all. */
  good: RuleExample;
}

/**
 * A file of a rule example: text, or text with a file mode or written as Latin-1 bytes, or a
 * symbolic link; `note` says on the rule page what is special about it.
 */
export type ExampleFile =
  string | { text: string; mode?: number; latin1?: true; note?: string } | { symlink: string; note?: string };

/**
 * A rule's example: files written over the example project (./examples.ts: a ladder, an
 * SLO and a script), then checked as `runbook check` checks (a `load` row's file through
 * the project loader). `build` rows also give the built page, for their post-build check.
 */
export interface RuleExample {
  /** The runbook page (frontmatter and body), at `src/content/runbooks/api/api-down.md` unless `pageFile` says. */
  page?: string;
  /** Where `page` is written, from the project root (an `.mdx` page for the MDX rules). */
  pageFile?: string;
  /** Other files, by path from the project root: a script with its mode, the config, an SLO file, the lock, CODEOWNERS. */
  files?: Record<string, ExampleFile>;
  /** `build` rows: the HTML the build wrote for the page (its `<main>` content), for the post-build check. */
  built?: string;
  /** `change` rows: the project before the change (written over the same base); the example is the project after. */
  base?: Omit<RuleExample, 'base' | 'built'>;
}

/**
 * One row of the rule table. Adding a rule is one row and nothing else: its docs page
 * comes from here. A `facts` row carries its check; a `load`, `build` or `change` row is
 * reported by the loader, the post-build checks (check/post-build.ts) or `runbook diff`
 * (diff/project.ts), which name it by its id.
 */
export type Rule<C = unknown, Id extends string = string> = RuleRow<Id> &
  (
    | {
        phase: 'facts';
        /** Also checked again over the built site: the last line of defence (check/post-build.ts). */
        afterBuild?: true;
        /** Each rule declares only the context it reads (the table gives it all of it). */
        check(facts: readonly RunbookFacts[], context: C): Finding[];
      }
    | { phase: 'load' | 'build' | 'change' }
  );

/** A finding at a frontmatter value. */
export const at = (f: RunbookFacts, path: readonly (string | number)[], message: string, hint?: string): Finding => ({
  file: f.file,
  ...positionOf(f.frontmatter, path),
  message,
  hint,
});
