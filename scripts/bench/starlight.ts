/**
 * `npm run bench:starlight`: our site against a bare Starlight site on the same
 * generated runbooks (N = 100 and 1,000 by default; BENCH_SIZES=5000 for the large run),
 * in the same session, alternating, several runs each: cold and warm build time (wall
 * and CPU), peak memory, pages, `dist/` size, and a runbook page's HTML, CSS and JS
 * bytes (raw and gzip). Prints a table and appends it to BENCHMARKS.md.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Build, type Kind, makeSite, pages, ROOT, sizeOf } from './sites.ts';
import { median } from './measure.ts';

const SIZES = (process.env.BENCH_SIZES ?? '100,1000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);

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
for (const count of SIZES) {
  const sites = { ours: makeSite('ours', count), starlight: makeSite('starlight', count) };
  const results: Record<Kind, { cold: Build[]; warm: Build[] }> = {
    ours: { cold: [], warm: [] },
    starlight: { cold: [], warm: [] },
  };
  for (let run = 0; run < RUNS; run++) {
    for (const kind of ['starlight', 'ours'] as const) {
      const cold = build(sites[kind], true);
      const warm = build(sites[kind], false);
      results[kind].cold.push(cold);
      results[kind].warm.push(warm);
      console.log(
        `${count} runbooks, run ${run + 1}, ${kind.padEnd(9)}: cold ${cold.wall.toFixed(1)} s (cpu ${cold.cpu.toFixed(1)} s, ${cold.rssMb.toFixed(0)} MB), warm ${warm.wall.toFixed(1)} s (cpu ${warm.cpu.toFixed(1)} s)`,
      );
    }
  }
  const m = (kind: Kind, which: 'cold' | 'warm', field: keyof Build) =>
    median(results[kind][which].map((b) => b[field]));
  const first = readdirSync(join(sites.ours, 'dist/'), { withFileTypes: true }).find(
    (e) => e.isDirectory() && !['_astro', 'r', 'rules', 'slos', 'pagefind', 'sloth', 'openslo'].includes(e.name),
  )!.name;
  const url = readdirSync(join(sites.ours, 'dist', first), { recursive: true })
    .map(String)
    .find((p) => p.endsWith('index.html'))!
    .replace(/index\.html$/, '');
  const weight = (kind: Kind) => pageWeight(join(sites[kind], 'dist'), `${first}/${url}`);
  const fmt = ([raw, gz]: [number, number]) => `${(raw / 1024).toFixed(1)} / ${(gz / 1024).toFixed(1)} KB`;
  for (const kind of ['starlight', 'ours'] as const) {
    const w = weight(kind);
    rows.push(
      `| ${count} | ${kind === 'ours' ? 'our site' : 'bare Starlight'} | ${m(kind, 'cold', 'wall').toFixed(1)} s (${m(kind, 'cold', 'cpu').toFixed(1)} s) | ${m(kind, 'warm', 'wall').toFixed(1)} s (${m(kind, 'warm', 'cpu').toFixed(1)} s) | ${m(kind, 'cold', 'rssMb').toFixed(0)} MB | ${pages(join(sites[kind], 'dist'))} | ${(sizeOf(join(sites[kind], 'dist')) / 1e6).toFixed(1)} MB | ${fmt(w.html)} | ${fmt(w.css)} | ${fmt(w.js)} |`,
    );
  }
  rows.push(
    `| ${count} | ratio | ${(m('ours', 'cold', 'wall') / m('starlight', 'cold', 'wall')).toFixed(2)}× (${(m('ours', 'cold', 'cpu') / m('starlight', 'cold', 'cpu')).toFixed(2)}× CPU) | ${(m('ours', 'warm', 'wall') / m('starlight', 'warm', 'wall')).toFixed(2)}× (${(m('ours', 'warm', 'cpu') / m('starlight', 'warm', 'cpu')).toFixed(2)}× CPU) | | | | | | |`,
  );
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
const table = [
  `### Our site against bare Starlight (\`npm run bench:starlight\`, ${machine}, median of ${RUNS} alternating runs)`,
  '',
  '| runbooks | site | cold build, wall (CPU) | warm build, wall (CPU) | peak memory | pages | dist/ | a runbook page: HTML raw / gzip | its CSS | its JS |',
  '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows,
  '',
].join('\n');
console.log(`\n${table}`);
if (process.env.BENCH_RECORD !== '0') appendFileSync(join(ROOT, 'BENCHMARKS.md'), `\n${table}`);
