import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Element, ElementContent } from 'hast';
import type { Code } from 'mdast';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';
import { ARRIVAL_KEY } from '../../src/plugins/incident/keys.ts';
import { readOfflineManifest, writeOfflineWorker } from '../../src/plugins/offline/build.ts';
import { NOT_SAVED_PAGE } from '../../src/plugins/offline/routes.ts';
import { wrapRunBlock } from '../../src/plugins/snippets/render.ts';

/** The hast children a wrapped block renders (paragraph nodes carry them in data). */
const kids = (node: unknown): ElementContent[] => {
  const n = node as { data?: { hChildren?: ElementContent[] }; children?: unknown[] };
  return (n.data?.hChildren ?? n.children ?? []) as ElementContent[];
};
const find = (nodes: unknown[], pred: (n: Element & { data?: { hProperties?: Element['properties'] } }) => boolean) => {
  const stack = [...nodes];
  while (stack.length) {
    const n = stack.shift() as Element & { data?: { hName?: string; hProperties?: Element['properties'] } };
    if (pred(n)) return n;
    stack.push(...kids(n));
  }
  return undefined;
};
const textOf = (n: unknown): string => {
  const t = n as { type: string; value?: string };
  return t.type === 'text' ? (t.value ?? '') : kids(n).map(textOf).join('');
};
const classOf = (n: Element & { data?: { hProperties?: Element['properties'] } }) =>
  String(n.data?.hProperties?.className ?? n.properties?.className ?? '');

describe('the terminal command under a run block', () => {
  // Page names and step ids as the CLI names them: slugs and folder paths, hyphens included.
  const rand = mulberry32(22);
  const word = () =>
    Array.from({ length: 1 + Math.floor(rand() * 12) }, () => 'abcdefghij-klmnop0123456789'[Math.floor(rand() * 27)])
      .join('')
      .replace(/^-+/, 'a');
  it('is the exact command, one unbreakable token per word, with a Copy button and a live region (400 generated)', () => {
    for (let i = 0; i < 400; i++) {
      const page = Array.from({ length: 1 + Math.floor(rand() * 3) }, word).join('/');
      const id = word();
      const code: Code = { type: 'code', lang: 'sh', meta: `run id=${id} safety=read-only`, value: 'echo hi' };
      const wrapped = wrapRunBlock(code, page)!;
      const cli = find([wrapped], (n) => classOf(n).includes('rb-snippet__cli'))!;
      const command = find(kids(cli), (n) => n.tagName === 'code')!;
      expect(textOf(command)).toBe(`npx runbook run ${page}#${id}`);
      const tokens = kids(command).filter((n) => n.type === 'element');
      expect(tokens.map(textOf)).toEqual(['npx', 'runbook', 'run', `${page}#${id}`]);
      for (const t of tokens) expect(t.properties.className).toEqual(['rb-token']);
      const button = find(kids(cli), (n) => n.tagName === 'button')!;
      expect(button.properties.ariaLabel).toBe('Copy the terminal command');
      expect(find(kids(cli), (n) => n.properties?.ariaLive === 'polite')).toBeDefined();
    }
  });
});

describe('the offline worker build', () => {
  it('names the not-saved page the worker shows for an address it has not kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-offline-unit-'));
    try {
      mkdirSync(join(dir, NOT_SAVED_PAGE), { recursive: true });
      writeFileSync(join(dir, NOT_SAVED_PAGE, 'index.html'), '<html><body>not saved</body></html>');
      writeFileSync(join(dir, '404.html'), '<html><body>404</body></html>');
      await writeOfflineWorker(dir, new Date('2030-01-02T03:04:05Z'));
      const { worker, entries } = readOfflineManifest(dir);
      expect(worker).toContain('"notSaved":"offline/not-saved/"');
      expect(worker).toContain('"built":"2030-01-02T03:04:05.000Z"');
      // The offline shortlink page leaves the incident log's note under the key the site reads.
      expect(worker).toContain(`"arrival":"${ARRIVAL_KEY}"`);
      expect(worker).not.toContain('/*RB_OFFLINE_BUILD*/');
      expect(entries.map(([path]) => path)).toContain('offline/not-saved/index.html');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
