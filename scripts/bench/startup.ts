/**
 * `npm run bench:startup [-- <base-ref>]`: whether a change made the CLI start slower.
 * Times `runbook check` (the example site) and `runbook run <slug>#<id> --dry-run` on this
 * working tree and on <base-ref> (default: the last commit before the CLI's library moved
 * into src/plugins, issue 19), checked out into a temporary worktree that shares this
 * tree's node_modules. The two trees alternate in one run, fresh processes each, so the
 * machine's noise falls on both; wall and CPU time, median of BENCH_RUNS (default 15).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, timeNode } from './measure.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BASE = process.argv[2] ?? 'c650ff0';
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const TARGET = process.env.BENCH_TARGET ?? 'db-down#check-pool';

const git = (...args: string[]) => {
  const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};

const baseDir = join(mkdtempSync(join(tmpdir(), 'bench-startup-')), 'base');
git('worktree', 'add', '--detach', '--quiet', baseDir, BASE);
symlinkSync(join(ROOT, 'node_modules'), join(baseDir, 'node_modules'));
const trees = { base: baseDir, head: ROOT } as const;
const commands = {
  'runbook check': ['check', '--format', 'json'],
  [`runbook run ${TARGET} --dry-run`]: ['run', TARGET, '--dry-run'],
};
type Series = { wall: number[]; cpu: number[] };
const results = new Map<string, Series>();

try {
  for (let run = 0; run < RUNS + 1; run++) {
    for (const [label, args] of Object.entries(commands)) {
      for (const [tree, dir] of Object.entries(trees)) {
        const t = timeNode([join(dir, 'scripts/runbook.ts'), ...args], dir);
        if (t.status !== 0 && t.status !== 1) throw new Error(`${tree}: ${label} exited ${t.status}:\n${t.stdout}`);
        if (run === 0) continue; // the first round fills Node's compile cache for both trees
        const key = `${label}\t${tree}`;
        const s = results.get(key) ?? { wall: [], cpu: [] };
        s.wall.push(t.seconds * 1000);
        s.cpu.push(t.cpu * 1000);
        results.set(key, s);
      }
    }
  }
} finally {
  git('worktree', 'remove', '--force', baseDir);
  rmSync(join(baseDir, '..'), { recursive: true, force: true });
}

const head = git('rev-parse', '--short', 'HEAD');
console.log(
  `CLI start-up, ${BASE} (base) against ${head}${git('status', '--porcelain') ? ' + uncommitted changes' : ''} (head), ${RUNS} alternating fresh processes each, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`,
);
console.log('| command | tree | wall median | CPU median |');
console.log('|---|---|---|---|');
for (const [key, s] of results) {
  const [label, tree] = key.split('\t');
  console.log(`| \`${label}\` | ${tree} | ${median(s.wall).toFixed(0)} ms | ${median(s.cpu).toFixed(0)} ms |`);
}
