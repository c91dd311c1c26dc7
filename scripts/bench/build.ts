/**
 * `npm run bench:build`: what the Markdown processor choice costs. Generates N
 * runbooks (deterministic) into a scratch site and times cold `astro build`s with
 * `unified()` + our remark plugin against Sätteri + the same plugin as an mdast
 * visitor (the default), alternating runs in the same session.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRunbooks } from './generate.ts';
import { median } from './measure.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COUNT = Number(process.env.BENCH_COUNT ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const site = join(ROOT, 'tests/fixtures/.tmp/bench-build');

rmSync(site, { recursive: true, force: true });
mkdirSync(join(site, 'src/content/runbooks'), { recursive: true });
cpSync(join(ROOT, 'src/content/severity.yaml'), join(site, 'src/content/severity.yaml'));
writeFileSync(
  join(site, 'src/content.config.ts'),
  "export { collections } from '../../../../../src/content.config.ts';\n",
);
for (const processor of ['unified', 'satteri']) {
  writeFileSync(
    join(site, `astro.config.${processor}.mjs`),
    `import { defineConfig } from 'astro/config';\nimport { runbooksConfig } from '../../../../src/plugins/site/index.ts';\n` +
      `export default defineConfig(runbooksConfig({ root: new URL('.', import.meta.url), title: 'Bench', site: 'https://bench.example', processor: '${processor}' }));\n`,
  );
}
generateRunbooks(join(site, 'src/content/runbooks'), COUNT);

function coldBuild(processor: string): number {
  for (const d of ['dist', '.astro', 'node_modules']) rmSync(join(site, d), { recursive: true, force: true });
  const start = performance.now();
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', '--config', `astro.config.${processor}.mjs`],
    {
      cwd: site,
      encoding: 'utf8',
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    },
  );
  const seconds = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`${processor} build failed:\n${r.stdout}\n${r.stderr}`);
  return seconds;
}

const times: Record<string, number[]> = { unified: [], satteri: [] };
for (let run = 0; run < RUNS; run++) {
  for (const processor of ['unified', 'satteri']) {
    const t = coldBuild(processor);
    times[processor].push(t);
    console.log(`run ${run + 1}: ${processor.padEnd(8)} ${t.toFixed(2)} s`);
  }
}
const u = median(times.unified);
const s = median(times.satteri);
console.log(
  `\n${COUNT} runbooks, cold build, median of ${RUNS}: unified ${u.toFixed(2)} s, satteri ${s.toFixed(2)} s, ratio ${(u / s).toFixed(2)}x`,
);
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
);
