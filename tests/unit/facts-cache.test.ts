/**
 * The facts cache (check/cache.ts): over hundreds of generated edits, the facts and
 * findings of a check through the cache are those of a check without it; a cache file
 * that is not exactly what the cache wrote (corrupt, truncated, foreign, another key)
 * is ignored, never trusted and never a crash; `runbook check` shares it and
 * `--no-cache` leaves it alone.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { serialize } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { FACTS_CACHE_FILE, openCleanSet, openFactsCache } from '../../src/plugins/check/cache.ts';
import { checkFacts, collectProject, pageFiles, projectCache } from '../../src/plugins/check/index.ts';
import { loadProject } from '../../src/plugins/project/load.ts';
import { generateRunbooks } from '../../scripts/bench/generate.ts';
import { check } from '../../scripts/commands/check.ts';
import { devSession } from '../../src/plugins/check/dev.ts';
import { checkBeforeBuild, startGate } from '../../src/plugins/check/post-build.ts';
import { LADDER, TODAY } from '../fixtures/bad-input.ts';
import { project, removeProjects } from '../fixtures/check-project.ts';
import { seeded } from '../fixtures/seeded.ts';

const dirs: string[] = [];
afterAll(() => {
  removeProjects();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder for a cache. */
function cacheDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbooks-cache-'));
  dirs.push(dir);
  return dir;
}

/** A base project with `count` generated runbooks (seeded), their paths from the root. */
function generatedProject(count: number, seed: number): { root: string; pages: string[] } {
  const root = project();
  const pages = generateRunbooks(join(root, 'src/content/runbooks'), count, seed).map(
    (p) => `src/content/runbooks/${p.split('\\').join('/')}`,
  );
  return { root, pages };
}

/** The facts and findings of the project at `root`, read through the cache in `dir` or (without) afresh. */
function checked(root: string, dir?: string) {
  const p = loadProject(root);
  const facts = collectProject(p, undefined, dir === undefined ? undefined : projectCache(p, dir));
  return { facts, findings: checkFacts(p, facts, { today: TODAY }) };
}

describe('the facts cache', () => {
  it('gives, edit after edit, the facts and findings a check without it gives', () => {
    let edits = 0;
    let hits = 0;
    let findings = 0;
    for (let seed = 1; seed <= 3; seed++) {
      const { root, pages } = generatedProject(4, seed);
      const dir = cacheDir();
      const { pick, chance, next } = seeded(seed * 7919);
      const at = (file: string) => join(root, file);
      const write = (file: string, text: string) => {
        mkdirSync(dirname(at(file)), { recursive: true });
        writeFileSync(at(file), text);
      };
      const live = () => pageFiles(root);
      for (let n = 0; n < 70; n++) {
        const files = live();
        const file = files.length > 0 ? pick(files) : pages[0];
        const text = existsSync(at(file)) ? readFileSync(at(file), 'utf8') : '';
        const other = pick(files.length > 0 ? files : pages)
          .replace(/^src\/content\/runbooks\//, '/')
          .replace(/\.md$/, '/');
        const edit = Math.floor(next() * 10);
        if (edit === 0) write(file, `${text}\nSee [the other one](${other}) and [gone](/nowhere/).\n`);
        else if (edit === 1) write(file, text.replace(/^title: .*$/m, `title: Edited ${n}`));
        else if (edit === 2)
          write(file, text.replace(/^severity: .*$/m, `severity: ${pick(['SEV-1', 'SEV-9', 'critical'])}`));
        else if (edit === 3)
          write(file, `${text}\n## :severity[SEV-${1 + (n % 3)}] escalate\n\n[up](#sev-1critical-escalate)\n`);
        else if (edit === 4) write(file, text.replace('---\n', '---\nservices: [broken\n'));
        else if (edit === 5 && files.length > 2) rmSync(at(file));
        else if (edit === 6)
          write(`src/content/runbooks/new/page-${n}.md`, text.replace(/shortlinks: \[/, 'shortlinks: [copy-'));
        else if (edit === 7)
          // The ladder's labels shape headings' anchors: a new key, every page read again.
          write(
            'src/content/severity.yaml',
            LADDER.replace('label: Critical', `label: ${pick(['Critical', 'Urgent'])}`),
          );
        else if (edit === 8)
          // The size limit shapes facts too (too-large).
          write('runbooks.config.yaml', chance(0.5) ? 'maxFileBytes: 4000\n' : 'maxFileBytes: 1000000\n');
        else if (edit === 9) write(file, chance(0.5) ? text : `${text}\n<div id="x${n}">raw</div>\n`);
        edits++;
        const withCache = checked(root, dir);
        const without = checked(root);
        expect(withCache.facts, `seed ${seed}, edit ${n} (${edit}) of ${file}`).toEqual(without.facts);
        expect(withCache.findings, `seed ${seed}, edit ${n} (${edit}) of ${file}`).toEqual(without.findings);
        findings += without.findings.length;
        // And a second run over the same files takes every page from the cache.
        const cache = projectCache(loadProject(root), dir);
        for (const f of live()) {
          expect(cache.get(f, readFileSync(at(f))), `seed ${seed}, edit ${n}: ${f} cached`).toBeDefined();
          hits++;
        }
      }
    }
    expect(edits).toBe(210);
    // The property is not about an empty cache or clean pages only.
    expect(hits).toBeGreaterThan(600);
    expect(findings).toBeGreaterThan(210);
  });

  it('ignores a cache file that is corrupt, truncated, foreign or of another key, and reads every page', () => {
    const { root } = generatedProject(5, 99);
    const dir = cacheDir();
    const expected = checked(root).facts;
    checked(root, dir);
    const path = join(dir, FACTS_CACHE_FILE);
    const good = readFileSync(path);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 10] ^= 0xff;
    const header = good.subarray(0, 8 + 32 + 32);
    const cases: [string, Buffer][] = [
      ['empty', Buffer.alloc(0)],
      ['garbage', Buffer.from('not a cache at all, but long enough to hold a header of some kind...........')],
      ['truncated', good.subarray(0, Math.floor(good.length / 2))],
      ['header only', header],
      ['a byte flipped', flipped],
      ['another format', Buffer.concat([Buffer.from('RBFACTS\u0002'), good.subarray(8)])],
      ['another key', Buffer.concat([good.subarray(0, 8), Buffer.alloc(32, 7), good.subarray(40)])],
      ['a foreign payload', Buffer.concat([good.subarray(0, 72), serialize({ hello: 'world' })])],
    ];
    for (const [name, bytes] of cases) {
      writeFileSync(path, bytes);
      const cache = projectCache(loadProject(root), dir);
      const facts = pageFiles(root).map((f) => cache.get(f, readFileSync(join(root, f))));
      expect(
        facts.every((f) => f === undefined),
        name,
      ).toBe(true);
      expect(checked(root, dir).facts, name).toEqual(expected);
      // The run wrote a good cache back: every page is found in it now.
      const healed = projectCache(loadProject(root), dir);
      expect(
        pageFiles(root).every((f) => healed.get(f, readFileSync(join(root, f))) !== undefined),
        name,
      ).toBe(true);
    }
  });

  it('never finds a page whose bytes changed, and writes whole files only (no temporary file left)', () => {
    const dir = cacheDir();
    const settings = { maxBytes: Infinity, severityLabels: new Map<string, string>(), mdxBindings: true };
    const cache = openFactsCache(dir, settings);
    const { root } = generatedProject(1, 5);
    const [file] = pageFiles(root);
    const bytes = readFileSync(join(root, file));
    const [facts] = collectProject(loadProject(root));
    cache.put(file, bytes, facts);
    cache.save();
    expect(readdirSync(dir)).toEqual([FACTS_CACHE_FILE]);
    const reopened = openFactsCache(dir, settings);
    expect(reopened.get(file, bytes)).toEqual(facts);
    expect(reopened.get(file, Buffer.concat([bytes, Buffer.from('\n')]))).toBeUndefined();
    expect(reopened.get('src/content/runbooks/other.md', bytes)).toBeUndefined();
    // Other settings, another key: nothing found.
    expect(openFactsCache(dir, { ...settings, maxBytes: 10 }).get(file, bytes)).toBeUndefined();
    // A cache folder that cannot be written only costs time.
    const blocked = join(dir, 'file');
    writeFileSync(blocked, '');
    const unwritable = openFactsCache(join(blocked, 'sub'), settings);
    unwritable.put(file, bytes, facts);
    expect(() => unwritable.save()).not.toThrow();
  });

  it('is shared by runbook check, which --no-cache leaves alone', async () => {
    const { root } = generatedProject(3, 7);
    const cachePath = join(root, 'node_modules');
    // The fixture links node_modules to the repository's: an installed project of its own here.
    rmSync(cachePath, { force: true });
    mkdirSync(cachePath);
    const file = join(root, 'node_modules/.astro', FACTS_CACHE_FILE);
    const run = async (...args: string[]) => {
      let out = '';
      const code = await check(['--format', 'json', ...args], {
        cwd: root,
        out: (s: string) => (out += s),
        err: (s: string) => (out += s),
        color: false,
      });
      return { code, out };
    };
    const first = await run('--no-cache');
    expect(existsSync(file)).toBe(false);
    const second = await run();
    expect(existsSync(file)).toBe(true);
    const third = await run();
    expect(second).toEqual(first);
    expect(third).toEqual(first);
  });

  it('is never made in a folder that is not installed: no node_modules appears there', async () => {
    const { root } = generatedProject(2, 9);
    rmSync(join(root, 'node_modules'), { force: true, recursive: true });
    let out = '';
    const code = await check(['--format', 'json'], {
      cwd: root,
      out: (s) => (out += s),
      err: (s) => (out += s),
      color: false,
    });
    expect(code, out).not.toBe(2);
    expect(existsSync(join(root, 'node_modules'))).toBe(false);
  });

  it('is shared by the build gate, which runs on a worker thread with the result it has on the main one', async () => {
    const { root } = generatedProject(4, 11);
    writeFileSync(
      join(root, 'src/content/runbooks/ops/broken.md'),
      '---\ntitle: Broken\nowner: db team\n---\n\nText.\n',
    );
    const dir = cacheDir();
    const here = checkBeforeBuild(loadProject(root));
    const first = await startGate(loadProject(root), dir);
    expect(first.thread).toBe('worker');
    expect(first.cached).toBe(0);
    const second = await startGate(loadProject(root), dir);
    expect(second.cached).toBe(here.pages.length);
    for (const gate of [first, second]) {
      expect(gate.report).toEqual(here.report);
      expect(gate.pages).toEqual(here.pages);
      expect(gate.refused).toEqual(here.refused);
    }
    expect(here.report.some((d) => d.severity === 'error' && d.file.endsWith('broken.md'))).toBe(true);
  });

  it("gives the dev server's start-up the report it gives without the cache", () => {
    const { root } = generatedProject(4, 13);
    writeFileSync(
      join(root, 'src/content/runbooks/ops/broken.md'),
      '---\ntitle: Broken\nowner: db team\n---\n\nText.\n',
    );
    const dir = cacheDir();
    const without = devSession(loadProject(root)).start().diagnostics;
    expect(devSession(loadProject(root), dir).start().diagnostics).toEqual(without);
    expect(existsSync(join(dir, FACTS_CACHE_FILE))).toBe(true);
    expect(devSession(loadProject(root), dir).start().diagnostics).toEqual(without);
  });
});

describe('the clean set of built pages (the post-build scan skips bytes it passed before)', () => {
  it('knows exactly the bytes it was told, across runs; a damaged or foreign file knows none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clean-set-'));
    const pages = Array.from({ length: 50 }, (_, i) => `<html><body><p>page ${i}</p></body></html>`);
    const first = openCleanSet(dir, 'pages.bin');
    for (const p of pages.slice(0, 40)) {
      expect(first.has(p)).toBe(false);
      first.add(p);
    }
    first.save();
    const second = openCleanSet(dir, 'pages.bin');
    for (const [i, p] of pages.entries()) expect(second.has(p), p).toBe(i < 40);
    // One byte changed is other bytes.
    expect(second.has(pages[0].replace('page', 'Page'))).toBe(false);
    // Another file name is another set; a damaged file is an empty one.
    expect(openCleanSet(dir, 'other.bin').has(pages[0])).toBe(false);
    const file = join(dir, 'pages.bin');
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(file, bytes);
    expect(openCleanSet(dir, 'pages.bin').has(pages[0])).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});
