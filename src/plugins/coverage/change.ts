/**
 * Coverage across a change (`runbook diff`): each side's coverage read as that revision's
 * check reads it, the numbers of the teams the change touches before and after, and what
 * it drops — an alert that landed on a runbook and now lands nowhere, a service that had a
 * runbook and now has none. A drop is the `coverage-dropped` finding (a `change` row: no
 * check of one revision can see it, since the alert alone looks like any broken link).
 */
import type { RunbookFacts } from '../runbook/facts.ts';
import type { ProjectConfig } from '../runbook/config.ts';
import type { Finding, Rule, RuleExample } from '../runbook/rule.ts';
import { readRepoFile } from '../runbook/paths.ts';
import { runbook } from '../runbook/examples.ts';
import { type AlertRule, landing, loadAlerts } from '../alerts/load.ts';
import type { Slo } from '../slos/schema.ts';
import { computeCoverage, type AlertCoverage, type CoverageReport, type TeamCoverage } from './coverage.ts';

/** One side of a change as coverage sees it. */
export interface CoverageSide {
  report: CoverageReport;
  /** The alerts as read: their `runbook_url` as written, and columns. */
  alerts: readonly AlertRule[];
  /** Where each SLO file says `service:` (SLO id → line): a service's naming place when no alert names it. */
  sloLines: ReadonlyMap<string, number>;
  /** Every page file of the revision, published or not: a runbook gone from the report may be a draft now. */
  pages: ReadonlySet<string>;
  /** The site's origin (`site` of the config), against which a `runbook_url` is read. */
  site: string | undefined;
}

/**
 * Coverage of one revision from its pages' facts and its valid SLOs as the snapshot read
 * them; its alerts read by its own `alerts.files`, as its check reads them.
 */
export function coverageSide(
  root: string,
  config: ProjectConfig,
  facts: readonly RunbookFacts[],
  slos: readonly Slo[],
  today: Date,
): CoverageSide {
  const { alerts } = loadAlerts(root, config);
  const sloLines = new Map<string, number>();
  for (const s of slos) {
    const bytes = readRepoFile(root, s.file);
    const text = bytes instanceof Error ? '' : bytes.toString('utf8');
    const at = text.search(/^service\s*:/m);
    sloLines.set(s.id, at < 0 ? 1 : text.slice(0, at).split('\n').length);
  }
  return {
    report: computeCoverage({ config, facts, alerts, slos, today }),
    alerts,
    sloLines,
    pages: new Set(facts.map((f) => f.file)),
    site: config.site,
  };
}

/** A team's numbers on one side of a change: the report's, its paging alerts counted as {@link coverageChange} attributes them. */
export type TeamNumbers = Omit<TeamCoverage, 'team'>;

/** A team the change touches: its numbers before and after (null: not a team on that side). */
export interface TeamChange {
  team: string;
  before: TeamNumbers | null;
  after: TeamNumbers | null;
}

/** Something the change leaves without the runbook it had: a `coverage-dropped` finding. */
export interface CoverageDrop {
  kind: 'alert' | 'service';
  /** The alert's or the service's name. */
  name: string;
  /** The URLs of the runbooks it had at the base. */
  lost: string[];
  /** Where at the head: the alert's `alert:` key, or the service's first naming place (an alert, else an SLO file). */
  file: string;
  line: number;
  column: number;
  /** Its team at the base: the owner of the runbook it lost. */
  team: string | null;
  message: string;
  hint: string;
}

/** What a change does to coverage. */
export interface CoverageChange {
  teams: TeamChange[];
  dropped: CoverageDrop[];
}

/** What else the change touched, from the diff: owners of changed runbooks (either side), ids of changed SLOs. */
export interface Touched {
  owners: readonly (string | null)[];
  slos: readonly string[];
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** An alert lands nowhere: no runbook_url, or one on this site that leads to no page (another site's is unproven). */
const uncovered = (a: AlertCoverage) => a.status === 'broken' || a.status === 'missing';
/** What of an alert's row a change can change, apart from where in its file it sits. */
const alertState = (a: AlertCoverage) =>
  JSON.stringify([a.severity, a.service, a.paging, a.status, a.runbook, a.reviewed, a.team]);

/**
 * Base and head alerts paired: by file (a file git saw renamed pairs with its new path)
 * and name, in file order within that, so an alert moved within its file is the same
 * alert; then by name, service and severity, when one such is left on each side (moved to
 * another file). An unpaired one was added or removed.
 */
function pairAlerts(
  base: readonly AlertCoverage[],
  head: readonly AlertCoverage[],
  renames: ReadonlyMap<string, string>,
): { pairs: [AlertCoverage, AlertCoverage][]; unpaired: AlertCoverage[] } {
  const groups = new Map<string, { base: AlertCoverage[]; head: AlertCoverage[] }>();
  const group = (file: string, name: string) => {
    const key = `${file}\0${name}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { base: [], head: [] }));
    return g;
  };
  for (const a of base) group(renames.get(a.file) ?? a.file, a.name).base.push(a);
  for (const a of head) group(a.file, a.name).head.push(a);
  const pairs: [AlertCoverage, AlertCoverage][] = [];
  const unpaired: AlertCoverage[] = [];
  const left = { base: new Map<string, AlertCoverage[]>(), head: new Map<string, AlertCoverage[]>() };
  // Moved, an alert keeps its name, service and severity; a new alert of another service that
  // shares a removed one's name is not it.
  const leave = (side: Map<string, AlertCoverage[]>, a: AlertCoverage) => {
    const key = JSON.stringify([a.name, a.service, a.severity]);
    const list = side.get(key);
    if (list) list.push(a);
    else side.set(key, [a]);
  };
  for (const g of groups.values()) {
    // The report lists alerts by file and line already.
    const n = Math.min(g.base.length, g.head.length);
    for (let i = 0; i < n; i++) pairs.push([g.base[i], g.head[i]]);
    for (const a of g.base.slice(n)) leave(left.base, a);
    for (const a of g.head.slice(n)) leave(left.head, a);
  }
  // An alert moved to another rule file (not a rename git sees) is the same alert when its
  // name, service and severity are left over once on each side: its drop is found at its new place.
  for (const [key, before] of left.base) {
    const after = left.head.get(key);
    if (before.length === 1 && after?.length === 1) {
      pairs.push([before[0], after[0]]);
      left.head.delete(key);
    } else unpaired.push(...before);
  }
  for (const after of left.head.values()) unpaired.push(...after);
  return { pairs, unpaired };
}

/** The head's page for a base runbook (by its URL): the same file, or where git saw it renamed. */
function headPage(url: string, base: CoverageReport, head: CoverageReport, renames: ReadonlyMap<string, string>) {
  const file = base.runbooks.find((r) => r.url === url)?.file;
  if (file === undefined) return { file: undefined, now: undefined };
  const moved = renames.get(file) ?? file;
  return { file, now: head.runbooks.find((r) => r.file === moved) };
}

function alertDrop(
  before: AlertCoverage,
  after: AlertCoverage,
  base: CoverageSide,
  head: CoverageSide,
  renames: ReadonlyMap<string, string>,
): CoverageDrop {
  const rule = head.alerts.find((a) => a.file === after.file && a.line === after.line && a.name === after.name);
  const lost = before.runbook!;
  const { file, now } = headPage(lost, base.report, head.report, renames);
  const url = rule?.runbookUrl?.trim() ?? '';
  const where = url === '' ? undefined : landing(url, head.site);
  const slug = where?.kind === 'shortlink' ? where.slug : undefined;
  let message: string;
  let hint: string;
  if (after.status === 'missing') {
    message = `Alert ${after.name} led to the runbook ${lost} before this change and now has no runbook_url`;
    hint = `Put back its \`annotations.runbook_url\`: ${lost}, or better a \`/r/<slug>\` of that page (slugs survive page moves).`;
  } else {
    const moved = file === undefined ? undefined : (renames.get(file) ?? file);
    const gone =
      now === undefined
        ? moved !== undefined && head.pages.has(moved)
          ? `${moved} is no longer a published runbook`
          : `${file ?? lost} was deleted`
        : now.url !== lost
          ? `${file} moved to ${now.url}`
          : slug !== undefined
            ? `/r/${slug} is no longer a shortlink of ${now.file}`
            : `${now.file} no longer publishes it`;
    message = `Alert ${after.name} led to the runbook ${lost} before this change; its runbook_url ${url} now lands on no page (${gone})`;
    hint =
      now !== undefined && slug !== undefined
        ? `Keep the slug: add ${slug} to the \`shortlinks:\` of ${now.file}, or point the alert at ${now.url}.`
        : now !== undefined
          ? `Point the alert at ${now.url}, or better at a \`/r/<slug>\` of that page (slugs survive page moves).`
          : `Restore ${file ?? lost}${slug !== undefined ? ` (or /r/${slug} on the page that now handles the alert)` : ''}, point the alert at the runbook that now handles it, or remove the alert in the same change.`;
  }
  return {
    kind: 'alert',
    name: after.name,
    lost: [lost],
    file: after.file,
    line: after.line,
    column: rule?.column ?? 1,
    team: before.team,
    message,
    hint,
  };
}

function serviceDrop(
  name: string,
  lost: readonly string[],
  base: CoverageSide,
  head: CoverageSide,
  renames: ReadonlyMap<string, string>,
): CoverageDrop {
  const alert = head.report.alerts.find((a) => a.service === name);
  const rule =
    alert && head.alerts.find((a) => a.file === alert.file && a.line === alert.line && a.name === alert.name);
  const slo = head.report.slos.filter((s) => s.service === name).sort((a, b) => byName(a.file, b.file))[0];
  const { by, ...place } = alert
    ? { file: alert.file, line: alert.line, column: rule?.column ?? 1, by: `alert ${alert.name}` }
    : { file: slo.file, line: head.sloLines.get(slo.id) ?? 1, column: 1, by: `SLO ${slo.id}` };
  const pages = lost.map((url) => headPage(url, base.report, head.report, renames));
  const kept = pages.flatMap((p) => (p.now ? [p.now.file] : []));
  const owners = new Set(base.report.runbooks.filter((r) => lost.includes(r.url)).map((r) => r.owner));
  return {
    kind: 'service',
    name,
    lost: [...lost],
    ...place,
    team: owners.size === 1 ? [...owners][0] : null,
    message: `Service ${name} (named by ${by}) had the runbook ${lost.join(', ')} before this change and now has none: no runbook lists it under services:`,
    hint:
      kept.length > 0
        ? `Add ${name} back to the \`services:\` of ${kept.join(' or ')}, or to the runbook that now handles it.`
        : `Restore ${pages.map((p) => p.file ?? '').join(', ')}, or add ${name} to the \`services:\` of the runbook that now handles it.`,
  };
}

/**
 * What the change from `base` to `head` does to coverage. `renames` (base file → head
 * file, git's rename detection) pairs moved pages and alert files. A drop the change also
 * settles — the alert removed too, no alert or SLO naming the service any more — is none.
 */
export function coverageChange(
  base: CoverageSide,
  head: CoverageSide,
  renames: ReadonlyMap<string, string>,
  touched: Touched,
): CoverageChange {
  const { pairs, unpaired } = pairAlerts(base.report.alerts, head.report.alerts, renames);
  const dropped: CoverageDrop[] = pairs
    .filter(([before, after]) => before.status === 'runbook' && uncovered(after))
    .map(([before, after]) => alertDrop(before, after, base, head, renames));
  const baseServices = new Map(base.report.services.map((s) => [s.name, s]));
  for (const s of head.report.services) {
    const before = baseServices.get(s.name);
    if (before && before.runbooks.length > 0 && s.runbooks.length === 0)
      dropped.push(serviceDrop(s.name, before.runbooks, base, head, renames));
  }

  const teams = new Set<string | null>(touched.owners);
  for (const a of unpaired) teams.add(a.team);
  for (const [before, after] of pairs)
    if (alertState(before) !== alertState(after)) teams.add(before.team).add(after.team);
  const sloState = (r: CoverageReport) =>
    new Map(r.slos.map((s) => [s.id, { owner: s.owner, state: JSON.stringify([s.service, s.owner, s.file]) }]));
  const [baseSlos, headSlos] = [sloState(base.report), sloState(head.report)];
  for (const id of new Set([...baseSlos.keys(), ...headSlos.keys()]))
    if (touched.slos.includes(id) || baseSlos.get(id)?.state !== headSlos.get(id)?.state)
      teams.add(baseSlos.get(id)?.owner ?? null).add(headSlos.get(id)?.owner ?? null);
  for (const d of dropped) teams.add(d.team);

  // An alert counts for its team on each side, or else for the team it has on the other:
  // one whose runbook the change deletes has no owner left at the head, yet its loss is
  // that team's (and one a new runbook now covers was that team's gap before).
  const other = new Map<AlertCoverage, AlertCoverage>();
  for (const [before, after] of pairs) other.set(before, after).set(after, before);
  const numbers = (r: CoverageReport, team: string): TeamNumbers | null => {
    const row = r.teams.find((t) => t.team === team);
    const paging = r.alerts.filter((a) => a.paging && (a.team ?? other.get(a)?.team) === team);
    if (!row && paging.length === 0) return null;
    const landed = paging.filter((a) => a.status === 'runbook');
    const reviewed = landed.filter((a) => a.reviewed).length;
    return {
      runbooks: row?.runbooks ?? 0,
      overdue: row?.overdue ?? 0,
      soon: row?.soon ?? 0,
      lastReview: row?.lastReview ?? null,
      blocks: row?.blocks ?? { total: 0, tested: 0 },
      unguarded: row?.unguarded ?? 0,
      paging: { total: paging.length, landed: landed.length, reviewed },
      headline: paging.length === 0 ? null : reviewed / paging.length,
    };
  };
  return {
    teams: [...teams]
      .filter((t): t is string => t !== null)
      .sort(byName)
      .map((team) => ({ team, before: numbers(base.report, team), after: numbers(head.report, team) }))
      .filter((t) => t.before !== null || t.after !== null),
    dropped: dropped.sort((a, b) => byName(a.file, b.file) || a.line - b.line || byName(a.kind, b.kind)),
  };
}

/** The findings of the drops, for the rule table's `coverage-dropped`. */
export function dropFindings(change: CoverageChange): Finding[] {
  // One mistake, one finding: a service that lost its runbook is named at its first alert, and
  // when that alert lost the same runbook, the service's loss is said in the alert's finding.
  const alertAt = new Map(
    change.dropped.filter((d) => d.kind === 'alert').map((d) => [`${d.file}\0${d.line}\0${d.column}`, d]),
  );
  const merged = new Map<CoverageDrop, string[]>();
  const findings: Finding[] = [];
  for (const d of change.dropped) {
    const alert = d.kind === 'service' ? alertAt.get(`${d.file}\0${d.line}\0${d.column}`) : undefined;
    if (alert) merged.set(alert, [...(merged.get(alert) ?? []), d.name]);
  }
  for (const d of change.dropped) {
    if (d.kind === 'service' && alertAt.has(`${d.file}\0${d.line}\0${d.column}`)) continue;
    const services = merged.get(d) ?? [];
    const also = services.length
      ? ` The service${services.length === 1 ? '' : 's'} ${services.join(', ')} now ${services.length === 1 ? 'has' : 'have'} no runbook either.`
      : '';
    const message = also && !d.message.endsWith('.') ? `${d.message}.${also}` : `${d.message}${also}`;
    findings.push({ file: d.file, line: d.line, column: d.column, message, hint: d.hint });
  }
  return findings;
}

/** The example: a runbook of the service `kestrel-api` (the example SLO's), before the change. */
const covering: RuleExample = { page: runbook(['services: [kestrel-api]']) };

/** Rules about what a change does to coverage (`runbook diff`). */
export const coverageChangeRules = [
  {
    id: 'coverage-dropped',
    severity: 'error',
    phase: 'change',
    // A baseline holds findings of one revision; a change is judged once, in its review.
    baseline: false,
    summary:
      'A change does not leave an alert or a service without the runbook it had: an alert whose `runbook_url` landed on a runbook before the change (the page deleted, renamed, or its `/r/` slug dropped) lands nowhere after it, or a service named by an alert or an SLO loses its last runbook. The same change removing the alert (or the last alert and SLO naming the service) is no drop.',
    hint: "Restore the page or its slug (add the old slug to the renamed page's `shortlinks:`), point the alert at the page that now handles it, or list the service under that page's `services:`.",
    bad: { base: covering, page: runbook() },
    good: { base: covering, page: covering.page, pageFile: 'src/content/runbooks/api/api-outage.md' },
  },
] as const satisfies readonly Rule[];
