/**
 * A real `astro build` of a site with pages past the nesting limits (each crashed the
 * build before: a segfault in the MDX parser, a stack overflow in the HTML parser): the
 * gate refuses them before Astro's content layer or MDX compiler reads them, so the
 * build ends with our report, not a crash.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { astroBuild, type BuildResult, scratchSite } from '../build/helpers.ts';
import { LIMITS } from '../../src/plugins/runbook/limits.ts';

const FM = (title: string) =>
  `---\ntitle: ${title}\nowner: "@ops-team"\nreview:\n  log:\n    - { date: 2026-10-01, reviewer: "@ana", change: "x" }\n---\n\n`;

const deep = {
  'src/content/runbooks/ops/deep-jsx.mdx': `${FM('JSX')}${'<a>'.repeat(20_000)}x${'</a>'.repeat(20_000)}\n`,
  'src/content/runbooks/ops/unclosed-div.md': `${FM('Divs')}${'<div>\n'.repeat(2_000)}`,
  'src/content/runbooks/ops/deep-quote.md': `${FM('Quotes')}${'> '.repeat(150_000)}x\n`,
};

describe('a real build of pages past the limits', () => {
  let build: BuildResult;
  beforeAll(() => {
    build = astroBuild(scratchSite('basic', 'limits-build', deep));
  }, 600_000);

  it('fails with file-too-complex at each page, no crash and no stack trace', () => {
    expect(build.status).toBe(1);
    expect(build.output).not.toMatch(/Segmentation fault|Maximum call stack|RangeError/);
    for (const file of Object.keys(deep))
      expect(build.output, file).toMatch(
        new RegExp(`${file.replace(/\./g, '\\.')}:\\d+:\\d+\\s+error.*file-too-complex`),
      );
    expect(build.output).toContain(`(${LIMITS.nesting} levels)`);
    expect(build.output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });
});

describe('a real build of pages just under the limits', () => {
  // What the gate lets through, Astro's own pipeline (content layer, MDX compile, Vite's JS parse, rendering) must survive.
  const under = {
    'src/content/runbooks/ops/jsx.mdx': `${FM('JSX')}${'<span>'.repeat(LIMITS.nesting - 1)}x${'</span>'.repeat(LIMITS.nesting - 1)}\n\n{${'('.repeat(LIMITS.nesting - 2)}1${')'.repeat(LIMITS.nesting - 2)}}\n`,
    'src/content/runbooks/ops/divs.md': `${FM('Divs')}${'<div>'.repeat(LIMITS.nesting - 1)}x${'</div>'.repeat(LIMITS.nesting - 1)}\n`,
    'src/content/runbooks/ops/quotes.md': `${FM('Quotes')}${'> '.repeat(LIMITS.containers)}x\n\n${Array.from({ length: LIMITS.containers }, (_, i) => `${'  '.repeat(i)}- x`).join('\n')}\n`,
  };
  let build: BuildResult;
  beforeAll(() => {
    build = astroBuild(scratchSite('basic', 'limits-build-under', under));
  }, 600_000);

  it('builds, with every page rendered', () => {
    expect(build.status, build.output.slice(-3000)).toBe(0);
    expect(build.output).not.toMatch(/error.*file-too-complex/);
    for (const page of ['jsx', 'divs', 'quotes']) expect(build.output).toContain(`/ops/${page}/index.html`);
  });
});
