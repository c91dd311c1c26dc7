/**
 * The replayed report (check/replay.ts): over hundreds of generated edits (pages, a linked
 * file's existence, settings, ladder, scripts, SLOs, the day, the options), what
 * `runbook check` prints and exits with is what a fresh `--no-cache` check gives; with
 * nothing changed it is replayed; a damaged report file is ignored; `--no-cache` and a
 * GitHub job's summary always check.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSealed, writeSealed } from '../../src/plugins/check/cache.ts';
import { fingerprint, REPORT_CACHE_FILE, replayKey, type Replay } from '../../src/plugins/check/replay.ts';
import { isoDate } from '../../src/plugins/review/status.ts';
import { pageFiles } from '../../src/plugins/check/index.ts';
import { generateRunbooks } from '../../scripts/bench/generate.ts';
import { check } from '../../scripts/commands/check.ts';
import { LADDER } from '../fixtures/bad-input.ts';
import { project, removeProjects } from '../fixtures/check-project.ts';
import { seeded } from '../fixtures/seeded.ts';

afterAll(removeProjects);

const DAY = 86_400_000;

/** Runs `runbook check args` in `root` on day `today`: what it printed (stream-tagged) and its exit code. */
async function run(root: string, args: string[], today: Date, color = false, env: NodeJS.ProcessEnv = {}) {
  const lines: string[] = [];
  const status = await check(args, {
    cwd: root,
    color,
    env,
    now: () => today,
    out: (t) => lines.push(`1 ${t}`),
    err: (t) => lines.push(`2 ${t}`),
  });
  return { lines, status };
}

/** The report file's identity: a run that replays leaves it as it was, a run that checks writes a new one. */
const reportId = (root: string) => {
  const path = join(root, 'node_modules/.astro', REPORT_CACHE_FILE);
  return existsSync(path) ? `${statSync(path).ino}` : 'none';
};

describe('the replayed report of runbook check', () => {
  it('prints, edit after edit, what a fresh check without caches prints, and replays when nothing changed', async () => {
    let edits = 0;
    let replays = 0;
    const outputs = new Set<string>();
    for (let seed = 1; seed <= 3; seed++) {
      const root = project();
      generateRunbooks(join(root, 'src/content/runbooks'), 4, seed);
      const { pick, chance, next } = seeded(seed * 104_729);
      const at = (file: string) => join(root, file);
      const write = (file: string, text: string) => {
        mkdirSync(dirname(at(file)), { recursive: true });
        writeFileSync(at(file), text);
      };
      let today = new Date(Math.floor(Date.now() / DAY) * DAY + 12 * 3_600_000);
      for (let n = 0; n < 70; n++) {
        const files = pageFiles(root);
        const file = pick(files);
        const text = readFileSync(at(file), 'utf8');
        const edit = Math.floor(next() * 12);
        if (edit === 0) write(file, `${text}\nSee [the sheet](/files/sheet-${n % 3}.pdf) and [gone](/nowhere/).\n`);
        else if (edit === 1)
          // A linked file comes and goes: the page's text stays as it is.
          (chance(0.5) ? (f: string) => rmSync(at(f), { force: true }) : (f: string) => write(f, 'pdf'))(
            `public/files/sheet-${n % 3}.pdf`,
          );
        else if (edit === 2)
          // The same size, in the same instant: only the bytes tell.
          write(
            file,
            text.replace(/severity: SEV-(\d)/, (_, d: string) => `severity: SEV-${(Number(d) % 4) + 1}`),
          );
        else if (edit === 3 && files.length > 2) rmSync(at(file));
        else if (edit === 4) write(`src/content/runbooks/new/page-${n}.md`, text);
        else if (edit === 5)
          write(
            'src/content/severity.yaml',
            LADDER.replace('label: Critical', `label: ${pick(['Critical', 'Urgent'])}`),
          );
        else if (edit === 6)
          write(
            'runbooks.config.yaml',
            pick(['maxFileBytes: 4000\n', 'maxFileBytes: 1000000\n', 'review:\n  every: 30\n', 'nonsense: [\n', '']),
          );
        else if (edit === 7)
          // A referenced script loses or gets back its executable bit: its bytes and time stay.
          chmodSync(at('ops/queue-depth.sh'), chance(0.5) ? 0o644 : 0o755);
        else if (edit === 8) {
          if (chance(0.5)) rmSync(at('src/content/slos/queue-latency.yaml'), { force: true });
          else write('src/content/slos/queue-latency.yaml', 'service: queue\nobjective: 99.9\nwindow: 28d\n');
        } else if (edit === 9) today = new Date(today.getTime() + pick([1, 30, 90]) * DAY);
        else if (edit === 10) write(`ops/tool-${n % 2}.sh`, '#!/bin/sh\necho hi\n');
        else write(file, `${text}\n## Notes ${n}\n\nText.\n`);
        edits++;
        const args = pick([[], ['--format', 'json'], ['--format', 'markdown'], ['--no-baseline'], ['src/content']]);
        const color = chance(0.3);
        const cached = await run(root, args, today, color);
        const fresh = await run(root, [...args, '--no-cache'], today, color);
        const where = `seed ${seed}, edit ${n} (${edit}) of ${file}`;
        expect(cached, where).toEqual(fresh);
        // Nothing changed since: replayed (the report file is left as it was), and the same.
        const before = reportId(root);
        expect(await run(root, args, today, color), where).toEqual(fresh);
        if (reportId(root) === before) replays++;
        outputs.add(fresh.lines.join('\n'));
      }
    }
    expect(edits).toBe(210);
    // The property is not about one unchanging report, nor about runs that never replay.
    expect(replays).toBe(210);
    expect(outputs.size).toBeGreaterThan(100);
  });

  it('sees a new day, new options and colour', async () => {
    const root = project();
    generateRunbooks(join(root, 'src/content/runbooks'), 30, 5);
    const today = new Date();
    const first = await run(root, ['--format', 'json'], today);
    const later = new Date(today.getTime() + 100 * DAY);
    expect(await run(root, ['--format', 'json'], later)).toEqual(
      await run(root, ['--format', 'json', '--no-cache'], later),
    );
    expect((await run(root, ['--format', 'json'], later)).lines).not.toEqual(first.lines);
    expect(await run(root, [], today, true)).toEqual(await run(root, ['--no-cache'], today, true));
  });

  it('replays nothing with --no-cache, nor in a GitHub job, and ignores a damaged report file', async () => {
    const root = project();
    generateRunbooks(join(root, 'src/content/runbooks'), 3, 9);
    const today = new Date();
    const fresh = await run(root, ['--format', 'json'], today);
    // A report file forged with the right key and fingerprints: a replay prints it, --no-cache never reads it.
    const path = join(root, 'node_modules/.astro', REPORT_CACHE_FILE);
    const file = readFileSync(path);
    const magic = file.subarray(0, 8);
    const key = replayKey([['--format', 'json'], root, false, isoDate(today)]);
    const stored = deserialize(readSealed(path, magic, key)!) as { replay: Replay };
    stored.replay = { lines: [[1, 'forged']], status: 3 };
    writeSealed(path, magic, key, serialize(stored));
    expect(await run(root, ['--format', 'json'], today)).toEqual({ lines: ['1 forged'], status: 3 });
    expect(await run(root, ['--format', 'json', '--no-cache'], today)).toEqual(fresh);
    expect(await run(root, ['--format', 'json'], today)).toEqual({ lines: ['1 forged'], status: 3 });
    // A GitHub job writes its summary on every run: it checks.
    const summary = join(root, 'summary.md');
    const job = { GITHUB_STEP_SUMMARY: summary };
    await run(root, ['--format', 'github'], today, false, job);
    const once = readFileSync(summary, 'utf8');
    await run(root, ['--format', 'github'], today, false, job);
    expect(readFileSync(summary, 'utf8')).toBe(once + once);
    // A report file that is not whole is not trusted: the check runs and writes a good one.
    const good = readFileSync(path);
    for (const damaged of [good.subarray(0, good.length - 5), Buffer.from('RBREPLY'), Buffer.alloc(0)]) {
      writeFileSync(path, damaged);
      expect(await run(root, ['--format', 'json'], today)).toEqual(fresh);
      expect(readFileSync(path).length).toBeGreaterThan(damaged.length);
    }
    const flipped = Buffer.from(readFileSync(path));
    flipped[flipped.length - 3] ^= 0xff;
    writeFileSync(path, flipped);
    expect(await run(root, ['--format', 'json'], today)).toEqual(fresh);
  });

  it('never replays over a linked folder, whose files can change with no stat the walk sees', async () => {
    const root = project();
    generateRunbooks(join(root, 'src/content/runbooks'), 3, 4);
    // Pages that live in a folder the walk skips (dist/, as node_modules/), linked into the content.
    mkdirSync(join(root, 'dist/shared'), { recursive: true });
    const page = join(root, 'dist/shared/linked.md');
    writeFileSync(page, '---\ntitle: Linked\nowner: "@ops-team"\nseverity: SEV-2\n---\n\nBody.\n');
    symlinkSync(join(root, 'dist/shared'), join(root, 'src/content/runbooks/linked'));
    // Older than the two seconds in which a stat is not trusted alone.
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const path of [page, join(root, 'dist/shared')]) utimesSync(path, hourAgo, hourAgo);
    const today = new Date();
    await run(root, ['--format', 'json'], today);
    await run(root, ['--format', 'json'], today);
    // Edited in place, the folder's stat and the link's stay as they were.
    writeFileSync(page, readFileSync(page, 'utf8').replace('severity: SEV-2', 'severity: ZZ'));
    const fresh = await run(root, ['--format', 'json', '--no-cache'], today);
    expect(fresh.lines.join('\n')).toContain('severity-unknown');
    expect(await run(root, ['--format', 'json'], today)).toEqual(fresh);
  });

  it('hashes the files modified in the last two seconds, whose stat a change in the same clock tick would leave as it was', () => {
    const root = project();
    // Never a FIFO's bytes, nor what a link points at (it may be outside the repository).
    execFileSync('mkfifo', [join(root, 'pipe')]);
    symlinkSync(join(root, 'pipe'), join(root, 'to-pipe'));
    symlinkSync(join(root, 'ops/queue-depth.sh'), join(root, 'to-script'));
    const fifo = fingerprint([root]);
    expect(fifo.hashes.map(([p]) => p)).not.toContain(join(root, 'pipe'));
    expect(fifo.files.filter((l) => l.includes('to-script\0recent'))).toHaveLength(1);
    const file = join(root, 'ops/queue-depth.sh');
    const mtime = statSync(file, { bigint: true }).mtimeNs;
    const hashed = (nowNs: bigint) => fingerprint([root], [], nowNs).hashes.map(([p]) => p);
    expect(hashed(mtime + 1_000_000_000n)).toContain(file);
    expect(hashed(mtime + 3_000_000_000n)).toEqual([]);
    const then = fingerprint([root], [], mtime + 1_000_000_000n);
    expect(then.hashes.find(([p]) => p === file)?.[1]).toMatch(/^[0-9a-f]{64}$/);
  });
});
