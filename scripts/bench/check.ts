/**
 * `npm run bench:check`: how fast `runbook check` validates 1,000 realistic runbooks
 * (deterministic, ~8 KB each) against markdownlint-cli2 (its defaults without MD013)
 * on the same files in the same run; then `runbook check` on the OpenShift runbooks
 * corpus from ../shared/corpus, given the minimal frontmatter in a temp copy.
 * Both tools run as fresh processes, timed wall-clock and CPU, median of several runs.
 * `runbook check` runs cold (its facts cache, under the project's node_modules/, removed
 * first) and again with nothing changed (the cache the cold run left).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRunbooks } from './generate.ts';
import { median, timeNode } from './measure.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COUNT = Number(process.env.BENCH_COUNT ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CLI = join(ROOT, 'scripts/runbook.ts');
const MARKDOWNLINT = join(ROOT, 'node_modules/markdownlint-cli2/markdownlint-cli2-bin.mjs');

/** A scratch project: the example ladder and SLOs, plus the given content. */
function project(name: string): string {
  const dir = join(ROOT, 'tests/fixtures/.tmp', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src/content/runbooks'), { recursive: true });
  cpSync(join(ROOT, 'src/content/severity.yaml'), join(dir, 'src/content/severity.yaml'));
  cpSync(join(ROOT, 'src/content/slos'), join(dir, 'src/content/slos'), { recursive: true });
  return dir;
}

const time = timeNode;

// 1. 1,000 generated runbooks: runbook check vs markdownlint-cli2, alternating.
const gen = project('bench-check');
generateRunbooks(join(gen, 'src/content/runbooks'), COUNT);
writeFileSync(
  join(gen, '.markdownlint-cli2.jsonc'),
  JSON.stringify({ config: { default: true, MD013: false } }, null, 2),
);
/**
 * The check's persistent caches live in the project's node_modules/.astro: a cold check
 * starts without them. The folder node_modules itself stays, as in any installed project
 * (the CLI keeps no cache in a folder that has none).
 */
const clearCaches = (dir: string) => {
  rmSync(join(dir, 'node_modules/.astro'), { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
};
const ours: number[] = [];
const unchanged: number[] = [];
const unchangedCpu: number[] = [];
const theirs: number[] = [];
const oursCpu: number[] = [];
const theirsCpu: number[] = [];
let sample = '';
for (let run = 0; run < RUNS; run++) {
  clearCaches(gen);
  const a = time([CLI, 'check', '--format', 'json'], gen);
  if (a.status === 2 || a.status === null) throw new Error(`runbook check failed:\n${a.stdout}`);
  const again = time([CLI, 'check', '--format', 'json'], gen);
  if (again.stdout !== a.stdout) throw new Error('runbook check reported differently with its cache');
  unchanged.push(again.seconds);
  unchangedCpu.push(again.cpu);
  sample = a.stdout;
  ours.push(a.seconds);
  oursCpu.push(a.cpu);
  const b = time([MARKDOWNLINT, 'src/content/runbooks/**/*.md'], gen);
  theirs.push(b.seconds);
  theirsCpu.push(b.cpu);
  console.log(
    `run ${run + 1}: runbook check ${a.seconds.toFixed(2)} s (cpu ${a.cpu.toFixed(2)} s), unchanged ${again.seconds.toFixed(2)} s (cpu ${again.cpu.toFixed(2)} s)   markdownlint-cli2 ${b.seconds.toFixed(2)} s (cpu ${b.cpu.toFixed(2)} s)`,
  );
}
const summary = JSON.parse(sample.slice(sample.indexOf('{'))).summary;
console.log(
  `\n${COUNT} runbooks (${(sizeOf(join(gen, 'src/content/runbooks')) / 1e6).toFixed(1)} MB), median of ${RUNS}: runbook check cold ${median(ours).toFixed(2)} s, cpu ${median(oursCpu).toFixed(2)} s (${summary.errors} errors, ${summary.warnings} warnings); nothing changed ${median(unchanged).toFixed(2)} s, cpu ${median(unchangedCpu).toFixed(2)} s; markdownlint-cli2 ${median(theirs).toFixed(2)} s, cpu ${median(theirsCpu).toFixed(2)} s`,
);
// The budgets (issue 21): cold ≤ 0.12× markdownlint-cli2 of the same run, ≤ 0.3 s when nothing changed.
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
console.log(
  `budget cold ≤ 0.12× markdownlint-cli2: ${(median(ours) / median(theirs)).toFixed(3)}× wall (${verdict(median(ours) / median(theirs) <= 0.12)}), ${(median(oursCpu) / median(theirsCpu)).toFixed(3)}× CPU (${verdict(median(oursCpu) / median(theirsCpu) <= 0.12)})`,
);
console.log(
  `budget ≤ 0.3 s with nothing changed: ${median(unchanged).toFixed(2)} s wall (${verdict(median(unchanged) <= 0.3)}), ${median(unchangedCpu).toFixed(2)} s CPU`,
);

// 1b. A pull request that touches one runbook: `--changed-since` on the same 1,000, in git.
{
  const git = (...args: string[]) =>
    spawnSync(
      'git',
      ['-c', 'user.email=b@example.com', '-c', 'user.name=bench', '-c', 'commit.gpgsign=false', ...args],
      {
        cwd: gen,
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_CEILING_DIRECTORIES: join(gen, '..'),
        },
      },
    );
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'bench');
  const first = readdirSync(join(gen, 'src/content/runbooks'), { recursive: true })
    .map(String)
    .find((n) => n.endsWith('.md'))!;
  const file = join(gen, 'src/content/runbooks', first);
  writeFileSync(file, `${readFileSync(file, 'utf8')}\nOne more line from the pull request.\n`);
  const scoped = Array.from({ length: RUNS }, () =>
    time([CLI, 'check', '--format', 'json', '--changed-since', 'HEAD'], gen),
  );
  const reported = JSON.parse(scoped[0].stdout.slice(scoped[0].stdout.indexOf('{'))).summary.files;
  console.log(
    `\n--changed-since HEAD with one of ${COUNT} runbooks changed, median of ${RUNS}: ${median(scoped.map((r) => r.seconds)).toFixed(2)} s, cpu ${median(scoped.map((r) => r.cpu)).toFixed(2)} s, reporting on ${reported} file(s) (full check above: ${median(ours).toFixed(2)} s)`,
  );
}

// 2. The OpenShift runbooks corpus, with minimal frontmatter added in a temp copy.
const corpus = join(ROOT, '../shared/corpus/openshift-runbooks');
if (existsSync(corpus)) {
  const dir = project('bench-corpus');
  const content = join(dir, 'src/content/runbooks');
  let files = 0;
  const walk = (from: string, to: string) => {
    for (const name of readdirSync(from)) {
      const src = join(from, name);
      if (statSync(src).isDirectory()) walk(src, join(to, name));
      else if (!name.endsWith('.md')) {
        // Images and other files the pages link to come along, as they sit in the repository.
        mkdirSync(to, { recursive: true });
        cpSync(src, join(to, name));
      } else {
        const body = readFileSync(src, 'utf8');
        const title = /^#\s+(.+)$/m.exec(body)?.[1]?.trim() ?? name.replace(/\.md$/, '');
        mkdirSync(to, { recursive: true });
        const frontmatter = [
          '---',
          `title: ${JSON.stringify(title)}`,
          'owner: "@openshift"',
          'review:',
          '  log:',
          '    - { date: 2026-11-01, reviewer: "@bench", change: "Imported" }',
          '---',
          '',
        ];
        writeFileSync(join(to, name), frontmatter.join('\n') + body);
        files++;
      }
    }
  };
  walk(corpus, content);
  const runs = Array.from({ length: RUNS }, () => time([CLI, 'check', '--format', 'json'], dir));
  const out = JSON.parse(runs[0].stdout.slice(runs[0].stdout.indexOf('{')));
  const byRule: Record<string, number> = {};
  for (const d of out.diagnostics) byRule[d.ruleId] = (byRule[d.ruleId] ?? 0) + 1;
  console.log(
    `\nopenshift-runbooks corpus: ${files} files, median ${median(runs.map((r) => r.seconds)).toFixed(2)} s (cpu ${median(runs.map((r) => r.cpu)).toFixed(2)} s), ${out.summary.errors} errors, ${out.summary.warnings} warnings`,
  );
  console.log(
    `  findings by rule: ${Object.entries(byRule)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
} else {
  console.log(`\n(skipped the corpus: ${corpus} is not there)`);
}
console.log(
  `\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
);

function sizeOf(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    total += statSync(p).isDirectory() ? sizeOf(p) : statSync(p).size;
  }
  return total;
}
