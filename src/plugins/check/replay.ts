/**
 * The replayed report: what `runbook check` printed and its exit status, kept beside the
 * facts cache (`node_modules/.astro/runbooks-report.bin`) with a fingerprint of every input
 * a finding can depend on. When nothing changed the CLI prints it again without loading
 * the checker. Light on purpose (Node's own modules and the caches' file format only): it
 * runs before any rule is imported.
 *
 * The inputs: the key (the arguments, colour and the UTC day, given by the caller), the
 * code (the files the facts cache's key hashes, the CLI's own, the installed packages) and every file
 * under the project root except its node_modules, .git, dist and .astro: its path, size,
 * modification and change times in nanoseconds, inode and mode; for a symbolic link its target and the
 * target's. A file modified within {@link RACY_NS} of the fingerprint is also hashed: a
 * change in the same clock tick, of the same size, would leave its stat as it was.
 */
import { hash } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync, statSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { readSealed, writeSealed } from './cache.ts';

/** The file the last report is kept in, in the facts cache's folder. */
export const REPORT_CACHE_FILE = 'runbooks-report.bin';

/** The first bytes of a report file: what it is and the format's version. */
const MAGIC = Buffer.from('RBREPLY\u0001');

/** Folders at the root whose contents no finding depends on (dependencies, version control, build output, caches); deeper down a folder of these names may hold pages. */
const SKIPPED = new Set(['node_modules', '.git', 'dist', '.astro']);

/** How recent a file's modification may be and its stat still not trusted alone (coarse file-system clocks tick in up to 2 s). */
const RACY_NS = 2_000_000_000n;

/** What a replayed run printed, line by line (1 standard output, 2 standard error), and its exit status. */
export interface Replay {
  lines: [1 | 2, string][];
  status: number;
}

/** The inputs of a run as found before it: one line per file, and the content hashes of recently modified files. */
export interface Fingerprint {
  files: string[];
  hashes: [string, string][];
}

/** A file's stat as the fingerprint records it (the change time too: a write or chmod sets it, and nothing sets it back). */
const statLine = (s: BigIntStats) =>
  `${s.isDirectory() ? 'd' : 'f'} ${s.size} ${s.mtimeNs} ${s.ctimeNs} ${s.ino} ${s.mode}`;

/** The hash of a file's bytes, or "" when it cannot be read. */
function contentHash(path: string): string {
  try {
    return hash('sha256', readFileSync(path));
  } catch {
    return '';
  }
}

/**
 * The fingerprint of the trees at `roots` (absolute) and of the single files `files`,
 * now (`nowNs`: the clock, in nanoseconds since the epoch). Sorted by path, so two walks
 * of one tree agree.
 */
export function fingerprint(
  roots: readonly string[],
  files: readonly string[] = [],
  nowNs = BigInt(Date.now()) * 1_000_000n,
): Fingerprint {
  const lines: string[] = [];
  const hashes: [string, string][] = [];
  const recent = (s: BigIntStats) => s.mtimeNs + RACY_NS >= nowNs;
  const one = (path: string, name: string, link: boolean) => {
    try {
      if (link) {
        // A link is its target string and what is there now (a link to a folder is not walked).
        let target: BigIntStats | undefined;
        try {
          target = statSync(path, { bigint: true });
        } catch {
          target = undefined;
        }
        lines.push(`${name}\0link ${readlinkSync(path)}\0${target ? statLine(target) : 'missing'}`);
        // What a link points at is never read (it may be outside the repository, or a FIFO):
        // a recent one makes this fingerprint match no other, so the next run checks. Nor is
        // a linked folder walked (it may loop, or lead where the walk skips, as node_modules):
        // its files can change with no stat here changing, so it too matches no other.
        if (target && (recent(target) || target.isDirectory())) lines.push(`${name}\0recent ${nowNs}`);
      } else {
        const own = statSync(path, { bigint: true });
        lines.push(`${name}\0${statLine(own)}`);
        // Only a regular file's bytes are read: a FIFO would never end.
        if (own.isFile() && recent(own)) hashes.push([path, contentHash(path)]);
      }
    } catch {
      lines.push(`${name}\0missing`);
    }
  };
  const walk = (dir: string, rel: string, top: boolean) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      lines.push(`${rel}\0unreadable`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (top && SKIPPED.has(entry.name)) continue;
      const path = join(dir, entry.name);
      const name = `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        lines.push(`${name}\0dir`);
        walk(path, name, false);
      } else one(path, name, entry.isSymbolicLink());
    }
  };
  for (const root of roots) walk(root, root, true);
  for (const file of files) one(file, file, false);
  return { files: lines, hashes };
}

/** Whether `now` is what `then` was taken of: the same stats, and the same bytes in the files recent then. */
function unchanged(then: Fingerprint, now: Fingerprint): boolean {
  if (then.files.length !== now.files.length || then.files.some((line, i) => line !== now.files[i])) return false;
  return then.hashes.every(([path, digest]) => contentHash(path) === digest);
}

/**
 * The key of a report: `parts` (the options, colour, day, given by the caller) and Node's
 * version. The code is not in it but beside it ({@link codeFingerprint}).
 */
export function replayKey(parts: readonly unknown[]): Buffer {
  return Buffer.from(hash('sha256', JSON.stringify([process.version, parts])), 'hex');
}

/**
 * The code a report was made with, as stats: every file of the library (what the facts
 * cache's key hashes: a change to any changes the report), the caller's own
 * files, and the installed packages (npm's record of node_modules). Stats, not hashes: reading
 * and hashing every source file would cost the replay a tenth of its budget.
 */
export function codeFingerprint(codeFiles: readonly string[]): Fingerprint {
  const plugins = fileURLToPath(new URL('..', import.meta.url));
  const installed = fileURLToPath(new URL('../../../node_modules/.package-lock.json', import.meta.url));
  return fingerprint([plugins], [...codeFiles, installed]);
}

/** The run kept in `cacheDir` for `key` when the tree at `root` is as it was then; else undefined (never throws). */
export function findReplay(cacheDir: string, key: Buffer, root: string, code: () => Fingerprint): Replay | undefined {
  const payload = readSealed(join(cacheDir, REPORT_CACHE_FILE), MAGIC, key);
  if (!payload) return undefined;
  let stored: Partial<Stored>;
  try {
    stored = deserialize(payload) as typeof stored;
  } catch {
    return undefined;
  }
  const { code: codeThen, tree: then, replay } = stored ?? {};
  if (
    !isFingerprint(codeThen) ||
    !isFingerprint(then) ||
    !Array.isArray(replay?.lines) ||
    typeof replay.status !== 'number' ||
    !replay.lines.every(([stream, text]) => (stream === 1 || stream === 2) && typeof text === 'string')
  )
    return undefined;
  return unchanged(codeThen, code()) && unchanged(then, fingerprint([root])) ? replay : undefined;
}

/** Keeps the run `replay` of the tree `taken` before it, for `key` (atomic; a failure only costs the next run its time). */
export function saveReplay(cacheDir: string, key: Buffer, taken: Omit<Stored, 'replay'>, replay: Replay): void {
  writeSealed(join(cacheDir, REPORT_CACHE_FILE), MAGIC, key, serialize({ ...taken, replay } satisfies Stored));
}

/** What a report file holds: the code and the tree it was made of, and the run. */
interface Stored {
  code: Fingerprint;
  tree: Fingerprint;
  replay: Replay;
}

/** Whether a value read back is a {@link Fingerprint}. */
const isFingerprint = (f: Partial<Fingerprint> | undefined): f is Fingerprint =>
  Array.isArray(f?.files) &&
  f.files.every((l) => typeof l === 'string') &&
  Array.isArray(f.hashes) &&
  f.hashes.every((h) => Array.isArray(h) && typeof h[0] === 'string' && typeof h[1] === 'string');
