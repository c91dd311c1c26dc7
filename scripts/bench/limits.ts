/**
 * `npm run bench:limits`: how long checking one pathological page takes, per class of
 * scripts/bench/pathological.ts, at 64 KB to ~1 MB (the size limit). Each size is
 * collected (pre-scan, then the parsers if the page passes) and checked by every rule,
 * in this process; wall and CPU time are the best of three. Linear time doubles with
 * the size: the last column is the largest ratio between neighbouring sizes (≈ 2 is
 * linear, ≈ 4 quadratic). A benchmark, not a test: it asserts nothing.
 */
import { fileURLToPath } from 'node:url';
import { checkFacts, collectFacts, defaultConfig } from '../../src/plugins/index.ts';
import { CLASSES, rng } from './pathological.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SIZES = [64, 128, 256, 512, 1000].map((k) => k * 1024);
const config = defaultConfig();

/** Wall and CPU milliseconds of one check of `text`, best of `runs`. */
function time(text: string, ext: string, runs = 3): { wall: number; cpu: number; refused: boolean } {
  let best = { wall: Infinity, cpu: Infinity, refused: false };
  for (let i = 0; i < runs; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const facts = collectFacts(text, `src/content/runbooks/bench.${ext}`, `bench.${ext}`, {
      maxBytes: config.maxFileBytes,
      mdxBindings: true,
    });
    checkFacts(ROOT, [facts], { config, today: new Date('2026-11-23') });
    const wall = performance.now() - t0;
    const used = process.cpuUsage(cpu0);
    const cpu = (used.user + used.system) / 1000;
    if (wall < best.wall) best = { wall, cpu, refused: facts.problems.some((p) => p.kind === 'too-complex') };
  }
  return best;
}

const only = process.argv.slice(2);
const rows: string[] = [];
rows.push(`| class | ${SIZES.map((s) => `${Math.round(s / 1024)} KB`).join(' | ')} | worst ratio per doubling |`);
rows.push(`|---|${SIZES.map(() => '---:').join('|')}|---:|`);
for (const [name, { generate }] of Object.entries(CLASSES)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const random = rng(name.length * 31);
  const results = SIZES.map((size) => {
    const page = generate(size, random);
    return time(page.text, page.ext);
  });
  // Below a few milliseconds timer noise dominates: ratios count from 5 ms.
  const ratios = results
    .slice(1)
    .map((r, i) => (results[i].wall >= 5 ? (r.wall / results[i].wall) * (SIZES[i] / SIZES[i + 1]) * 2 : NaN))
    .filter((x) => !Number.isNaN(x));
  const worst = ratios.length > 0 ? `${Math.max(...ratios).toFixed(1)}×` : '(< 5 ms)';
  const cells = results.map((r) => `${r.wall.toFixed(0)} / ${r.cpu.toFixed(0)}${r.refused ? ' R' : ''}`);
  rows.push(`| ${name} | ${cells.join(' | ')} | ${worst} |`);
  console.error(rows.at(-1));
}
console.log(
  'Wall / CPU ms per check of one page (best of 3); R: refused by the pre-scan (file-too-complex), not parsed.\n',
);
console.log(rows.join('\n'));
