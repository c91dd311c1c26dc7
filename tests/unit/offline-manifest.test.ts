import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getManifest } from 'workbox-build';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';
import { manifestEntries, revisionOf } from '../../src/plugins/offline/build.ts';

// The offline manifest (src/plugins/offline/build.ts) over generated dist/ trees: the files it
// lists, and revisions that follow the content.

const rand = mulberry32(21);
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
const word = () => Array.from({ length: 2 + Math.floor(rand() * 8) }, () => pick([...'abcdefghijk-'])).join('');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A dist/ of `n` files of every kind a build writes, kept or not; path → content. */
function generate(n: number): Map<string, string> {
  const kinds = [
    () => `${word()}/${word()}/index.html`,
    () => `${word()}.html`,
    () => `r/${word()}/index.html`,
    () => `r/${word()}.html`,
    () => `_astro/${word()}.${word()}.js`,
    () => `pagefind/fragment/en_${word()}.pf_fragment`,
    () => `pagefind/index/en_${word()}.pf_index`,
    () => `pagefind/pagefind-entry.json`,
    () => `${word()}.svg`,
    () => `${word()}/${word()}.svg`,
    () => pick(['quickjump.json', 'shortlinks.json', 'runbooks.json', 'slos.yaml', '_redirects', 'sw.js']),
    () => `.well-known/${word()}.html`,
    () => 'r/index.html',
  ];
  const files = new Map<string, string>();
  while (files.size < n) files.set(pick(kinds)(), `<p>${word()} ${rand()}</p>`);
  return files;
}

function write(files: Map<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rb-offline-manifest-'));
  dirs.push(dir);
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe('the offline manifest', () => {
  it('lists what the glob patterns it replaced listed, with a revision exactly for names without a hash (20 generated trees)', async () => {
    for (let t = 0; t < 20; t++) {
      const dir = write(generate(40));
      const ours = (await manifestEntries(dir)).entries;
      const workbox = await getManifest({
        globDirectory: dir,
        globPatterns: [
          '**/*.html',
          '_astro/**',
          'pagefind/**',
          '*.{svg,ico,png,webp}',
          'quickjump.json',
          'shortlinks.json',
          'runbooks.json',
        ],
        globIgnores: ['sw.js', 'r/*/index.html', 'r/!(index).html'],
        dontCacheBustURLsMatching: /^(_astro\/|pagefind\/(index|fragment)\/)/,
      });
      const wanted = (workbox.manifestEntries ?? [])
        .map((e) => [e.url, e.revision !== null])
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      expect(ours.map(([path, rev]) => [path, rev !== null])).toEqual(wanted);
    }
  });

  it('a file whose content changed gets a new revision, and only such a file (300 generated files, 10 rounds)', async () => {
    const files = generate(300);
    const dir = write(files);
    let before = new Map((await manifestEntries(dir)).entries);
    for (let round = 0; round < 10; round++) {
      const changed = new Set<string>();
      for (const path of files.keys()) {
        if (rand() > 0.1) continue;
        const old = files.get(path)!;
        // Half keep the size: one character swapped.
        const next =
          rand() < 0.5 ? old.slice(0, -5) + (old.at(-5) === 'x' ? 'y' : 'x') + old.slice(-4) : `${old} ${word()}`;
        files.set(path, next);
        writeFileSync(join(dir, path), next);
        changed.add(path);
      }
      const after = new Map((await manifestEntries(dir)).entries);
      expect([...after.keys()]).toEqual([...before.keys()]);
      for (const [path, rev] of after) {
        if (rev === null) continue;
        expect(rev, path).toBe(revisionOf(Buffer.from(files.get(path)!)));
        if (changed.has(path)) expect(rev, path).not.toBe(before.get(path));
        else expect(rev, path).toBe(before.get(path));
      }
      before = after;
    }
  });
});
