/**
 * `npm run bench:run`: how long `runbook run <slug>#<id> --dry-run` takes from process
 * start to exit on the example site, over fresh processes (20 by default). The
 * budget is 250 ms: an on-call engineer should not wait for the tool.
 *
 * Two series: as users get it (Node's compile cache on, so only the first start after
 * a change pays for type stripping) and with the compile cache disabled, every start cold.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { spawnProcess } from '../../src/plugins/runner.ts';
import { median } from './measure.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const TARGET = process.env.BENCH_TARGET ?? 'db-down#check-pool';
const BUDGET_MS = 250;

async function series(label: string, env: NodeJS.ProcessEnv): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await spawnProcess(process.execPath, [join(ROOT, 'scripts/runbook.ts'), 'run', TARGET, '--dry-run'], {
      cwd: ROOT,
      env,
      timeoutMs: 30_000,
    });
    if (r.exitCode !== 0)
      throw new Error(`runbook run ${TARGET} --dry-run exited ${r.exitCode}:\n${r.stdout}${r.stderr}`);
    times.push(r.durationMs);
  }
  const med = median(times);
  console.log(
    `${label.padEnd(26)} min ${Math.min(...times)} ms   median ${med} ms   max ${Math.max(...times)} ms   ${med <= BUDGET_MS ? 'within' : 'OVER'} the ${BUDGET_MS} ms budget`,
  );
  return med;
}

console.log(`runbook run ${TARGET} --dry-run, ${RUNS} fresh processes each (Node ${process.version})`);
const { NODE_DISABLE_COMPILE_CACHE: _ignored, ...env } = process.env;
const warm = await series('compile cache on (users)', env);
await series('compile cache off (cold)', { ...env, NODE_DISABLE_COMPILE_CACHE: '1' });
process.exitCode = warm <= BUDGET_MS ? 0 : 1;
