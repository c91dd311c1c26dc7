import type { ProjectConfig } from '../runbook/config.ts';
import type { RunbookFacts } from '../runbook/facts.ts';
import type { SeverityLadder } from '../severity/ladder.ts';

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
