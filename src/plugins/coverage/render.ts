/**
 * `runbook coverage`'s outputs: the terminal report, stable JSON, GitHub workflow
 * annotations and the Markdown job summary. Every name in them comes from the alert
 * files and the runbooks, so each is encoded for where it goes (terminal guard,
 * Markdown escapes, workflow-command escapes): a hostile alert name stays text.
 */
import type { AlertCoverage, CoverageReport, TeamCoverage } from './coverage.ts';
import { gaps } from './coverage.ts';
import { forTerminal } from '../encode/terminal.ts';
import { markdownCode, markdownText } from '../encode/markdown.ts';
import { ANNOTATIONS_PER_KIND, workflowData, workflowProperty } from '../encode/github.ts';
import { toJsonText } from '../encode/json.ts';
import { percent as wholePercent } from './page-text.ts';

/** The output formats of `runbook coverage`. */
export const COVERAGE_FORMATS = ['pretty', 'json', 'github'] as const;
export type CoverageFormat = (typeof COVERAGE_FORMATS)[number];

/** The numbers a headline is made of: a team's, or the site's. */
type Tally = Pick<TeamCoverage, 'paging' | 'headline'>;

/** A share as `88%`: the one rounding (down) the page and the review of a change use too. */
export const percent = (share: number) => `${wholePercent(share)}%`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The headline sentence: `80% of paging alerts land on a runbook reviewed within its cadence (4 of 5)`. */
export function headline(t: Tally): string {
  if (t.headline === null) return 'no paging alerts';
  return `${percent(t.headline)} of paging alerts land on a runbook reviewed within its cadence (${t.paging.reviewed} of ${t.paging.total})`;
}

/**
 * What an alert file with a finding means for the numbers, and where to see why: true of a
 * file that cannot be parsed at all and of one with a single untitled rule among good ones
 * (whose good alerts are counted).
 */
const UNREADABLE = 'has alerts that cannot be read, which are not counted (npx runbook check shows why)';

/** What a renderer is told besides the report. */
export interface RenderOptions {
  /** ANSI colour (pretty only). */
  color?: boolean;
  /** The team the report was narrowed to (`--owner`): its numbers replace the site's. */
  owner?: string;
}

/** One row per team: the columns of the terminal table and the Markdown table. */
const TEAM_COLUMNS = [
  'team',
  'runbooks',
  'overdue',
  'due soon',
  'last review',
  'blocks tested/total',
  'unguarded',
  'paging covered',
] as const;
const teamCells = (t: TeamCoverage): string[] => [
  t.team,
  String(t.runbooks),
  String(t.overdue),
  String(t.soon),
  t.lastReview ?? '—',
  `${t.blocks.tested}/${t.blocks.total}`,
  String(t.unguarded),
  t.headline === null ? '—' : `${percent(t.headline)} (${t.paging.reviewed}/${t.paging.total})`,
];

/** An alert as a gap line names it: its service and severity when it has them. */
const alertWhat = (a: AlertCoverage) =>
  [a.service, a.severity, a.team].filter((x): x is string => x !== null).join(', ');

/** The gaps in the order the report shows them, each line's parts as plain text (encoded by the caller). */
function gapSections(
  report: CoverageReport,
): { title: string; rows: { where: string; what: string; detail: string }[] }[] {
  const g = gaps(report);
  return [
    {
      title: 'Alerts without runbook_url',
      rows: g.alertsWithoutRunbook.map((a) => ({ where: a.source, what: a.name, detail: alertWhat(a) })),
    },
    {
      title: 'Alerts whose runbook_url lands on no runbook',
      rows: g.alertsBroken.map((a) => ({ where: a.source, what: a.name, detail: alertWhat(a) })),
    },
    {
      title: 'Alerts whose runbook_url the check cannot follow (another site, a template)',
      rows: g.alertsUnchecked.map((a) => ({ where: a.source, what: a.name, detail: alertWhat(a) })),
    },
    {
      title: 'Services with no runbook',
      rows: g.servicesUncovered.map((s) => ({
        where: s.name,
        what: [...s.alerts.map((n) => `alert ${n}`), ...s.slos.map((id) => `SLO ${id}`)].join(', '),
        detail: '',
      })),
    },
    {
      title: 'SLOs no runbook cites',
      rows: g.slosUncited.map((s) => ({ where: s.file, what: s.id, detail: [s.service, s.owner].join(', ') })),
    },
    {
      title: 'Runbooks of a service no alert points to',
      rows: g.runbooksWithoutAlerts.map((r) => ({
        where: r.file,
        what: r.title,
        detail: [r.services.join(' '), r.owner ?? ''].filter(Boolean).join(', '),
      })),
    },
  ];
}

/** Pads cells (already encoded) into aligned columns. */
function columns(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => [...r[i]].length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i] - [...c].length)))
      .join('  ')
      .trimEnd(),
  );
}

/** The terminal report: headlines, gaps, the per-team table. Every name through the terminal guard. */
export function coveragePretty(report: CoverageReport, options: RenderOptions = {}): string {
  const color = options.color ?? false;
  const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const shown = (text: string) => forTerminal(text, { oneLine: true, color });
  const lines: string[] = [paint(1, `Coverage on ${report.date}`), ''];
  const heads: string[][] = options.owner ? [] : [['site', headline(report.site)]];
  for (const t of report.teams) if (t.headline !== null || options.owner) heads.push([shown(t.team), headline(t)]);
  lines.push(...columns(heads).map((l) => `  ${l}`));
  const quiet = report.teams.filter((t) => t.headline === null).length;
  if (!options.owner && quiet > 0) lines.push(paint(2, `  (${plural(quiet, 'team')} with no paging alert)`));
  for (const file of report.unreadable) lines.push(paint(33, `  ⚠ ${shown(file)}: ${UNREADABLE}`));
  for (const section of gapSections(report)) {
    lines.push('', `${paint(4, section.title)} (${section.rows.length})`);
    if (section.rows.length === 0) lines.push(paint(32, '  ✔ none'));
    else
      lines.push(
        ...columns(
          section.rows.map((r) => [shown(r.where), shown(r.what), r.detail ? paint(2, shown(r.detail)) : '']),
        ).map((l) => `  ${l}`),
      );
  }
  lines.push('', paint(4, 'Teams'));
  if (report.teams.length === 0) lines.push('  none');
  else
    lines.push(
      ...columns([[...TEAM_COLUMNS], ...report.teams.map((t) => teamCells(t).map((c) => shown(c)))]).map(
        (l, i) => `  ${i === 0 ? paint(2, l) : l}`,
      ),
    );
  return lines.join('\n');
}

/**
 * Stable JSON (version 1): the {@link CoverageReport} as is — `{ version, date, site:
 * { runbooks, overdue, soon, lastReview, blocks: { total, tested }, unguarded, paging:
 * { total, landed, reviewed }, headline }, teams: [{ team, …the same }], alerts: [{ name,
 * source, file, line, format, severity, service, paging, status, runbook, reviewed, team }],
 * runbooks: [{ title, url, file, owner, services, lastReview, due, review, blocks,
 * unguarded: [{ id, safety, line }], alerts }], services: [{ name, alerts, slos, runbooks }],
 * slos: [{ id, service, owner, file, runbooks }], unreadable: [alert rule file] }`. `headline` is reviewed / total paging
 * alerts (0–1), null with none. New fields may be added; none is renamed or removed.
 */
export function coverageJson(report: CoverageReport): string {
  return toJsonText(report, 2);
}

/** The job summary: headlines per team and the gaps, as Markdown tables (every name escaped for a cell). */
export function coverageMarkdown(report: CoverageReport, options: Pick<RenderOptions, 'owner'> = {}): string {
  const cell = (text: string) => markdownText(text);
  const title = options.owner ? `runbook coverage of ${markdownText(options.owner)}` : 'runbook coverage';
  const out = [`### ${title}: ${headline(report.site)}`, ''];
  for (const file of report.unreadable) out.push(`⚠ ${markdownCode(file)} ${UNREADABLE}.`, '');
  if (report.teams.length > 0) {
    out.push(`| ${TEAM_COLUMNS.join(' | ')} |`, `| ${TEAM_COLUMNS.map(() => '---').join(' | ')} |`);
    for (const t of report.teams) out.push(`| ${teamCells(t).map(cell).join(' | ')} |`);
    out.push('');
  }
  for (const section of gapSections(report)) {
    if (section.rows.length === 0) {
      out.push(`**${section.title}**: none.`, '');
      continue;
    }
    out.push(`**${section.title}** (${section.rows.length})`, '', '| where | what | |', '| --- | --- | --- |');
    for (const r of section.rows)
      out.push(`| ${markdownCode(r.where, { table: true })} | ${cell(r.what)} | ${cell(r.detail)} |`);
    out.push('');
  }
  return out.join('\n').trimEnd();
}

/**
 * What an alert without a runbook is told, in the words of its tool: a Datadog monitor has no
 * runbook_url, only the links of its message (as `npx runbook check` says).
 */
function gapAdvice(a: AlertCoverage, broken: boolean): string {
  const pages = 'when it pages, on-call lands on no runbook.';
  if (a.format === 'datadog')
    return broken
      ? `Monitor ${a.name} has a runbook link in its message that lands on no runbook: ${pages} Point it at a runbook's /r/<slug>.`
      : `Monitor ${a.name} has no runbook link in its message: ${pages} Put the runbook's link in the message, e.g. [Runbook](<site>/r/<slug>).`;
  return `Alert ${a.name} ${broken ? 'has a runbook_url that lands on no runbook' : 'has no runbook_url'}: ${pages} Add annotations.runbook_url with a runbook's /r/<slug>.`;
}

/**
 * GitHub workflow commands: a warning on each alert rule file that cannot be read, then on
 * each alert without a runbook or whose runbook_url lands on none (the gaps with a file and
 * line), {@link ANNOTATIONS_PER_KIND} warnings in all (GitHub drops the rest), then notices
 * for the rest and with the headline.
 */
export function coverageGithub(report: CoverageReport, options: Pick<RenderOptions, 'owner'> = {}): string {
  const g = gaps(report);
  const warnings = [
    ...report.unreadable.map((file) => ({
      file,
      line: undefined,
      title: 'alert file unreadable',
      text: `${file} ${UNREADABLE}.`,
    })),
    ...[
      ...g.alertsWithoutRunbook.map((a) => ({ a, title: 'alert without runbook', broken: false })),
      ...g.alertsBroken.map((a) => ({ a, title: 'alert runbook broken', broken: true })),
    ].map(({ a, title, broken }) => ({
      file: a.file,
      line: a.line,
      title,
      text: gapAdvice(a, broken),
    })),
  ];
  const lines = warnings
    .slice(0, ANNOTATIONS_PER_KIND)
    .map(
      (w) =>
        `::warning file=${workflowProperty(w.file)}${w.line === undefined ? '' : `,line=${w.line}`},title=${workflowProperty(w.title)}::${workflowData(w.text)}`,
    );
  const hidden = warnings.length - lines.length;
  if (hidden > 0)
    lines.push(
      `::notice::${workflowData(`${plural(hidden, 'more gap')} than GitHub shows as annotations: every one is in the job summary and in npx runbook coverage --format json.`)}`,
    );
  const who = options.owner ? `${options.owner}: ` : '';
  lines.push(`::notice title=coverage::${workflowData(`${who}${headline(report.site)}`)}`);
  return lines.join('\n');
}

/** Renders a coverage report in `format`. */
export function renderCoverage(format: CoverageFormat, report: CoverageReport, options: RenderOptions = {}): string {
  return format === 'json'
    ? coverageJson(report)
    : format === 'github'
      ? coverageGithub(report, options)
      : coveragePretty(report, options);
}
