import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString } from 'mdast-util-to-string';
import { gfm } from 'micromark-extension-gfm';
import type { Table } from 'mdast';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  collectFacts,
  collectProject,
  computeCoverage,
  type CoverageReport,
  coverageGithub,
  coverageJson,
  coverageMarkdown,
  coveragePretty,
  defaultConfig,
  forTeam,
  forTerminal,
  gaps,
  headline,
  loadProject,
  projectCoverage,
  type ProjectConfig,
  teamOfLabel,
  terminalSink,
} from '../../src/plugins/index.ts';
import type { AlertRule } from '../../src/plugins/alerts/load.ts';
import type { Slo } from '../../src/plugins/slos/schema.ts';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';
import { ROOT, scratchSite } from '../build/helpers.ts';

const TODAY = new Date('2026-12-07T12:00:00Z');
const CLI = join(ROOT, 'scripts/runbook.ts');

describe('coverage of the example site', () => {
  let report: CoverageReport;
  beforeAll(() => {
    const project = loadProject(ROOT);
    report = projectCoverage(project, collectProject(project), TODAY);
  });

  it('finds the two notifications alerts without runbooks and the uncovered service', () => {
    const g = gaps(report);
    expect(g.alertsWithoutRunbook.map((a) => [a.name, a.source, a.team])).toEqual([
      ['EmailQueueBacklog', 'alerts/kestrel.rules.yaml:50', '@platform-team'],
      ['WebhookDeliveryFailing', 'alerts/kestrel.rules.yaml:56', '@platform-team'],
    ]);
    expect(g.alertsBroken).toEqual([]);
    expect(g.servicesUncovered.map((s) => s.name)).toEqual(['notifications']);
    expect(g.servicesUncovered[0].alerts).toEqual(['EmailQueueBacklog', 'WebhookDeliveryFailing']);
  });

  it('counts SEV-1 and SEV-2 as paging (alerts.paging): 8 of 9 land on a reviewed runbook (Prometheus, Grafana and Datadog alerts)', () => {
    expect(report.site.paging).toEqual({ total: 9, landed: 8, reviewed: 8 });
    expect(headline(report.site)).toBe('88% of paging alerts land on a runbook reviewed within its cadence (8 of 9)');
    expect(report.alerts.find((a) => a.name === 'JobOverdue')).toMatchObject({ severity: 'SEV-3', paging: false });
    const db = report.teams.find((t) => t.team === '@db-team')!;
    expect(db.paging).toEqual({ total: 2, landed: 2, reviewed: 2 });
  });

  it('prints the headline, the gaps with file:line and the team table', () => {
    const out = coveragePretty(report);
    expect(out).toContain(
      '  site            88% of paging alerts land on a runbook reviewed within its cadence (8 of 9)',
    );
    expect(out).toMatch(/Alerts without runbook_url \(2\)\n {2}alerts\/kestrel\.rules\.yaml:50 {2}EmailQueueBacklog/);
    expect(out).toMatch(
      /Services with no runbook \(1\)\n {2}notifications {2}alert EmailQueueBacklog, alert WebhookDeliveryFailing/,
    );
    expect(out).toContain('team            runbooks  overdue  due soon  last review  blocks tested/total  unguarded');
    expect(coverageGithub(report).split('\n')).toEqual([
      "::warning file=alerts/kestrel.rules.yaml,line=50,title=alert without runbook::Alert EmailQueueBacklog has no runbook_url: when it pages, on-call lands on no runbook. Add annotations.runbook_url with a runbook's /r/<slug>.",
      "::warning file=alerts/kestrel.rules.yaml,line=56,title=alert without runbook::Alert WebhookDeliveryFailing has no runbook_url: when it pages, on-call lands on no runbook. Add annotations.runbook_url with a runbook's /r/<slug>.",
      '::notice title=coverage::88%25 of paging alerts land on a runbook reviewed within its cadence (8 of 9)',
    ]);
  });
});

// --- generated projects ----------------------------------------------------------------

/** Names that try to break out of where they are printed: terminal escapes, Markdown, HTML, table pipes, line breaks. */
const HOSTILE = [
  'a|b',
  'x\ny',
  '<img src=x onerror=alert(1)>',
  '\x1b[31mred\x1b[0m',
  '*bold* _u_ [l](http://e.x) `c`',
  '\u202Eevil',
  'line\r\nbreak',
  '::error::boom',
  '# heading',
  '%0A,:',
];
const TEAMS = ['@a-team', '@b-team', '@c-team', '@d-team'];
const SITE = 'https://runbooks.test';

type Intent = 'runbook' | 'missing' | 'broken' | 'unchecked';

/** A generated project: the input to computeCoverage, and what each alert was written to be. */
function generate(seed: number): { input: Parameters<typeof computeCoverage>[0]; intents: Intent[] } {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)];
  const hostile = () => (rnd() < 0.3 ? pick(HOSTILE) : '');
  const services = ['api', 'db', 'queue', 'mail', `svc${hostile()}`];
  const config: ProjectConfig = defaultConfig();
  config.teams = TEAMS.slice(0, 1 + int(4));
  config.site = SITE;
  config.alerts.paging = rnd() < 0.3 ? undefined : ['SEV-1', 'SEV-2'];
  config.review.soon = int(30);

  const pages = Array.from({ length: int(12) }, (_, i) => {
    const owner = rnd() < 0.1 ? null : rnd() < 0.1 ? `@x${hostile()}` : pick(TEAMS);
    const draft = rnd() < 0.1;
    const handbook = rnd() < 0.1;
    const blocks = Array.from({ length: int(4) }, (_, b) => {
      const safety = pick(['read-only', 'mutating', 'destructive']);
      const needs = b > 0 && rnd() < 0.5 ? ` needs=step-${int(b)}` : '';
      return `\`\`\`bash run id=step-${b} safety=${safety}${needs}${rnd() < 0.4 ? ' test' : ''}\necho ${b}\n\`\`\`\n`;
    });
    const age = int(200);
    const reviewed = rnd() < 0.9;
    const front = [
      '---',
      `title: ${JSON.stringify(`Page ${i} ${hostile()}`)}`,
      ...(owner ? [`owner: ${JSON.stringify(owner)}`] : []),
      `services: ${JSON.stringify(services.filter(() => rnd() < 0.3))}`,
      `shortlinks: [slug-${i}, { slug: ext-${i}, url: "https://status.example/" }]`,
      ...(draft ? ['draft: true'] : []),
      ...(handbook ? ['runbook: false'] : []),
      ...(rnd() < 0.3 ? [`slos: [slo-${int(3)}]`] : []),
      'review:',
      ...(rnd() < 0.3 ? [`  every: ${1 + int(120)}`] : []),
      reviewed
        ? `  log: [{ date: ${new Date(TODAY.getTime() - age * 86_400_000).toISOString().slice(0, 10)}, reviewer: "@r", change: "x" }]`
        : '  log: []',
      '---',
      '',
      '## Steps',
      '',
      ...blocks,
    ].join('\n');
    const entry = `g/page-${i}.md`;
    return { facts: collectFacts(front, `src/content/runbooks/${entry}`, entry), draft, handbook, i };
  });
  const live = pages.filter((p) => !p.draft && !p.handbook);
  const dead = pages.filter((p) => p.draft || p.handbook);

  const intents: Intent[] = [];
  const alerts: AlertRule[] = Array.from({ length: int(25) }, (_, i) => {
    let url: string | undefined;
    let intent: Intent;
    const kind = int(10);
    if (kind === 0 || (live.length === 0 && kind < 4)) [url, intent] = [undefined, 'missing'];
    else if (kind === 1) [url, intent] = [`${SITE}/r/slug-${pick(live).i}`, 'runbook'];
    else if (kind === 2) [url, intent] = [`${SITE}${pick(live).facts.url}`, 'runbook'];
    else if (kind === 3) [url, intent] = [`${pick(live).facts.url}#_top`, 'runbook'];
    else if (kind === 4) [url, intent] = [`${SITE}/r/nowhere-${i}`, 'broken'];
    else if (kind === 5)
      [url, intent] = dead.length > 0 ? [`${SITE}${pick(dead).facts.url}`, 'broken'] : [`${SITE}/g/gone/#x`, 'broken'];
    else if (kind === 6) [url, intent] = ['https://wiki.example/x', 'unchecked'];
    else if (kind === 8 && live.length > 0) [url, intent] = [`${SITE}${pick(live).facts.url}#no-such-step`, 'broken'];
    else if (kind === 9 && pages.length > 0) [url, intent] = [`${SITE}/r/ext-${pick(pages).i}`, 'unchecked'];
    else [url, intent] = [`${SITE}/r/{{ $labels.service }}`, 'unchecked'];
    intents.push(intent);
    return {
      file: `alerts/${pick(['a', 'b', `c${hostile()}`])}.yaml`,
      line: 1 + i * 3,
      column: 7,
      name: `Alert${i}${hostile()}`,
      expr: 'up == 0',
      format: pick(['prometheus', 'grafana', 'datadog'] as const),
      severity: pick(['SEV-1', 'SEV-2', 'SEV-3', undefined]),
      service: rnd() < 0.8 ? pick(services) : undefined,
      team: rnd() < 0.5 ? pick(['a', 'b-team', '@c-team', 'nobody', hostile()]) : undefined,
      runbookUrl: url,
    };
  });
  const slos = Array.from(
    { length: int(4) },
    (_, i) =>
      ({ id: `slo-${i}`, service: pick(services), owner: pick(TEAMS), file: `src/content/slos/slo-${i}.yaml` }) as Slo,
  );
  const unreadable = rnd() < 0.2 ? [`alerts/bad${hostile()}.yaml`] : undefined;
  return { input: { config, facts: pages.map((p) => p.facts), alerts, slos, today: TODAY, unreadable }, intents };
}

const SEEDS = Array.from({ length: 300 }, (_, i) => i + 1);
type Numbers = Omit<CoverageReport['site'], 'lastReview' | 'headline'>;
const add = (a: Numbers, b: Numbers): Numbers => ({
  runbooks: a.runbooks + b.runbooks,
  overdue: a.overdue + b.overdue,
  soon: a.soon + b.soon,
  blocks: { total: a.blocks.total + b.blocks.total, tested: a.blocks.tested + b.blocks.tested },
  unguarded: a.unguarded + b.unguarded,
  paging: {
    total: a.paging.total + b.paging.total,
    landed: a.paging.landed + b.paging.landed,
    reviewed: a.paging.reviewed + b.paging.reviewed,
  },
});
const numbers = ({ runbooks, overdue, soon, blocks, unguarded, paging }: Numbers): Numbers => ({
  runbooks,
  overdue,
  soon,
  blocks,
  unguarded,
  paging,
});

describe('coverage of generated projects (properties)', () => {
  const cases = SEEDS.map((seed) => {
    const { input, intents } = generate(seed);
    return { seed, input, intents, report: computeCoverage(input) };
  });

  it('counts every alert exactly once, in the status it was written to have', () => {
    for (const { input, intents, report } of cases) {
      expect(report.alerts).toHaveLength(input.alerts.length);
      const bySource = new Map(input.alerts.map((a, i) => [`${a.file}:${a.line}`, intents[i]]));
      for (const a of report.alerts) {
        expect(a.status).toBe(bySource.get(a.source));
        expect(a.runbook !== null).toBe(a.status === 'runbook');
        if (a.reviewed) expect(a.status).toBe('runbook');
      }
      const g = gaps(report);
      expect(g.alertsWithoutRunbook.length + g.alertsBroken.length).toBe(
        intents.filter((i) => i === 'missing' || i === 'broken').length,
      );
    }
  });

  it("sums the teams' numbers to the site's (runbooks with an owner, alerts with a team)", () => {
    for (const { report } of cases) {
      const zero: Numbers = {
        runbooks: 0,
        overdue: 0,
        soon: 0,
        blocks: { total: 0, tested: 0 },
        unguarded: 0,
        paging: { total: 0, landed: 0, reviewed: 0 },
      };
      const teams = report.teams.reduce((sum, t) => add(sum, numbers(t)), zero);
      const ownerless = report.runbooks.filter((r) => r.owner === null);
      const teamless = report.alerts.filter((a) => a.team === null && a.paging);
      const rest: Numbers = {
        runbooks: ownerless.length,
        overdue: ownerless.filter((r) => r.review === 'overdue').length,
        soon: ownerless.filter((r) => r.review === 'soon').length,
        blocks: {
          total: ownerless.reduce((n, r) => n + r.blocks.total, 0),
          tested: ownerless.reduce((n, r) => n + r.blocks.tested, 0),
        },
        unguarded: ownerless.reduce((n, r) => n + r.unguarded.length, 0),
        paging: {
          total: teamless.length,
          landed: teamless.filter((a) => a.status === 'runbook').length,
          reviewed: teamless.filter((a) => a.reviewed).length,
        },
      };
      expect(add(teams, rest)).toEqual(numbers(report.site));
      expect(new Set(report.teams.map((t) => t.team)).size).toBe(report.teams.length);
    }
  });

  it('makes the headline reviewed / total paging alerts, for the site and each team', () => {
    for (const { report } of cases)
      for (const t of [report.site, ...report.teams]) {
        expect(t.headline).toBe(t.paging.total === 0 ? null : t.paging.reviewed / t.paging.total);
        expect(t.paging.reviewed).toBeLessThanOrEqual(t.paging.landed);
        expect(t.paging.landed).toBeLessThanOrEqual(t.paging.total);
      }
  });

  it("keeps only a team's own with forTeam, its numbers those of its row", () => {
    for (const { report } of cases)
      for (const row of report.teams) {
        const mine = forTeam(report, row.team);
        expect(mine.runbooks).toEqual(report.runbooks.filter((r) => r.owner === row.team));
        expect(mine.alerts).toEqual(report.alerts.filter((a) => a.team === row.team));
        expect(mine.teams).toEqual([row]);
        const { team: _team, ...numbersOfRow } = row;
        expect(mine.site).toEqual(numbersOfRow);
      }
  });

  it('round-trips the JSON (version 1)', () => {
    for (const { report } of cases) {
      const text = coverageJson(report);
      expect(JSON.parse(text)).toEqual(report);
      expect(JSON.parse(text).version).toBe(1);
      // Nothing left for the terminal guard: `cat`-ing the JSON shows text.
      expect(terminalSink(text, false)).toBe(text);
    }
  });

  it('never lets a hostile name break the terminal report', () => {
    for (const { report } of cases) {
      for (const color of [false, true]) {
        const out = coveragePretty(report, { color });
        // The sink would change nothing: no control character but our own colours.
        expect(terminalSink(out, color)).toBe(out);
        const g = gaps(report);
        const sections = [
          g.alertsWithoutRunbook,
          g.alertsBroken,
          g.alertsUnchecked,
          g.servicesUncovered,
          g.slosUncited,
          g.runbooksWithoutAlerts,
        ];
        const heads = 1 + report.teams.filter((t) => t.headline !== null).length;
        const quiet = report.teams.some((t) => t.headline === null) ? 1 : 0;
        const expected =
          2 +
          heads +
          quiet +
          report.unreadable.length +
          sections.reduce((n, s) => n + 2 + Math.max(1, s.length), 0) +
          2 +
          (report.teams.length === 0 ? 1 : report.teams.length + 1);
        // One line per row: a newline in a name is shown, never printed.
        expect(out.split('\n')).toHaveLength(expected);
      }
      for (const a of gaps(report).alertsWithoutRunbook)
        expect(coveragePretty(report)).toContain(forTerminal(a.name, { oneLine: true }));
    }
  });

  it('never lets a hostile name break the Markdown summary: every cell parses back to the name', () => {
    for (const { report } of cases) {
      const md = coverageMarkdown(report);
      const tree = fromMarkdown(md, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
      const tables = tree.children.filter((n): n is Table => n.type === 'table');
      const g = gaps(report);
      const sections = [
        g.alertsWithoutRunbook.map((a) => [a.source, a.name]),
        g.alertsBroken.map((a) => [a.source, a.name]),
        g.alertsUnchecked.map((a) => [a.source, a.name]),
        g.servicesUncovered.map((s) => [s.name]),
        g.slosUncited.map((s) => [s.file, s.id]),
        g.runbooksWithoutAlerts.map((r) => [r.file, r.title]),
      ].filter((rows) => rows.length > 0);
      expect(tables).toHaveLength((report.teams.length > 0 ? 1 : 0) + sections.length);
      const cells = (t: Table) => t.children.slice(1).map((row) => row.children.map((c) => toString(c)));
      if (report.teams.length > 0)
        expect(cells(tables[0]).map((r) => r[0])).toEqual(
          report.teams.map((t) => forTerminal(t.team, { oneLine: true })),
        );
      sections.forEach((rows, i) => {
        const table = tables[i + (report.teams.length > 0 ? 1 : 0)];
        expect(table.children.every((row) => row.children.length === 3)).toBe(true);
        expect(cells(table).map((r) => r.slice(0, rows[0].length))).toEqual(
          rows.map((r) => r.map((x) => forTerminal(x, { oneLine: true }))),
        );
      });
      // No HTML reaches the summary: every `<` is text.
      const html: string[] = [];
      const walk = (n: { type: string; children?: unknown[] }) => {
        if (n.type === 'html') html.push(n.type);
        for (const c of (n.children ?? []) as { type: string }[]) walk(c);
      };
      walk(tree);
      expect(html).toEqual([]);
    }
  });

  it('never lets a hostile name break the workflow commands', () => {
    for (const { report } of cases) {
      const lines = coverageGithub(report).split('\n');
      const g = gaps(report);
      const found = report.unreadable.length + g.alertsWithoutRunbook.length + g.alertsBroken.length;
      expect(lines).toHaveLength(Math.min(found, 10) + (found > 10 ? 1 : 0) + 1);
      for (const line of lines) {
        expect(line).toMatch(
          /^::(warning file=[^,:\r\n]*(,line=\d+)?,title=[^,:\r\n]*|notice( title=coverage)?)::[^\r]*$/,
        );
        expect(line).not.toMatch(/%(?!25|0A|0D|3A|2C)/);
      }
    }
  });
});

// --- the command, as a process ---------------------------------------------------------

/** Runs `node scripts/runbook.ts coverage …` in `cwd` as a real process. */
function coverage(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [CLI, 'coverage', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '', ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('runbook coverage', () => {
  it('prints the pretty report and exits 0 (a report, not a gate)', () => {
    const r = coverage([]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Coverage on \d{4}-\d\d-\d\d\n\n {2}site {12}\d+% of paging alerts land on a runbook/);
    expect(r.out).toContain('alerts/kestrel.rules.yaml:56  WebhookDeliveryFailing');
    expect(r.out).toContain('Services with no runbook (1)\n  notifications');
  });

  it('prints the report as JSON, version 1', () => {
    const r = coverage(['--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as CoverageReport;
    expect(json.version).toBe(1);
    expect(json.site.paging.total).toBe(9);
    expect(gaps(json).alertsWithoutRunbook.map((a) => a.name)).toEqual(['EmailQueueBacklog', 'WebhookDeliveryFailing']);
  });

  it('annotates for GitHub and appends the Markdown report to the job summary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coverage-summary-'));
    try {
      const summary = join(dir, 'summary.md');
      const r = coverage(['--format', 'github'], ROOT, { GITHUB_STEP_SUMMARY: summary });
      expect(r.code).toBe(0);
      expect(r.out).toContain(
        '::warning file=alerts/kestrel.rules.yaml,line=50,title=alert without runbook::Alert EmailQueueBacklog has no runbook_url',
      );
      expect(r.out).toMatch(/::notice title=coverage::\d+%25 of paging alerts/);
      const md = readFileSync(summary, 'utf8');
      expect(md).toMatch(/^### runbook coverage: \d+% of paging alerts land on a runbook/);
      expect(md).toContain('| `alerts/kestrel.rules.yaml:50` | EmailQueueBacklog |');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('narrows to one team with --owner, in every format', () => {
    const json = JSON.parse(coverage(['--owner', '@db-team', '--format', 'json']).out) as CoverageReport;
    expect(json.teams.map((t) => t.team)).toEqual(['@db-team']);
    expect(json.alerts.every((a) => a.team === '@db-team')).toBe(true);
    expect(json.site.paging.total).toBe(2);
    const pretty = coverage(['--owner', '@platform-team']);
    expect(pretty.code).toBe(0);
    expect(pretty.out).toMatch(/\n {2}@platform-team {2}\d+% of paging alerts/);
    expect(pretty.out).not.toContain('  site ');
    const github = coverage(['--owner', '@db-team', '--format', 'github']);
    expect(github.out).toMatch(/^::notice title=coverage::@db-team: /);
  });

  it('pins the usage errors (exit 2)', () => {
    const owner = coverage(['--owner', '@db-taem']);
    expect(owner.code).toBe(2);
    expect(owner.err).toMatch(
      /^Unknown team "@db-taem": it is not under teams: in runbooks.config.yaml and owns no runbook or alert. Did you mean @db-team\?\n\nUsage: npx runbook coverage/,
    );
    const bare = coverage(['--owner', 'db-team']);
    expect(bare.code).toBe(2);
    expect(bare.err).toContain('Did you mean @db-team?');
    expect(coverage(['--owner', 'platform']).err).toContain('Did you mean @platform-team?');
    const format = coverage(['--format', 'markdown']);
    expect(format.code).toBe(2);
    expect(format.err).toMatch(/^Unknown format "markdown": use pretty, json or github\./);
    const option = coverage(['--colour']);
    expect(option.code).toBe(2);
    expect(option.err).toMatch(/^Unknown option '--colour'/);
    const help = coverage(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: npx runbook coverage \[--format pretty\|json\|github\] \[--owner @team\]/);
  });

  it('says which alert files it cannot read, whose alerts it does not count', () => {
    const dir = scratchSite('basic', 'coverage-unreadable', {
      'alerts/bad.yaml': 'groups: [\n',
      'alerts/good.yaml': 'groups:\n  - name: g\n    rules:\n      - alert: Up\n        expr: up == 0\n',
    });
    const json = JSON.parse(coverage(['--format', 'json'], dir).out) as CoverageReport;
    expect(json.unreadable).toEqual(['alerts/bad.yaml']);
    expect(json.alerts.map((a) => [a.name, a.status])).toEqual([['Up', 'missing']]);
    const pretty = coverage([], dir);
    expect(pretty.code).toBe(0);
    expect(pretty.out).toContain(
      '  ⚠ alerts/bad.yaml: has alerts that cannot be read, which are not counted (npx runbook check shows why)',
    );
    expect(coverage(['--format', 'github'], dir).out).toContain(
      '::warning file=alerts/bad.yaml,title=alert file unreadable::alerts/bad.yaml has alerts that cannot be read',
    );
  });

  it('stops on a broken project as the check does', () => {
    const dir = scratchSite('basic', 'coverage-broken', { 'runbooks.config.yaml': 'review:\n  every: soon\n' });
    const r = coverage(['--format', 'json'], dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).diagnostics[0]).toMatchObject({ file: 'runbooks.config.yaml', severity: 'error' });
  });
});

// --- what a careless repository does to the numbers ------------------------------------

/** The coverage of a scratch copy of the basic site with `files` added. */
function scratchCoverage(name: string, files: Record<string, string>): CoverageReport {
  const project = loadProject(scratchSite('basic', name, files));
  return projectCoverage(project, collectProject(project), TODAY);
}

describe('coverage reads the alerts as the check reads them', () => {
  it("picks a Datadog monitor's runbook link by the site, as the check does: a wiki link before it does not hide it", () => {
    const report = scratchCoverage('coverage-datadog-site', {
      'runbooks.config.yaml': 'site: https://runbooks.example.com\n',
      'alerts/dd.json': JSON.stringify([
        {
          name: 'Queue stuck',
          query: 'avg(last_5m):queue.depth{*} > 1000',
          message:
            'See [Runbook (old wiki)](https://wiki.example.com/runbook/queue) or https://runbooks.example.com/r/queue-stuck',
          tags: ['service:queue'],
        },
      ]),
    });
    expect(report.alerts.map((a) => [a.name, a.status, a.runbook])).toEqual([
      ['Queue stuck', 'runbook', '/ops/queue-stuck/'],
    ]);
  });
});

describe('alert files read in part', () => {
  it('counts the alerts of a file read in part, and does not say the file went uncounted', () => {
    const report = scratchCoverage('coverage-partly-read', {
      'alerts/grafana.yaml':
        'apiVersion: 1\ngroups:\n  - orgId: 1\n    name: queue\n    folder: Queue\n    rules:\n      - uid: a1\n        title: Queue depth above 1000\n        annotations: { runbook_url: /r/queue-stuck }\n      - uid: a2\n        condition: A\n',
    });
    expect(report.alerts.map((a) => [a.name, a.status])).toEqual([['Queue depth above 1000', 'runbook']]);
    expect(report.unreadable).toEqual(['alerts/grafana.yaml']);
    const out = coveragePretty(report);
    expect(out).toContain('⚠ alerts/grafana.yaml: has alerts that cannot be read, which are not counted');
    expect(out).not.toContain('its alerts are not counted');
  });
});

describe('who an alert counts for', () => {
  it('reads a team label against the owners of runbooks too when teams: is not set: an alert with no runbook still counts against its team', () => {
    const report = scratchCoverage('coverage-team-label', {
      'alerts/ops.yaml':
        'groups:\n  - name: ops\n    rules:\n      - alert: QueueStuck\n        expr: up == 0\n        labels: { service: queue }\n        annotations: { runbook_url: /r/queue-stuck }\n      - alert: WorkerCrashLooping\n        expr: up == 0\n        labels: { team: ops }\n',
    });
    expect(report.alerts.map((a) => [a.name, a.status, a.team])).toEqual([
      ['QueueStuck', 'runbook', '@ops-team'],
      ['WorkerCrashLooping', 'missing', '@ops-team'],
    ]);
    const ops = report.teams.find((t) => t.team === '@ops-team')!;
    expect(ops.paging).toEqual({ total: 2, landed: 1, reviewed: report.site.paging.reviewed });
  });
});

describe('the gaps add up to the headline', () => {
  it('lists the alerts whose runbook_url leads off the site: the paging alert the headline misses is named somewhere', () => {
    const report = scratchCoverage('coverage-unchecked', {
      'runbooks.config.yaml': 'site: https://runbooks.example.com\n',
      'alerts/ops.yaml':
        'groups:\n  - name: ops\n    rules:\n      - alert: QueueStuck\n        expr: up == 0\n        labels: { service: queue }\n        annotations: { runbook_url: "https://wiki.example.com/queue" }\n',
    });
    expect(report.site.paging).toMatchObject({ total: 1, landed: 0 });
    expect(gaps(report).alertsUnchecked.map((a) => a.name)).toEqual(['QueueStuck']);
    expect(coveragePretty(report)).toMatch(
      /Alerts whose runbook_url the check cannot follow \(another site, a template\) \(1\)\n {2}alerts\/ops\.yaml:4 {2}QueueStuck/,
    );
    expect(coverageMarkdown(report)).toContain('| `alerts/ops.yaml:4` | QueueStuck | queue, \\@ops-team |');
  });
});

describe('a team label', () => {
  it('names an organisation team written in full, with or without @, as well as by its short name', () => {
    const teams = ['@acme/db-team', '@acme/platform'];
    expect(teamOfLabel('@acme/db-team', teams)).toBe('@acme/db-team');
    expect(teamOfLabel('acme/db-team', teams)).toBe('@acme/db-team');
    expect(teamOfLabel('ACME/DB-Team', teams)).toBe('@acme/db-team');
    expect(teamOfLabel('db', teams)).toBe('@acme/db-team');
    expect(teamOfLabel('other/db-team', teams)).toBeNull();
    expect(teamOfLabel('platform', teams)).toBe('@acme/platform');
  });
});

describe('the advice of a gap fits the tool that defined the alert', () => {
  it('tells a Datadog monitor to carry the link in its message, not to add annotations.runbook_url it cannot have', () => {
    const report = scratchCoverage('coverage-datadog-advice', {
      'alerts/dd.json': JSON.stringify([{ name: 'Queue stuck', query: 'q', message: 'No link. @slack-ops' }]),
    });
    const lines = coverageGithub(report).split('\n');
    expect(lines[0]).toBe(
      "::warning file=alerts/dd.json,line=1,title=alert without runbook::Monitor Queue stuck has no runbook link in its message: when it pages, on-call lands on no runbook. Put the runbook's link in the message, e.g. [Runbook](<site>/r/<slug>).",
    );
  });
});

describe('templated labels', () => {
  it('takes a templated service or team label for none: "{{ $labels.job }}" is no service without a runbook', () => {
    const report = scratchCoverage('coverage-templated-labels', {
      'alerts/ops.yaml':
        'groups:\n  - name: ops\n    rules:\n      - alert: JobDown\n        expr: up == 0\n        labels: { service: "{{ $labels.job }}", team: "{{ $labels.team }}" }\n',
    });
    expect(report.alerts.map((a) => [a.name, a.service, a.team])).toEqual([['JobDown', null, null]]);
    expect(report.services).toEqual([]);
  });
});

describe('coverage narrowed to a team (--owner)', () => {
  it("keeps only the services of the team's own alerts: another team's alert of the same name does not bring its service", () => {
    const report = scratchCoverage('coverage-owner-same-name', {
      'src/content/runbooks/db/db-down.md':
        '---\ntitle: Database down\nowner: "@db-team"\nseverity: P1\nservices: [postgres]\nreview:\n  log:\n    - { date: 2026-11-01, reviewer: "@ana", change: "First" }\n---\n\nLook.\n',
      'alerts/errors.yaml':
        'groups:\n  - name: errors\n    rules:\n      - alert: HighErrorRate\n        expr: up == 0\n        labels: { service: queue }\n        annotations: { runbook_url: /r/queue-stuck }\n      - alert: HighErrorRate\n        expr: up == 0\n        labels: { service: postgres }\n',
    });
    expect(report.alerts.map((a) => [a.service, a.team])).toEqual([
      ['queue', '@ops-team'],
      ['postgres', '@db-team'],
    ]);
    expect(forTeam(report, '@ops-team').services.map((s) => s.name)).toEqual(['queue']);
    expect(forTeam(report, '@db-team').services.map((s) => s.name)).toEqual(['postgres']);
  });
});
