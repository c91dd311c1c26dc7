/**
 * The build gate on what a file system holds apart and a site does not: two file names
 * that differ only in Unicode form (café in NFD and in NFC) are one URL, and a page that
 * is a symbolic link out of the repository is never read. A real `astro build` of a
 * fixture site fails on each with the finding, instead of Astro dropping one page with a
 * warning or publishing a file from outside.
 */
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { astroBuild, scratchSite } from './helpers.ts';

const PAGE =
  '---\ntitle: Café\nowner: "@ops-team"\nreview:\n  log:\n    - { date: 2026-10-01, reviewer: "@ana", change: "First version" }\n---\n\nThe espresso machine is down.\n';

describe('the build gate', () => {
  it('fails on café.md in NFD and in NFC, naming both files', () => {
    const dir = scratchSite('basic', 'url-nfc-nfd', {
      'src/content/runbooks/ops/cafe\u0301.md': PAGE,
      'src/content/runbooks/ops/caf\u00e9.md': PAGE,
    });
    const build = astroBuild(dir);
    expect(build.status).not.toBe(0);
    expect(build.output).toContain('src/content/runbooks/ops/caf\u00e9.md:1:1');
    expect(build.output).toContain('page-url-conflict');
    expect(build.output).toContain(
      "The page's URL /ops/caf\u00e9/ is already src/content/runbooks/ops/cafe\\u0301.md's: the two file names differ only in Unicode form",
    );
    expect(existsSync(join(dir, 'dist/ops/caf\u00e9/index.html'))).toBe(false);
  }, 300_000);

  it('fails on a page that is a symbolic link out of the repository, and never reads it', () => {
    const outside = mkdtempSync(join(tmpdir(), 'runbooks-outside-'));
    const marker = `OUTSIDE-SECRET-${Date.now()}`;
    writeFileSync(join(outside, 'credentials'), `---\ntitle: ${marker}\nowner: "@ops-team"\n---\n\n${marker}\n`);
    const dir = scratchSite('basic', 'symlink-out');
    symlinkSync(join(outside, 'credentials'), join(dir, 'src/content/runbooks/ops/notes.md'));
    try {
      const build = astroBuild(dir);
      expect(build.status).not.toBe(0);
      expect(build.output).toContain('src/content/runbooks/ops/notes.md:1:1');
      expect(build.output).toContain(
        `The page leads outside the repository (a symbolic link to ${join(outside, 'credentials')}): not read`,
      );
      expect(build.output).not.toContain(marker);
      expect(existsSync(join(dir, 'dist'))).toBe(false);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  }, 300_000);
});
