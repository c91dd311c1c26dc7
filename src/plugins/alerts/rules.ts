import type { ProjectConfig } from '../runbook/config.ts';
import type { RunbookFacts } from '../runbook/facts.ts';
import { pageAnchors } from '../runbook/page.ts';
import type { Finding, Rule, RuleExample } from '../runbook/rule.ts';
import { runbook } from '../runbook/examples.ts';
import { ownSlugs } from '../shortlinks/entries.ts';
import { didYouMean } from '../runbook/did-you-mean.ts';
import { resolveLink } from '../links/rules.ts';
import { ALERT_FILE_RULE, type AlertRule, landing, loadAlerts } from './load.ts';
import { ALERT_FORMATS_HINT } from './alert.ts';
import type { SeverityLadder } from '../severity/ladder.ts';
import { loadSlos } from '../slos/load.ts';
import { citationsBySlo } from '../slos/citations.ts';
import { slothSpecs } from '../slos/sloth.ts';
import { cutAt, trimBoth } from '../runbook/text.ts';

type AlertContext = { root: string; config: ProjectConfig; pages: Map<string, RunbookFacts>; shortlinks: Map<string, RunbookFacts[]>; ladder: SeverityLadder; slos: Set<string>; ruleIds: Set<string> };

/**
 * The alerts of the Sloth specs the site generates from the SLO files (`/sloth/<service>.yaml`),
 * as rules whose position is their SLO file: their `runbook` annotation must land too.
 */
function slothAlerts(all: readonly RunbookFacts[], c: AlertContext): AlertRule[] {
  const { slos } = loadSlos(c.root, c.ladder);
  if (slos.length === 0) return [];
  const citations = citationsBySlo(all.map((f) => ({ id: trimBoth(f.url, '/'), data: f.frontmatter.data })));
  const origin = c.config.site ? new URL(c.config.site).origin : '';
  const files = new Map(slos.map((s) => [s.id, s.file]));
  return slothSpecs(slos, citations, origin, c.ladder.levels.map((l) => l.id)).flatMap((spec) =>
    spec.slos.map((slo) => ({ file: files.get(slo.name) ?? '', line: 1, column: 1, name: slo.alerting.name, format: 'prometheus' as const, expr: '', runbookUrl: slo.alerting.annotations.runbook })),
  );
}

const alertsOf = (c: AlertContext) => loadAlerts(c.root, c.config);
/** What an alert's runbook link is called where it is written: a Datadog monitor has only the links of its message. */
const linkName = (a: AlertRule) => (a.format === 'datadog' ? 'runbook link' : 'runbook_url');
const atUrl = (a: AlertRule, message: string, hint?: string): Finding => ({ file: a.file, line: a.urlLine ?? a.line, column: a.urlColumn ?? a.column, message, hint });

/** Why an alert's runbook_url does not land on a published page, anchor, shortlink or generated page; undefined when it does (or is not ours). */
function brokenLanding(a: AlertRule, c: AlertContext): { message: string; hint?: string } | undefined {
  const where = landing(a.runbookUrl ?? '', c.config.site);
  if (where.kind === 'external' || where.kind === 'template') return undefined;
  if (where.kind === 'invalid') return { message: `Alert ${a.name}: ${linkName(a)} ${where.reason}` };
  if (where.kind === 'shortlink' && !c.shortlinks.has(where.slug)) {
    const guess = didYouMean(where.slug, [...c.shortlinks.keys()]);
    return { message: `Alert ${a.name}: ${linkName(a)} leads to /r/${where.slug}, which no runbook declares`, hint: guess ? `Did you mean /r/${guess}?` : 'Add the slug to the runbook\'s `shortlinks:`, or point the alert at the page.' };
  }
  // Resolved exactly as a link in a page is (pages, /r/ slugs, /slos/ and /rules/ pages, public/ files).
  const path = where.kind === 'shortlink' ? `/r/${where.slug}` : where.path;
  const target = resolveLink(SITE_ROOT_PAGE, `${encodeURI(path)}${where.anchor ? `#${encodeURIComponent(where.anchor)}` : ''}`, c);
  if (target.kind === 'missing') return { message: `Alert ${a.name}: ${linkName(a)} leads to ${target.what}, which the site does not publish`, hint: target.hint };
  if (target.kind !== 'page' || !target.anchor) return undefined;
  if (where.kind === 'shortlink' && !ownSlugs(target.page.frontmatter.data).some((s) => s.slug === where.slug)) return undefined;
  if (pageAnchors(target.page).has(target.anchor)) return undefined;
  const guess = didYouMean(target.anchor, [...pageAnchors(target.page)]);
  return { message: `Alert ${a.name}: ${linkName(a)}'s #${target.anchor} is not a heading or run block of ${target.page.url}`, hint: guess ? `Did you mean #${guess}?` : undefined };
}

/** Alert URLs are absolute paths: they resolve from the site's root, not from any page. */
const SITE_ROOT_PAGE = { file: '', url: '/', entry: '' } as unknown as RunbookFacts;

/** The examples' alert file: one alert, with a runbook_url on the examples' site when `path` is given. */
const alertFile = (path?: string) =>
  `groups:\n  - name: kestrel-api\n    rules:\n      - alert: KestrelApiErrors\n        expr: job:http_5xx:rate5m{job="kestrel-api"} > 1\n${path === undefined ? '' : `        annotations: { runbook_url: "https://runbooks.kestrel.example${path}" }\n`}`;
/** An alert example: the file, the site it points at, and the runbook with the shortlink `api-down`. */
const alertExample = (file: string): RuleExample => ({
  page: runbook(['shortlinks: [api-down]']),
  files: { 'runbooks.config.yaml': 'site: https://runbooks.kestrel.example\n', 'alerts/kestrel-api.yaml': file },
});

/** Rules about alert rule files: every alert lands on a runbook. */
export const alertRules = [
  {
    id: ALERT_FILE_RULE, severity: 'error', phase: 'facts', baseline: true,
    summary: 'Alert files matched by `alerts.files` (default `alerts/**/*.{yml,yaml,json}`) are Prometheus rule files, Grafana alert-rule exports or Datadog monitors exported as JSON, which the check can read; every Grafana rule has a `title` and every monitor a `name`.',
    hint: `Fix the file at the line shown. ${ALERT_FORMATS_HINT}`,
    bad: alertExample('groups: { name: kestrel-api }\n'), good: alertExample(alertFile('/r/api-down')),
    check: (_all, c) => alertsOf(c).diagnostics.map(({ file, line, column, message, hint }) => ({ file, line, column, message, hint })),
  },
  {
    id: 'alert-runbook-broken', severity: 'error', phase: 'facts', baseline: true,
    summary: 'An alert\'s `runbook_url` on this site (`site` in runbooks.config.yaml, or a path) leads to a page, anchor or `/r/` shortlink the site publishes: when it fires at 3 a.m. it must not 404. The alerts of the Sloth specs generated from the SLO files are held to the same.',
    hint: 'Point it at the runbook\'s `/r/<slug>` (which survives page moves) or its page URL.',
    bad: alertExample(alertFile('/r/api-donw')), good: alertExample(alertFile('/r/api-down')),
    check: (all, c) => [...alertsOf(c).alerts, ...slothAlerts(all, c)].flatMap((a) => {
      if (a.runbookUrl === undefined) return [];
      const broken = brokenLanding(a, c);
      return broken ? [atUrl(a, broken.message, broken.hint)] : [];
    }),
  },
  {
    id: 'alert-runbook-missing', severity: 'warning', phase: 'facts', baseline: true,
    summary: 'Every alert says where to go when it fires: an `annotations.runbook_url` on this site (a Datadog monitor: a link in its `message`).',
    hint: 'Add `annotations: { runbook_url: <site>/r/<slug> }` with the runbook that handles it.',
    bad: alertExample(alertFile()), good: alertExample(alertFile('/r/api-down')),
    check: (_all, c) =>
      alertsOf(c).alerts.filter((a) => a.runbookUrl === undefined || a.runbookUrl.trim() === '').map((a) =>
        a.format === 'datadog'
          ? { file: a.file, line: a.line, column: a.column, message: `Monitor ${a.name} has no link in its message`, hint: 'Put the runbook\'s link in the monitor\'s `message`, e.g. `[Runbook](<site>/r/<slug>)`.' }
          : { file: a.file, line: a.line, column: a.column, message: `Alert ${a.name} has no runbook_url` },
      ),
  },
  {
    id: 'alert-runbook-template', severity: 'warning', phase: 'facts', baseline: true,
    summary: 'A `runbook_url` built from a template (`{{ $labels.service }}`) cannot be checked: only Alertmanager knows where it leads. One listed under `alerts.templates` is accepted when some shortlink has the shape it builds.',
    hint: 'Prefer a fixed `/r/<slug>` per alert, so the check can prove it lands.',
    bad: alertExample(alertFile('/r/{{ $labels.service }}-down')), good: alertExample(alertFile('/r/api-down')),
    check: (_all, c) =>
      alertsOf(c).alerts.flatMap((a) => {
        if (a.runbookUrl === undefined || landing(a.runbookUrl, c.config.site).kind !== 'template') return [];
        if (!c.config.alerts.templates.includes(a.runbookUrl)) return [atUrl(a, `Alert ${a.name}: ${linkName(a)} ${a.runbookUrl} is a template the check cannot resolve`, 'Prefer a fixed `/r/<slug>` per alert; or list this exact template under `alerts.templates` in runbooks.config.yaml, if every value its labels take has a slug.')];
        // A declared template must at least fit some slug: `/r/{{ $labels.service }}-down` needs a `…-down` slug.
        // The part after the last `/r/` (query, fragment and a final slash dropped), matched from its start: linear.
        const url = cutAt(a.runbookUrl, '#?');
        const path = url.endsWith('/') ? url.slice(0, -1) : url;
        const at = path.lastIndexOf('/r/');
        const shape = at === -1 ? null : /^([^/{]*)\{\{[^}]*\}\}([^/]*)$/.exec(path.slice(at + 3));
        if (!shape) return [];
        const fits = [...c.shortlinks.keys()].some((slug) => slug.startsWith(shape[1]) && slug.endsWith(shape[2]) && slug.length > shape[1].length + shape[2].length);
        return fits ? [] : [atUrl(a, `Alert ${a.name}: no shortlink has the shape ${shape[1]}…${shape[2]} that ${linkName(a)} ${a.runbookUrl} builds`, 'Add the slugs its label values make, or fix the template.')];
      }),
  },
] as const satisfies readonly Rule<AlertContext>[];
