/**
 * The words and anchors of the /coverage/ page (pages/coverage.astro), kept out of the
 * template so a test can hold them.
 */
import type { TeamCoverage } from './coverage.ts';

/**
 * A share as a whole percent, rounded down (99.6% of alerts covered is not all of them),
 * as `runbook coverage` prints it.
 */
export const percent = (share: number): number => Math.floor(share * 100 + 1e-9);

/** The site's (or a team's) headline: `80% of paging alerts land on a runbook reviewed within its cadence — 4 of 5`. */
export function headlineText(t: Pick<TeamCoverage, 'paging' | 'headline'>): string {
  if (t.headline === null) return 'No paging alerts yet: nothing to land on a runbook.';
  return `${percent(t.headline)}% of paging alerts land on a runbook reviewed within its cadence — ${t.paging.reviewed} of ${t.paging.total}`;
}

/** A team's section anchor: `@db-team` → `team-db-team`, `@org/sre` → `team-org-sre`. */
export const teamAnchor = (team: string): string =>
  `team-${
    team
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'unnamed'
  }`;

/** Each team's anchor, distinct even when two handles slug alike (`@org/sre`, `@org-sre`): the later one gets `-2`, `-3`… */
export function teamAnchors(teams: readonly string[]): Map<string, string> {
  const taken = new Set<string>();
  return new Map(
    teams.map((team) => {
      const plain = teamAnchor(team);
      let anchor = plain;
      for (let n = 2; taken.has(anchor); n++) anchor = `${plain}-${n}`;
      taken.add(anchor);
      return [team, anchor];
    }),
  );
}
