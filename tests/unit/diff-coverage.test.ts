import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git, runCli, write } from '../fixtures/git-repo.ts';
import { diffSnapshots, failsReview, snapshot } from '../../src/plugins/differ.ts';
import { loadProject } from '../../src/plugins/project/load.ts';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';

// Coverage in the review of a change: `runbook diff` over a real git repository, the
// base committed and the change in the working tree.

const ROOT = join(import.meta.dirname, '../..');
const NOW = new Date('2026-11-20T12:00:00Z');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const DB_DOWN = 'src/content/runbooks/db/db-down.md';
const API_SLOW = 'src/content/runbooks/api/api-slow.md';
const ALERTS = 'alerts/kestrel.yaml';

const page = (title: string, owner: string, fields: string) => `---
title: ${title}
owner: "${owner}"
severity: SEV-2
${fields}
review:
  log:
    - { date: 2026-11-01, reviewer: "@ana", change: "First" }
---

## Check

Look at the dashboard.
`;

const dbDown = (shortlinks = '[db-down]') =>
  page('Database down', '@db-team', `services: [postgres]\nshortlinks: ${shortlinks}`);
const apiSlow = (services = '[kestrel-api]') =>
  page('API slow', '@platform-team', `services: ${services}\nshortlinks: [api-slow]`);

interface Alert {
  name: string;
  service: string;
  url?: string;
}
const alertFile = (alerts: readonly Alert[]) =>
  `groups:\n  - name: kestrel\n    rules:\n${alerts
    .map(
      (a) =>
        `      - alert: ${a.name}\n        expr: up == 0\n        labels: { severity: SEV-1, service: ${a.service} }\n${a.url === undefined ? '' : `        annotations: { runbook_url: "${a.url}" }\n`}`,
    )
    .join('')}`;
const ALERT_LIST: Alert[] = [
  { name: 'ApiSlow', service: 'kestrel-api', url: '/r/api-slow' },
  { name: 'PostgresDown', service: 'postgres', url: '/r/db-down' },
  { name: 'PostgresReplicaLag', service: 'postgres', url: '/r/db-down' },
];

/** A committed project: two runbooks (services postgres and kestrel-api), three alerts landing on them by slug. */
function baseRepo(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `runbook-diff-cov-${name}-`));
  made.push(dir);
  mkdirSync(join(dir, 'src/content'), { recursive: true });
  copyFileSync(join(ROOT, 'src/content/severity.yaml'), join(dir, 'src/content/severity.yaml'));
  write(dir, {
    'runbooks.config.yaml': 'teams: ["@db-team", "@platform-team"]\nalerts:\n  paging: [SEV-1]\n',
    [DB_DOWN]: dbDown(),
    [API_SLOW]: apiSlow(),
    [ALERTS]: alertFile(ALERT_LIST),
  });
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

const diffJson = async (dir: string) => {
  const r = await runCli(['diff', '--base', 'HEAD', '--format', 'json'], dir, NOW);
  expect(r.err).toBe('');
  return { code: r.code, report: JSON.parse(r.out) };
};

const drops = (report: { findings: { introduced: { ruleId: string }[] } }) =>
  report.findings.introduced.filter((d) => d.ruleId === 'coverage-dropped');

describe('runbook diff: coverage', () => {
  it('deleting a runbook alerts point to drops each alert and the service: findings at the alerts, review fails', async () => {
    const dir = baseRepo('delete');
    git(dir, 'rm', '-q', DB_DOWN);
    const { code, report } = await diffJson(dir);
    expect(code).toBe(1);
    const deleted = 'now lands on no page (src/content/runbooks/db/db-down.md was deleted)';
    const restore =
      'Restore src/content/runbooks/db/db-down.md (or /r/db-down on the page that now handles the alert), point the alert at the runbook that now handles it, or remove the alert in the same change.';
    expect(report.coverage.dropped).toEqual([
      {
        kind: 'alert',
        name: 'PostgresDown',
        lost: ['/db/db-down/'],
        file: ALERTS,
        line: 8,
        column: 16,
        team: '@db-team',
        message: `Alert PostgresDown led to the runbook /db/db-down/ before this change; its runbook_url /r/db-down ${deleted}`,
        hint: restore,
      },
      {
        kind: 'service',
        name: 'postgres',
        lost: ['/db/db-down/'],
        file: ALERTS,
        line: 8,
        column: 16,
        team: '@db-team',
        message:
          'Service postgres (named by alert PostgresDown) had the runbook /db/db-down/ before this change and now has none: no runbook lists it under services:',
        hint: 'Restore src/content/runbooks/db/db-down.md, or add postgres to the `services:` of the runbook that now handles it.',
      },
      {
        kind: 'alert',
        name: 'PostgresReplicaLag',
        lost: ['/db/db-down/'],
        file: ALERTS,
        line: 12,
        column: 16,
        team: '@db-team',
        message: `Alert PostgresReplicaLag led to the runbook /db/db-down/ before this change; its runbook_url /r/db-down ${deleted}`,
        hint: restore,
      },
    ]);
    // Each drop is a finding the change introduces, where the drop is; one mistake, one finding:
    // the service is named at PostgresDown, which lost the same runbook, so that finding says both.
    expect(drops(report)).toEqual([
      {
        file: ALERTS,
        line: 8,
        ruleId: 'coverage-dropped',
        severity: 'error',
        message: `Alert PostgresDown led to the runbook /db/db-down/ before this change; its runbook_url /r/db-down ${deleted}. The service postgres now has no runbook either.`,
      },
      {
        file: ALERTS,
        line: 12,
        ruleId: 'coverage-dropped',
        severity: 'error',
        message: `Alert PostgresReplicaLag led to the runbook /db/db-down/ before this change; its runbook_url /r/db-down ${deleted}`,
      },
    ]);
    // One mistake, one finding: the check's alert-runbook-broken for the same alerts is not repeated.
    expect(report.findings.introduced.filter((d: { ruleId: string }) => d.ruleId === 'alert-runbook-broken')).toEqual(
      [],
    );
    // The team keeps its alerts: their runbook gone, they count against it.
    expect(report.coverage.teams).toEqual([
      {
        team: '@db-team',
        before: {
          runbooks: 1,
          overdue: 0,
          soon: 0,
          lastReview: '2026-11-01',
          blocks: { total: 0, tested: 0 },
          unguarded: 0,
          paging: { total: 2, landed: 2, reviewed: 2 },
          headline: 1,
        },
        after: {
          runbooks: 0,
          overdue: 0,
          soon: 0,
          lastReview: null,
          blocks: { total: 0, tested: 0 },
          unguarded: 0,
          paging: { total: 2, landed: 0, reviewed: 0 },
          headline: 0,
        },
      },
    ]);

    const md = await runCli(['diff', '--base', 'HEAD', '--format', 'markdown'], dir, NOW);
    expect(md.code).toBe(1);
    expect(md.out).toContain(
      [
        '### Coverage',
        '',
        '- **\\@db-team**: paging alerts on a runbook reviewed in its cadence 100% → 0% (2 of 2 → 0 of 2); runbooks 1 → 0, overdue 0 → 0',
        '  - dropped: alert `PostgresDown` (alerts/kestrel.yaml:8) lost `/db/db-down/`',
        '  - dropped: service `postgres` (alerts/kestrel.yaml:8) lost `/db/db-down/`',
        '  - dropped: alert `PostgresReplicaLag` (alerts/kestrel.yaml:12) lost `/db/db-down/`',
      ].join('\n'),
    );
    expect(md.out).toContain(
      '- **New error:** error `coverage-dropped` alerts/kestrel.yaml:8: Alert PostgresDown led to the runbook /db/db-down/',
    );
    const pretty = await runCli(['diff', '--base', 'HEAD'], dir, NOW);
    expect(pretty.out).toContain(
      'Coverage\n  • @db-team: paging alerts on a runbook reviewed in its cadence 100% → 0% (2 of 2 → 0 of 2); runbooks 1 → 0, overdue 0 → 0\n      dropped: alert PostgresDown (alerts/kestrel.yaml:8) lost /db/db-down/',
    );
  });

  it('renaming the page and keeping its /r/ slug drops nothing', async () => {
    const dir = baseRepo('rename-keep');
    git(dir, 'mv', DB_DOWN, 'src/content/runbooks/db/postgres-down.md');
    const { code, report } = await diffJson(dir);
    expect(report.findings.introduced).toEqual([]);
    expect(report.coverage.dropped).toEqual([]);
    expect(code).toBe(0);
    // The page's team is touched by the change, its numbers the same.
    expect(report.coverage.teams.map((t: { team: string }) => t.team)).toEqual(['@db-team']);
    expect(report.coverage.teams[0].before).toEqual(report.coverage.teams[0].after);
  });

  it('renaming the page and dropping its slug drops the alerts landing on it by the slug', async () => {
    const dir = baseRepo('rename-drop');
    git(dir, 'mv', DB_DOWN, 'src/content/runbooks/db/postgres-down.md');
    write(dir, { 'src/content/runbooks/db/postgres-down.md': dbDown('[postgres-down]') });
    const { code, report } = await diffJson(dir);
    expect(code).toBe(1);
    expect(report.coverage.dropped.map((d: { name: string; line: number }) => `${d.name}:${d.line}`)).toEqual([
      'PostgresDown:8',
      'PostgresReplicaLag:12',
    ]);
    expect(report.coverage.dropped[0]).toMatchObject({
      message:
        'Alert PostgresDown led to the runbook /db/db-down/ before this change; its runbook_url /r/db-down now lands on no page (src/content/runbooks/db/db-down.md moved to /db/postgres-down/)',
      hint: 'Keep the slug: add db-down to the `shortlinks:` of src/content/runbooks/db/postgres-down.md, or point the alert at /db/postgres-down/.',
    });
  });

  it('an alert landing by the page URL is dropped when the page moves, with the new URL in the hint', async () => {
    const dir = baseRepo('rename-url');
    write(dir, { [ALERTS]: alertFile([{ name: 'PostgresDown', service: 'postgres', url: '/db/db-down/' }]) });
    git(dir, 'commit', '-q', '-am', 'by URL');
    git(dir, 'mv', DB_DOWN, 'src/content/runbooks/db/postgres-down.md');
    const { report } = await diffJson(dir);
    expect(report.coverage.dropped).toMatchObject([
      {
        name: 'PostgresDown',
        line: 4,
        hint: 'Point the alert at /db/postgres-down/, or better at a `/r/<slug>` of that page (slugs survive page moves).',
      },
    ]);
  });

  it('a service losing its last runbook is a finding at its first naming alert, though every alert still lands', async () => {
    const dir = baseRepo('service');
    write(dir, { [API_SLOW]: apiSlow('[]') });
    const { code, report } = await diffJson(dir);
    expect(code).toBe(1);
    expect(report.findings.introduced).toEqual([
      {
        file: ALERTS,
        line: 4,
        ruleId: 'coverage-dropped',
        severity: 'error',
        message:
          'Service kestrel-api (named by alert ApiSlow) had the runbook /api/api-slow/ before this change and now has none: no runbook lists it under services:',
      },
    ]);
    expect(report.coverage.dropped[0]).toMatchObject({
      kind: 'service',
      column: 16,
      team: '@platform-team',
      hint: 'Add kestrel-api back to the `services:` of src/content/runbooks/api/api-slow.md, or to the runbook that now handles it.',
    });
  });

  it("a service named only by an SLO is found at the SLO file's service: line", async () => {
    const dir = baseRepo('slo');
    write(dir, {
      'src/content/slos/billing.yaml': readFileSync(
        join(ROOT, 'src/content/slos/api-availability.yaml'),
        'utf8',
      ).replace('service: kestrel-api', 'service: billing'),
      [API_SLOW]: apiSlow('[kestrel-api, billing]'),
    });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'billing');
    write(dir, { [API_SLOW]: apiSlow() });
    const { report } = await diffJson(dir);
    expect(drops(report)).toEqual([
      {
        file: 'src/content/slos/billing.yaml',
        line: 2,
        ruleId: 'coverage-dropped',
        severity: 'error',
        message:
          'Service billing (named by SLO billing) had the runbook /api/api-slow/ before this change and now has none: no runbook lists it under services:',
      },
    ]);
    expect(report.coverage.dropped[0]).toMatchObject({ column: 1, team: '@platform-team' });
  });

  it('an alert that loses its runbook_url is a drop; one that points elsewhere on the site is not', async () => {
    const dir = baseRepo('url');
    write(dir, {
      [ALERTS]: alertFile([
        { name: 'ApiSlow', service: 'kestrel-api' },
        { name: 'PostgresDown', service: 'postgres', url: '/r/api-slow' },
        { name: 'PostgresReplicaLag', service: 'postgres', url: '/r/db-down' },
      ]),
    });
    const { report } = await diffJson(dir);
    expect(report.coverage.dropped).toMatchObject([
      {
        kind: 'alert',
        name: 'ApiSlow',
        line: 4,
        message: 'Alert ApiSlow led to the runbook /api/api-slow/ before this change and now has no runbook_url',
        hint: 'Put back its `annotations.runbook_url`: /api/api-slow/, or better a `/r/<slug>` of that page (slugs survive page moves).',
      },
    ]);
  });

  it('pairs the alerts of a rule file git sees renamed: a drop is found at the new path, a move alone drops nothing', async () => {
    const dir = baseRepo('alert-file');
    git(dir, 'mv', ALERTS, 'alerts/kestrel-db.yaml');
    git(dir, 'add', '-A');
    expect((await diffJson(dir)).report.coverage).toEqual({ teams: [], dropped: [] });
    write(dir, { [API_SLOW]: apiSlow('[]').replace('[api-slow]', '[]') });
    const { report } = await diffJson(dir);
    expect(
      report.coverage.dropped.map(
        (d: { kind: string; name: string; file: string; line: number }) => `${d.kind} ${d.name} ${d.file}:${d.line}`,
      ),
    ).toEqual(['alert ApiSlow alerts/kestrel-db.yaml:4', 'service kestrel-api alerts/kestrel-db.yaml:4']);
  });

  it('pairs an alert moved to another rule file by its name: its drop is found at the new file, once', async () => {
    const dir = baseRepo('alert-moved');
    write(dir, {
      [ALERTS]: alertFile(ALERT_LIST.filter((a) => a.name !== 'PostgresDown')),
      'alerts/postgres.yaml': alertFile(ALERT_LIST.filter((a) => a.name === 'PostgresDown')),
      [DB_DOWN]: dbDown('[postgres-down]'),
    });
    const { code, report } = await diffJson(dir);
    expect(code).toBe(1);
    expect(
      report.findings.introduced.map(
        (d: { ruleId: string; file: string; line: number }) => `${d.ruleId} ${d.file}:${d.line}`,
      ),
    ).toEqual(['coverage-dropped alerts/kestrel.yaml:8', 'coverage-dropped alerts/postgres.yaml:4']);
    expect(report.coverage.dropped.map((d: { name: string }) => d.name)).toEqual([
      'PostgresReplicaLag',
      'PostgresDown',
    ]);
  });

  it('does not pair a removed alert with a new one of the same name for another service in another file', async () => {
    const dir = baseRepo('alert-not-moved');
    write(dir, {
      [ALERTS]: alertFile(ALERT_LIST.filter((a) => a.name !== 'PostgresDown')),
      'alerts/mysql.yaml': alertFile([{ name: 'PostgresDown', service: 'mysql' }]),
    });
    const { report } = await diffJson(dir);
    expect(report.coverage.dropped).toEqual([]);
  });

  it("keeps the check's alert-runbook-broken of another alert of the same name: only the dropped alert's own is folded into its drop", async () => {
    const dir = baseRepo('same-name');
    const twins = (second?: string): Alert[] => [
      { name: 'PostgresDown', service: 'postgres', url: '/r/db-down' },
      { name: 'PostgresDown', service: 'postgres', url: second },
    ];
    write(dir, { [ALERTS]: alertFile(twins()) });
    git(dir, 'commit', '-q', '-am', 'twins');
    write(dir, { [ALERTS]: alertFile(twins('/r/db-dwon')), [DB_DOWN]: dbDown('[postgres-down]') });
    const { report } = await diffJson(dir);
    expect(
      report.findings.introduced.map(
        (d: { ruleId: string; file: string; line: number }) => `${d.ruleId} ${d.file}:${d.line}`,
      ),
    ).toEqual(['coverage-dropped alerts/kestrel.yaml:4', 'alert-runbook-broken alerts/kestrel.yaml:11']);
  });

  it('rounds a share down as runbook coverage does: 199 of 200 is 99%, not 100%', async () => {
    const dir = baseRepo('round');
    const many = (extra: number): Alert[] => [
      ...Array.from({ length: 199 }, (_, i) => ({ name: `PostgresDown${i}`, service: 'postgres', url: '/r/db-down' })),
      ...Array.from({ length: extra }, (_, i) => ({ name: `PostgresOrphan${i}`, service: 'postgres' })),
    ];
    write(dir, { [ALERTS]: alertFile(many(1)) });
    git(dir, 'commit', '-q', '-am', 'many');
    write(dir, { [ALERTS]: alertFile(many(2)) });
    const md = await runCli(['diff', '--base', 'HEAD', '--format', 'markdown'], dir, NOW);
    expect(md.out).toContain('paging alerts on a runbook reviewed in its cadence 99% → 99% (199 of 200 → 199 of 201)');
  });

  it('making the runbook a draft drops the alerts landing on it, saying why', async () => {
    const dir = baseRepo('draft');
    write(dir, { [DB_DOWN]: dbDown().replace('severity: SEV-2\n', 'severity: SEV-2\ndraft: true\n') });
    const { code, report } = await diffJson(dir);
    expect(code).toBe(1);
    expect(
      report.findings.introduced.map(
        (d: { ruleId: string; file: string; line: number }) => `${d.ruleId} ${d.file}:${d.line}`,
      ),
    ).toEqual([
      'coverage-dropped alerts/kestrel.yaml:8',
      'coverage-dropped alerts/kestrel.yaml:12',
      // The check's own finding on the page: its slug now leads to a draft.
      'shortlink-destination src/content/runbooks/db/db-down.md:7',
    ]);
    expect(report.coverage.dropped[0].message).toBe(
      'Alert PostgresDown led to the runbook /db/db-down/ before this change; its runbook_url /r/db-down now lands on no page (src/content/runbooks/db/db-down.md is no longer a published runbook)',
    );
  });

  it('deleting the runbook and the alerts that point to it in the same change drops nothing', async () => {
    const dir = baseRepo('both');
    git(dir, 'rm', '-q', DB_DOWN);
    write(dir, { [ALERTS]: alertFile(ALERT_LIST.filter((a) => a.service !== 'postgres')) });
    const { code, report } = await diffJson(dir);
    expect(report.coverage.dropped).toEqual([]);
    expect(drops(report)).toEqual([]);
    expect(code).toBe(0);
    // @db-team is touched: its runbook and its alerts are gone.
    expect(report.coverage.teams).toMatchObject([
      { team: '@db-team', before: { headline: 1 }, after: { runbooks: 0, paging: { total: 0 }, headline: null } },
    ]);
  });
});

// The property, over generated projects and changes: a change is reported to drop coverage
// exactly when some alert that landed on a runbook before lands nowhere after (the alert
// still there), or some service named by an alert or SLO on both sides had a runbook
// before and has none after. Checked on the diff's snapshots, git's renames given.

interface GenPage {
  file: string;
  owner: string;
  services: string[];
  slugs: string[];
}
interface GenState {
  pages: GenPage[];
  alerts: Alert[];
  /** The service the one SLO names, or null without an SLO. */
  slo: string | null;
}

const SERVICES = ['svc-a', 'svc-b', 'svc-c'];
const SLUGS = ['slug-a', 'slug-b', 'slug-c', 'slug-d', 'slug-e'];
const urlOf = (file: string) => file.replace(/^src\/content\/runbooks/, '').replace(/\.md$/, '/');

function generate(rand: () => number): { base: GenState; head: GenState; renames: Map<string, string> } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const some = <T>(xs: readonly T[]) => xs.filter(() => rand() < 0.4);
  let made = 0;
  const newPage = (taken: Set<string>): GenPage => ({
    file: `src/content/runbooks/${pick(['db', 'api'])}/p${made++}.md`,
    owner: pick(['@db-team', '@platform-team']),
    services: some(SERVICES),
    slugs: some(SLUGS.filter((s) => !taken.has(s))),
  });
  const pages: GenPage[] = [];
  const taken = new Set<string>();
  for (let i = 0, n = 2 + Math.floor(rand() * 3); i < n; i++) {
    const p = newPage(taken);
    p.slugs.forEach((s) => taken.add(s));
    pages.push(p);
  }
  const url = (ps: readonly GenPage[]): string | undefined => {
    const r = rand();
    if (r < 0.15) return undefined;
    if (r < 0.65) return `/r/${pick(SLUGS)}`;
    return ps.length > 0 && r < 0.9 ? urlOf(pick(ps).file) : '/nowhere/';
  };
  const alerts: Alert[] = Array.from({ length: 2 + Math.floor(rand() * 4) }, (_, i) => ({
    name: `Alert${i}`,
    service: pick(SERVICES),
    url: url(pages),
  }));
  const base: GenState = { pages, alerts, slo: rand() < 0.5 ? pick(SERVICES) : null };
  const head: GenState = structuredClone(base);
  const renames = new Map<string, string>();
  for (let k = 0, n = 1 + Math.floor(rand() * 3); k < n; k++) {
    const op = Math.floor(rand() * 9);
    const p = head.pages.length > 0 ? pick(head.pages) : undefined;
    const a = head.alerts.length > 0 ? pick(head.alerts) : undefined;
    if (op === 0 && p) head.pages.splice(head.pages.indexOf(p), 1);
    else if ((op === 1 || op === 2) && p && !renames.has(p.file) && ![...renames.values()].includes(p.file)) {
      const to = `src/content/runbooks/${pick(['db', 'api'])}/p${made++}.md`;
      renames.set(p.file, to);
      p.file = to;
      if (op === 2) p.slugs = some(p.slugs);
    } else if (op === 3 && p) p.services = some(p.services);
    else if (op === 4 && p) p.services = [...new Set([...p.services, pick(SERVICES)])];
    else if (op === 5 && p) p.slugs = some(p.slugs);
    else if (op === 6 && a) head.alerts.splice(head.alerts.indexOf(a), 1);
    else if (op === 7 && a) a.url = url(head.pages);
    else if (op === 8) head.slo = rand() < 0.5 ? null : pick(SERVICES);
  }
  return { base, head, renames };
}

/** What the oracle says the change drops, from the model alone. */
function expectedDrops(base: GenState, head: GenState): string[] {
  const covered = (s: GenState, a: Alert) => {
    if (a.url === undefined) return false;
    const slug = /^\/r\/(.+)$/.exec(a.url)?.[1];
    return s.pages.some((p) => (slug ? p.slugs.includes(slug) : urlOf(p.file) === a.url));
  };
  const named = (s: GenState, svc: string) => s.slo === svc || s.alerts.some((a) => a.service === svc);
  const hasRunbook = (s: GenState, svc: string) => s.pages.some((p) => p.services.includes(svc));
  const out: string[] = [];
  for (const a of base.alerts) {
    const now = head.alerts.find((h) => h.name === a.name);
    if (now && covered(base, a) && !covered(head, now)) out.push(`alert ${a.name}`);
  }
  for (const svc of SERVICES)
    if (named(base, svc) && named(head, svc) && hasRunbook(base, svc) && !hasRunbook(head, svc))
      out.push(`service ${svc}`);
  return out.sort();
}

function writeState(s: GenState): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-diff-cov-gen-'));
  made.push(dir);
  mkdirSync(join(dir, 'src/content/slos'), { recursive: true });
  copyFileSync(join(ROOT, 'src/content/severity.yaml'), join(dir, 'src/content/severity.yaml'));
  const files: Record<string, string> = {
    'runbooks.config.yaml': 'teams: ["@db-team", "@platform-team"]\n',
    [ALERTS]: alertFile(s.alerts),
  };
  for (const p of s.pages)
    files[p.file] = page(
      `Page ${p.file}`,
      p.owner,
      `services: [${p.services.join(', ')}]\nshortlinks: [${p.slugs.join(', ')}]`,
    );
  if (s.slo !== null)
    files['src/content/slos/x.yaml'] = readFileSync(
      join(ROOT, 'src/content/slos/api-availability.yaml'),
      'utf8',
    ).replace('service: kestrel-api', `service: ${s.slo}`);
  write(dir, files);
  return dir;
}

const CASES = 200;

describe('runbook diff: coverage drops, over generated changes', () => {
  it('reports a drop exactly when an alert or service covered before is uncovered after', () => {
    const rand = mulberry32(23);
    let dropping = 0;
    for (let i = 0; i < CASES; i++) {
      const { base, head, renames } = generate(rand);
      const [b, h] = [base, head].map((s) => snapshot(loadProject(writeState(s)), NOW));
      const diff = diffSnapshots('base', b, h, renames);
      const expected = expectedDrops(base, head);
      const seen = `case ${i}: ${JSON.stringify({ base, head, renames: [...renames] })}`;
      expect(diff.coverage.dropped.map((d) => `${d.kind} ${d.name}`).sort(), seen).toEqual(expected);
      const findings = diff.findings.introduced.filter((d) => d.ruleId === 'coverage-dropped');
      // One finding per place: a service's loss named at an alert that lost it too is said in that alert's finding.
      const places = new Set(diff.coverage.dropped.map((d) => `${d.file}:${d.line}:${d.column}`));
      expect(findings.length, seen).toBe(places.size);
      if (expected.length > 0) {
        dropping++;
        expect(failsReview(diff), seen).toBe(true);
      }
    }
    // The generator reaches both sides of the property.
    expect(dropping).toBeGreaterThan(CASES * 0.15);
    expect(dropping).toBeLessThan(CASES * 0.85);
  }, 300_000);
});
