/**
 * Parsers behind limits: whatever a page holds, up to the size limit, `runbook check`
 * ends in findings (exit 0 or 1), never a crash, a stack trace or a segfault (139), and
 * a page over a nesting limit is one `file-too-complex` finding where the limit was
 * crossed. Classes that crashed a parser run through the real CLI in a child process
 * (a native segfault cannot be caught in-process); the rest run in-process. Timing is
 * not asserted here: scripts/bench/limits.ts measures it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { markdownToHtml, mdxToJs } from 'satteri';
import { checkProject } from '../../src/plugins/check/index.ts';
import { collectFacts } from '../../src/plugins/runbook/facts.ts';
import { LIMITS, scanLimits } from '../../src/plugins/runbook/limits.ts';
import { findMarkdown } from '../../src/plugins/runbook/files.ts';
import { TODAY } from '../fixtures/bad-input.ts';
import { project, removeProjects } from '../fixtures/check-project.ts';
import { ROOT } from '../build/helpers.ts';
import { CLASSES, HEAD, rng } from '../../scripts/bench/pathological.ts';

afterAll(removeProjects);

const CLI = join(ROOT, 'scripts/runbook.ts');
/** The real CLI in a child process, with the Node that runs the tests. */
const runCli = (cwd: string, args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout: 120_000,
  });
const STACK = /^\s+at .+:\d+:\d+\)?$/m;

/** Sizes from a few KB up to the 1 MB limit, a handful per class (each a page of its own). */
const SIZES = [3_000, 60_000, 990_000];

describe('pathological pages, each class through the real CLI', () => {
  const crashing = Object.entries(CLASSES).filter(([, c]) => c.crashes);
  // One project per class, one page per size: one child process checks them all.
  it.each(crashing)(
    '%s: findings, never a crash',
    (name, { generate }) => {
      const random = rng(name.length * 7919);
      const files: Record<string, string> = {};
      for (const size of SIZES) {
        const page = generate(size, random);
        files[`src/content/runbooks/gen/${name}-${size}.${page.ext}`] = page.text;
      }
      const result = runCli(project(files), ['check', '--format', 'json']);
      expect(result.signal, result.stderr).toBeNull();
      expect([0, 1], result.stderr.slice(0, 2000)).toContain(result.status);
      expect(result.stderr).not.toMatch(STACK);
      const found = JSON.parse(result.stdout) as {
        diagnostics: { file: string; ruleId: string; line: number; column: number; message: string }[];
      };
      // Every page deep enough to cross a limit is reported as too complex, at a real place in it.
      for (const [file, text] of Object.entries(files)) {
        const breach = scanLimits(text, file.endsWith('.mdx'));
        const mine = found.diagnostics.filter((d) => d.file === file);
        if (!breach) continue;
        expect(
          mine.map((d) => d.ruleId),
          file,
        ).toEqual(['file-too-complex']);
        expect(mine[0].line).toBe(breach.line);
        expect(text.split('\n')[breach.line - 1].length + 1).toBeGreaterThanOrEqual(mine[0].column);
      }
      // The deepest sizes of a nesting class always cross a limit.
      expect(found.diagnostics.some((d) => d.ruleId === 'file-too-complex')).toBe(true);
    },
    180_000,
  );
});

describe('pathological pages in-process', () => {
  const rest = Object.entries(CLASSES).filter(([, c]) => !c.crashes);
  it.each(rest)(
    '%s: collecting never throws, at sizes up to the limit',
    (name, { generate }) => {
      const random = rng(name.length * 104_729);
      for (let i = 0; i < 3; i++) {
        const size = [2_000, 20_000, 100_000][i];
        const page = generate(size, random);
        expect(
          () =>
            collectFacts(page.text, `src/content/runbooks/g.${page.ext}`, `g.${page.ext}`, {
              maxBytes: 1_000_000,
              mdxBindings: true,
            }),
          `${name} #${i}`,
        ).not.toThrow();
      }
    },
    120_000,
  );

  it('markup soup: a hundred random pages, every one collected or refused, never a throw', () => {
    const random = rng(18);
    for (let i = 0; i < 100; i++) {
      const page = CLASSES['markup-soup'].generate(200 + Math.floor(random() * 2_000), random);
      const facts = collectFacts(page.text, `src/content/runbooks/s.${page.ext}`, `s.${page.ext}`);
      const refused = facts.problems.some((p) => p.kind === 'too-complex');
      expect(refused, `#${i}`).toBe(scanLimits(page.text, page.ext === 'mdx') !== undefined);
    }
  }, 120_000);
});

describe('each limit, at and past its edge', () => {
  // Exactly at a limit the page is parsed (and the parsers survive it easily); one level more is a finding there.
  const edges: { name: string; ext: 'md' | 'mdx'; page: (depth: number) => string; limit: number; line: number }[] = [
    {
      name: 'JSX elements',
      ext: 'mdx',
      page: (d) => `${HEAD}${'<a>'.repeat(d)}x${'</a>'.repeat(d)}\n`,
      limit: LIMITS.nesting,
      line: 9,
    },
    {
      name: 'unclosed HTML elements',
      ext: 'md',
      page: (d) => `${HEAD}${'<div>\n'.repeat(d)}`,
      limit: LIMITS.nesting,
      line: 9 + LIMITS.nesting,
    },
    {
      name: 'MDX brackets',
      ext: 'mdx',
      page: (d) => `${HEAD}{${'('.repeat(d - 1)}1${')'.repeat(d - 1)}}\n`,
      limit: LIMITS.nesting,
      line: 9,
    },
    { name: 'blockquotes', ext: 'md', page: (d) => `${HEAD}${'> '.repeat(d)}x\n`, limit: LIMITS.containers, line: 9 },
    {
      name: 'lists',
      ext: 'md',
      page: (d) => HEAD + Array.from({ length: d }, (_, i) => `${'  '.repeat(i)}- x`).join('\n'),
      limit: LIMITS.containers,
      line: 9 + LIMITS.containers,
    },
    {
      name: 'frontmatter flows',
      ext: 'md',
      page: (d) => `---\ntitle: T\nx: ${'['.repeat(d - 1)}${']'.repeat(d - 1)}\n---\n\nx\n`,
      limit: LIMITS.frontmatter,
      line: 3,
    },
  ];
  it.each(edges)('$name', ({ ext, page, limit, line }) => {
    const file = `src/content/runbooks/e.${ext}`;
    const at = collectFacts(page(limit), file, `e.${ext}`);
    expect(at.problems.filter((p) => p.kind === 'too-complex')).toEqual([]);
    const past = collectFacts(page(limit + 1), file, `e.${ext}`);
    expect(past.problems.map((p) => [p.kind, p.line])).toEqual([['too-complex', line]]);
    // Nothing else was collected from a refused page: no parser read it.
    expect([past.headings, past.links, past.code, past.html]).toEqual([[], [], [], []]);
  });
});

describe('concrete pages from the attack pass', () => {
  const mdx = 'src/content/runbooks/t/deep.mdx';
  const md = 'src/content/runbooks/t/deep.md';
  const check = (files: Record<string, string>) =>
    checkProject(project(files), { today: TODAY }).filter((d) => d.file !== 'src/content/runbooks/ops/queue-stuck.md');

  it('20,000 nested JSX elements (a segfault in check and build): one file-too-complex finding with its hint', () => {
    const found = check({ [mdx]: `${HEAD}${'<a>'.repeat(20_000)}${'</a>'.repeat(20_000)}\n` });
    expect(found.map((d) => [d.ruleId, d.line, d.column])).toEqual([['file-too-complex', 9, 3 * LIMITS.nesting + 1]]);
    expect(found[0].message).toContain(`(${LIMITS.nesting} levels) here, at \`<a>\``);
    expect(found[0].hint).toMatch(/split the page/);
  });

  it('2,000 unclosed <div> (a stack overflow in the HTML parser)', () => {
    expect(check({ [md]: `${HEAD}${'<div>\n'.repeat(2_000)}` }).map((d) => [d.ruleId, d.line, d.column])).toEqual([
      ['file-too-complex', 9 + LIMITS.nesting, 1],
    ]);
  });

  it('300 KB of `> > > …` (quadratic parse time)', () => {
    const found = check({ [md]: `${HEAD}${'> '.repeat(150_000)}x\n` });
    expect(found.map((d) => [d.ruleId, d.line, d.column])).toEqual([
      ['file-too-complex', 9, 2 * LIMITS.containers + 1],
    ]);
    expect(found[0].message).toContain('Blockquotes and lists nest deeper');
  });

  it("300 KB paragraphs of `_a_a…`, `&amp;&amp;…`, `::a[::a[…`, `<http://a<http://a…` (quadratic in Sätteri's inline parser: past 30 s each): one finding, nothing parsed", () => {
    for (const unit of ['_a', '&amp;', '::a[', '<http://a']) {
      const found = check({ [md]: `${HEAD}${unit.repeat(Math.ceil(300_000 / unit.length))}\n` });
      expect(
        found.map((d) => [d.ruleId, d.line, d.column]),
        unit,
      ).toEqual([['file-too-complex', 9, 1]]);
      expect(found[0].message).toContain(
        `is longer than the limit (${LIMITS.paragraph} characters) here, at \`${unit.repeat(20).slice(0, 20)}\``,
      );
      expect(found[0].hint).toMatch(/blank line/);
    }
    // Over many lines without a blank one it is the same block; on the line where it crosses the limit.
    const tall = check({ [md]: `${HEAD}${`${'&amp;'.repeat(20)}\n`.repeat(400)}` });
    expect(tall.map((d) => [d.ruleId, d.line, d.column])).toEqual([
      ['file-too-complex', 9 + Math.floor(LIMITS.paragraph / 101), 1],
    ]);
    // Fenced code is not inline-parsed: a long block of pasted output stays allowed.
    expect(scanLimits(`${HEAD}\`\`\`text\n${'_a'.repeat(100_000)}\n\`\`\`\n`, false)).toBeUndefined();
  });

  it('generated: pages of blocks under the paragraph limit are read, a block over it is refused at its line', () => {
    let seed = 18;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const units = ['_a', '&amp;', '::a[', '<http://a', 'word ', '*b ', '[x](y) ', '`c` ', '| a '];
    for (let k = 0; k < 200; k++) {
      const sizes = Array.from({ length: 1 + Math.floor(next() * 4) }, () =>
        Math.floor(next() * LIMITS.paragraph * 1.3),
      );
      const blocks = sizes.map((size) => {
        const unit = units[Math.floor(next() * units.length)];
        // Cut into lines now and then: a block is its lines up to a blank one.
        const text = unit.repeat(Math.max(1, Math.floor(size / unit.length)));
        return next() < 0.5 ? text : text.replace(/(.{200})/g, '$1\n');
      });
      const page = `${HEAD}${blocks.join('\n\n')}\n`;
      const breach = scanLimits(page, false);
      // The scan counts each line with its line end.
      const over = blocks.findIndex((b) => b.length + 1 > LIMITS.paragraph);
      expect(breach?.kind, sizes.join(',')).toBe(over === -1 ? undefined : 'paragraph');
      if (over !== -1) {
        const before = blocks.slice(0, over).reduce((n, b) => n + b.split('\n').length + 1, 0);
        expect(breach!.line).toBeGreaterThan(8 + before);
        expect(breach!.line).toBeLessThanOrEqual(8 + before + blocks[over].split('\n').length);
      }
    }
  });

  it('raw HTML with thousands of tags on a line: every image and id found, at its own column', () => {
    // As many as one paragraph may hold (LIMITS.paragraph): a longer one is refused before any parser.
    const count = Math.floor((LIMITS.paragraph - 16) / 22);
    const facts = collectFacts(`${HEAD}<p>${'<img src="x.png" id=i>'.repeat(count)}</p>\n`, md, 'deep.md');
    expect(facts.links.length).toBe(count);
    expect(facts.links[1]).toMatchObject({ url: 'x.png', line: 9, column: 4 + 22 });
    expect(facts.htmlIds.length).toBe(count);
  });

  it('brackets hidden from a naive count (strings, regular expressions, comments, code) still count where a parser counts them', () => {
    const sneaky = [
      // A `)` inside a regular expression closes nothing.
      `{${'(/)/,'.repeat(200)}}`,
      // Nor inside a string continued over a line end.
      `{${"( 'a\\\n)'".repeat(200)}}`,
      // A close tag that names no open element (parse5 ignores it) pops nothing.
      `${'<div></x>'.repeat(200)}`,
    ];
    for (const [i, text] of sneaky.entries()) {
      const ext = i === 2 ? 'md' : 'mdx';
      expect(scanLimits(`${HEAD}${text}\n`, ext === 'mdx')?.kind, text.slice(0, 30)).toBe('nesting');
    }
    // Markup inside code spans, fences and comments is text: a real page full of placeholders passes.
    const placeholders = `${HEAD}${'Run `kubectl get <pod>` then\n\n```sh\nkubectl logs <pod> -c <container>\n```\n\n'.repeat(300)}`;
    expect(scanLimits(placeholders, true)).toBeUndefined();
    expect(scanLimits(`${placeholders}${'<!-- <todo> -->\nRun `<x>`.\n'.repeat(300)}`, false)).toBeUndefined();
  });

  it('the example site and the imported corpus nest far below every limit', () => {
    // The corpus sits beside the repository on a developer's machine; a bare clone has only the examples.
    const examples = findMarkdown(join(ROOT, 'src/content/runbooks'));
    expect(examples.length).toBeGreaterThan(15);
    const corpus = join(ROOT, '../shared/corpus');
    const corpusPages = existsSync(corpus) ? findMarkdown(corpus) : [];
    if (existsSync(corpus)) expect(corpusPages.length).toBeGreaterThan(100);
    const pages = [...examples, ...corpusPages];
    const saved = { ...LIMITS };
    const limits = LIMITS as unknown as Record<string, number>;
    try {
      // A quarter of each limit is still more than any of these pages needs.
      for (const key of Object.keys(saved)) limits[key] = Math.floor(saved[key as keyof typeof saved] / 4);
      for (const page of pages)
        expect(scanLimits(readFileSync(page, 'utf8'), page.endsWith('.mdx')), page).toBeUndefined();
    } finally {
      Object.assign(limits, saved);
    }
  });

  it('a page at the limits parses in Sätteri, Markdown and MDX alike', () => {
    const deep = `${'<a>'.repeat(LIMITS.nesting / 2)}{${'('.repeat(LIMITS.nesting / 2 - 2)}1${')'.repeat(LIMITS.nesting / 2 - 2)}}${'</a>'.repeat(LIMITS.nesting / 2)}\n\n${'> '.repeat(LIMITS.containers)}x\n`;
    expect(scanLimits(deep, true)).toBeUndefined();
    expect(() => mdxToJs(deep, {})).not.toThrow();
    expect(() => markdownToHtml(deep, {})).not.toThrow();
  });
});

describe('runbook run and list never parse past a limit', () => {
  it('a page that mentions a slug cannot crash running that slug', () => {
    const dir = project({
      // It names queue-stuck, so `runbook run queue-stuck` reads it (the light reader parses every page that mentions the slug).
      'src/content/runbooks/t/mentions.mdx': `${HEAD}See queue-stuck.\n\n${'<a>'.repeat(20_000)}\n`,
    });
    const run = runCli(dir, ['run', 'queue-stuck', '--dry-run']);
    expect(run.signal, run.stderr).toBeNull();
    expect(run.status, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toContain('queue-depth');
    const list = runCli(dir, ['list']);
    expect(list.signal).toBeNull();
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toContain('queue-stuck');
    expect(`${run.stderr}${list.stderr}`).not.toMatch(STACK);
  }, 120_000);
});
