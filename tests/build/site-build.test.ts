import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { htmlFiles } from '../../src/plugins/site/headers.ts';
import { readsOf } from '../../src/plugins/html/rendered.ts';
import { astroBuild, type BuildResult, scratchSite } from './helpers.ts';

const page = (build: BuildResult, path: string) => readFileSync(join(build.dir, 'dist', path, 'index.html'), 'utf8');

/** The terminal commands under the page's run blocks, as text (each word is its own unbreakable span). */
const terminalCommands = (html: string) =>
  [...html.matchAll(/class="rb-snippet__cli"[\s\S]*?<code[^>]*>([\s\S]*?)<\/code>/g)].map((m) =>
    m[1].replace(/<[^>]+>/g, ''),
  );

describe('a real Astro build of a fixture site', () => {
  let good: BuildResult;
  beforeAll(() => {
    good = astroBuild(scratchSite('basic', 'good'));
  });

  it('succeeds', () => {
    expect(good.output).toContain('Complete!');
    expect(good.status).toBe(0);
  });

  it('reads pages from src/content/runbooks, folders as sidebar groups', () => {
    const html = page(good, 'ops/queue-stuck');
    expect(html).toMatch(/<summary[^>]*>[\s\S]*?Ops[\s\S]*?<\/summary>/);
    expect(html).toContain('href="/ops/queue-stuck/"');
  });

  it('runs Starlight asides, Expressive Code and our plugin on that folder', () => {
    const html = page(good, 'ops/queue-stuck');
    expect(html).toContain('starlight-aside--caution');
    expect(html).toContain('Before you start');
    expect(html).toContain('class="expressive-code');
    expect(html).toMatch(
      /<span class="sev-badge" style="--sev-color: #b42318" data-severity="P0"[^>]*>P0<span class="sev-badge__label">Outage<\/span><\/span>/,
    );
  });

  it('frames run blocks with their id, title, safety class and terminal command', () => {
    const html = page(good, 'ops/queue-stuck');
    // The two processors escape quotes differently (&quot; or &#x22;): both are the same attribute.
    expect(html).toMatch(
      /<div class="rb-snippet rb-snippet--read-only" id="queue-depth" data-safety="read-only" data-vars="" data-code="echo (&quot;|&#x22;)depth 3(&quot;|&#x22;)">/,
    );
    // Full text weighs the title like a heading and leaves the badge out (a label, not content).
    expect(html).toContain(
      '<span class="rb-snippet__title" data-pagefind-weight="5">Show queue depth</span><span class="rb-safety rb-safety--read-only" data-pagefind-ignore="">Read-only</span>',
    );
    expect(terminalCommands(html)).toContain('npx runbook run queue-stuck#queue-depth');
  });

  it('keeps times and ratios that look like directives as literal text', () => {
    expect(page(good, 'ops/queue-stuck')).toContain('Check it at 09:00 and 0:00; ratio 3:1.');
  });

  it('shows the runbook severity as a coloured, labelled badge in the header card', () => {
    const html = page(good, 'ops/queue-stuck');
    expect(html).toMatch(/class="rb-card"/);
    expect(html).toMatch(
      /class="sev-badge" style="--sev-color: #dc6803" data-severity="P1"[^>]*>P1<span class="sev-badge__label">Degraded/,
    );
    // Said once, on the card's line (no banner above it).
    expect(html.match(/Review overdue/g)).toHaveLength(1);
    expect(html).toMatch(/class="rb-card__item rb-card__stale" data-rb-overdue>Review overdue</);
  });

  it('renders ::severity-table from the ladder data, extra keys as columns', () => {
    const html = page(good, '');
    // data-cols: laid out as every table in a page is (a table on a desktop, cards on a phone).
    expect(html).toContain('<div class="severity-table"><table data-cols="3">');
    expect(html).toContain('<th scope="col">Escalate after</th>');
    expect(html).toContain('<td data-label="Escalate after">15 minutes</td>');
    expect(html).not.toContain('::severity-table');
  });

  it('publishes each shortlink as a static redirect page, _redirects and shortlinks.json', () => {
    const html = page(good, 'r/queue-stuck');
    expect(html).toContain('<meta http-equiv="refresh" content="0;url=/ops/queue-stuck/">');
    expect(html).toContain('<link rel="canonical" href="https://fixture.example/ops/queue-stuck/">');
    // Written after the build (not an Astro page): the flat twin is the same file.
    expect(readFileSync(join(good.dir, 'dist/r/queue-stuck.html'), 'utf8')).toBe(html);
    expect(good.output).toContain('shortlinks: 1 redirect page(s) under r/');
    const redirects = readFileSync(join(good.dir, 'dist/_redirects'), 'utf8');
    expect(redirects).toContain('/r/queue-stuck /ops/queue-stuck/ 301!\n/r/queue-stuck/ /ops/queue-stuck/ 301!\n');
    // Redirect pages are not content: the sitemap lists the runbook, not its shortlink.
    const sitemap = readFileSync(join(good.dir, 'dist/sitemap-0.xml'), 'utf8');
    expect(sitemap).toContain('<loc>https://fixture.example/ops/queue-stuck/</loc>');
    expect(sitemap).not.toContain('/r/queue-stuck/');
    const json = JSON.parse(readFileSync(join(good.dir, 'dist/shortlinks.json'), 'utf8'));
    expect(json).toEqual({
      version: 1,
      shortlinks: [
        {
          slug: 'queue-stuck',
          path: '/r/queue-stuck/',
          target: '/ops/queue-stuck/',
          external: false,
          title: 'Queue stuck',
          owner: '@ops-team',
          file: 'src/content/runbooks/ops/queue-stuck.md',
        },
      ],
    });
  });

  it('gives Pagefind only the pages Astro built (no /r/<slug> page) and indexes only content pages', () => {
    const dist = join(good.dir, 'dist');
    const files = htmlFiles(dist);
    const redirectPages = files.filter((f) => /^r\/[^/]+(\.html|\/index\.html)$/.test(f) && f !== 'r/index.html');
    expect(redirectPages.sort()).toEqual(['r/queue-stuck.html', 'r/queue-stuck/index.html']);
    // Starlight runs Pagefind in its astro:build:done, before ours writes the redirect pages.
    expect(good.output).toContain(`Found ${files.length - redirectPages.length} HTML files.`);
    // Utility pages (rules, SLOs, coverage, the /r/ index, incident log, offline, 404) carry no
    // data-pagefind-body, so Pagefind indexes the runbook and handbook pages alone.
    const indexed = files.filter((f) => readFileSync(join(dist, f), 'utf8').includes('data-pagefind-body'));
    expect(indexed).toEqual(['index.html', 'ops/queue-stuck/index.html']);
    const entry = JSON.parse(readFileSync(join(dist, 'pagefind/pagefind-entry.json'), 'utf8')) as {
      languages: Record<string, { page_count: number }>;
    };
    expect(Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0)).toBe(indexed.length);
  });

  it("lets the post-build scan's fast read stand in for each page's top: the same chain, the same body tree", () => {
    const dist = join(good.dir, 'dist');
    const pages = htmlFiles(dist)
      .map((f) => readFileSync(join(dist, f), 'utf8'))
      .filter((html) => html.includes('sl-markdown-content'));
    expect(pages.length).toBeGreaterThan(5);
    // Bodies that would show a difference in the parser's state where the body starts: a
    // formatting element the template left open is reopened around text, a form it left
    // open takes </form>, frameset-ok decides <frameset>, an open <p> or list item closes.
    const probes = [
      'text <b>bold</b>',
      '<p>one<p>two',
      '</form><p>x</p>',
      '<form><p>x</p></form>',
      '<frameset><p>x</p>',
      '</a></b></i></span>x',
      '<li>x<li>y',
      '<dd>x',
      '<table>x<tr><td>y</table>z',
      '<svg></div><p>x</p>',
      '</div></main></div><p>after</p>',
    ];
    const open = '<div class="sl-markdown-content">';
    for (const html of pages) {
      const { read, parsed, fast, whole } = readsOf(html);
      expect(read).toEqual(parsed);
      expect(parsed).toContain('main');
      expect(fast).toBe(whole);
      const start = html.indexOf(open) + open.length;
      const end = html.lastIndexOf('</div><footer class="sl-flex');
      for (const probe of probes) {
        const reads = readsOf(html.slice(0, start) + probe + html.slice(end));
        expect(reads.fast, probe).toBeDefined();
        expect(reads.fast, probe).toBe(reads.whole);
      }
    }
  });

  it('publishes runbooks.json, the catalog other tools read', () => {
    const catalog = JSON.parse(readFileSync(join(good.dir, 'dist/runbooks.json'), 'utf8'));
    expect(catalog.version).toBe(1);
    expect(catalog.runbooks).toEqual([
      {
        title: 'Queue stuck',
        url: '/ops/queue-stuck/',
        file: 'src/content/runbooks/ops/queue-stuck.md',
        owner: '@ops-team',
        services: ['queue'],
        severity: ['P1'],
        shortlinks: ['queue-stuck'],
        slos: [],
        lastReview: '2025-01-10',
        reviewOverdue: true,
        snippets: [{ id: 'queue-depth', safety: 'read-only', title: 'Show queue depth', test: false }],
        alerts: [],
      },
    ]);
  });

  it("shows each rule's examples on its page: the runbook page and the other files, each by path", () => {
    const html = page(good, 'rules/script-not-executable');
    expect(html).toContain('This input gives exactly this finding');
    expect(html).toContain('src/content/runbooks/api/api-down.md');
    expect(html).toContain('ops/rollback.sh (mode 644, not executable)');
    expect(page(good, 'rules/config-invalid')).toMatch(/runbooks\.config\.yaml[\s\S]*overdue/);
  });

  it('stays a warm rebuild when nothing changed', () => {
    const again = astroBuild(good.dir);
    expect(again.status).toBe(0);
    expect(again.output).not.toContain('Clearing content store');
  });
});

describe('an unknown severity fails the build with file:line, never a stack trace', () => {
  it('in frontmatter and in a badge, also on a warm rebuild', () => {
    const dir = scratchSite('basic', 'bad-severity', {
      'src/content/runbooks/ops/disk-full.md':
        '---\ntitle: Disk full\nowner: "@ops-team"\nseverity: P7\nreview: { log: [{ date: 2026-01-02, reviewer: "@a", change: "New" }] }\n---\n\nSometimes a :severity[SEV-1].\n',
    });
    for (const attempt of [1, 2]) {
      const build = astroBuild(dir);
      expect(build.status, `attempt ${attempt}`).not.toBe(0);
      expect(build.output).toContain(
        'src/content/runbooks/ops/disk-full.md:4:11  error    Unknown severity "P7"  severity-unknown\n',
      );
      expect(build.output).toContain(
        'src/content/runbooks/ops/disk-full.md:8:13  error    Unknown severity "SEV-1" in :severity[…]  severity-unknown\n',
      );
      expect(build.output).toContain('hint: Use an id from src/content/severity.yaml: P0, P1, P2.');
      expect(build.output).not.toMatch(/Stack trace|\n\s+at .+:\d+:\d+\)/);
    }
  });

  it('a broken ladder fails the build at the ladder line', () => {
    const dir = scratchSite('basic', 'bad-ladder', {
      'src/content/severity.yaml': 'levels:\n  - id: P0\n    label: Outage\n',
    });
    const build = astroBuild(dir);
    expect(build.status).not.toBe(0);
    expect(build.output).toContain(
      'src/content/severity.yaml:2:5  error    Severity ladder: levels.0.definition is required  severity-ladder-invalid',
    );
    expect(build.output).not.toMatch(/Stack trace|\n\s+at .+:\d+:\d+\)/);
  });
});

describe('the same site on unified() with the remark plugin, the other processor the choice allows', () => {
  it('renders our directives, asides and code blocks the same way', () => {
    const dir = scratchSite('basic', 'unified', {
      'astro.config.mjs':
        "import { defineConfig } from 'astro/config';\nimport { runbooksConfig } from '../../../../src/plugins/site/index.ts';\n" +
        "export default defineConfig(runbooksConfig({ root: new URL('.', import.meta.url), title: 'Fixture runbooks', site: 'https://fixture.example', processor: 'unified' }));\n",
      // Another team's shape: "Meaning" and "Impact" before the commands fold on a phone.
      'src/content/runbooks/ops/queue-alert.md':
        '---\ntitle: Queue alert\nowner: "@ops-team"\nreview:\n  log:\n    - { date: 2026-11-01, reviewer: "@ana", change: "First" }\n---\n\n' +
        '## Meaning\n\nThe queue has grown for ten minutes.\n\n## Impact\n\n- Jobs run late.\n\n## Diagnosis\n\n```bash\nqueue-depth --all\n```\n',
    });
    const build = astroBuild(dir);
    expect(build.status, build.output).toBe(0);
    const alert = page(build, 'ops/queue-alert');
    expect(alert.match(/<div class="rb-context">/g)).toHaveLength(2);
    expect(alert).toMatch(
      /<div class="rb-context"><div class="sl-heading-wrapper level-h2"><h2 id="meaning">Meaning<\/h2>/,
    );
    expect(alert).toContain('<details class="rb-context__body"><summary data-pagefind-ignore');
    expect(alert).toContain('The queue has grown for ten minutes.');
    const html = page(build, 'ops/queue-stuck');
    expect(html).toContain('starlight-aside--caution');
    expect(html).toContain('class="expressive-code');
    expect(html).toMatch(
      /<span class="sev-badge" style="--sev-color: #b42318" data-severity="P0"[^>]*>P0<span class="sev-badge__label">Outage<\/span><\/span>/,
    );
    expect(html).toContain('Check it at 09:00 and 0:00; ratio 3:1.');
    expect(html).toContain('<div class="rb-snippet rb-snippet--read-only" id="queue-depth"');
    expect(terminalCommands(html)).toContain('npx runbook run queue-stuck#queue-depth');
    expect(page(build, '')).toContain('<th scope="col">Escalate after</th>');
  });
});

describe('a page that fails to render', () => {
  it('fails the build (page-render-failed) instead of publishing an empty runbook', () => {
    const dir = scratchSite('basic', 'render-failed', {
      // A site whose extra remark plugin throws on one page: Astro logs it and builds the page empty.
      'astro.config.mjs':
        "import { defineConfig } from 'astro/config';\nimport { runbooksConfig } from '../../../../src/plugins/site/index.ts';\n" +
        "const config = runbooksConfig({ root: new URL('.', import.meta.url), title: 'Fixture', site: 'https://fixture.example', processor: 'unified' });\n" +
        "config.markdown.processor.options.remarkPlugins.push(() => (tree, file) => { if (file.path.endsWith('queue-stuck.md')) throw new Error('plugin exploded'); });\n" +
        'export default defineConfig(config);\n',
    });
    const build = astroBuild(dir);
    expect(build.status).not.toBe(0);
    expect(build.output).toContain('plugin exploded');
    expect(build.output).toContain(
      'src/content/runbooks/ops/queue-stuck.md:12:1  error    The page rendered empty: Astro could not render its Markdown (its error is above)  page-render-failed',
    );
  });
});

describe('links written for GitHub become links that work on the site', () => {
  it.each(['satteri', 'unified'])(
    '%s: a relative .md link opens the page, a repository file opens the repository browser',
    (processor) => {
      const dir = scratchSite('basic', `links-${processor}`, {
        'runbooks.config.yaml': 'repoUrl: https://github.com/example/runbooks/blob/main/\n',
        'ops/queue-depth.sh': '#!/usr/bin/env bash\necho "depth 3"\n',
        'src/content/runbooks/ops/drain.md':
          '---\ntitle: Drain the queue\nowner: "@ops-team"\nreview:\n  log:\n    - { date: 2026-11-01, reviewer: "@ana", change: "First" }\n---\n\n' +
          'First read [Queue stuck](./queue-stuck.md#queue-depth) and the [depth script](../../../../ops/queue-depth.sh).\n\nSee [Queue stuck][qs] too.\n\n[qs]: ./queue-stuck.md\n',
        'astro.config.mjs':
          "import { defineConfig } from 'astro/config';\nimport { runbooksConfig } from '../../../../src/plugins/site/index.ts';\n" +
          `export default defineConfig(runbooksConfig({ root: new URL('.', import.meta.url), title: 'Fixture', site: 'https://fixture.example', processor: '${processor}' }));\n`,
      });
      const build = astroBuild(dir);
      expect(build.status, build.output).toBe(0);
      const html = page(build, 'ops/drain');
      expect(html).toContain('href="/ops/queue-stuck/#queue-depth"');
      expect(html).toContain('href="https://github.com/example/runbooks/blob/main/ops/queue-depth.sh"');
      expect(html).toContain('href="/ops/queue-stuck/">Queue stuck</a> too');
    },
  );
});

describe('the 3 a.m. page, the same on both processors', () => {
  it.each(['satteri', 'unified'])(
    '%s: tables label their cells, run blocks state needs, timeout and confirm word, long lines wrap',
    (processor) => {
      const dir = scratchSite('basic', `three-am-${processor}`, {
        'src/content/runbooks/ops/switch.md':
          '---\ntitle: Switch over\nowner: "@ops-team"\nshortlinks: [switch-over]\nvars:\n  TARGET: { description: "Where to", example: "b" }\nreview:\n  log:\n    - { date: 2026-11-01, reviewer: "@ana", change: "First" }\n---\n\n' +
          '| Service | Primary | Then |\n| --- | --- | --- |\n| `api` | **ana** | bo |\n\n' +
          '- [ ] Page the `db-team` owner\n- [x] Open the   channel\n\n' +
          '```bash run id=check safety=read-only title="Check"\necho ok\n```\n\n' +
          '```bash run id=switch safety=destructive needs=check timeout=360 title="Switch"\necho "$TARGET"\n```\n\n' +
          '```bash run id=again safety=destructive confirm=really needs=check,switch timeout=90 title="Again"\necho again\n```\n',
        'astro.config.mjs':
          "import { defineConfig } from 'astro/config';\nimport { runbooksConfig } from '../../../../src/plugins/site/index.ts';\n" +
          `export default defineConfig(runbooksConfig({ root: new URL('.', import.meta.url), title: 'Fixture', site: 'https://fixture.example', processor: '${processor}' }));\n`,
      });
      const build = astroBuild(dir);
      expect(build.status, build.output).toBe(0);
      const html = page(build, 'ops/switch');
      expect(html).toContain('<table data-cols="3">');
      expect(html).toMatch(/<td data-label="Primary"><strong>ana<\/strong><\/td>/);
      expect(html).toMatch(/<td data-label="Service"><code[^>]*>api<\/code><\/td>/);
      // A GFM task checkbox is labelled by its item's text (axe: label).
      expect(html).toMatch(/<input[^>]*type="checkbox"[^>]*aria-label="Page the db-team owner"/);
      expect(html).toMatch(/<input[^>]*aria-label="Open the channel"/);
      // Needs link to the step; the confirm word defaults to the page's name, as `runbook run` asks for it.
      expect(html).toMatch(
        /<div class="rb-snippet rb-snippet--destructive" id="switch"[^>]*data-confirm="switch-over"/,
      );
      expect(html).toMatch(/Run after <\/span><a href="#check">#check<\/a>/);
      expect(html).toContain('Stops after </span>6m');
      expect(html).toMatch(/Confirm word <\/span><code class="rb-snippet__confirm"[^>]*>switch-over<\/code>/);
      expect(html).toMatch(
        /Values <\/span><a href="#var-TARGET" class="rb-snippet__var"><code[^>]*>\$TARGET<\/code><\/a>/,
      );
      expect(html).toMatch(/data-confirm="really"/);
      expect(html).toMatch(/<a href="#check">#check<\/a>, <a href="#switch">#switch<\/a>/);
      expect(html).toContain('Stops after </span>1m 30s');
      // Expressive Code wraps long lines (the bar marking continuations is CSS) and shows no terminal title bar inside a run block.
      expect(html).toMatch(/<pre data-language="bash" class="wrap"/);
      expect(html).not.toMatch(/id="switch"[^]*?is-terminal[^]*?id="again"/);
    },
  );
});
