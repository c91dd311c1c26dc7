/** Generated scratch sites for the benchmarks: ours or bare Starlight over N runbooks, built through GNU time. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRunbooks } from './generate.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ASTRO = join(ROOT, 'node_modules/astro/bin/astro.mjs');

export type Kind = 'ours' | 'starlight';
export interface Build {
  wall: number;
  cpu: number;
  rssMb: number;
}

/** A scratch site of `kind` over `count` generated runbooks. */
export function makeSite(kind: Kind, count: number): string {
  const site = join(ROOT, 'tests/fixtures/.tmp', `bench-${kind}-${count}`);
  rmSync(site, { recursive: true, force: true });
  if (kind === 'ours') {
    mkdirSync(join(site, 'src/content/runbooks'), { recursive: true });
    cpSync(join(ROOT, 'src/content/severity.yaml'), join(site, 'src/content/severity.yaml'));
    writeFileSync(
      join(site, 'src/content.config.ts'),
      "export { collections } from '../../../../../src/content.config.ts';\n",
    );
    writeFileSync(
      join(site, 'astro.config.mjs'),
      "import { defineConfig } from 'astro/config';\nimport { runbooksConfig } from '../../../../src/plugins/site/index.ts';\nexport default defineConfig(runbooksConfig({ root: new URL('.', import.meta.url), title: 'Bench', site: 'https://bench.example' }));\n",
    );
    generateRunbooks(join(site, 'src/content/runbooks'), count);
  } else {
    mkdirSync(join(site, 'src/content/docs'), { recursive: true });
    writeFileSync(
      join(site, 'src/content.config.ts'),
      "import { defineCollection } from 'astro:content';\nimport { docsLoader } from '@astrojs/starlight/loaders';\nimport { docsSchema } from '@astrojs/starlight/schema';\nexport const collections = { docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }) };\n",
    );
    writeFileSync(
      join(site, 'astro.config.mjs'),
      "import { defineConfig } from 'astro/config';\nimport starlight from '@astrojs/starlight';\nexport default defineConfig({ site: 'https://bench.example', integrations: [starlight({ title: 'Bench' })] });\n",
    );
    generateRunbooks(join(site, 'src/content/docs'), count);
  }
  return site;
}

/** One `astro build` through GNU time: wall, CPU and peak memory. */
export function build(site: string, cold: boolean): Build {
  if (cold)
    for (const d of ['dist', '.astro', 'node_modules/.astro']) rmSync(join(site, d), { recursive: true, force: true });
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, ASTRO, 'build'], {
    cwd: site,
    encoding: 'utf8',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    maxBuffer: 1 << 28,
  });
  const [wall, user, sys, rss] = r.stderr.trim().split('\n').at(-1)!.split(/\s+/).map(Number);
  if (r.status !== 0) throw new Error(`build of ${site} failed:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  return { wall, cpu: user + sys, rssMb: rss / 1024 };
}

export const sizeOf = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? sizeOf(join(dir, e.name)) : statSync(join(dir, e.name)).size),
    0,
  );
export const pages = (dir: string): number =>
  readdirSync(dir, { recursive: true }).filter((p) => String(p).endsWith('.html')).length;
