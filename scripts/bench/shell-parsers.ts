/**
 * `npx node scripts/bench/shell-parsers.ts`: what reading shell snippets with mvdan/sh
 * (sh-syntax, WebAssembly) would cost against our lexer, on the example runbooks' shell
 * blocks: the cold start in a fresh Node process, and the time per snippet once loaded.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** Every ```bash / ```sh block of the example runbooks. */
function shellBlocks(): string[] {
  const dir = join(ROOT, 'src/content/runbooks');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.mdx?$/.test(f));
  return files.flatMap((f) =>
    [...readFileSync(join(dir, f), 'utf8').matchAll(/^```(?:bash|sh)\b[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Milliseconds a fresh Node process spends in `code` (an ES module body that prints its own timing). */
function cold(code: string): number {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim());
}

const blocks = shellBlocks();
const sample = JSON.stringify(blocks[0] ?? 'echo "$X"');
// Both start where `runbook run` already stands (snippet.ts loaded through reader.ts); timed is what reading one snippet adds.
const loaded = `const { variableUses } = await import('./src/plugins/snippets/snippet.ts');`;
const coldOurs = median(
  Array.from({ length: RUNS }, () =>
    cold(`${loaded} const t = performance.now(); variableUses(${sample}); console.log(performance.now() - t);`),
  ),
);
const coldSh = median(
  Array.from({ length: RUNS }, () =>
    cold(
      `${loaded} const t = performance.now(); const { parse } = await import('sh-syntax'); await parse(${sample}); console.log(performance.now() - t);`,
    ),
  ),
);

const { variableUses } = await import('../../src/plugins/snippets/snippet.ts');
const { parse } = await import('sh-syntax');
const { shReading } = await import('../../src/plugins/snippets/sh-parse.ts');
for (const b of blocks) variableUses(b);
await parse(blocks[0]);
await shReading(blocks[0]);

/** Mean milliseconds per block of `run` over all blocks. */
const time = async (run: (block: string) => unknown): Promise<number> => {
  const t = performance.now();
  for (const b of blocks) await run(b);
  return (performance.now() - t) / blocks.length;
};
const oursPer: number[] = [];
const shPer: number[] = [];
const adapterPer: number[] = [];
for (let r = 0; r < RUNS; r++) {
  oursPer.push(await time((b) => variableUses(b)));
  shPer.push(await time((b) => parse(b)));
  adapterPer.push(await time((b) => shReading(b)));
}
const chars = blocks.reduce((n, b) => n + b.length, 0);
console.log(`${blocks.length} shell blocks (${chars} characters) in src/content/runbooks, median of ${RUNS} runs`);
console.log(
  `cold, first snippet in a fresh process that has loaded snippet.ts (sh-syntax: its import too): ours ${coldOurs.toFixed(1)} ms, sh-syntax ${coldSh.toFixed(1)} ms`,
);
console.log(
  `per snippet, warm: ours ${(median(oursPer) * 1000).toFixed(1)} µs (sync), sh-syntax parse ${median(shPer).toFixed(2)} ms (async), sh-parse.ts reading ${median(adapterPer).toFixed(2)} ms (async)`,
);
