// The digest of the files Starlight writes into rendered pages (site/index.ts renderInputs):
// it changes when a UI string changes, and it reads through the repository's one door, so a
// FIFO or a link out of the repository among them is named, never opened (a FIFO would hang
// the config's load).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderInputs } from '../../src/plugins/site/index.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('renderInputs', () => {
  it('follows a UI string, and never opens a FIFO or a link out of the repository', () => {
    const root = mkdtempSync(join(tmpdir(), 'render-inputs-'));
    dirs.push(root);
    mkdirSync(join(root, 'src/content/i18n'), { recursive: true });
    writeFileSync(join(root, 'src/content/i18n/en.json'), '{ "aside.caution": "Careful" }\n');
    const first = renderInputs(root);
    expect(renderInputs(root)).toBe(first);
    writeFileSync(join(root, 'src/content/i18n/en.json'), '{ "aside.caution": "Danger" }\n');
    expect(renderInputs(root)).not.toBe(first);
    expect(spawnSync('mkfifo', [join(root, 'src/content/i18n/fr.json')]).status).toBe(0);
    symlinkSync('/etc/hostname', join(root, 'ec.config.mjs'));
    // Returns (a read of the FIFO would block this test forever), and says something changed.
    const guarded = renderInputs(root);
    expect(guarded).toMatch(/^[\w-]{43}$/);
    expect(guarded).not.toBe(first);
  }, 20_000);
});
