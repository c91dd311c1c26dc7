import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git, runCli, write } from '../fixtures/git-repo.ts';

const ROOT = join(import.meta.dirname, '../..');
const NOW = new Date('2026-11-20T12:00:00Z');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const review = (extra = '') =>
  `review:\n  log:\n    - { date: 2026-11-01, reviewer: "@ana", change: "First" }\n${extra}`;

const dbDown = (
  o: { owner?: string; severity?: string; shortlinks?: string; restart?: string; log?: string; body?: string } = {},
) =>
  `---
title: Database down
owner: "${o.owner ?? '@db-team'}"
severity: ${o.severity ?? 'SEV-2'}
services: [postgres]
slos: [x]
shortlinks: ${o.shortlinks ?? '[db-down, db-pool]'}
${review(o.log)}---

## Check

\`\`\`bash run id=check-pool safety=read-only
echo pool
\`\`\`

\`\`\`bash run id=restart ${o.restart ?? 'safety=read-only'}
echo restart
\`\`\`
${o.body ?? ''}`;

const apiSlow = `---
title: API slow
owner: "@platform-team"
severity: SEV-3
shortlinks: [api-slow]
${review()}---

\`\`\`bash run id=p99 safety=read-only
echo p99
\`\`\`
`;

/** A committed project (the base): two runbooks, an SLO, the ladder and a shortlinks.lock. */
function baseRepo(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `runbook-diff-${name}-`));
  made.push(dir);
  mkdirSync(join(dir, 'src/content/slos'), { recursive: true });
  copyFileSync(join(ROOT, 'src/content/severity.yaml'), join(dir, 'src/content/severity.yaml'));
  copyFileSync(join(ROOT, 'src/content/slos/api-availability.yaml'), join(dir, 'src/content/slos/x.yaml'));
  write(dir, {
    'src/content/runbooks/db/db-down.md': dbDown(),
    'src/content/runbooks/api/api-slow.md': apiSlow,
    'shortlinks.lock': `${JSON.stringify({ version: 1, slugs: { 'api-slow': '/api/api-slow/', 'db-down': '/db/db-down/', 'db-pool': '/db/db-down/' } }, null, 2)}\n`,
  });
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

/** Runs the CLI in-process with captured output. */
const run = (argv: string[], cwd: string) => runCli(argv, cwd, NOW);

describe('runbook diff', () => {
  it('reports metadata, shortlink, run block, SLO and finding changes, and exits 1 on a new error', async () => {
    const dir = baseRepo('full');
    write(dir, {
      'src/content/runbooks/db/db-down.md': dbDown({
        owner: '@sre-team',
        severity: 'SEV-1',
        shortlinks: '[db-down]',
        restart: 'safety=destructive confirm=restart',
        log: '    - { date: 2026-11-15, reviewer: "@bo", change: "Restart is destructive" }\n',
        body: '\nSee [the old page](/nowhere/).\n',
      }),
      'src/content/runbooks/cache/cache-cold.md': `---\ntitle: Cache cold\nowner: "@platform-team"\nseverity: SEV-3\n${review()}---\n\n\`\`\`bash run id=warm safety=mutating\necho warm\n\`\`\`\n`,
      'src/content/slos/x.yaml': readFileSync(join(dir, 'src/content/slos/x.yaml'), 'utf8').replace(
        'objective: 99.9',
        'objective: 99.5',
      ),
    });

    const r = await run(['diff', '--base', 'HEAD', '--format', 'json'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(Object.keys(report)).toEqual([
      'version',
      'base',
      'runbooks',
      'shortlinks',
      'slos',
      'findings',
      'review',
      'coverage',
    ]);
    expect(report.review).toEqual({ missing: [] });
    expect(report.version).toBe(1);
    expect(report.base).toBe('HEAD');
    expect(report.runbooks.added).toEqual([
      {
        file: 'src/content/runbooks/cache/cache-cold.md',
        title: 'Cache cold',
        owner: '@platform-team',
        blocks: [{ id: 'warm', safety: 'mutating', confirm: null }],
      },
    ]);
    expect(report.runbooks.removed).toEqual([]);
    expect(report.runbooks.changed).toEqual([
      {
        file: 'src/content/runbooks/db/db-down.md',
        title: 'Database down',
        fields: [
          { field: 'owner', from: '@db-team', to: '@sre-team' },
          { field: 'severity', from: ['SEV-2'], to: ['SEV-1'] },
        ],
        reviewLogAdded: [{ date: '2026-11-15', reviewer: '@bo', change: 'Restart is destructive' }],
        blocks: {
          added: [],
          removed: [],
          safety: [{ id: 'restart', from: 'read-only', to: 'destructive', confirm: 'restart', escalated: true }],
          edited: [],
          scripts: [],
        },
        body: {
          sections: { added: [], removed: [], edited: ['## Check'], moved: [] },
          links: { added: ['/nowhere/'], removed: [] },
        },
      },
    ]);
    expect(report.shortlinks).toEqual({
      added: [],
      removed: [
        { slug: 'db-pool', target: '/db/db-down/', file: 'src/content/runbooks/db/db-down.md', stillLocked: true },
      ],
      moved: [],
    });
    expect(report.slos).toEqual({
      added: [],
      removed: [],
      changed: [{ id: 'x', file: 'src/content/slos/x.yaml', objective: { from: 99.9, to: 99.5 } }],
    });
    expect(report.findings).toEqual({
      introduced: [
        {
          file: 'shortlinks.lock',
          line: 6,
          ruleId: 'shortlink-removed',
          severity: 'error',
          message: 'Published shortlink /r/db-pool (was /db/db-down/) is no longer on any page',
        },
        {
          file: 'src/content/runbooks/db/db-down.md',
          line: 24,
          ruleId: 'link-broken',
          severity: 'error',
          message: 'Link to a missing page /nowhere/',
        },
      ],
      fixed: [],
    });

    const md = await run(['diff', '--base', 'HEAD', '--format', 'markdown'], dir);
    expect(md.code).toBe(1);
    const lines = md.out.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      '## Runbook changes against `HEAD`',
      '',
      '**✖ This change introduces 2 errors.**',
    ]);
    for (const line of [
      '### Needs attention',
      '- **Shortlink removed:** `/r/db-pool` (led to /db/db-down/) — still in shortlinks.lock, so the check fails until it is put back or dropped on purpose with `npx runbook lock --drop db-pool`.',
      '- **Run block riskier:** `src/content/runbooks/db/db-down.md#restart` read-only → destructive (confirm word `restart`)',
      '- **New error:** error `link-broken` src/content/runbooks/db/db-down.md:24: Link to a missing page /nowhere/',
      '- added `src/content/runbooks/cache/cache-cold.md` — Cache cold (owner \\@platform-team)',
      '- changed `src/content/runbooks/db/db-down.md` — Database down',
      '  - owner: \\@db-team → \\@sre-team',
      '  - severity: SEV-2 → SEV-1',
      '  - review logged: 2026-11-15 by \\@bo: Restart is destructive',
      '- changed `x`: objective 99.9% → 99.5%',
    ])
      expect(lines).toContain(line);

    const pretty = await run(['diff', '--base', 'HEAD'], dir);
    expect(pretty.code).toBe(1);
    expect(pretty.out).toContain(
      '  ! Run block riskier: src/content/runbooks/db/db-down.md#restart read-only → destructive (confirm word restart)',
    );
    expect(pretty.out).not.toContain('\x1b[');
  });

  it('exits 0 without new errors, and reports moved and unlocked removed shortlinks, SLO files and fixed findings', async () => {
    const dir = baseRepo('clean');
    // The base carries a finding the head fixes.
    write(dir, {
      'src/content/runbooks/api/api-slow.md': apiSlow.replace(
        'echo p99',
        'echo p99\n```\n\nSee [gone](/gone/).\n\n```text',
      ),
    });
    git(dir, 'commit', '-q', '-am', 'broken link');
    write(dir, {
      'src/content/runbooks/api/api-slow.md': apiSlow
        .replace('shortlinks: [api-slow]', 'shortlinks: [{ slug: api-slow, anchor: p99 }]')
        .replace('owner: "@platform-team"', 'owner: "@sre-team"')
        .replace(
          'change: "First" }',
          'change: "First" }\n    - { date: 2026-11-19, reviewer: "@bo", change: "Removed the dead link; SRE owns it" }',
        ),
      'src/content/runbooks/db/db-down.md': dbDown({ shortlinks: '[db-down]' }),
      'shortlinks.lock': `${JSON.stringify({ version: 1, slugs: { 'api-slow': '/api/api-slow/', 'db-down': '/db/db-down/' } }, null, 2)}\n`,
      'src/content/slos/y.yaml': readFileSync(join(dir, 'src/content/slos/x.yaml'), 'utf8').replace(
        'window: 28d',
        'window: 7d',
      ),
    });
    const r = await run(['diff', '--base', 'HEAD', '--format=json'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.runbooks.changed.map((c: { file: string; fields: unknown }) => [c.file, c.fields])).toEqual([
      ['src/content/runbooks/api/api-slow.md', [{ field: 'owner', from: '@platform-team', to: '@sre-team' }]],
    ]);
    expect(report.review.missing).toEqual([]);
    expect(report.shortlinks).toEqual({
      added: [],
      removed: [
        { slug: 'db-pool', target: '/db/db-down/', file: 'src/content/runbooks/db/db-down.md', stillLocked: false },
      ],
      moved: [
        {
          slug: 'api-slow',
          from: '/api/api-slow/',
          to: '/api/api-slow/#p99',
          file: 'src/content/runbooks/api/api-slow.md',
        },
      ],
    });
    expect(report.slos).toEqual({
      added: [{ id: 'y', file: 'src/content/slos/y.yaml', objective: 99.9, window: '7d' }],
      removed: [],
      changed: [],
    });
    expect(report.findings.introduced.filter((d: { severity: string }) => d.severity === 'error')).toEqual([]);
    expect(report.findings.fixed).toEqual([
      {
        file: 'src/content/runbooks/api/api-slow.md',
        line: 15,
        ruleId: 'link-broken',
        severity: 'error',
        message: 'Link to a missing page /gone/',
      },
    ]);

    const md = await run(['diff', '--base', 'HEAD', '--format', 'markdown'], dir);
    expect(md.code).toBe(0);
    expect(md.out).toContain('**✔ No new errors.**');
    expect(md.out).toContain(
      '- **Shortlink removed:** `/r/db-pool` (led to /db/db-down/) — not in shortlinks.lock: bookmarks and alerts that use it will 404.',
    );
    expect(md.out).toContain('- moved `/r/api-slow`: /api/api-slow/ → /api/api-slow/#p99');
    expect(md.out).toContain(
      '- fixed error `link-broken` src/content/runbooks/api/api-slow.md:15: Link to a missing page /gone/',
    );
  });

  it('counts body changes, and makes an unreviewed one an error: a new section with a command and nothing else', async () => {
    const dir = baseRepo('body');
    write(dir, {
      'src/content/runbooks/db/db-down.md': dbDown({
        body: '\n## Fail over\n\n```bash run id=failover safety=mutating\necho failover\n```\n',
      }),
    });
    const r = await run(['diff', '--base', 'HEAD', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.runbooks.changed).toEqual([
      {
        file: 'src/content/runbooks/db/db-down.md',
        title: 'Database down',
        fields: [],
        reviewLogAdded: [],
        blocks: {
          added: [{ id: 'failover', safety: 'mutating', confirm: null }],
          removed: [],
          safety: [],
          edited: [],
          scripts: [],
        },
        body: {
          sections: { added: ['## Fail over'], removed: [], edited: [], moved: [] },
          links: { added: [], removed: [] },
        },
      },
    ]);
    expect(report.review.missing).toEqual([
      {
        file: 'src/content/runbooks/db/db-down.md',
        severity: 'error',
        reason:
          'its body, run blocks, variables or the scripts they call changed without a new `review.log` entry saying who reviewed what',
      },
    ]);
    const md = await run(['diff', '--base', 'HEAD', '--format', 'markdown'], dir);
    expect(md.out).toContain('**✖ This change changes 1 runbook without a review.log entry.**');
    expect(md.out).toContain(
      '- **Not reviewed:** `src/content/runbooks/db/db-down.md` — its body, run blocks, variables or the scripts they call changed without a new `review.log` entry saying who reviewed what.',
    );
    expect(md.out).toContain('  - section added: `## Fail over`');

    // With a review entry the same change passes.
    write(dir, {
      'src/content/runbooks/db/db-down.md': dbDown({
        body: '\n## Fail over\n\n```bash run id=failover safety=mutating\necho failover\n```\n',
        log: '    - { date: 2026-11-19, reviewer: "@bo", change: "Fail-over step" }\n',
      }),
    });
    expect((await run(['diff', '--base', 'HEAD'], dir)).code).toBe(0);
  });

  it('sees a run block whose command changed, a changed section, and a metadata-only change as a warning', async () => {
    const dir = baseRepo('edit');
    write(dir, { 'src/content/runbooks/db/db-down.md': dbDown().replace('echo restart', 'echo restart --force') });
    write(dir, { 'src/content/runbooks/api/api-slow.md': apiSlow.replace('severity: SEV-3', 'severity: SEV-2') });
    const r = await run(['diff', '--base', 'HEAD', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    const db = report.runbooks.changed.find((c: { file: string }) => c.file.endsWith('db-down.md'));
    expect(db.blocks.edited).toEqual(['restart']);
    expect(db.body.sections.edited).toEqual(['## Check']);
    expect(report.review.missing).toEqual([
      {
        file: 'src/content/runbooks/api/api-slow.md',
        severity: 'warning',
        reason: 'its severity changed without a new `review.log` entry',
      },
      {
        file: 'src/content/runbooks/db/db-down.md',
        severity: 'error',
        reason:
          'its body, run blocks, variables or the scripts they call changed without a new `review.log` entry saying who reviewed what',
      },
    ]);
    expect((await run(['diff', '--base', 'HEAD'], dir)).out).toContain(
      'run block edited: restart (its command changed)',
    );
  });

  it('counts what an attack pass hid: sections reordered, vars, a called script, a trailing space, and an old log entry edited', async () => {
    const dir = baseRepo('hidden');
    write(dir, {
      'ops/status.sh': '#!/bin/sh\necho status\n',
      'src/content/runbooks/db/db-down.md': dbDown({
        body: '\n## Restart\n\n```bash run id=status safety=read-only\nops/status.sh\n```\n\nvars: none\n',
      }),
    });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'more');
    const base = readFileSync(join(dir, 'src/content/runbooks/db/db-down.md'), 'utf8');
    const missing = async () =>
      JSON.parse((await run(['diff', '--base', 'HEAD', '--format', 'json'], dir)).out).review.missing.map(
        (m: { severity: string }) => m.severity,
      );

    // The script a block calls changes; nothing else does.
    write(dir, { 'ops/status.sh': '#!/bin/sh\nrm -rf /var/lib/postgresql\n' });
    let report = JSON.parse((await run(['diff', '--base', 'HEAD', '--format', 'json'], dir)).out);
    expect(report.runbooks.changed[0].blocks.scripts).toEqual(['ops/status.sh']);
    expect(report.review.missing.map((m: { severity: string }) => m.severity)).toEqual(['error']);
    git(dir, 'checkout', '-q', '--', 'ops/status.sh');

    // Sections swapped with their blocks.
    const sections = base.split('\n## ');
    write(dir, {
      'src/content/runbooks/db/db-down.md': [
        sections[0],
        sections[2].replace(/\n*$/, '\n'),
        sections[1].replace(/\n*$/, '\n'),
      ].join('\n## '),
    });
    report = JSON.parse((await run(['diff', '--base', 'HEAD', '--format', 'json'], dir)).out);
    expect(report.runbooks.changed[0].body.sections.moved.length).toBeGreaterThan(0);
    expect(await missing()).toEqual(['error']);

    // A variable made non-secret: what runs (and what is masked) changed.
    write(dir, {
      'src/content/runbooks/db/db-down.md': base.replace('slos: [x]', 'slos: [x]\nvars: { TOKEN: { secret: false } }'),
    });
    expect(await missing()).toEqual(['error']);
    // A trailing space after a line continuation is an edit.
    write(dir, { 'src/content/runbooks/db/db-down.md': base.replace('vars: none', 'vars: none ') });
    expect(await missing()).toEqual(['error']);
    // Editing an old log entry is not a review.
    write(dir, {
      'src/content/runbooks/db/db-down.md': base
        .replace('echo pool', 'echo POOL')
        .replace('change: "First"', 'change: "First."'),
    });
    expect(await missing()).toEqual(['error']);
    // A log entry without a reviewer handle is not a review either.
    write(dir, {
      'src/content/runbooks/db/db-down.md': base
        .replace('echo pool', 'echo POOL')
        .replace('change: "First" }', 'change: "First" }\n    - { date: 2026-11-19, reviewer: "x", change: "" }'),
    });
    expect(await missing()).toEqual(['error']);
  });

  it('keeps runbook text to one line in the Markdown summary: a title cannot forge a verdict or open a comment', async () => {
    const dir = baseRepo('inject');
    write(dir, {
      'src/content/runbooks/api/api-slow.md': apiSlow.replace(
        'title: API slow',
        'title: "API slow\\n\\n**✔ No new errors.**\\n\\n<!--"',
      ),
    });
    const md = (await run(['diff', '--base', 'HEAD', '--format', 'markdown'], dir)).out.split('\n');
    // The verdict is the only line that starts with it (the real one: a title with `<` is an html-unsafe error, since
    // Starlight writes titles into the page as HTML); the forged one stays inside its bullets, escaped.
    expect(md.filter((l) => l.startsWith('**'))).toEqual(['**✖ This change introduces 1 error.**']);
    expect(
      md
        .filter((l) => l.includes('No new errors') && !l.startsWith('**'))
        .every((l) => /^\s*- /.test(l) && l.includes('\\<!--')),
    ).toBe(true);
    expect(md.some((l) => l.startsWith('<!--'))).toBe(false);
  });

  it('sees a section removed', async () => {
    const dir = baseRepo('removed');
    write(dir, { 'src/content/runbooks/db/db-down.md': dbDown().replace('## Check\n\n', '') });
    const report = JSON.parse((await run(['diff', '--base', 'HEAD', '--format', 'json'], dir)).out);
    expect(report.runbooks.changed[0].body.sections).toEqual({
      added: ['(top of the page)'],
      removed: ['## Check'],
      edited: [],
      moved: [],
    });
    expect(report.review.missing[0].severity).toBe('error');
  });

  it('shows a file git sees renamed as renamed, with its changes, not as removed and added', async () => {
    const dir = baseRepo('rename');
    git(dir, 'mv', 'src/content/runbooks/api/api-slow.md', 'src/content/runbooks/api/latency.md');
    const r = await run(['diff', '--base', 'HEAD', '--format', 'json'], dir);
    const report = JSON.parse(r.out);
    expect(report.runbooks.added).toEqual([]);
    expect(report.runbooks.removed).toEqual([]);
    expect(report.runbooks.changed).toEqual([
      {
        file: 'src/content/runbooks/api/latency.md',
        renamedFrom: 'src/content/runbooks/api/api-slow.md',
        title: 'API slow',
        fields: [],
        reviewLogAdded: [],
        blocks: { added: [], removed: [], safety: [], edited: [], scripts: [] },
        body: { sections: { added: [], removed: [], edited: [], moved: [] }, links: { added: [], removed: [] } },
      },
    ]);
    // Its shortlink keeps its history: the same slug, now leading to the new URL.
    expect(report.shortlinks.moved).toEqual([
      { slug: 'api-slow', from: '/api/api-slow/', to: '/api/latency/', file: 'src/content/runbooks/api/latency.md' },
    ]);
    expect(report.review.missing).toEqual([]);
    expect((await run(['diff', '--base', 'HEAD', '--format', 'markdown'], dir)).out).toContain(
      '- renamed `src/content/runbooks/api/api-slow.md` → `src/content/runbooks/api/latency.md` — API slow',
    );
  });

  it('reads the base with the installed packages, so an MDX import is no finding "fixed" by every change', async () => {
    const dir = baseRepo('mdx');
    write(dir, {
      'src/content/runbooks/api/tabs.mdx':
        "---\ntitle: Tabs\nrunbook: false\n---\nimport { Tabs } from '@astrojs/starlight/components';\n\n<Tabs></Tabs>\n",
    });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'mdx');
    const report = JSON.parse((await run(['diff', '--base', 'HEAD', '--format', 'json'], dir)).out);
    expect(report.findings).toEqual({ introduced: [], fixed: [] });
  });

  it('says so when nothing changed', async () => {
    const dir = baseRepo('same');
    const r = await run(['diff', '--base', 'HEAD'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('No changes to runbooks, shortlinks, SLOs or findings.');
  });

  it('exits 2 outside a git repository, for an unknown ref, without --base and for an unknown format', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'runbook-diff-nogit-'));
    made.push(plain);
    mkdirSync(join(plain, 'src/content/runbooks'), { recursive: true });
    const outside = await run(['diff', '--base', 'HEAD'], plain);
    expect(outside.code).toBe(2);
    expect(outside.err).toContain('is not in a git repository');

    const dir = baseRepo('usage');
    const unknown = await run(['diff', '--base', 'no-such-branch'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Unknown git ref "no-such-branch"');
    const option = await run(['diff', '--base=--output=/tmp/x'], dir);
    expect(option.code).toBe(2);
    expect(option.err).toContain('is not a git ref');
    const missing = await run(['diff'], dir);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--base <ref>');
    const format = await run(['diff', '--base', 'HEAD', '--format', 'html'], dir);
    expect(format.code).toBe(2);
    expect(format.err).toContain('Unknown format "html"');
    const help = await run(['diff', '--help'], dir);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: npx runbook diff --base <ref>');
  });
});
