import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../build/helpers.ts';

// The house by concept (README "Layout"): one folder per concept under src/plugins (the
// library, first floor: the model and the checks; second floor: run, import, diff), the CLI
// (scripts/) a thin layer of commands over the library's entry points, no cycles anywhere.

const PLUGINS = 'src/plugins';

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? sources(path) : /\.(ts|astro|mjs)$/.test(name) ? [path] : [];
  });
}

/** Every `import … from '…'` and `export … from '…'` of a file: relative ones resolved to repository paths. */
function imports(file: string): { relative: string[]; bare: string[] } {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm),
  ].map((m) => m[1] ?? m[2]);
  return {
    relative: specs
      .filter((s) => s.startsWith('.'))
      .map((s) =>
        normalize(join(dirname(file), s))
          .split('\\')
          .join('/'),
      ),
    bare: specs.filter((s) => !s.startsWith('.')),
  };
}

const folderOf = (file: string) =>
  file.startsWith(`${PLUGINS}/`)
    ? (file
        .slice(PLUGINS.length + 1)
        .split('/')
        .slice(0, -1)[0] ?? '(entry)')
    : file.split('/')[0];
const pluginFiles = sources(PLUGINS);
const graph = new Map(pluginFiles.map((f) => [f, imports(f).relative.filter((t) => t.startsWith(`${PLUGINS}/`))]));
const scriptFiles = sources('scripts');
/** The whole tree: the library and the CLI, every relative import between them. */
const wholeTree = new Map(
  [...pluginFiles, ...scriptFiles].map((f) => [
    f,
    imports(f).relative.filter((t) => t.startsWith(`${PLUGINS}/`) || t.startsWith('scripts/')),
  ]),
);
const ENTRIES = new Set(
  [
    'index.ts',
    'model-reader.ts',
    'reader.ts',
    'runner.ts',
    'sql-reader.ts',
    'importer.ts',
    'differ.ts',
    'front-door.ts',
  ].map((e) => `${PLUGINS}/${e}`),
);

describe('the layout', () => {
  it('has one folder per concept, each with files in it', () => {
    const folders = new Set(pluginFiles.map(folderOf));
    for (const concept of [
      'runbook',
      'shortlinks',
      'snippets',
      'slos',
      'severity',
      'review',
      'links',
      'catalog',
      'check',
      'site',
      'html',
      'encode',
      'run',
      'import',
      'diff',
    ])
      expect(folders).toContain(concept);
  });

  it('has no import cycle between modules, in the library or the CLI', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, stack: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...stack.slice(stack.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const t of wholeTree.get(f) ?? []) visit(t, [...stack, f]);
      state.set(f, 'done');
    };
    for (const f of wholeTree.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('has no two concept folders that import each other, and the model imports no concept', () => {
    const edges = new Set<string>();
    for (const [f, targets] of graph)
      for (const t of targets) if (folderOf(f) !== folderOf(t)) edges.add(`${folderOf(f)} → ${folderOf(t)}`);
    const mutual = [...edges].filter((e) => edges.has(e.split(' → ').reverse().join(' → ')));
    expect(mutual).toEqual([]);
    expect([...edges].filter((e) => e.startsWith('runbook → '))).toEqual([]);
    // Only the site assembles everything; no concept reaches into it, and only the site and
    // the project diff (which compares two checks) reach into the check.
    expect([...edges].filter((e) => / → site$/.test(e) && !/^\(entry\) → /.test(e))).toEqual([]);
    expect([...edges].filter((e) => / → check$/.test(e) && !/^(site|diff|\(entry\)) → /.test(e))).toEqual([]);
    // The first floor never reaches up into the CLI's rooms.
    const upstairs =
      /^(runbook|shortlinks|snippets|slos|severity|review|links|catalog|check|html|encode|handbook|alerts|codeowners|quickjump|offline) → (run|import|diff)$/;
    expect([...edges].filter((e) => upstairs.test(e))).toEqual([]);
  });

  it('lets the CLI and the site in only through the public entry points', () => {
    const cli = scriptFiles.flatMap((f) =>
      imports(f)
        .relative.filter((t) => t.startsWith('src/') && !ENTRIES.has(t))
        .map((t) => `${f} → ${t}`),
    );
    expect(cli).toEqual([]);
    // The library never reaches into the CLI.
    expect(
      pluginFiles.flatMap((f) =>
        imports(f)
          .relative.filter((t) => t.startsWith('scripts/'))
          .map((t) => `${f} → ${t}`),
      ),
    ).toEqual([]);
    // The site reaches the plugins through the config (site/index.ts) and, for the content
    // collection, the page schema's own module and the gated loader (a light module), so
    // content sync and the build's bundle do not load the whole config to reach them.
    const entries: Record<string, string[]> = {
      'astro.config.mjs': [`${PLUGINS}/site/index.ts`],
      'src/content.config.ts': [`${PLUGINS}/runbook/schema.ts`, `${PLUGINS}/site/gated-loader.ts`],
    };
    const site = Object.entries(entries).flatMap(([f, entry]) =>
      imports(f)
        .relative.filter((t) => t.startsWith(`${PLUGINS}/`) && !entry.includes(t))
        .map((t) => `${f} → ${t}`),
    );
    expect(site).toEqual([]);
  });

  it('keeps scripts/ to commands and CLI plumbing: no command imports another, no library code lives there', () => {
    const folders = new Set(scriptFiles.map((f) => f.split('/').slice(0, -1).join('/')));
    expect([...folders].sort()).toEqual(['scripts', 'scripts/bench', 'scripts/cli', 'scripts/commands']);
    const crossCommand = scriptFiles
      .filter((f) => f.startsWith('scripts/commands/'))
      .flatMap((f) =>
        imports(f)
          .relative.filter((t) => t.startsWith('scripts/commands/'))
          .map((t) => `${f} → ${t}`),
      );
    expect(crossCommand).toEqual([]);
    // The CLI plumbing (arguments, prompts, the context) imports no command.
    const plumbing = scriptFiles
      .filter((f) => f.startsWith('scripts/cli/'))
      .flatMap((f) =>
        imports(f)
          .relative.filter((t) => t.startsWith('scripts/commands/') || t.startsWith('scripts/bench/'))
          .map((t) => `${f} → ${t}`),
      );
    expect(plumbing).toEqual([]);
  });

  it('keeps the second floor out of index.ts: runbook check loads no import, diff or process code', () => {
    const seen = new Set<string>();
    const walk = (f: string) => {
      if (seen.has(f)) return;
      seen.add(f);
      // What loads at run time: type-only imports are erased.
      const text = readFileSync(join(ROOT, f), 'utf8').replace(/^\s*(import|export) type\b[^;]*;/gm, '');
      for (const [, spec] of text.matchAll(/^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"](\.[^'"]+)['"]/gm))
        walk(
          normalize(join(dirname(f), spec))
            .split('\\')
            .join('/'),
        );
    };
    walk(`${PLUGINS}/index.ts`);
    expect(
      [...seen].filter((f) =>
        /^src\/plugins\/(import|diff)\/|^src\/plugins\/run\/(spawn|execute|execute-block|git)\.ts$/.test(f),
      ),
    ).toEqual([]);
  });

  it('keeps runbook run light: the reader loads no zod, no Starlight and no eager yaml', () => {
    const loaded = (f: string) => readFileSync(join(ROOT, f), 'utf8').replace(/^\s*(import|export) type\b.*$/gm, '');
    const seen = new Set<string>();
    const heavy: string[] = [];
    const walk = (f: string) => {
      if (seen.has(f)) return;
      seen.add(f);
      const { relative: rel } = imports(f);
      const bare = [...loaded(f).matchAll(/^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'".][^'"]*)['"]/gm)].map(
        (m) => m[1],
      );
      for (const b of bare)
        if (/^(zod|astro|@astrojs\/|yaml$)/.test(b)) heavy.push(`${relative(ROOT, join(ROOT, f))} imports ${b}`);
      rel.forEach(walk);
    };
    walk(`${PLUGINS}/reader.ts`);
    expect(seen.size).toBeGreaterThan(5);
    expect(heavy).toEqual([]);
  });
});

describe("the site's own routes", () => {
  it('are all listed in SITE_ROUTES, so no page can take one', async () => {
    const { SITE_ROUTES } = await import('../../src/plugins/runbook/paths.ts');
    const patterns: string[] = [];
    const record = (route: { pattern: string }) => void patterns.push(route.pattern);
    for (const module of ['check/routes.ts', 'shortlinks/routes.ts', 'slos/routes.ts', 'catalog/routes.ts']) {
      const exports = (await import(`../../src/plugins/${module}`)) as Record<string, (inject: typeof record) => void>;
      for (const inject of Object.values(exports)) inject(record);
    }
    expect(patterns.length).toBeGreaterThan(8);
    for (const pattern of patterns)
      expect(
        SITE_ROUTES.some((r) => pattern === r || pattern.startsWith(`${r}/`)),
        pattern,
      ).toBe(true);
  });
});
