import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARRIVAL_KEY } from '../incident/keys.ts';
import { NOT_SAVED_PAGE } from './routes.ts';
// Files named by their content's hash need no revision: the one list the host files use too.
import { isHashed } from '../deploy/cache.ts';

/** Kept when the build has them (`quickjump.json` is the quick-jump index, when that feature is on). */
export const PRECACHE_FILES = ['quickjump.json', 'shortlinks.json', 'runbooks.json'];

/**
 * What the service worker keeps, relative to dist/: every HTML page (runbooks, the
 * handbook, SLO and rule pages, the /r/ index, 404), the built assets, Pagefind's whole
 * bundle (search works offline), the site's icons and the JSON the site's own scripts read
 * (PRECACHE_FILES). The /r/<slug>/ redirect pages and their flat r/<slug>.html twins
 * (src/plugins/shortlinks) are not kept, one file per shortlink: offline, the worker answers
 * them from shortlinks.json. Sitemaps, `_redirects`, `slos.yaml` and the Sloth files are for
 * machines that are online anyway.
 */
export function isPrecached(path: string): boolean {
  // Dot folders and files (.well-known/, .nojekyll) are for hosts, as with any glob.
  if (path === 'sw.js' || path.startsWith(MANIFEST_PREFIX) || /(^|\/)\./.test(path)) return false;
  if (/^r\/[^/]+\/index\.html$/.test(path) || (/^r\/[^/]+\.html$/.test(path) && path !== 'r/index.html')) return false;
  return (
    path.endsWith('.html') ||
    /^(_astro|pagefind)\//.test(path) ||
    /^[^/]+\.(svg|ico|png|webp)$/.test(path) ||
    PRECACHE_FILES.includes(path)
  );
}

const MANIFEST_PREFIX = 'offline-manifest.';
/** Nothing a runbook site builds comes near this; a larger file is reported, not kept. */
const MAX_BYTES = 8 * 1024 * 1024;

export interface OfflineSummary {
  /** dist/sw.js */
  worker: string;
  /** The manifest file next to it, e.g. `offline-manifest.3f2a….json`. */
  manifest: string;
  /** Files precached, and their total size in dist/ (bytes). */
  count: number;
  size: number;
  /** Files hashed for a revision (the rest carry their hash in their name). */
  hashed: number;
  /** The build time the pages show when served from the cache (ISO 8601). */
  built: string;
  warnings: string[];
}

/** One manifest entry: path relative to the site base, and a revision (null when the name is hashed). */
export type OfflineEntry = [path: string, revision: string | null];

/** 12 hex digits of the content's SHA-256 (the worker can check a download against it with SubtleCrypto). */
export const revisionOf = (content: Buffer): string => createHash('sha256').update(content).digest('hex').slice(0, 12);

/** Every file under `root`, relative with `/`, and its stat. */
function walk(root: string): [path: string, stat: Stats][] {
  const out: [string, Stats][] = [];
  for (const d of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!d.isFile()) continue;
    const abs = join(d.parentPath, d.name);
    const path = relative(root, abs).split('\\').join('/');
    if (isPrecached(path)) out.push([path, statSync(abs)]);
  }
  return out;
}

/**
 * The manifest entries of the files in `root`, sorted by path, with their total size. A file
 * whose name holds no content hash gets a revision from its content. Astro empties dist/ and
 * writes every file again on each build, so size, times and inode say nothing about a
 * change: the content is read, in parallel, and hashed (SHA-256: with the CPU's SHA
 * instructions, faster than MD5); the files with a hash in their name (most of the bytes: Pagefind's
 * index and fragments, Vite's assets) are only listed.
 */
export async function manifestEntries(
  root: string,
): Promise<{ entries: OfflineEntry[]; size: number; hashed: number; warnings: string[] }> {
  const warnings: string[] = [];
  const entries: OfflineEntry[] = [];
  const todo: OfflineEntry[] = [];
  let size = 0;
  for (const [path, stat] of walk(root)) {
    if (stat.size > MAX_BYTES) {
      warnings.push(`${path} is ${(stat.size / 1048576).toFixed(1)} MB, and won't be precached.`);
      continue;
    }
    size += stat.size;
    const entry: OfflineEntry = [path, null];
    entries.push(entry);
    if (!isHashed(path)) todo.push(entry);
  }
  let next = 0;
  const hashOne = async () => {
    while (next < todo.length) {
      const entry = todo[next++];
      entry[1] = revisionOf(await readFile(join(root, entry[0])));
    }
  };
  await Promise.all(Array.from({ length: 16 }, hashOne));
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { entries, size, hashed: todo.length, warnings };
}

/**
 * Writes dist/sw.js and its precache manifest after a build: the files the worker keeps and
 * their content revisions (an unchanged file keeps its revision, so an update fetches only
 * what changed); the worker itself is our own small script (sw.js).
 */
export async function writeOfflineWorker(dir: URL | string, built = new Date()): Promise<OfflineSummary> {
  const root = typeof dir === 'string' ? dir : fileURLToPath(dir);
  for (const name of readdirSync(root)) if (name.startsWith(MANIFEST_PREFIX)) rmSync(join(root, name));
  const { entries, size, hashed, warnings } = await manifestEntries(root);
  const body = JSON.stringify({ version: 1, entries });
  const manifest = `${MANIFEST_PREFIX}${createHash('sha256').update(body).digest('hex').slice(0, 16)}.json`;
  writeFileSync(join(root, manifest), body);
  const template = readFileSync(new URL('./sw.js', import.meta.url), 'utf8');
  const notSaved = NOT_SAVED_PAGE.replace(/^\//, '');
  const settings = JSON.stringify({ manifest, built: built.toISOString(), notSaved, arrival: ARRIVAL_KEY });
  const worker = template.replace(/\/\*RB_OFFLINE_BUILD\*\/ \{[^}]*\};/, `${settings};`);
  if (worker === template) throw new Error('src/plugins/offline/sw.js: the BUILD line is missing');
  writeFileSync(join(root, 'sw.js'), worker);
  return {
    worker: join(root, 'sw.js'),
    manifest,
    count: entries.length,
    size,
    hashed,
    built: built.toISOString(),
    warnings,
  };
}

/** The astro:build:done step: writes the worker and says what it keeps. */
export async function offlineAfterBuild(
  dir: URL,
  logger: { info(m: string): void; warn(m: string): void },
): Promise<void> {
  const t = performance.now();
  const s = await writeOfflineWorker(dir);
  for (const w of s.warnings) logger.warn(`offline: ${w}`);
  logger.info(
    `offline: sw.js precaches ${s.count} files (${(s.size / 1048576).toFixed(1)} MB) listed in ${s.manifest}; ` +
      `${s.hashed} hashed in ${Math.round(performance.now() - t)} ms`,
  );
}

/** Reads back what a build wrote (for tests and the benchmark). */
export function readOfflineManifest(root: string): { manifest: string; entries: OfflineEntry[]; worker: string } {
  const worker = readFileSync(join(root, 'sw.js'), 'utf8');
  const manifest = /"manifest":"([^"]+)"/.exec(worker)?.[1];
  if (!manifest) throw new Error('dist/sw.js names no manifest');
  return { manifest, worker, entries: JSON.parse(readFileSync(join(root, manifest), 'utf8')).entries };
}
