import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ASTRO = join(ROOT, 'node_modules/astro/bin/astro.mjs');

/** The result of one real `astro build`. */
export interface BuildResult {
  status: number | null;
  output: string;
  dir: string;
}

/** Runs a real `astro build` in `dir` with the same Node that runs the tests. */
export function astroBuild(dir: string): BuildResult {
  const result = spawnSync(process.execPath, [ASTRO, 'build'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`, dir };
}

/**
 * Copies a fixture site into a scratch folder inside the repository (so it still
 * resolves our node_modules) and applies `files` on top: path → content.
 */
export function scratchSite(fixture: string, name: string, files: Record<string, string> = {}): string {
  const dir = join(ROOT, 'tests/fixtures/.tmp', name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(ROOT, 'tests/fixtures/sites', fixture), dir, {
    recursive: true,
    filter: (src) => !/[\\/](dist|\.astro|node_modules)$/.test(src),
  });
  // tests/fixtures/.tmp/<name> is as deep as tests/fixtures/sites/<name>: relative imports still hold.
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}
