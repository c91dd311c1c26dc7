import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectFacts } from '../runbook/facts.ts';
import { runBlocks } from '../runbook/page.ts';
import { runMeta } from '../runbook/run-meta.ts';
import { asList, asString } from '../runbook/coerce.ts';
import { isRunbookData } from '../runbook/patterns.ts';
import { publishedShortlinks } from '../shortlinks/publish.ts';
import { type PageInfo } from '../runbook/page.ts';
import { isoDate, reviewStatus } from '../review/status.ts';
import { alertsLandingOn, type LandedAlert } from '../alerts/load.ts';
import type { ProjectConfig } from '../runbook/config.ts';

/** One runbook in `runbooks.json`. */
export interface CatalogEntry {
  title: string;
  url: string;
  file: string;
  owner: string | null;
  services: string[];
  severity: string[];
  shortlinks: string[];
  slos: string[];
  lastReview: string | null;
  reviewOverdue: boolean;
  snippets: { id: string; safety: string | null; title: string | null; test: boolean }[];
  /** Alerts whose runbook_url lands on this page (directly or through its shortlinks). */
  alerts: LandedAlert[];
}

/**
 * The catalog of runbooks for other tools (alert `runbook_url`, service catalogs):
 * runbook pages only, sorted by URL. Snippets come from the validation core's
 * collector, the one parser of run blocks.
 */
export function buildCatalog(
  root: string,
  pages: readonly PageInfo[],
  config: Pick<ProjectConfig, 'review' | 'site' | 'alerts'>,
  now = new Date(),
): CatalogEntry[] {
  const reviewEvery = config.review.every;
  return pages
    .filter((p) => isRunbookData(p.data))
    .map((page) => {
      const status = reviewStatus(page.data.review, reviewEvery, now);
      const facts = collectFacts(readFileSync(join(root, page.file)), page.file, page.file);
      const shortlinks = publishedShortlinks([page]).map((l) => l.slug);
      return {
        title: asString(page.data.title),
        url: page.url,
        file: page.file,
        owner: typeof page.data.owner === 'string' ? page.data.owner : null,
        services: asList(page.data.services),
        severity: asList(page.data.severity),
        shortlinks,
        slos: asList(page.data.slos),
        lastReview: status.last ? isoDate(status.last) : null,
        reviewOverdue: status.overdue,
        snippets: runBlocks(facts).map((b) => {
          const meta = runMeta(b.meta);
          return { id: meta.id ?? '', safety: meta.safety ?? null, title: meta.title ?? null, test: meta.test };
        }),
        alerts: alertsLandingOn(root, config, page.url, shortlinks),
      };
    })
    .sort((a, b) => (a.url < b.url ? -1 : 1));
}
