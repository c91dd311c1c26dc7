import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { astroBuild, type BuildResult, scratchSite } from './helpers.ts';

const config = (processor: string) =>
  "import { defineConfig } from 'astro/config';\nimport { runbooksConfig } from '../../../../src/plugins/site/index.ts';\n" +
  `export default defineConfig(runbooksConfig({ root: new URL('.', import.meta.url), title: 'Fixture', site: 'https://fixture.example', processor: '${processor}' }));\n`;

const FRONTMATTER =
  '---\ntitle: Handbook\nowner: "@ops-team"\nreview:\n  log:\n    - { date: 2026-11-01, reviewer: "@ana", change: "First" }\n---\n\n';

const HANDBOOK =
  FRONTMATTER +
  '## 0–2 min\n\n' +
  ':::checklist[Acknowledge]{by=2m}\n' +
  '- [ ] Acknowledge the **page**\n' +
  '- [ ] Read [Queue stuck](./queue-stuck.md)\n' +
  '  - [ ] A nested step\n' +
  '- [ ] Acknowledge the **page**\n' +
  ':::\n\n' +
  ':::checklist{by=1h30m}\n' +
  '- [ ] Write it down\n' +
  ':::\n\n' +
  ':::template[Kickoff]\n' +
  '```text\n' +
  'Incident - <SEVERITY: e.g. SEV-2> on <SERVICE> & "<SERVICE>"\n' +
  '```\n' +
  ':::\n';

/** The rendered directives of a page: from the first checklist to the end of the article body. */
function directives(html: string): string {
  const from = html.indexOf('<div class="rb-checklist"');
  const to = html.indexOf('</div>', html.lastIndexOf('class="rb-template__live"'));
  // The processors spell the same attribute value with &quot; or &#x22;, & as &amp; or &#x26;.
  return html
    .slice(from, to)
    .replace(/&#x22;/g, '&quot;')
    .replace(/&#x26;/g, '&amp;')
    .replace(/&#x3C;/g, '&lt;')
    .replace(/&gt;/g, '>');
}

describe('the handbook directives in a real build', () => {
  const built = {} as Record<'satteri' | 'unified', BuildResult>;
  beforeAll(() => {
    for (const processor of ['satteri', 'unified'] as const) {
      built[processor] = astroBuild(
        scratchSite('basic', `handbook-${processor}`, {
          'astro.config.mjs': config(processor),
          'src/content/runbooks/ops/handbook.md': HANDBOOK,
        }),
      );
    }
  });

  it.each(['satteri', 'unified'] as const)(
    '%s: a checklist is a plain list with its target, a template its code block plus a hidden live part',
    (processor) => {
      const build = built[processor];
      expect(build.status, build.output).toBe(0);
      const html = readFileSync(join(build.dir, 'dist/ops/handbook/index.html'), 'utf8');
      expect(html).toContain(
        '<div class="rb-checklist" data-by="120" data-label="Acknowledge"><p class="rb-checklist__head"><span class="rb-checklist__title">Acknowledge</span><span class="rb-checklist__by">Target: done by <strong>2 min</strong></span><span class="rb-checklist__status" data-status=""></span></p>',
      );
      expect(html).toContain(
        '<div class="rb-checklist" data-by="5400"><p class="rb-checklist__head"><span class="rb-checklist__by">Target: done by <strong>1 h 30 min</strong></span>',
      );
      // No GFM checkbox anywhere in a checklist: a drawn box, a key for the page script.
      expect(directives(html)).not.toContain('<input');
      expect(html).toMatch(
        /<li class="rb-task" data-task="([a-z0-9]+)"><span class="rb-task__box" aria-hidden="true"><\/span>Acknowledge the <strong>page<\/strong><\/li>/,
      );
      // The same text twice gets two keys; nested tasks get theirs; links inside tasks are still rewritten.
      const keys = [...html.matchAll(/data-task="([a-z0-9-]+)"/g)].map((m) => m[1]);
      expect(keys).toHaveLength(5);
      expect(new Set(keys).size).toBe(5);
      expect(keys[3]).toBe(`${keys[0]}-1`);
      expect(html).toContain('href="/ops/queue-stuck/">Queue stuck</a>');
      expect(html).toContain('<ul class="rb-tasks">');
      // The template: its text for the page script, its code block as Expressive Code renders it, the live part hidden.
      expect(directives(html)).toContain(
        '<div class="rb-template" data-template="Incident - <SEVERITY: e.g. SEV-2> on <SERVICE> &amp; &quot;<SERVICE>&quot;" data-label="Kickoff"><p class="rb-template__title">Kickoff</p><div class="expressive-code">',
      );
      expect(html).toContain('<div class="rb-template__live" hidden></div>');
      // The page script is a chunk, never inline in the body.
      expect(html).not.toMatch(/<script>[^<]*rb-checklist/);
    },
  );

  it('renders the same HTML on both processors', () => {
    const read = (p: 'satteri' | 'unified') =>
      directives(readFileSync(join(built[p].dir, 'dist/ops/handbook/index.html'), 'utf8'));
    expect(read('unified')).toBe(read('satteri'));
  });

  it('fails the build at the directive when a target time is wrong', () => {
    const dir = scratchSite('basic', 'handbook-bad', {
      'src/content/runbooks/ops/handbook.md': FRONTMATTER + ':::checklist{by=soon}\n- [ ] a\n:::\n',
    });
    const build = astroBuild(dir);
    expect(build.status).not.toBe(0);
    expect(build.output).toContain(
      'src/content/runbooks/ops/handbook.md:9:1  error    Target time by="soon" is not a duration from 1 s to 24 h  checklist-time-invalid',
    );
  });
});
