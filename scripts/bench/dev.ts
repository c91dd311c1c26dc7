/**
 * `npm run bench:dev`: how soon `astro dev` reports a finding after a save, at 1,000
 * runbooks (deterministic, ~8 KB each). Starts a real dev server on a scratch site, then
 * edits one page at a time: an unknown severity in, timed from the save to the finding's
 * line in the server's output; the page back as it was, timed from the save to the
 * "✓ <file>: clean" line. Wall clock, median of BENCH_EDITS edits (each on another page),
 * the check's own time as the server prints it, and the server process's CPU time per
 * save (/proc: the check and Astro's own reload of the page together).
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRunbooks } from './generate.ts';
import { median } from './measure.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COUNT = Number(process.env.BENCH_COUNT ?? 1000);
const EDITS = Number(process.env.BENCH_EDITS ?? 12);
const BUDGET_MS = 300;
const site = join(ROOT, 'tests/fixtures/.tmp/bench-dev');

rmSync(site, { recursive: true, force: true });
mkdirSync(join(site, 'src/content/runbooks'), { recursive: true });
cpSync(join(ROOT, 'src/content/severity.yaml'), join(site, 'src/content/severity.yaml'));
cpSync(join(ROOT, 'src/content/slos'), join(site, 'src/content/slos'), { recursive: true });
writeFileSync(
  join(site, 'src/content.config.ts'),
  "export { collections } from '../../../../../src/content.config.ts';\n",
);
writeFileSync(
  join(site, 'astro.config.mjs'),
  `import { defineConfig } from 'astro/config';\nimport { runbooksConfig } from '../../../../src/plugins/site/index.ts';\n` +
    `export default defineConfig(runbooksConfig({ root: new URL('.', import.meta.url), title: 'Bench', site: 'https://bench.example' }));\n`,
);
const pages = generateRunbooks(join(site, 'src/content/runbooks'), COUNT);

// Astro's CPU clock ticks (USER_HZ) are 100 a second on Linux.
const TICK_MS = 10;
const cpuMs = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
};

let out = '';
/** Each chunk of output and when it arrived. */
const arrivals: { at: number; end: number }[] = [];
const env: NodeJS.ProcessEnv = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0' };
delete env.NODE_ENV;
const server = spawn(
  process.execPath,
  [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'dev', '--port', String(4700 + (process.pid % 200))],
  { cwd: site, env },
);
const take = (b: Buffer) => {
  out += b.toString();
  arrivals.push({ at: performance.now(), end: out.length });
};
server.stdout.on('data', take);
server.stderr.on('data', take);

/** Waits for `pattern` in the output after offset `from`; returns when the chunk that completed it arrived. */
async function waitFor(pattern: RegExp, from: number, timeoutMs = 600_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const match = pattern.exec(out.slice(from));
    if (match) {
      const end = from + match.index + match[0].length;
      return arrivals.find((a) => a.end >= end)!.at;
    }
    if (server.exitCode !== null) throw new Error(`astro dev exited:\n${out}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`No ${pattern} in the output:\n${out.slice(from)}`);
}

const started = performance.now();
try {
  await waitFor(/ready in/, 0);
  await waitFor(/\[runbooks\]/, 0);
  console.log(`astro dev on ${COUNT} runbooks ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const found: number[] = [];
  const cleared: number[] = [];
  const checkMs: number[] = [];
  const cpu: number[] = [];
  // Pages the generator left clean (one in 25 is overdue for review).
  const clean = pages.filter((_, i) => i % 25 !== 0);
  for (let n = 0; n < EDITS; n++) {
    const rel = `src/content/runbooks/${clean[(n * 97) % clean.length]}`;
    const path = join(site, rel);
    const text = readFileSync(path, 'utf8');
    const broken = text.replace(/^severity: SEV-(\d)$/m, 'severity: SEV$1');
    for (const [edit, pattern, times] of [
      [
        broken,
        new RegExp(`${rel}:\\d+:\\d+ +error +Unknown severity[^\\n]*\\n[^\\n]*\\n\\n[^\\n]*\\((\\d+) ms\\)`),
        found,
      ],
      [text, new RegExp(`✓ ${rel}: clean`), cleared],
    ] as const) {
      // Astro reloads the page's entry after each save: let it finish before the next one.
      const from = out.length;
      const cpuBefore = cpuMs(server.pid!);
      const saved = performance.now();
      writeFileSync(path, edit);
      const at = await waitFor(pattern, from);
      times.push(at - saved);
      const said = pattern.exec(out.slice(from));
      if (said?.[1]) checkMs.push(Number(said[1]));
      await waitFor(new RegExp(`Reloaded data from|Failed to reload`), from);
      cpu.push(cpuMs(server.pid!) - cpuBefore);
    }
    console.log(
      `edit ${n + 1}: finding ${found.at(-1)!.toFixed(0)} ms, cleared ${cleared.at(-1)!.toFixed(0)} ms (${rel})`,
    );
  }
  const f = median(found);
  const c = median(cleared);
  console.log(
    `\n${COUNT} runbooks, median of ${EDITS} edits: save → finding ${f.toFixed(0)} ms, save → cleared ${c.toFixed(0)} ms ` +
      `(budget ${BUDGET_MS} ms: ${f <= BUDGET_MS && c <= BUDGET_MS ? 'within' : 'OVER'}); ` +
      `the check itself ${median(checkMs).toFixed(0)} ms; server CPU per save ${median(cpu).toFixed(0)} ms (Astro's reload of the page included)`,
  );
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
  );
} finally {
  server.kill();
}
