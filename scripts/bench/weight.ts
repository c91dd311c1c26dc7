/**
 * `npm run bench:weight`: what a runbook page costs a reader, and whether it grows with
 * the site. Builds our site over 100 and 1,000 generated runbooks (and bare Starlight over
 * 100, to tell its scripts from ours), then in real Chromium loads the same runbook page
 * and counts every byte it fetches before any interaction, gzip-compressed as a host
 * would send it. Budgets (issue 11): HTML at 1,000 ≤ 1.1× at 100; a runbook page ≤ 35 KB
 * gzip in total; our own JS ≤ 10 KB gzip; dist/ at 1,000 ≤ 90 MB; no search code before
 * first use. Prints a table and appends it to BENCHMARKS.md.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { serveStatic } from '../../tests/fixtures/static-server.ts';
import { build, makeSite, pages, ROOT, sizeOf } from './sites.ts';

const PAGE = 'billing/billing-incident-0/';
interface Load {
  html: number;
  css: number;
  js: number;
  own: number;
  ownFiles: string[];
  other: number;
  search: string[];
}

/** Loads `PAGE` from `dist` in Chromium; gzip bytes of everything fetched before any interaction. */
async function load(dist: string, starlightJs: Set<string>): Promise<Load> {
  const { server, origin } = await serveStatic(() => dist);
  const browser = await chromium.launch({
    executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const out: Load = { html: 0, css: 0, js: 0, own: 0, ownFiles: [], other: 0, search: [] };
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    pending.push(
      response.body().then(
        (body) => {
          const url = new URL(response.url());
          const size = gzipSync(body).length;
          const name = url.pathname.split('/').pop() ?? '';
          // The search UI: Pagefind's files, the quick-jump index and dialog (the header button's own few hundred bytes are not).
          if (/\/pagefind\/|\/quickjump\.json$|\/_astro\/(dialog|ui-core)\.[^/]*\.js$/.test(url.pathname))
            out.search.push(url.pathname);
          if (response.request().resourceType() === 'document') out.html += size;
          else if (url.pathname.endsWith('.css')) out.css += size;
          else if (url.pathname.endsWith('.js')) {
            out.js += size;
            if (!starlightJs.has(name)) {
              out.own += size;
              out.ownFiles.push(`${name} ${(size / 1024).toFixed(1)} KB`);
            }
          } else out.other += size;
        },
        () => undefined,
      ),
    );
  });
  await page.goto(`${origin}/${PAGE}`, { waitUntil: 'networkidle' });
  await Promise.all(pending);
  await browser.close();
  server.close();
  return out;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const starlight = makeSite('starlight', 100);
build(starlight, true);
const starlightJs = new Set(readdirSync(join(starlight, 'dist/_astro')).filter((f) => f.endsWith('.js')));

const rows: string[] = [];
const html: Record<number, [number, number]> = {};
let verdicts: string[] = [];
for (const count of (process.env.BENCH_SIZES ?? '100,1000').split(',').map(Number)) {
  const site = makeSite('ours', count);
  const b = build(site, true);
  const dist = join(site, 'dist');
  const raw = readFileSync(join(dist, PAGE, 'index.html'));
  html[count] = [raw.length, gzipSync(raw).length];
  const l = await load(dist, starlightJs);
  const total = l.html + l.css + l.js + l.other;
  const distMb = sizeOf(dist) / 1e6;
  console.log(
    `${count} runbooks: built in ${b.wall.toFixed(1)} s; page ${kb(total)} gzip (own JS: ${l.ownFiles.join(', ')})`,
  );
  rows.push(
    `| ${count} | ${pages(dist)} | ${distMb.toFixed(1)} MB | ${kb(raw.length)} / ${kb(html[count][1])} | ${kb(l.css)} | ${kb(l.js)} | ${kb(l.own)} | ${kb(total)} | ${l.search.length ? l.search.join(' ') : 'none'} |`,
  );
  if (count === 1000) {
    verdicts = [
      `page total ${kb(total)} gzip (budget 35 KB): ${total <= 35 * 1024 ? 'met' : 'NOT met'}`,
      `our own JS ${kb(l.own)} gzip (budget 10 KB): ${l.own <= 10 * 1024 ? 'met' : 'NOT met'}`,
      `dist/ ${distMb.toFixed(1)} MB (budget 90 MB): ${distMb <= 90 ? 'met' : 'NOT met'}`,
      `search code before first use: ${l.search.length ? 'yes (NOT met)' : 'none (met)'}`,
    ];
  }
}
if (html[100] && html[1000]) {
  const ratio = html[1000][0] / html[100][0];
  verdicts.unshift(
    `HTML of the same page at 1,000 vs 100 runbooks: ${ratio.toFixed(3)}× raw, ${(html[1000][1] / html[100][1]).toFixed(3)}× gzip (budget 1.1×): ${ratio <= 1.1 ? 'met' : 'NOT met'}`,
  );
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
const table = [
  `### Page weight (\`npm run bench:weight\`, ${machine})`,
  '',
  `The same generated runbook page (\`/${PAGE}\`), loaded in Chromium from a plain static server; every response before any interaction, gzip as a host sends it. "Own JS" is every script that bare Starlight's build does not also ship.`,
  '',
  '| runbooks | pages | dist/ | page HTML raw / gzip | CSS gzip | JS gzip | own JS gzip | page total gzip | search files fetched before use |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ...rows,
  '',
  ...verdicts.map((v) => `- ${v}`),
  '',
].join('\n');
console.log(`\n${table}`);
if (process.env.BENCH_RECORD !== '0') appendFileSync(join(ROOT, 'BENCHMARKS.md'), `\n${table}`);
