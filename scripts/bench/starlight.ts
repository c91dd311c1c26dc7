/**
 * `npm run bench:starlight`: our site against a bare Starlight site on the same
 * generated runbooks (N = 100 and 1,000 by default; BENCH_SIZES=10000 for the large run,
 * BENCH_KINDS=ours to build only ours), in the same session, alternating, several runs
 * each: cold build, warm build (nothing changed) and warm build after editing one runbook
 * (wall and CPU), peak memory, pages, `dist/` size, and a runbook page's HTML, CSS and JS
 * bytes (raw and gzip). Prints a table with the budgets of the same run and appends it to
 * BENCHMARKS.md.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Build, type Kind, makeSite, pages, ROOT, sizeOf } from './sites.ts';
import { median } from './measure.ts';

const SIZES = (process.env.BENCH_SIZES ?? '100,1000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const KINDS = (process.env.BENCH_KINDS ?? 'starlight,ours').split(',') as Kind[];
type Phase = 'cold' | 'warm' | 'edit';
/** Which builds to time (BENCH_PHASES=cold for the 10,000-runbook run): cold, warm (nothing changed), edit (one runbook edited). */
const PHASES = (process.env.BENCH_PHASES ?? 'cold,warm,edit').split(',') as Phase[];

/** Appends a line to the site's first runbook (the same file in both sites): the one-page edit of a warm rebuild. */
function editOne(site: string): void {
  const dir = ['src/content/runbooks', 'src/content/docs'].map((d) => join(site, d)).find((d) => existsSync(d))!;
  const file = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((p) => p.endsWith('.md'))
    .sort()[0];
  const path = join(dir, file);
  writeFileSync(path, `${readFileSync(path, 'utf8')}\nOne more line, edited between two builds.\n`);
}

/** A runbook page's own bytes: its HTML and the CSS and JS files it loads, raw and gzip. */
function pageWeight(
  dist: string,
  url: string,
): { html: [number, number]; css: [number, number]; js: [number, number] } {
  const html = readFileSync(join(dist, url, 'index.html'));
  const text = html.toString('utf8');
  const assets = (re: RegExp) =>
    [...new Set([...text.matchAll(re)].map((m) => m[1]))]
      .filter((p) => p.startsWith('/') && existsSync(join(dist, p)))
      .map((p) => readFileSync(join(dist, p)));
  const sum = (bufs: Buffer[]): [number, number] => [
    bufs.reduce((n, b) => n + b.length, 0),
    bufs.reduce((n, b) => n + gzipSync(b).length, 0),
  ];
  return {
    html: sum([html]),
    css: sum(assets(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)),
    js: sum(assets(/<script[^>]+src="([^"]+)"/g)),
  };
}

const rows: string[] = [];
const notes: string[] = [];
/** Per size, our medians: how the time grows with the number of runbooks. */
const growth: { count: number; cold: number; coldCpu: number; rssMb: number }[] = [];
for (const count of SIZES) {
  const sites = Object.fromEntries(KINDS.map((k) => [k, makeSite(k, count)])) as Record<Kind, string>;
  const results = Object.fromEntries(KINDS.map((k) => [k, { cold: [], warm: [], edit: [] }])) as unknown as Record<
    Kind,
    Record<Phase, Build[]>
  >;
  for (let run = 0; run < RUNS; run++) {
    for (const kind of KINDS) {
      for (const phase of PHASES) {
        if (phase === 'edit') editOne(sites[kind]);
        const b = build(sites[kind], phase === 'cold');
        results[kind][phase].push(b);
        console.log(
          `${count} runbooks, run ${run + 1}, ${kind.padEnd(9)}, ${phase}: ${b.wall.toFixed(1)} s (cpu ${b.cpu.toFixed(1)} s, ${b.rssMb.toFixed(0)} MB)`,
        );
      }
    }
  }
  const m = (kind: Kind, which: Phase, field: keyof Build) => median(results[kind][which].map((b) => b[field]));
  const time = (kind: Kind, which: Phase) =>
    results[kind][which].length === 0
      ? '—'
      : `${m(kind, which, 'wall').toFixed(1)} s (${m(kind, which, 'cpu').toFixed(1)} s)`;
  const first = readdirSync(join(sites[KINDS[0]], 'dist/'), { withFileTypes: true }).find(
    (e) => e.isDirectory() && !['_astro', 'r', 'rules', 'slos', 'pagefind', 'sloth', 'openslo'].includes(e.name),
  )!.name;
  const url = readdirSync(join(sites[KINDS[0]], 'dist', first), { recursive: true })
    .map(String)
    .find((p) => p.endsWith('index.html'))!
    .replace(/index\.html$/, '');
  const weight = (kind: Kind) => pageWeight(join(sites[kind], 'dist'), `${first}/${url}`);
  const fmt = ([raw, gz]: [number, number]) => `${(raw / 1024).toFixed(1)} / ${(gz / 1024).toFixed(1)} KB`;
  for (const kind of KINDS) {
    const w = weight(kind);
    rows.push(
      `| ${count} | ${kind === 'ours' ? 'our site' : 'bare Starlight'} | ${time(kind, 'cold')} | ${time(kind, 'warm')} | ${time(kind, 'edit')} | ${m(kind, 'cold', 'rssMb').toFixed(0)} MB | ${pages(join(sites[kind], 'dist'))} | ${(sizeOf(join(sites[kind], 'dist')) / 1e6).toFixed(1)} MB | ${fmt(w.html)} | ${fmt(w.css)} | ${fmt(w.js)} |`,
    );
  }
  if (KINDS.includes('ours'))
    growth.push({
      count,
      cold: m('ours', 'cold', 'wall'),
      coldCpu: m('ours', 'cold', 'cpu'),
      rssMb: Math.max(...PHASES.map((p) => m('ours', p, 'rssMb'))),
    });
  if (KINDS.length < 2) continue;
  const ratio = (which: Phase, field: 'wall' | 'cpu') => m('ours', which, field) / m('starlight', which, field);
  /** A phase this run did not time (BENCH_PHASES) has no ratio: a dash, not NaN. */
  const cell = (which: Phase) =>
    PHASES.includes(which) ? `${ratio(which, 'wall').toFixed(2)}× (${ratio(which, 'cpu').toFixed(2)}× CPU)` : '—';
  rows.push(`| ${count} | ratio | ${cell('cold')} | ${cell('warm')} | ${cell('edit')} | | | | | | |`);
  // The budgets (issue 21): ours against bare Starlight's build of the same kind, this run.
  for (const [which, budget, what] of [
    ['cold', 0.9, 'cold build'],
    ['warm', 0.7, 'warm build, nothing changed'],
    ['edit', 0.8, 'warm build after editing one runbook'],
  ] as const) {
    if (!PHASES.includes(which)) continue;
    const met = (f: 'wall' | 'cpu') => (ratio(which, f) <= budget ? 'met' : 'NOT met');
    notes.push(
      `- ${count} runbooks, ${what}: ${ratio(which, 'wall').toFixed(2)}× wall (${met('wall')}), ${ratio(which, 'cpu').toFixed(2)}× CPU (${met('cpu')}); budget ≤ ${budget}×`,
    );
  }
}
// Growth from the smallest size: seconds per runbook at N over seconds per runbook at the first N.
for (const g of growth.slice(1))
  notes.push(
    `- ours at ${g.count} runbooks against ${growth[0].count}: cold build ${(g.cold / g.count / (growth[0].cold / growth[0].count)).toFixed(2)}× the time per runbook (CPU ${(g.coldCpu / g.count / (growth[0].coldCpu / growth[0].count)).toFixed(2)}×; ≤ 1 is linear or better), peak memory ${g.rssMb.toFixed(0)} MB (budget < 8,192 MB at 10,000)`,
  );

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
const table = [
  `### Our site against bare Starlight (\`npm run bench:starlight\`, ${machine}, median of ${RUNS} alternating runs)`,
  '',
  '| runbooks | site | cold build, wall (CPU) | warm build, wall (CPU) | one runbook edited, wall (CPU) | peak memory | pages | dist/ | a runbook page: HTML raw / gzip | its CSS | its JS |',
  '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows,
  '',
  ...notes,
  '',
].join('\n');
console.log(`\n${table}`);
if (process.env.BENCH_RECORD !== '0') appendFileSync(join(ROOT, 'BENCHMARKS.md'), `\n${table}`);
