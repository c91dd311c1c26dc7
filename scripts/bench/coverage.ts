/**
 * `npm run bench:coverage`: `runbook coverage` against `runbook check` on the same
 * repository in the same run: 1,000 generated runbooks and 5,000 Prometheus alert rules
 * in ten files (one in ten without runbook_url, the rest landing through `/r/` slugs,
 * page URLs and anchors, a few broken). Budget: coverage ≤ 1.5× check. Both run as
 * fresh processes, alternating, timed wall-clock and CPU, median of several runs.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRunbooks, SERVICES } from './generate.ts';
import { median, timeNode } from './measure.ts';
import { mulberry32 } from './mulberry32.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COUNT = Number(process.env.BENCH_COUNT ?? 1000);
const ALERTS = Number(process.env.BENCH_ALERTS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CLI = join(ROOT, 'scripts/runbook.ts');
const SITE = 'https://runbooks.bench.example';
const BUDGET = 1.5;

const dir = join(ROOT, 'tests/fixtures/.tmp', 'bench-coverage');
rmSync(dir, { recursive: true, force: true });
mkdirSync(join(dir, 'src/content/runbooks'), { recursive: true });
cpSync(join(ROOT, 'src/content/severity.yaml'), join(dir, 'src/content/severity.yaml'));
cpSync(join(ROOT, 'src/content/slos'), join(dir, 'src/content/slos'), { recursive: true });
const pages = generateRunbooks(join(dir, 'src/content/runbooks'), COUNT);
writeFileSync(join(dir, 'runbooks.config.yaml'), `site: ${SITE}\nalerts:\n  paging: [SEV-1, SEV-2]\n`);

// 5,000 alert rules, one file per service, each pointing at a generated runbook of its service.
const rnd = mulberry32(7);
const byService = new Map<string, string[]>(SERVICES.map((s) => [s, []]));
for (let i = 0; i < ALERTS; i++) {
  const service = SERVICES[i % SERVICES.length];
  // The generator writes runbook n of service n % 10 at <service>/<service>-incident-<n>.md.
  const n = Math.floor(rnd() * (COUNT / SERVICES.length)) * SERVICES.length + (i % SERVICES.length);
  const slug = `${service}-incident-${n}`;
  const pick = rnd();
  const url =
    pick < 0.1
      ? undefined
      : pick < 0.55
        ? `${SITE}/r/${slug}`
        : pick < 0.9
          ? `${SITE}/${service}/${slug}/`
          : pick < 0.98
            ? `${SITE}/${service}/${slug}/#step-${1 + Math.floor(rnd() * 6)}`
            : `${SITE}/r/${slug}-gone`;
  byService
    .get(service)!
    .push(
      [
        `      - alert: ${service.replace(/^\w/, (c) => c.toUpperCase())}Alert${i}`,
        `        expr: sum(rate(${service}_errors_total[5m])) > ${i % 50}`,
        '        for: 5m',
        `        labels: { service: ${service}, severity: SEV-${1 + (i % 4)}, team: core }`,
        '        annotations:',
        `          summary: Alert ${i} of ${service}.`,
        ...(url ? [`          runbook_url: ${url}`] : []),
      ].join('\n'),
    );
}
mkdirSync(join(dir, 'alerts'), { recursive: true });
for (const [service, rules] of byService)
  writeFileSync(
    join(dir, 'alerts', `${service}.rules.yaml`),
    `groups:\n  - name: ${service}\n    rules:\n${rules.join('\n')}\n`,
  );

const check: { wall: number[]; cpu: number[] } = { wall: [], cpu: [] };
const coverage: { wall: number[]; cpu: number[] } = { wall: [], cpu: [] };
let sample = '';
for (let run = 0; run < RUNS; run++) {
  const a = timeNode([CLI, 'check', '--format', 'json'], dir);
  if (a.status === 2 || a.status === null) throw new Error(`runbook check failed:\n${a.stdout}`);
  check.wall.push(a.seconds);
  check.cpu.push(a.cpu);
  const b = timeNode([CLI, 'coverage', '--format', 'json'], dir);
  if (b.status !== 0) throw new Error(`runbook coverage failed:\n${b.stdout}`);
  sample = b.stdout;
  coverage.wall.push(b.seconds);
  coverage.cpu.push(b.cpu);
  console.log(
    `run ${run + 1}: runbook check ${a.seconds.toFixed(2)} s (cpu ${a.cpu.toFixed(2)} s)   runbook coverage ${b.seconds.toFixed(2)} s (cpu ${b.cpu.toFixed(2)} s)`,
  );
}
const report = JSON.parse(sample.slice(sample.indexOf('{'))) as {
  site: { runbooks: number; paging: { total: number; landed: number; reviewed: number } };
  alerts: { status: string }[];
};
const statuses: Record<string, number> = {};
for (const a of report.alerts) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
const ratio = median(coverage.wall) / median(check.wall);
const cpuRatio = median(coverage.cpu) / median(check.cpu);
console.log(
  `\n${pages.length} runbooks, ${report.alerts.length} alert rules (${Object.entries(statuses)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ')}), paging ${report.site.paging.reviewed} of ${report.site.paging.total} covered; median of ${RUNS}:`,
);
console.log(`  runbook check     ${median(check.wall).toFixed(2)} s, cpu ${median(check.cpu).toFixed(2)} s`);
console.log(`  runbook coverage  ${median(coverage.wall).toFixed(2)} s, cpu ${median(coverage.cpu).toFixed(2)} s`);
console.log(
  `  coverage / check: wall ${ratio.toFixed(2)}×, cpu ${cpuRatio.toFixed(2)}× (budget ${BUDGET}×): ${ratio <= BUDGET ? 'within' : 'OVER'}`,
);
console.log(
  `\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
);
if (ratio > BUDGET) process.exitCode = 1;
