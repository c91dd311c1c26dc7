/**
 * The shape of `/quickjump.json`, shared by the build (build-index.ts) and the browser
 * (rank.ts). Short keys and omitted empty fields keep it small: at 1,000 runbooks it
 * is the whole download of a first quick-jump (see BENCHMARKS.md).
 */
export interface QuickjumpIndex {
  /** Format version. */
  v: 1;
  /** The deployed origin (runbooks.config.yaml `site`), or null: pasted URLs on any host are read by their path. */
  site: string | null;
  /** Severity ids in ladder order (most severe first): the tie-break between equal matches. */
  sev: string[];
  pages: QuickjumpPage[];
}

export interface QuickjumpPage {
  /** Title. */
  t: string;
  /** Site path, e.g. `/services/database/db-unreachable/`. */
  u: string;
  /** Description. */
  d?: string;
  /** Owner handle, e.g. `@db-team`. */
  o?: string;
  /** Services. */
  s?: string[];
  /** Severity ids. */
  v?: string[];
  /** Shortlinks: a slug that leads to the page itself, or `[slug, target]` when it leads to an anchor (`/page/#id`) or off-site (`https://…`). */
  l?: (string | [string, string])[];
  /** Names of the alerts whose runbook_url lands here. */
  a?: string[];
}
