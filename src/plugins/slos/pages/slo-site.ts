// What every SLO page and output needs: the project's valid SLOs, the runbooks that
// cite each one, and the origin links are built on. Invalid files never get this far
// in a build: the validation gate fails it first with file:line:col.
import { getCollection } from 'astro:content';
import ladder from 'virtual:runbooks/ladder';
import project from 'virtual:runbooks/project';
import { citationsBySlo, siteOrigin, type RunbookRef } from '../citations.ts';
import { loadSlos } from '../load.ts';
import type { Slo } from '../schema.ts';

/** The SLO data of the site being built. */
export interface SloSite {
  slos: Slo[];
  citations: Map<string, RunbookRef[]>;
  /** Absolute when the config sets `site`, else empty (links stay site-relative). */
  origin: string;
  /** Ladder ids, most severe first. */
  ladderOrder: string[];
}

/** Loads the SLO data for a page or endpoint. */
export async function sloSite(): Promise<SloSite> {
  const { slos } = loadSlos(project.root, ladder);
  return {
    slos,
    citations: citationsBySlo(await getCollection('docs')),
    origin: siteOrigin(project.site, import.meta.env.BASE_URL),
    ladderOrder: ladder.levels.map((l) => l.id),
  };
}
