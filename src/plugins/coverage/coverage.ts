/**
 * Coverage: which alerts, services and SLOs lead to a runbook, and how fresh each team's
 * runbooks are. One pure function of what the check already reads (the pages' facts, the
 * alert files, the SLO files, the settings), so `runbook coverage`, the `/coverage/` page
 * and the review of a change can never disagree.
 */
import type { RunbookFacts } from '../runbook/facts.ts';
import type { ProjectConfig } from '../runbook/config.ts';
import { isRunbook, pageAnchors, runBlocks } from '../runbook/page.ts';
import { runMeta } from '../runbook/run-meta.ts';
import { asList, asText } from '../runbook/coerce.ts';
import { type AlertRule, landing } from '../alerts/load.ts';
import { isTemplate } from '../alerts/alert.ts';
import { shortlinkEntries } from '../shortlinks/entries.ts';
import { isoDate, reviewStatus } from '../review/status.ts';
import type { Slo } from '../slos/schema.ts';
import { loadAlerts } from '../alerts/load.ts';
import { loadSlos } from '../slos/load.ts';
import type { Project } from '../project/load.ts';

/** Where an alert leads, as coverage counts it. */
export type AlertStatus =
  /** Its runbook_url lands on a runbook page of this site (directly or through a `/r/` slug). */
  | 'runbook'
  /** It has no runbook_url. */
  | 'missing'
  /** Its runbook_url is on this site but lands on no published runbook: no such page, slug or anchor, a draft, or a page that is not a runbook. */
  | 'broken'
  /** Another site's URL, or a template only Alertmanager resolves: not proven either way. */
  | 'unchecked';

/** One alert and where it leads. */
export interface AlertCoverage {
  name: string;
  /** `alerts/db.yaml:12`. */
  source: string;
  file: string;
  line: number;
  /** The file format it was read from (`prometheus`, `grafana`, `datadog`). */
  format: string;
  severity: string | null;
  service: string | null;
  /** Whether it pages someone: its severity is one of `alerts.paging` (every alert, when that is unset). */
  paging: boolean;
  status: AlertStatus;
  /** The runbook it lands on (status `runbook`): its URL. */
  runbook: string | null;
  /** Whether that runbook's last review is within its cadence. */
  reviewed: boolean;
  /** The team it counts for: the owner of the runbook it lands on, else of the runbooks of its service, else its `team` label as a handle. */
  team: string | null;
}

/** A runbook as coverage lists it. */
export interface RunbookCoverage {
  title: string;
  url: string;
  file: string;
  owner: string | null;
  services: string[];
  /** The newest review date (`2026-03-02`), or null when the log is empty. */
  lastReview: string | null;
  /** The date the next review is due, or null when there was none. */
  due: string | null;
  review: 'ok' | 'soon' | 'overdue';
  /** Run blocks with and without `test`. */
  blocks: { total: number; tested: number };
  /** Mutating and destructive blocks with no read-only `needs=` block of the page before them: `#id`. */
  unguarded: { id: string; safety: string; line: number }[];
  /** Names of the alerts landing on it. */
  alerts: string[];
}

/** A service named by an alert or an SLO, and the runbooks listing it under `services:`. */
export interface ServiceCoverage {
  name: string;
  /** Who names it: alert names and SLO ids. */
  alerts: string[];
  slos: string[];
  runbooks: string[];
}

/** An SLO file and the runbooks citing it under `slos:`. */
export interface SloCoverage {
  id: string;
  service: string;
  owner: string;
  file: string;
  runbooks: string[];
}

/** One team's numbers. */
export interface TeamCoverage {
  team: string;
  runbooks: number;
  overdue: number;
  soon: number;
  /** The newest review of any of its runbooks. */
  lastReview: string | null;
  blocks: { total: number; tested: number };
  unguarded: number;
  /** Its paging alerts; those landing on a runbook; those landing on one reviewed within its cadence. */
  paging: { total: number; landed: number; reviewed: number };
  /** reviewed / total paging alerts, 0–1; null when it has no paging alert. */
  headline: number | null;
}

/** Everything coverage says about a project. Stable JSON (version 1) for `runbook coverage --format json`. */
export interface CoverageReport {
  version: 1;
  /** The day it was computed for (`2026-12-07`): review ages count from it. */
  date: string;
  /** The whole site: the same numbers as a team's, over every runbook and alert. */
  site: Omit<TeamCoverage, 'team'>;
  teams: TeamCoverage[];
  alerts: AlertCoverage[];
  runbooks: RunbookCoverage[];
  services: ServiceCoverage[];
  slos: SloCoverage[];
  /** Alert rule files that cannot be read in full (`runbook check` says why): what cannot be read is not counted (the rest is), so the numbers are short of it. */
  unreadable: string[];
}

/** What coverage is computed from: the check's facts, the alerts and SLOs as loaded, the settings. */
export interface CoverageInput {
  config: ProjectConfig;
  facts: readonly RunbookFacts[];
  alerts: readonly AlertRule[];
  slos: readonly Slo[];
  today: Date;
  /** Alert rule files that could not be read (the findings of `alert-file-invalid`). */
  unreadable?: readonly string[];
}

const DAY = 86_400_000;
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The handle a `team` label names: `db`, `db-team`, `@db-team` all name `@db-team` when it is a team of the config; `acme/db-team` names `@acme/db-team`. */
export function teamOfLabel(label: string | undefined, teams: readonly string[]): string | null {
  if (!label) return null;
  const bare = label.replace(/^@/, '').toLowerCase();
  return (
    // The handle written in full (`@acme/db-team`, `acme/db-team`) first, then a short name.
    teams.find((t) => t.slice(1).toLowerCase() === bare) ??
    teams.find((t) => {
      const name = t.slice(1).split('/').pop()!.toLowerCase();
      return name === bare || name === `${bare}-team`;
    }) ??
    null
  );
}

/** One runbook's review state as of `today`: `soon` when due within `review.soon` days. */
function reviewOf(
  f: RunbookFacts,
  config: ProjectConfig,
  today: Date,
): Pick<RunbookCoverage, 'lastReview' | 'due' | 'review'> {
  const status = reviewStatus(f.frontmatter.data.review, config.review.every, today);
  if (!status.last) return { lastReview: null, due: null, review: 'overdue' };
  const due = new Date(status.last.getTime() + status.every * DAY);
  const left = Math.floor((due.getTime() - today.getTime()) / DAY);
  return {
    lastReview: isoDate(status.last),
    due: isoDate(due),
    review: status.overdue ? 'overdue' : left <= config.review.soon ? 'soon' : 'ok',
  };
}

/** The run blocks of a page: how many are doc tests, and which change things with no read-only check required before them. */
function blocksOf(f: RunbookFacts): Pick<RunbookCoverage, 'blocks' | 'unguarded'> {
  const metas = runBlocks(f).map((b) => ({ meta: runMeta(b.meta), line: b.line }));
  const readOnly = new Set(metas.filter((m) => m.meta.safety === 'read-only' && m.meta.id).map((m) => m.meta.id!));
  const before = new Set<string>();
  const unguarded: RunbookCoverage['unguarded'] = [];
  for (const { meta, line } of metas) {
    const changes = meta.safety === 'mutating' || meta.safety === 'destructive';
    // A verification step is a read-only block of the page, earlier on it, that the block needs.
    if (changes && !meta.needs.some((id) => readOnly.has(id) && before.has(id)))
      unguarded.push({ id: meta.id ?? '', safety: meta.safety!, line });
    if (meta.id) before.add(meta.id);
  }
  return { blocks: { total: metas.length, tested: metas.filter((m) => m.meta.test).length }, unguarded };
}

/** Whether an alert of severity `severity` pages: listed in `alerts.paging`, or every alert when that is unset. */
export function pages(severity: string | undefined, config: ProjectConfig): boolean {
  const paging = config.alerts.paging;
  return paging === undefined || (severity !== undefined && paging.includes(severity));
}

/** The numbers of a set of runbooks and alerts (a team's, or the whole site's). */
function tally(runbooks: readonly RunbookCoverage[], alerts: readonly AlertCoverage[]): Omit<TeamCoverage, 'team'> {
  const paging = alerts.filter((a) => a.paging);
  const landed = paging.filter((a) => a.status === 'runbook').length;
  const reviewed = paging.filter((a) => a.status === 'runbook' && a.reviewed).length;
  const last =
    runbooks
      .map((r) => r.lastReview)
      .filter((d): d is string => d !== null)
      .sort()
      .pop() ?? null;
  return {
    runbooks: runbooks.length,
    overdue: runbooks.filter((r) => r.review === 'overdue').length,
    soon: runbooks.filter((r) => r.review === 'soon').length,
    lastReview: last,
    blocks: {
      total: runbooks.reduce((n, r) => n + r.blocks.total, 0),
      tested: runbooks.reduce((n, r) => n + r.blocks.tested, 0),
    },
    unguarded: runbooks.reduce((n, r) => n + r.unguarded.length, 0),
    paging: { total: paging.length, landed, reviewed },
    headline: paging.length === 0 ? null : reviewed / paging.length,
  };
}

/** Coverage of a project, from what the check reads. Deterministic: everything sorted. */
export function computeCoverage({
  config,
  facts,
  alerts,
  slos,
  today,
  unreadable = [],
}: CoverageInput): CoverageReport {
  // Published runbooks only: a draft is not on the site, so nothing lands on it.
  const published = facts.filter((f) => isRunbook(f) && f.frontmatter.data.draft !== true);
  const byUrl = new Map(published.map((f) => [f.url, f]));
  // Every slug's first declaring page, as the check resolves `/r/<slug>` (one that leads off the site is not a page).
  const bySlug = new Map<string, { page: RunbookFacts; external: boolean }>();
  for (const f of facts)
    for (const e of shortlinkEntries(f.frontmatter.data))
      if (typeof e.slug === 'string' && !bySlug.has(e.slug))
        bySlug.set(e.slug, { page: f, external: e.url !== undefined });

  const runbooks = new Map<string, RunbookCoverage>(
    published.map((f) => [
      f.url,
      {
        title: asText(f.frontmatter.data.title) ?? f.url,
        url: f.url,
        file: f.file,
        owner: asText(f.frontmatter.data.owner) ?? null,
        services: asList(f.frontmatter.data.services),
        ...reviewOf(f, config, today),
        ...blocksOf(f),
        alerts: [],
      },
    ]),
  );
  const serviceRunbooks = new Map<string, RunbookCoverage[]>();
  for (const r of runbooks.values())
    for (const s of r.services) {
      const list = serviceRunbooks.get(s);
      if (list) list.push(r);
      else serviceRunbooks.set(s, [r]);
    }
  // The service's runbooks' owner when all agree on one (null when none or several): asked once per service, not per alert.
  const serviceOwner = new Map<string, string | null>();
  const ownerOfService = (name: string) => {
    let owner = serviceOwner.get(name);
    if (owner === undefined) {
      const owners = new Set((serviceRunbooks.get(name) ?? []).map((r) => r.owner).filter((o) => o !== null));
      serviceOwner.set(name, (owner = owners.size === 1 ? [...owners][0] : null));
    }
    return owner;
  };
  const teams = config.teams ?? [];
  // A team label names a team of `teams:`, or (that unset or silent) a runbook owner: else
  // the alerts without a runbook, the ones a team most needs to see, would count for no one.
  const owners = [...runbooks.values()].map((r) => r.owner).filter((o) => o !== null);
  const labelled = [...new Set([...teams, ...owners.sort(byName)])];

  const alertRows: AlertCoverage[] = alerts.map((raw) => {
    // A templated label names whatever the firing alert carries: no service or team coverage can match.
    const fixed = (v: string | undefined) => (v === undefined || isTemplate(v) ? undefined : v);
    const a = { ...raw, service: fixed(raw.service), team: fixed(raw.team) };
    let status: AlertStatus = 'missing';
    let target: RunbookFacts | undefined;
    if (a.runbookUrl !== undefined && a.runbookUrl.trim() !== '') {
      const where = landing(a.runbookUrl, config.site);
      const slug = where.kind === 'shortlink' ? bySlug.get(where.slug) : undefined;
      if (where.kind === 'external' || where.kind === 'template' || slug?.external) status = 'unchecked';
      else if (where.kind === 'invalid') status = 'broken';
      else {
        // Only a published runbook counts, and the anchor must be on it (as the check holds it).
        const page = where.kind === 'shortlink' ? slug?.page : byUrl.get(where.path);
        target = page && byUrl.get(page.url) === page ? page : undefined;
        if (target && where.anchor !== undefined && !pageAnchors(target).has(where.anchor)) target = undefined;
        status = target ? 'runbook' : 'broken';
      }
    }
    const runbook = target ? runbooks.get(target.url)! : undefined;
    runbook?.alerts.push(a.name);
    const team = runbook?.owner ?? (a.service ? ownerOfService(a.service) : null) ?? teamOfLabel(a.team, labelled);
    return {
      name: a.name,
      source: `${a.file}:${a.line}`,
      file: a.file,
      line: a.line,
      format: a.format ?? 'prometheus',
      severity: a.severity ?? null,
      service: a.service ?? null,
      paging: pages(a.severity, config),
      status,
      runbook: runbook?.url ?? null,
      reviewed: runbook !== undefined && runbook.review !== 'overdue',
      team,
    };
  });

  const services = new Map<string, ServiceCoverage>();
  const service = (name: string) => {
    let s = services.get(name);
    if (!s)
      services.set(
        name,
        (s = {
          name,
          alerts: [],
          slos: [],
          runbooks: (serviceRunbooks.get(name) ?? []).map((r) => r.url).sort(byName),
        }),
      );
    return s;
  };
  for (const a of alertRows) if (a.service) service(a.service).alerts.push(a.name);
  for (const s of slos) service(s.service).slos.push(s.id);

  const citing = new Map<string, string[]>();
  for (const f of published)
    for (const id of asList(f.frontmatter.data.slos)) {
      const list = citing.get(id);
      if (list) list.push(f.url);
      else citing.set(id, [f.url]);
    }
  const sloRows: SloCoverage[] = [...slos]
    .sort((a, b) => byName(a.id, b.id))
    .map((s) => ({
      id: s.id,
      service: s.service,
      owner: s.owner,
      file: s.file,
      runbooks: (citing.get(s.id) ?? []).sort(byName),
    }));

  const runbookRows = [...runbooks.values()].sort((a, b) => byName(a.url, b.url));
  for (const r of runbookRows) r.alerts.sort(byName);
  const teamNames = [
    ...new Set(
      [...teams, ...runbookRows.map((r) => r.owner), ...alertRows.map((a) => a.team)].filter(
        (t): t is string => t !== null,
      ),
    ),
  ].sort(byName);
  return {
    version: 1,
    date: isoDate(today),
    site: tally(runbookRows, alertRows),
    teams: teamNames.map((team) => ({
      team,
      ...tally(
        runbookRows.filter((r) => r.owner === team),
        alertRows.filter((a) => a.team === team),
      ),
    })),
    alerts: alertRows.sort((a, b) => byName(a.file, b.file) || a.line - b.line || byName(a.name, b.name)),
    runbooks: runbookRows,
    services: [...services.values()]
      .sort((a, b) => byName(a.name, b.name))
      .map((s) => ({ ...s, alerts: s.alerts.sort(byName), slos: s.slos.sort(byName) })),
    slos: sloRows,
    unreadable: [...new Set(unreadable)].sort(byName),
  };
}

/** The report narrowed to one team: its runbooks, alerts, services and SLOs (`--owner`). */
export function forTeam(report: CoverageReport, team: string): CoverageReport {
  const runbooks = report.runbooks.filter((r) => r.owner === team);
  const urls = new Set(runbooks.map((r) => r.url));
  const alerts = report.alerts.filter((a) => a.team === team);
  // By the services the team's alerts name, not by alert names: another team's alert may share a name.
  const named = new Set(alerts.map((a) => a.service));
  const slos = report.slos.filter((s) => s.owner === team || s.runbooks.some((u) => urls.has(u)));
  const sloIds = new Set(slos.map((s) => s.id));
  return {
    ...report,
    site: tally(runbooks, alerts),
    teams: report.teams.filter((t) => t.team === team),
    alerts,
    runbooks,
    services: report.services.filter(
      (s) => s.runbooks.some((u) => urls.has(u)) || named.has(s.name) || s.slos.some((id) => sloIds.has(id)),
    ),
    slos,
  };
}

/** The gaps: what an on-call review asks about first. */
export function gaps(report: CoverageReport): {
  alertsWithoutRunbook: AlertCoverage[];
  alertsBroken: AlertCoverage[];
  alertsUnchecked: AlertCoverage[];
  runbooksWithoutAlerts: RunbookCoverage[];
  servicesUncovered: ServiceCoverage[];
  slosUncited: SloCoverage[];
} {
  return {
    alertsWithoutRunbook: report.alerts.filter((a) => a.status === 'missing'),
    alertsBroken: report.alerts.filter((a) => a.status === 'broken'),
    // Off the site or templated: not landed, so short of the headline, and named here so the numbers add up.
    alertsUnchecked: report.alerts.filter((a) => a.status === 'unchecked'),
    // Runbooks of a service (handbook pages name none): the ones an alert could lead to.
    runbooksWithoutAlerts: report.runbooks.filter((r) => r.services.length > 0 && r.alerts.length === 0),
    servicesUncovered: report.services.filter((s) => s.runbooks.length === 0),
    slosUncited: report.slos.filter((s) => s.runbooks.length === 0),
  };
}

/** Coverage of a loaded project from its pages' facts: the alerts and SLOs are read as the check reads them. */
export function projectCoverage(project: Project, facts: readonly RunbookFacts[], today = new Date()): CoverageReport {
  const { alerts, diagnostics } = loadAlerts(project.root, project.config);
  const { slos } = loadSlos(project.root, project.ladder);
  const unreadable = diagnostics.map((d) => d.file);
  return computeCoverage({ config: project.config, facts, alerts, slos, today, unreadable });
}
