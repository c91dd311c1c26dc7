/**
 * `npm run bench:quickjump`: the quick-jump at 1,000 runbooks (BENCH_QJ_SIZE to change).
 * Generates the site (scripts/bench/generate.ts, plus one alert rule per five runbooks),
 * builds it, serves it with `astro preview`, and measures in real Chromium:
 *   - keystroke → quick results rendered (keydown to the next frame after our render), after
 *     the first open, every keystroke of many queries: median / p95 / max;
 *   - the first open of a fresh page: `/` → field focused, and a key typed right after `/`
 *     → its results rendered (chunk, index download and MiniSearch build included);
 *   - keystroke → Pagefind full-text results rendered (120 ms debounce included);
 *   - /quickjump.json bytes (raw / gzip), our eager JS and the lazy chunks (raw / gzip).
 * Prints a table; writes nothing into the repository (BENCHMARKS.md is edited by hand).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from '@playwright/test';
import { generateRunbooks, SERVICES } from './generate.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ASTRO = join(ROOT, 'node_modules/astro/bin/astro.mjs');
const COUNT = Number(process.env.BENCH_QJ_SIZE ?? 1000);
const PORT = Number(process.env.BENCH_QJ_PORT ?? 4491);
const ORIGIN = `http://localhost:${PORT}`;

function makeSite(): string {
  const site = join(ROOT, 'tests/fixtures/.tmp', `bench-quickjump-${COUNT}`);
  rmSync(site, { recursive: true, force: true });
  mkdirSync(join(site, 'src/content/runbooks'), { recursive: true });
  writeFileSync(join(site, 'src/content/severity.yaml'), readFileSync(join(ROOT, 'src/content/severity.yaml')));
  writeFileSync(
    join(site, 'src/content.config.ts'),
    "export { collections } from '../../../../../src/content.config.ts';\n",
  );
  writeFileSync(
    join(site, 'astro.config.mjs'),
    "import { defineConfig } from 'astro/config';\nimport { runbooksConfig } from '../../../../src/plugins/site/index.ts';\nexport default defineConfig(runbooksConfig({ root: new URL('.', import.meta.url), title: 'Bench', site: 'https://bench.example' }));\n",
  );
  writeFileSync(join(site, 'runbooks.config.yaml'), 'site: https://bench.example\nreview:\n  overdue: warning\n');
  generateRunbooks(join(site, 'src/content/runbooks'), COUNT);
  // One alert per five runbooks, landing on its /r/ shortlink, so the index carries alert names.
  const rules = [];
  for (let i = 0; i < COUNT; i += 5) {
    const service = SERVICES[i % SERVICES.length];
    const name = `${service[0].toUpperCase()}${service.slice(1)}Incident${i}Firing`;
    rules.push(
      `      - alert: ${name}\n        expr: up{job="${service}"} == 0\n        annotations: { runbook_url: "https://bench.example/r/${service}-incident-${i}" }`,
    );
  }
  mkdirSync(join(site, 'alerts'), { recursive: true });
  writeFileSync(join(site, 'alerts/bench.yaml'), `groups:\n  - name: bench\n    rules:\n${rules.join('\n')}\n`);
  return site;
}

const sizes = (buf: Buffer | string): [number, number] => [Buffer.byteLength(buf), gzipSync(buf).length];
const kb = ([raw, gz]: [number, number]) => `${(raw / 1024).toFixed(1)} KB / ${(gz / 1024).toFixed(1)} KB`;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** The JS a runbook page loads before any interaction: its module scripts (and what they import statically) and inline scripts. */
function eagerJs(dist: string, url: string): { ours: [number, number]; all: [number, number]; files: string[] } {
  const html = readFileSync(join(dist, url, 'index.html'), 'utf8');
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path) || !existsSync(join(dist, path))) return;
    seen.add(path);
    const code = readFileSync(join(dist, path), 'utf8');
    // Static imports only (`import{…}from"./x.js"`), not `import("./x.js")`.
    for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["'`](\.\/[^"'`]+)["'`]/g))
      visit(join(path, '..', m[1]));
  };
  for (const m of html.matchAll(/<script[^>]+src="([^"]+)"/g)) visit(m[1]);
  const inline = [
    ...html.matchAll(/<script(?![^>]*\bsrc=)(?![^>]*type="application\/(?:ld\+)?json")[^>]*>([\s\S]*?)<\/script>/g),
  ]
    .map((m) => m[1])
    .join('\n');
  const files = [...seen];
  const all = sizes(Buffer.concat([...files.map((f) => readFileSync(join(dist, f))), Buffer.from(inline)]));
  const ours = sizes(
    Buffer.concat(files.filter((f) => /Search\.astro|boot/.test(f)).map((f) => readFileSync(join(dist, f)))),
  );
  return { ours, all, files };
}

async function waitForServer(url: string, timeoutMs = 30_000) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`preview server did not start at ${url}`);
}

/** Installs the probes: keydown time (capture phase) and the frame after each quick/full render. */
const PROBE = () => {
  const w = window as unknown as {
    __qj: {
      key: number;
      quick: number[];
      sync: number[];
      full: number[];
      focused: number;
      firstQuick: number;
      slash: number;
    };
  };
  w.__qj = { key: 0, quick: [], sync: [], full: [], focused: 0, firstQuick: 0, slash: 0 };
  addEventListener(
    'keydown',
    (e) => {
      if (e.key === '/' && !w.__qj.slash) w.__qj.slash = e.timeStamp;
      else w.__qj.key = e.timeStamp;
    },
    true,
  );
  addEventListener('focusin', (e) => {
    if ((e.target as Element).id === 'qj-input' && !w.__qj.focused)
      requestAnimationFrame(() => (w.__qj.focused = performance.now() - w.__qj.slash));
  });
  addEventListener('quickjump:rendered', (e) => {
    const { kind } = (e as CustomEvent<{ kind: string }>).detail;
    const key = w.__qj.key;
    const input = document.querySelector<HTMLInputElement>('#qj-input');
    if (!key || !input?.value) return;
    if (kind === 'quick') w.__qj.sync.push(performance.now() - key);
    requestAnimationFrame(() => {
      const dt = performance.now() - key;
      if (kind === 'quick') {
        if (!w.__qj.firstQuick) w.__qj.firstQuick = dt;
        w.__qj.quick.push(dt);
      } else w.__qj.full.push(dt);
    });
  });
};

const QUERIES = [
  'billing-incident-123',
  '/r/search-incident-77',
  'https://bench.example/r/ledger-incident-503/#step-2',
  'r/gateway-incident-2',
  '@data-team',
  '@infra',
  'gateway',
  'webhooks',
  'notif',
  'BillingIncident100Firing',
  'ReportsIncident',
  'queue latency',
  'replica shard',
  'latncy',
  'rollback region',
  'sessions cache (12)',
  'exports token',
  'ingest backlog disk',
];

async function typeAndMeasure(page: Page, text: string): Promise<void> {
  for (const ch of text) {
    const before = await page.evaluate(() => (window as unknown as { __qj: { quick: number[] } }).__qj.quick.length);
    await page.keyboard.press(ch === ' ' ? 'Space' : ch);
    await page.waitForFunction(
      (n) => (window as unknown as { __qj: { quick: number[] } }).__qj.quick.length > n,
      before,
    );
  }
}

// BENCH_QJ_REUSE=1 measures the site built by the previous run (the build takes minutes).
const reuse =
  process.env.BENCH_QJ_REUSE === '1' &&
  existsSync(join(ROOT, 'tests/fixtures/.tmp', `bench-quickjump-${COUNT}`, 'dist/quickjump.json'));
const site = reuse ? join(ROOT, 'tests/fixtures/.tmp', `bench-quickjump-${COUNT}`) : makeSite();
if (!reuse) {
  console.log(`Building ${COUNT} generated runbooks in ${site} …`);
  const t0 = Date.now();
  const build = spawnSync(process.execPath, [ASTRO, 'build'], {
    cwd: site,
    encoding: 'utf8',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    maxBuffer: 1 << 28,
  });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout.slice(-3000)}\n${build.stderr.slice(-3000)}`);
  console.log(`built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

const dist = join(site, 'dist');
const index = readFileSync(join(dist, 'quickjump.json'));
const pagesInIndex = JSON.parse(index.toString()).pages.length as number;
const page1 = 'billing/billing-incident-0/';
const eager = eagerJs(dist, page1);
const astroDir = join(dist, '_astro');
const lazyFile = (re: RegExp) =>
  spawnSync('ls', [astroDir], { encoding: 'utf8' })
    .stdout.split('\n')
    .find((f) => re.test(f));
const dialogChunk = lazyFile(/^dialog\..*\.js$/);
const dialogSize = dialogChunk ? sizes(readFileSync(join(astroDir, dialogChunk))) : ([0, 0] as [number, number]);
const pagefindJs = sizes(readFileSync(join(dist, 'pagefind/pagefind.js')));

const server = spawn(process.execPath, [ASTRO, 'preview', '--port', String(PORT)], {
  cwd: site,
  env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  stdio: 'ignore',
});
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
try {
  await waitForServer(`${ORIGIN}/${page1}`);
  // First opens: fresh context each time (nothing cached).
  const focused: number[] = [];
  const firstResults: number[] = [];
  for (let run = 0; run < 5; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript(PROBE);
    await page.goto(`${ORIGIN}/${page1}`);
    await page.waitForLoadState('load');
    await page.waitForTimeout(500);
    await page.keyboard.press('/');
    await page.keyboard.press('b');
    await page.waitForFunction(
      () =>
        (window as unknown as { __qj: { firstQuick: number; focused: number } }).__qj.firstQuick > 0 &&
        (window as unknown as { __qj: { focused: number } }).__qj.focused > 0,
    );
    const r = await page.evaluate(() => (window as unknown as { __qj: { firstQuick: number; focused: number } }).__qj);
    focused.push(r.focused);
    firstResults.push(r.firstQuick);
    await context.close();
  }

  // After the first open: every keystroke of every query, several rounds.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(PROBE);
  await page.goto(`${ORIGIN}/${page1}`);
  await page.keyboard.press('/');
  await page.locator('#qj-input').waitFor();
  await page.waitForFunction(() => document.querySelector('#qj-service option:nth-child(2)'));
  const fullAtEnd: number[] = [];
  const ROUNDS = Number(process.env.BENCH_QJ_ROUNDS ?? 3);
  for (let round = 0; round < ROUNDS; round++) {
    for (const q of QUERIES) {
      await page.locator('#qj-input').fill('');
      await page.waitForTimeout(150);
      const fullBefore = await page.evaluate(
        () => (window as unknown as { __qj: { full: number[] } }).__qj.full.length,
      );
      await typeAndMeasure(page, q);
      // The full-text results for the whole query (debounce + Pagefind), measured from the last key.
      await page
        .waitForFunction((n) => (window as unknown as { __qj: { full: number[] } }).__qj.full.length > n, fullBefore, {
          timeout: 10_000,
        })
        .catch(() => undefined);
      const full = await page.evaluate(() => (window as unknown as { __qj: { full: number[] } }).__qj.full);
      if (full.length > fullBefore) fullAtEnd.push(full[full.length - 1]);
    }
  }
  const quick = await page.evaluate(() => (window as unknown as { __qj: { quick: number[] } }).__qj.quick);
  const sync = await page.evaluate(() => (window as unknown as { __qj: { sync: number[] } }).__qj.sync);
  // Sanity: the pasted URL lands on its page and anchor.
  await page.locator('#qj-input').fill('https://bench.example/r/ledger-incident-503/#step-2');
  const href = await page.locator('[role=option]').first().getAttribute('href');
  await context.close();

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, Chromium ${browser.version()}, ${new Date().toISOString().slice(0, 10)}`;
  const lines = [
    `### Quick-jump at ${COUNT} runbooks (\`npm run bench:quickjump\`, ${machine})`,
    '',
    '| what | value |',
    '|---|---:|',
    `| /quickjump.json (${pagesInIndex} pages), raw / gzip | ${kb(sizes(index))} |`,
    `| keystroke → quick results rendered, after first open (${quick.length} keystrokes, ${QUERIES.length} queries × ${ROUNDS}) | median ${ms(pct(quick, 50))}, p95 ${ms(pct(quick, 95))}, max ${ms(Math.max(...quick))} |`,
    `| of which keydown → results in the DOM (ranking + DOM update, before layout and paint) | median ${ms(pct(sync, 50))}, p95 ${ms(pct(sync, 95))} |`,
    `| first open of a fresh page: \`/\` → field focused (5 runs) | median ${ms(pct(focused, 50))}, max ${ms(Math.max(...focused))} |`,
    `| first open: a key typed right after \`/\` → its results (chunk + index + MiniSearch build; 5 runs) | median ${ms(pct(firstResults, 50))}, max ${ms(Math.max(...firstResults))} |`,
    `| last keystroke → Pagefind full-text results rendered (120 ms debounce included; ${fullAtEnd.length} queries) | median ${ms(pct(fullAtEnd, 50))}, p95 ${ms(pct(fullAtEnd, 95))} |`,
    `| eager JS of a runbook page, all (raw / gzip) | ${kb(eager.all)} |`,
    `| of which the quick-jump button and keys (raw / gzip) | ${kb(eager.ours)} |`,
    `| lazy: dialog chunk with ranking and MiniSearch (raw / gzip) | ${kb(dialogSize)} |`,
    `| lazy: pagefind.js (raw / gzip; then its wasm, index and fragments) | ${kb(pagefindJs)} |`,
    '',
    `Pasted \`https://bench.example/r/ledger-incident-503/#step-2\` → first result \`${href}\`. Eager scripts: ${eager.files.join(', ')}.`,
  ];
  console.log(`\n${lines.join('\n')}`);
} finally {
  await browser.close();
  server.kill();
}
