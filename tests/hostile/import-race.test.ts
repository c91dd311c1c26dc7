/**
 * `runbook import` and a source folder that changes under it: a file that is a regular
 * file when the import checks it and a link out when it copies it. The swap is made
 * deterministic by doing it at the moment the import creates the asset's destination
 * folder (between its check of the source and its write), which is where a process
 * racing the import won it in a real run (1 import in 25 wrote a link to the outside file).
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

/** Called before the import creates a folder, and before it lstats a path. */
let onMkdir: ((path: string) => void) | undefined;
let onLstat: ((path: string) => void) | undefined;
vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  return {
    ...real,
    mkdirSync: (path: fs.PathLike, options?: fs.MakeDirectoryOptions) => {
      onMkdir?.(String(path));
      return real.mkdirSync(path, options);
    },
    lstatSync: (path: fs.PathLike, options?: fs.StatSyncOptions) => {
      onLstat?.(String(path));
      return real.lstatSync(path, options as never);
    },
  };
});
const { importTree } = await import('../../scripts/commands/import.ts');

const base = fs.mkdtempSync(join(tmpdir(), 'runbooks-import-race-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));
const write = (path: string, text: string) => {
  fs.mkdirSync(join(path, '..'), { recursive: true });
  fs.writeFileSync(path, text);
};

describe('runbook import against a source that changes while it runs', () => {
  it('an image swapped for a link out between the check and the copy: the bytes checked are written, never the link', () => {
    const source = join(base, 'src');
    const secret = join(base, 'outside/secret.svg');
    write(secret, '<svg xmlns="http://www.w3.org/2000/svg"><!-- OUTSIDE-SECRET --></svg>\n');
    write(join(source, 'page.md'), '# Page\n\n![pic](pics/a.svg)\n');
    write(join(source, 'pics/a.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
    const repo = join(base, 'repo');
    fs.mkdirSync(join(repo, 'src/content/runbooks'), { recursive: true });
    let swapped = false;
    onMkdir = (path) => {
      if (swapped || !path.endsWith('/imported/pics')) return;
      swapped = true;
      fs.rmSync(join(source, 'pics/a.svg'));
      fs.symlinkSync(secret, join(source, 'pics/a.svg'));
    };
    const code = importTree([source, '--from', 'plain', '--into', 'src/content/runbooks/imported'], {
      out: () => {},
      err: () => {},
      cwd: repo,
    });
    onMkdir = undefined;
    expect(code).toBe(0);
    expect(swapped).toBe(true);
    const target = join(repo, 'src/content/runbooks/imported/pics/a.svg');
    expect(fs.lstatSync(target).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(target, 'utf8')).toBe('<svg xmlns="http://www.w3.org/2000/svg"/>\n');
  });

  it('a linked script keeps its executable bit, a linked text file gets none', () => {
    const source = join(base, 'src3');
    write(join(source, 'page.md'), '# Page\n\nRun [the script](restart.sh), read [the notes](notes.txt).\n');
    write(join(source, 'restart.sh'), '#!/bin/sh\necho restart\n');
    fs.chmodSync(join(source, 'restart.sh'), 0o755);
    write(join(source, 'notes.txt'), 'notes\n');
    const repo = join(base, 'repo3');
    fs.mkdirSync(join(repo, 'src/content/runbooks'), { recursive: true });
    expect(
      importTree([source, '--from', 'plain', '--into', 'src/content/runbooks/imported'], {
        out: () => {},
        err: () => {},
        cwd: repo,
      }),
    ).toBe(0);
    expect(fs.statSync(join(repo, 'src/content/runbooks/imported/restart.sh')).mode & 0o111).not.toBe(0);
    expect(fs.statSync(join(repo, 'src/content/runbooks/imported/notes.txt')).mode & 0o111).toBe(0);
  });

  it('a file that disappears between the listing and its lstat is reported as changed, and the import does not crash', () => {
    const source = join(base, 'src2');
    write(join(source, 'page.md'), '# Page\n\nText.\n');
    write(join(source, 'gone.md'), '# Gone\n');
    const repo = join(base, 'repo2');
    fs.mkdirSync(join(repo, 'src/content/runbooks'), { recursive: true });
    onLstat = (path) => {
      if (path === join(source, 'gone.md')) fs.rmSync(path, { force: true });
    };
    let code: number;
    try {
      code = importTree([source, '--from', 'plain', '--into', 'src/content/runbooks/imported'], {
        out: () => {},
        err: () => {},
        cwd: repo,
      });
    } finally {
      onLstat = undefined;
    }
    expect(code).toBe(0);
    expect(fs.readFileSync(join(repo, '.runbook/import-report.md'), 'utf8')).toContain(
      '- gone.md: not imported: it changed while the import read the folder',
    );
    expect(fs.existsSync(join(repo, 'src/content/runbooks/imported/page.md'))).toBe(true);
  });
});
