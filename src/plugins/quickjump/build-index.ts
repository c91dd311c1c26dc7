import { alertsLandingOn } from '../alerts/load.ts';
import type { ProjectConfig } from '../runbook/config.ts';
import { asList, asString } from '../runbook/coerce.ts';
import type { PageInfo } from '../runbook/page.ts';
import { publishedShortlinks } from '../shortlinks/publish.ts';
import type { QuickjumpIndex, QuickjumpPage } from './format.ts';

/** A field as a list; a blank one adds nothing to search. */
const list = (v: unknown): string[] => (v === '' ? [] : asList(v));

/**
 * The quick-jump index: every page of the site (runbooks and handbook pages alike) with
 * what people paste or type to reach it: title, shortlinks, services, owner, severity,
 * alert names and description. Sorted by URL, so the file is stable between builds.
 */
export function buildQuickjumpIndex(
  root: string,
  pages: readonly PageInfo[],
  config: Pick<ProjectConfig, 'site' | 'alerts'>,
  severityOrder: readonly string[],
): QuickjumpIndex {
  const out = pages
    .filter((p) => p.url !== '/404/')
    .map((page): QuickjumpPage => {
      const links = publishedShortlinks([page]);
      const entry: QuickjumpPage = { t: asString(page.data.title, page.url), u: page.url };
      const description = typeof page.data.description === 'string' ? page.data.description.trim() : '';
      if (description) entry.d = description;
      if (typeof page.data.owner === 'string' && page.data.owner) entry.o = page.data.owner;
      const services = list(page.data.services);
      if (services.length) entry.s = services;
      const severity = list(page.data.severity);
      if (severity.length) entry.v = severity;
      if (links.length) entry.l = links.map((l) => (l.target === page.url ? l.slug : [l.slug, l.target]));
      const alerts = [
        ...new Set(
          alertsLandingOn(
            root,
            config,
            page.url,
            links.filter((l) => !l.external).map((l) => l.slug),
          ).map((a) => a.name),
        ),
      ];
      if (alerts.length) entry.a = alerts;
      return entry;
    })
    .sort((a, b) => (a.u < b.u ? -1 : a.u > b.u ? 1 : 0));
  return { v: 1, site: config.site ?? null, sev: [...severityOrder], pages: out };
}
