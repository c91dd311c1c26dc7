/**
 * The facts cache: each page's facts (what collectFacts reads from it), kept between runs
 * in Astro's cache folder (`node_modules/.astro/runbooks-facts.bin`, so a cold build that
 * deletes it is really cold), shared by `runbook check`, the build's gate and the dev
 * server's start-up. An entry is found by the page's path and the hash of its bytes; the
 * whole file by a key over what shapes facts (the code that reads them, the parsers'
 * versions, the size limit, the ladder's labels). Only facts are kept: findings depend on
 * other files (links, scripts, SLOs, today) and are worked out on every run.
 *
 * A file that is not exactly what this code wrote (another key, truncated, corrupt,
 * foreign) is ignored, never trusted: a checksum covers it, and it is written whole
 * (a temporary file, then a rename), so a reader never sees half of one.
 */
import { hash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { RunbookFacts } from '../runbook/facts.ts';

/** The cache file, in the folder Astro keeps its own caches in (config `cacheDir`, by default `node_modules/.astro`). */
export const FACTS_CACHE_FILE = 'runbooks-facts.bin';

/** Astro's default cache folder, from the project root. */
export const DEFAULT_CACHE_DIR = 'node_modules/.astro';

/**
 * Where the CLI keeps its caches for the project at `root`: Astro's default cache folder,
 * when the project is installed (its `node_modules` exists); else nowhere. A check run in a
 * plain folder never creates `node_modules` there (npm would then take that folder for a
 * package root).
 */
export const projectCacheDir = (root: string): string | undefined =>
  existsSync(join(root, 'node_modules')) ? join(root, DEFAULT_CACHE_DIR) : undefined;

/** The first bytes of a cache file: what it is and the format's version. */
const MAGIC = Buffer.from('RBFACTS\u0001');
const DIGEST = 32;

/** The settings that shape a page's facts (besides its bytes, path and our code). */
export interface FactsSettings {
  maxBytes: number;
  severityLabels: ReadonlyMap<string, string>;
  mdxBindings: boolean;
}

/** One page's cached facts, serialised (each hit deserialises its own copy), and the hash of the bytes they were read from. */
interface Entry {
  digest: string;
  facts: Uint8Array;
}

/** The packages whose output is in the facts: a new version may read a page differently. */
const PARSERS = [
  'satteri',
  'js-yaml',
  'smol-toml',
  'acorn',
  'periscopic',
  'github-slugger',
  'hast-util-from-html',
  'hast-util-sanitize',
];

let codeDigest: string | undefined;

/**
 * What the facts were read with: every source file of the library (facts.ts and what it
 * reads with live there; hashing them all never misses one), the parsers' versions and
 * Node's (the serialisation format).
 */
export function codeHash(): string {
  if (codeDigest !== undefined) return codeDigest;
  const plugins = fileURLToPath(new URL('..', import.meta.url));
  const parts: string[] = [process.version];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) parts.push(path.slice(plugins.length), hash('sha256', readFileSync(path)));
    }
  };
  walk(plugins);
  const require = createRequire(import.meta.url);
  for (const name of PARSERS) parts.push(name, packageVersion(require, name));
  return (codeDigest = hash('sha256', parts.join('\0')));
}

/** A package's version (from the package.json above its entry), or "" when it is not found. */
function packageVersion(require: NodeJS.Require, name: string): string {
  try {
    for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === name) return pkg.version ?? '';
      } catch {
        // No package.json at this level: look further up.
      }
    }
  } catch {
    // Not installed: its absence is part of the key.
  }
  return '';
}

/** The key of a cache file: the code and the settings. Two runs with one key read every page alike. */
export function cacheKey(settings: FactsSettings): Buffer {
  return Buffer.from(
    hash(
      'sha256',
      JSON.stringify([
        codeHash(),
        settings.maxBytes === Infinity ? 'Infinity' : settings.maxBytes,
        [...settings.severityLabels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        settings.mdxBindings,
      ]),
    ),
    'hex',
  );
}

/** The cache of one run: facts found by path and bytes, and those read this run, for {@link FactsCache.save}. */
export interface FactsCache {
  /** The cached facts of `file` read from `bytes`, or undefined. */
  get(file: string, bytes: Buffer): RunbookFacts | undefined;
  /** Records the facts read from `bytes` (serialised now: later changes to them are not cached). */
  put(file: string, bytes: Buffer, facts: RunbookFacts): void;
  /** Writes the pages recorded since opening (every page this run read; those gone are dropped), when anything changed. */
  save(): void;
  /** Pages found in the cache, and read afresh, since opening. */
  readonly hits: number;
  readonly misses: number;
}

/** The digest the entries are found by. */
const digestOf = (bytes: Buffer) => hash('sha256', bytes);

/**
 * Opens the cache file in `dir` (absolute) for settings `settings`: its entries when it
 * is one this code wrote with the same key, else none. Never throws.
 */
export function openFactsCache(dir: string, settings: FactsSettings): FactsCache {
  const path = join(dir, FACTS_CACHE_FILE);
  const key = cacheKey(settings);
  const old = readEntries(path, key);
  const now = new Map<string, Entry>();
  let hits = 0;
  let misses = 0;
  let changed = false;
  return {
    get(file, bytes) {
      const entry = old.get(file);
      if (!entry) return undefined;
      const digest = digestOf(bytes);
      if (entry.digest !== digest) return undefined;
      let facts: RunbookFacts;
      try {
        facts = deserialize(entry.facts) as RunbookFacts;
      } catch {
        return undefined;
      }
      if (facts?.file !== file) return undefined;
      hits++;
      now.set(file, entry);
      return facts;
    },
    put(file, bytes, facts) {
      misses++;
      changed = true;
      now.set(file, { digest: digestOf(bytes), facts: serialize(facts) });
    },
    save() {
      if (!changed && now.size === old.size) return;
      writeEntries(path, key, now);
      changed = false;
    },
    get hits() {
      return hits;
    },
    get misses() {
      return misses;
    },
  };
}

/** The entries of the cache file at `path` when it holds `key` and is whole; else none. */
function readEntries(path: string, key: Buffer): Map<string, Entry> {
  const payload = readSealed(path, MAGIC, key);
  if (!payload) return new Map();
  try {
    const entries = deserialize(payload) as unknown;
    if (!(entries instanceof Map)) return new Map();
    for (const [file, entry] of entries as Map<unknown, Partial<Entry> | null>)
      if (typeof file !== 'string' || typeof entry?.digest !== 'string' || !(entry.facts instanceof Uint8Array))
        return new Map();
    return entries as Map<string, Entry>;
  } catch {
    return new Map();
  }
}

/** Writes the entries whole (see {@link writeSealed}). */
function writeEntries(path: string, key: Buffer, entries: Map<string, Entry>): void {
  writeSealed(path, MAGIC, key, serialize(entries));
}

/**
 * The payload of the cache file at `path` when it starts with `magic` (what it is), holds
 * `key` and its checksum matches; else undefined (missing, foreign, another key, damaged).
 * The one reader of the caches' file format: the facts cache and the replayed report share it.
 */
export function readSealed(path: string, magic: Buffer, key: Buffer): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch {
    return undefined;
  }
  const head = magic.length + key.length + DIGEST;
  if (
    data.length < head ||
    !data.subarray(0, magic.length).equals(magic) ||
    !data.subarray(magic.length, magic.length + key.length).equals(key)
  )
    return undefined;
  const payload = data.subarray(head);
  if (!Buffer.from(hash('sha256', payload), 'hex').equals(data.subarray(magic.length + key.length, head)))
    return undefined;
  return payload;
}

/**
 * Writes a cache file whole, as {@link readSealed} reads it: a temporary file beside it,
 * then a rename over it (a reader sees the old file or the new). Never throws.
 */
export function writeSealed(path: string, magic: Buffer, key: Buffer, payload: Buffer): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, Buffer.concat([magic, key, Buffer.from(hash('sha256', payload), 'hex'), payload]));
    renameSync(tmp, path);
  } catch {
    // A cache that cannot be written (a read-only checkout) only costs the next run its time.
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Nothing was written there either.
    }
  }
}

/** The first bytes of a file of digests known clean: what it is and the format's version. */
const CLEAN_MAGIC = Buffer.from('RBCLEAN\u0001');

/** A set of content digests a check found clean, kept between runs (the built pages the post-build scan passed). */
export interface CleanSet {
  /** Whether `bytes` were found clean by this code before (and keeps them for the next run). */
  has(bytes: string | Buffer): boolean;
  /** Records `bytes` as found clean. */
  add(bytes: string | Buffer): void;
  /** Writes the digests seen this run (those not seen are dropped). */
  save(): void;
}

/**
 * The digests file `name` in `dir`, for this code (every library file, the parsers'
 * versions): a digest in it is content a check of this code found clean. Never throws;
 * a damaged or foreign file holds nothing.
 */
export function openCleanSet(dir: string, name: string): CleanSet {
  const path = join(dir, name);
  const key = Buffer.from(hash('sha256', `${codeHash()}\0${name}`), 'hex');
  let old = new Set<string>();
  const payload = readSealed(path, CLEAN_MAGIC, key);
  if (payload)
    try {
      const list = deserialize(payload) as unknown;
      if (Array.isArray(list) && list.every((d) => typeof d === 'string')) old = new Set(list);
    } catch {
      // Not what this code wrote: nothing is known clean.
    }
  const now = new Set<string>();
  return {
    has(bytes) {
      const digest = hash('sha256', bytes);
      if (!old.has(digest)) return false;
      now.add(digest);
      return true;
    },
    add(bytes) {
      now.add(hash('sha256', bytes));
    },
    save() {
      if (now.size === old.size && [...now].every((d) => old.has(d))) return;
      writeSealed(path, CLEAN_MAGIC, key, serialize([...now].sort()));
    },
  };
}
