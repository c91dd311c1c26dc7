/**
 * `npm run bench:offline`: what the offline service worker costs on a large site. Builds
 * our site over N generated runbooks (BENCH_OFFLINE_N, default 1,000; BENCH_REUSE=1 keeps
 * an existing build), then reports sw.js, its manifest, the precache (entries, bytes in
 * dist/, bytes gzip as the worker stores text), and the install in Chromium against
 * `astro preview` on localhost: time from the first page load until the worker controls
 * the page (precache complete), and the origin's storage use afterwards.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { generateRunbooks } from './generate.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ASTRO = join(ROOT, 'node_modules/astro/bin/astro.mjs');
const N = Number(process.env.BENCH_OFFLINE_N ?? 1000);
const PORT = Number(process.env.BENCH_PORT ?? 4471);
const site = join(ROOT, 'tests/fixtures/.tmp', `bench-offline-${N}`);
const dist = join(site, 'dist');

if (process.env.BENCH_REUSE !== '1' || !existsSync(join(dist, 'sw.js'))) {
  rmSync(site, { recursive: true, force: true });
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
  generateRunbooks(join(site, 'src/content/runbooks'), N);
  const t = performance.now();
  const r = spawnSync(process.execPath, [ASTRO, 'build'], {
    cwd: site,
    encoding: 'utf8',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  console.log(`built ${N} runbooks in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

// dist/sw.js names its manifest (src/plugins/offline/build.ts); read here without importing it,
// as scripts reach src/ only through the public entry points.
const worker = readFileSync(join(dist, 'sw.js'), 'utf8');
const manifest = /"manifest":"([^"]+)"/.exec(worker)![1];
const entries: [string, string | null][] = JSON.parse(readFileSync(join(dist, manifest), 'utf8')).entries;
const files = entries.map(([path]) => readFileSync(join(dist, path)));
const text = (p: string) => /\.(html|css|js|json|svg)$/.test(p);
const raw = files.reduce((n, b) => n + b.length, 0);
// What the worker stores: text gzip-compressed (CompressionStream), the rest as served.
const stored = files.reduce((n, b, i) => n + (text(entries[i][0]) ? gzipSync(b).length : b.length), 0);
const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
const byKind = new Map<string, number>();
for (const [path] of entries) {
  const kind = path.endsWith('.html')
    ? path.startsWith('r/')
      ? 'html /r/'
      : 'html'
    : path.split('/')[0].includes('.')
      ? 'root files'
      : path.split('/')[0];
  byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
}
console.log(`sw.js: ${worker.length} B (${gzipSync(worker).length} B gzip)`);
console.log(
  `${manifest}: ${statSync(join(dist, manifest)).size} B (${gzipSync(readFileSync(join(dist, manifest))).length} B gzip), ${entries.length} entries: ${[...byKind].map(([k, v]) => `${k} ${v}`).join(', ')}`,
);
console.log(`precache: ${mb(raw)} in dist/, ${mb(stored)} stored (text gzip-compressed)`);

// Install in Chromium against astro preview.
const server = spawn(process.execPath, [ASTRO, 'preview', '--port', String(PORT)], {
  cwd: site,
  env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  stdio: 'ignore',
});
try {
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`http://localhost:${PORT}/`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const browser = await chromium.launch({
    executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage();
  await page.goto(`http://localhost:${PORT}/`);
  const result = await page.evaluate(async () => {
    const t0 = performance.now();
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    const ms = performance.now() - t0 + 0;
    const { usage } = await navigator.storage.estimate();
    return { ms, sinceNavigation: performance.now(), usage };
  });
  console.log(
    `install (localhost, Chromium): ${(result.sinceNavigation / 1000).toFixed(1)} s from navigation to a controlling worker with the precache complete; origin storage ${mb(result.usage ?? 0)}`,
  );
  await browser.close();
} finally {
  server.kill();
}
