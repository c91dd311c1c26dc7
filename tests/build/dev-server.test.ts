/**
 * A real `astro dev` on a copy of the basic fixture site: break a page, see the finding
 * in the server's output and in Astro's error overlay in Chromium, fix it, see it go; a
 * frontmatter YAML error shows its line and column; a page that links to another renders
 * again when that one moves to its own slug. Every wait polls for what it asserts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, scratchSite } from './helpers.ts';

const PAGE = 'src/content/runbooks/ops/queue-stuck.md';
const WAIT = 90_000;
/** A test waits at most twice (a busy machine runs several helpers' work). */
const TEST = 4 * WAIT;

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A running `astro dev` and everything it has printed. */
interface DevServer {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Waits until the output after `from` (a length of the output) matches `pattern`; returns that part. */
  waitFor: (pattern: RegExp, from: number) => Promise<string>;
}

async function startDev(dir: string): Promise<DevServer> {
  const port = await freePort();
  // Astro's dev server sets up no pages when it sees Vitest's variables, and NODE_ENV=test
  // changes how it reloads: the server runs as `npm run dev` runs it.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_ENV' && k !== 'TEST'),
  );
  let out = '';
  const child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'dev', '--port', String(port), '--host', '127.0.0.1'],
    { cwd: dir, env: { ...env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0' } },
  );
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const waitFor = async (pattern: RegExp, from: number) => {
    const deadline = Date.now() + WAIT;
    while (Date.now() < deadline) {
      const part = out.slice(from);
      if (pattern.test(part)) return part;
      if (child.exitCode !== null) throw new Error(`astro dev exited (${child.exitCode}):\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`No ${pattern} in the dev server's output:\n${out.slice(from)}`);
  };
  await waitFor(/ready in/, 0);
  return { child, url: `http://127.0.0.1:${port}`, output: () => out, waitFor };
}

/** The text of Astro's error overlay on the page, waiting for it to be there. */
async function overlayText(page: Page): Promise<string> {
  const overlay = page.locator('vite-error-overlay');
  await overlay.waitFor({ state: 'attached', timeout: WAIT });
  return `${await overlay.locator('#message-content').innerText()}\n${await overlay.locator('#hint-content').innerText()}\n${await overlay.locator('#code h2').innerText()}`;
}

describe('findings in a real astro dev server', () => {
  const dir = scratchSite('basic', 'dev-server', { 'runbooks.config.yaml': 'teams: ["@ops-team"]\n' });
  // Reviewed yesterday: the page starts clean, so a fix leaves it clean.
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const original = readFileSync(join(dir, PAGE), 'utf8').replace('date: 2025-01-10', `date: ${yesterday}`);
  writeFileSync(join(dir, PAGE), original);
  let server: DevServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startDev(dir);
    browser = await chromium.launch({
      executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    page = await browser.newPage();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    server?.child.kill();
  });

  /** Saves the page as `text` and waits for the server to say `pattern`: what it said. */
  const save = (text: string, pattern: RegExp) => {
    const from = server.output().length;
    writeFileSync(join(dir, PAGE), text);
    return server.waitFor(pattern, from);
  };
  /** Loads the page: its status. A reload the server asked for (Astro's own, after a save) may cut a load short: load again. */
  const load = async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await page.goto(`${server.url}/ops/queue-stuck/`, { timeout: WAIT }))?.status();
      } catch (error) {
        if (attempt === 5 || !String(error).includes('ERR_ABORTED')) throw error;
      }
    }
  };
  const CLEAN = new RegExp(`✓ ${PAGE}: clean`);

  it(
    'checks every page at start-up and renders a clean page without an overlay',
    async () => {
      await server.waitFor(/files checked: no findings/, 0);
      expect(await load()).toBe(200);
      await expect(page.locator('h1').first().innerText()).resolves.toContain('Queue stuck');
      expect(await page.locator('vite-error-overlay').count()).toBe(0);
    },
    TEST,
  );

  it(
    'shows an owner typo in the terminal and in the overlay, on a reload too',
    async () => {
      const said = await save(original.replace('owner: "@ops-team"', 'owner: "@opz-team"'), /owner-invalid/);
      expect(said).toContain(`${PAGE}:3:8  error    Owner "@opz-team" is not in the teams list  owner-invalid`);
      expect(said).toContain('Did you mean "@ops-team"?');
      // The open page gets the overlay over HMR…
      const pushed = await overlayText(page);
      expect(pushed).toContain('owner-invalid');
      expect(pushed).toContain(`${PAGE}:3:8`);
      expect(pushed).toContain('Did you mean "@ops-team"?');
      // …and a reload shows it again instead of the page as Astro last rendered it.
      expect(await load()).toBe(500);
      expect(await overlayText(page)).toContain('owner-invalid');
      expect(await overlayText(page)).toContain('queue-stuck.md:3:8');
    },
    TEST,
  );

  it(
    'says the fix once, and the page renders without the overlay',
    async () => {
      await save(original, CLEAN);
      // The fix reloads the page: it renders, without the overlay.
      await page.locator('vite-error-overlay').waitFor({ state: 'detached', timeout: WAIT });
      await page.locator('h1', { hasText: 'Queue stuck' }).first().waitFor({ timeout: WAIT });
      expect(await load()).toBe(200);
      expect(await page.locator('vite-error-overlay').count()).toBe(0);
    },
    TEST,
  );

  it(
    'shows a frontmatter YAML error with its line and column',
    async () => {
      const said = await save(
        original.replace('services: [queue]', 'services: [queue\n  bad: indentation'),
        /frontmatter-yaml/,
      );
      expect(said).toMatch(new RegExp(`${PAGE}:5:12  error    The frontmatter cannot be read`));
      expect(await load()).toBe(500);
      const shown = await overlayText(page);
      expect(shown).toContain('frontmatter-yaml');
      expect(shown).toMatch(/queue-stuck\.md:5:12/);
      await save(original, CLEAN);
    },
    TEST,
  );

  it(
    'renders a page again when a page it links to moves to its own slug, with the page itself unchanged',
    async () => {
      const LINKER = 'src/content/runbooks/ops/linker.md';
      /** Polls the linking page until its HTML matches `pattern`. */
      const linkerShows = async (pattern: RegExp) => {
        const deadline = Date.now() + WAIT;
        let html = '';
        while (Date.now() < deadline) {
          html = await fetch(`${server.url}/ops/linker/`).then(
            (r) => r.text(),
            () => '',
          );
          if (pattern.test(html)) return html;
          await new Promise((r) => setTimeout(r, 200));
        }
        throw new Error(`/ops/linker/ never matched ${pattern}:\n${html.slice(0, 2000)}`);
      };
      const from = server.output().length;
      writeFileSync(
        join(dir, LINKER),
        original
          .replace('title: Queue stuck', 'title: Linker')
          .replace('shortlinks: [queue-stuck]', 'shortlinks: [linker]')
          .replace(/\n---\n[\s\S]*$/, '\n---\n\nSee [the queue page](./queue-stuck.md).\n'),
      );
      await server.waitFor(/Reloaded data from ops\/linker\.md/, from);
      await linkerShows(/href="\/ops\/queue-stuck\/"/);
      // The glob loader reloads the moved page, then the page that links to it.
      const relinked = /Reloaded data from ops\/linker\.md/;
      await save(original.replace('title: Queue stuck', 'title: Queue stuck\nslug: ops/queue-jammed'), relinked);
      await linkerShows(/href="\/ops\/queue-jammed\/"/);
      await save(original, relinked);
      await linkerShows(/href="\/ops\/queue-stuck\/"/);
    },
    TEST,
  );
});
