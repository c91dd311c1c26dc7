import type { ProjectConfig } from '../runbook/config.ts';
import type { RunbookFacts } from '../runbook/facts.ts';
import { pageAnchors } from '../runbook/page.ts';
import type { Finding, Rule } from '../runbook/rule.ts';
import { ownSlugs } from '../shortlinks/entries.ts';
import { didYouMean } from '../runbook/did-you-mean.ts';
import { ALERT_FILE_RULE, type AlertRule, landing, loadAlerts } from './load.ts';

type AlertContext = { root: string; config: ProjectConfig; pages: Map<string, RunbookFacts>; shortlinks: Map<string, RunbookFacts[]> };

const alertsOf = (c: AlertContext) => loadAlerts(c.root, c.config.alerts.files);
const atUrl = (a: AlertRule, message: string, hint?: string): Finding => ({ file: a.file, line: a.urlLine ?? a.line, column: a.urlColumn ?? a.column, message, hint });

/** Why an alert's runbook_url does not land on a published page, anchor or shortlink; undefined when it does (or is not ours). */
function brokenLanding(a: AlertRule, c: AlertContext): { message: string; hint?: string } | undefined {
  const where = landing(a.runbookUrl ?? '', c.config.site);
  if (where.kind === 'external' || where.kind === 'template') return undefined;
  if (where.kind === 'invalid') return { message: `Alert ${a.name}: runbook_url ${where.reason}` };
  let page: RunbookFacts | undefined;
  if (where.kind === 'shortlink') {
    const owner = c.shortlinks.get(where.slug)?.[0];
    if (!owner) {
      const guess = didYouMean(where.slug, [...c.shortlinks.keys()]);
      return { message: `Alert ${a.name}: runbook_url leads to /r/${where.slug}, which no runbook declares`, hint: guess ? `Did you mean /r/${guess}?` : 'Add the slug to the runbook\'s `shortlinks:`, or point the alert at the page.' };
    }
    const own = ownSlugs(owner.frontmatter.data).find((s) => s.slug === where.slug);
    page = own ? owner : undefined;
    if (!page) return undefined; // { slug, url }: an off-site shortlink, checked where it is declared
  } else {
    page = c.pages.get(where.path);
    if (!page) {
      const guess = didYouMean(where.path, [...c.pages.keys()]);
      return { message: `Alert ${a.name}: runbook_url leads to ${where.path}, which is not a page of the site`, hint: guess ? `Did you mean ${guess}?` : 'Point it at a runbook page or its /r/ shortlink.' };
    }
  }
  if (where.anchor && !pageAnchors(page).has(where.anchor)) {
    const guess = didYouMean(where.anchor, [...pageAnchors(page)]);
    return { message: `Alert ${a.name}: runbook_url's #${where.anchor} is not a heading or run block of ${page.url}`, hint: guess ? `Did you mean #${guess}?` : undefined };
  }
  return undefined;
}

/** Rules about alert rule files: every alert lands on a runbook. */
export const alertRules: Rule<AlertContext>[] = [
  {
    id: ALERT_FILE_RULE, severity: 'error',
    summary: 'Alert rule files matched by `alerts.files` (default `alerts/**/*.{yml,yaml}`) are Prometheus rule groups the check can read.',
    hint: 'Fix the file at the line shown: `groups: [{ name, rules: [{ alert, expr, labels, annotations: { runbook_url } }] }]`.',
    bad: 'groups: { name: db }', good: 'groups:\n  - name: db\n    rules:\n      - alert: DbDown\n        expr: up{job="db"} == 0',
    check: (_all, c) => alertsOf(c).diagnostics.map(({ file, line, column, message, hint }) => ({ file, line, column, message, hint })),
  },
  {
    id: 'alert-runbook-broken', severity: 'error',
    summary: 'An alert\'s `runbook_url` on this site (`site` in runbooks.config.yaml, or a path) leads to a page, anchor or `/r/` shortlink the site publishes: when it fires at 3 a.m. it must not 404.',
    hint: 'Point it at the runbook\'s `/r/<slug>` (which survives page moves) or its page URL.',
    bad: 'annotations: { runbook_url: https://runbooks.example.com/r/db-donw }', good: 'annotations: { runbook_url: https://runbooks.example.com/r/db-down }',
    check: (_all, c) => alertsOf(c).alerts.flatMap((a) => {
      if (a.runbookUrl === undefined) return [];
      const broken = brokenLanding(a, c);
      return broken ? [atUrl(a, broken.message, broken.hint)] : [];
    }),
  },
  {
    id: 'alert-runbook-missing', severity: 'warning',
    summary: 'Every alert says where to go when it fires: an `annotations.runbook_url` on this site.',
    hint: 'Add `annotations: { runbook_url: <site>/r/<slug> }` with the runbook that handles it.',
    bad: '- alert: DbDown\n  expr: up == 0', good: '- alert: DbDown\n  expr: up == 0\n  annotations: { runbook_url: https://runbooks.example.com/r/db-down }',
    check: (_all, c) => alertsOf(c).alerts.filter((a) => a.runbookUrl === undefined || a.runbookUrl.trim() === '').map((a) => ({ file: a.file, line: a.line, column: a.column, message: `Alert ${a.name} has no runbook_url` })),
  },
  {
    id: 'alert-runbook-template', severity: 'warning',
    summary: 'A `runbook_url` built from a template (`{{ $labels.service }}`) cannot be checked: only Alertmanager knows where it leads.',
    hint: 'Prefer a fixed `/r/<slug>` per alert, so the check can prove it lands.',
    bad: 'runbook_url: https://runbooks.example.com/r/{{ $labels.service }}-down', good: 'runbook_url: https://runbooks.example.com/r/db-down',
    check: (_all, c) => alertsOf(c).alerts.filter((a) => a.runbookUrl !== undefined && landing(a.runbookUrl, c.config.site).kind === 'template').map((a) => atUrl(a, `Alert ${a.name}: runbook_url ${a.runbookUrl} is a template the check cannot resolve`)),
  },
];
