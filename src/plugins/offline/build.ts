import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getManifest } from 'workbox-build';
import { ARRIVAL_KEY } from '../incident/keys.ts';
import { NOT_SAVED_PAGE } from './routes.ts';

/**
 * What the service worker keeps, relative to dist/: every HTML page (runbooks, the
 * handbook, SLO and rule pages, the /r/ index, 404), the built assets, Pagefind's whole
 * bundle (search works offline) and the JSON the site's own scripts read. The
 * /r/<slug>/ redirect pages are not kept, one file per shortlink: offline, the worker
 * answers them from shortlinks.json. Sitemaps, `_redirects`, `slos.yaml` and the Sloth
 * files are for machines that are online anyway.
 */
export const PRECACHE_PATTERNS = ['**/*.html', '_astro/**', 'pagefind/**', '*.{svg,ico,png,webp}'];
/** Kept when the build has them (`quickjump.json` is the quick-jump index, when that feature is on). */
export const PRECACHE_FILES = ['quickjump.json', 'shortlinks.json', 'runbooks.json'];

/** The /r/<slug>/ redirect pages and their flat r/<slug>.html twins (src/plugins/shortlinks), answered by the worker instead. */
export const SHORTLINK_PAGES = ['r/*/index.html', 'r/!(index).html'];
/** Files whose name changes with their content: no revision needed (Vite's and Pagefind's hashes). */
const HASHED = /^(_astro\/|pagefind\/(index|fragment)\/)/;
const MANIFEST_PREFIX = 'offline-manifest.';

export interface OfflineSummary {
  /** dist/sw.js */
  worker: string;
  /** The manifest file next to it, e.g. `offline-manifest.3f2a….json`. */
  manifest: string;
  /** Files precached, and their total size in dist/ (bytes). */
  count: number;
  size: number;
  /** The build time the pages show when served from the cache (ISO 8601). */
  built: string;
  warnings: string[];
}

/** One manifest entry: path relative to the site base, and a revision (null when the name is hashed). */
export type OfflineEntry = [path: string, revision: string | null];

/**
 * Writes dist/sw.js and its precache manifest after a build. workbox-build globs the
 * files and hashes their content (an unchanged file keeps its revision, so an update
 * fetches only what changed); the worker itself is our own small script (sw.js).
 */
export async function writeOfflineWorker(dir: URL | string, built = new Date()): Promise<OfflineSummary> {
  const root = typeof dir === 'string' ? dir : fileURLToPath(dir);
  for (const name of readdirSync(root)) if (name.startsWith(MANIFEST_PREFIX)) rmSync(join(root, name));
  const { manifestEntries, count, size, warnings } = await getManifest({
    globDirectory: root,
    globPatterns: [...PRECACHE_PATTERNS, ...PRECACHE_FILES.filter((f) => existsSync(join(root, f)))],
    globIgnores: ['sw.js', ...SHORTLINK_PAGES],
    dontCacheBustURLsMatching: HASHED,
    // Nothing a runbook site builds comes near this; a larger file is reported, not kept.
    maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
  });
  // 12 hex digits of workbox's MD5 revision are plenty to tell two versions of one file apart.
  const entries: OfflineEntry[] = (manifestEntries ?? [])
    .map((e): OfflineEntry => [e.url, e.revision ? e.revision.slice(0, 12) : null])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const body = JSON.stringify({ version: 1, entries });
  const manifest = `${MANIFEST_PREFIX}${createHash('sha256').update(body).digest('hex').slice(0, 16)}.json`;
  writeFileSync(join(root, manifest), body);
  const template = readFileSync(new URL('./sw.js', import.meta.url), 'utf8');
  const notSaved = NOT_SAVED_PAGE.replace(/^\//, '');
  const settings = JSON.stringify({ manifest, built: built.toISOString(), notSaved, arrival: ARRIVAL_KEY });
  const worker = template.replace(/\/\*RB_OFFLINE_BUILD\*\/ \{[^}]*\};/, `${settings};`);
  if (worker === template) throw new Error('src/plugins/offline/sw.js: the BUILD line is missing');
  writeFileSync(join(root, 'sw.js'), worker);
  return { worker: join(root, 'sw.js'), manifest, count, size, built: built.toISOString(), warnings };
}

/** The astro:build:done step: writes the worker and says what it keeps. */
export async function offlineAfterBuild(
  dir: URL,
  logger: { info(m: string): void; warn(m: string): void },
): Promise<void> {
  const s = await writeOfflineWorker(dir);
  for (const w of s.warnings) logger.warn(`offline: ${w}`);
  logger.info(
    `offline: sw.js precaches ${s.count} files (${(s.size / 1048576).toFixed(1)} MB) listed in ${s.manifest}`,
  );
}

/** Reads back what a build wrote (for tests and the benchmark). */
export function readOfflineManifest(root: string): { manifest: string; entries: OfflineEntry[]; worker: string } {
  const worker = readFileSync(join(root, 'sw.js'), 'utf8');
  const manifest = /"manifest":"([^"]+)"/.exec(worker)?.[1];
  if (!manifest) throw new Error('dist/sw.js names no manifest');
  return { manifest, worker, entries: JSON.parse(readFileSync(join(root, manifest), 'utf8')).entries };
}
