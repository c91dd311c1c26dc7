import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BODY, CONFIG, LADDER, SLO, variants } from '../fixtures/model/variants.ts';
import { astroAccepts } from '../fixtures/model/variants.ts';
import { astroBuild, type BuildResult, ROOT, scratchSite } from './helpers.ts';

// A handful of the model-property variants through a real `astro build`: clean pages
// build; bad pages fail the build with the checker's report, never Astro's raw schema
// error, ImageNotFound or a stack trace.

const CLEAN = [
  'the base',
  'owner: a handle with a team path',
  'review.log.0.date: a quoted date',
  'template: splash',
  'lastUpdated: a date',
  'description: removed',
  'shortlinks.0: a quoted number',
  // Text YAML read as a number that converts back to what was written: the page shows "5432".
  'services.0: a number',
];
const BAD = [
  'vars.HOST.example: a YAML timestamp',
  'owner: not a handle',
  'template: an unknown template',
  'shortlinks.0: upper case',
  'vars.HOST.pattern: a pattern that does not compile',
  'review.log.0.date: an impossible date',
  'services.0: a map',
  'title: removed',
  'escalation.0: a contact that is not a handle',
  'review.every: a float',
];

const all = variants();
const pick = (names: string[]) =>
  names.map((name) => {
    const i = all.findIndex((v) => v.name === name);
    if (i < 0) throw new Error(`no variant named ${name}`);
    return {
      name,
      file: `src/content/runbooks/v/variant-${i}.md`,
      source: `---\n${all[i].frontmatter}\n---\n\n${BODY}`,
    };
  });
const base = (i: string) => all[0].frontmatter.replace(/\b([qrs])-0\b/g, `$1-${i}`);
const clean = [
  ...pick(CLEAN),
  // What the check now accepts must build too: a bound MDX page, a `_folder` page, an image next to its page, a slug of its own.
  {
    name: 'an MDX page whose names are all bound',
    file: 'src/content/runbooks/v/bound.mdx',
    source: `---\n${base('mdx')}\n---\n\nimport { Aside } from '@astrojs/starlight/components';\nexport const pool = { size: 20 };\n\n<Aside>Pool {pool.size}, twice {pool.size * 2}, {frontmatter.title} {/* note */}</Aside>\n\n${BODY}`,
  },
  {
    name: 'a page in a _folder',
    file: 'src/content/runbooks/_shared/kept.md',
    source: `---\n${base('kept')}\n---\n\n${BODY}`,
  },
  {
    name: 'a page with its own slug',
    file: 'src/content/runbooks/v/slugged.md',
    source: `---\n${base('slug')}\nslug: guides/queue\n---\n\n${BODY}`,
  },
  {
    name: 'headings slugged as they render, linked by those anchors',
    file: 'src/content/runbooks/v/anchors.md',
    source: `---\n${base('anchors')}\n---\n\n${BODY}\n## Escalate at :severity[P0] after 09:00\n\n## <span>Html</span> heading\n\n<a id="raw-spot"></a>\n\n[a](#escalate-at-p0outage-after-0900) [b](#html-heading) [c](#raw-spot) [d](./slugged.md)\n`,
  },
];
const bad = [
  ...pick(BAD),
  // Not a runbook, and still held to the schema the build applies.
  {
    name: 'runbook: false with owner "db team"',
    file: 'src/content/runbooks/v/about.md',
    source: '---\ntitle: About\nrunbook: false\nowner: db team\n---\n\nProse.\n',
  },
  {
    name: 'a missing relative image',
    file: 'src/content/runbooks/v/quota.md',
    source: `---\n${all[0].frontmatter.replace(/q-0|r-0|s-0/g, (s) => `${s}-img`)}\n---\n\n${BODY}\n![Quota screen](helpers/screenshots/quota-increase.png)\n`,
  },
];
// The fixture's own page uses its ladder (P0…); the variants use SEV-1…: the site has both.
const ladder =
  readFileSync(join(ROOT, 'tests/fixtures/sites/basic/src/content/severity.yaml'), 'utf8').trimEnd() +
  '\n' +
  LADDER.replace(/^levels:\n/, '');
const project = {
  'src/content/severity.yaml': ladder,
  'src/content/slos/queue-latency.yaml': SLO,
  'runbooks.config.yaml': CONFIG,
};
const files = (pages: { file: string; source: string }[]) => Object.fromEntries(pages.map((p) => [p.file, p.source]));

describe('the model in a real build', () => {
  let mixed: BuildResult;
  let onlyClean: BuildResult;
  beforeAll(() => {
    mixed = astroBuild(scratchSite('basic', 'model-mixed', { ...project, ...files(clean), ...files(bad) }));
    onlyClean = astroBuild(scratchSite('basic', 'model-clean', { ...project, ...files(clean) }));
  });

  it('the variants agree with the content layer on which is which', async () => {
    for (const p of clean.filter((c) => c.file.endsWith('.md')))
      expect(await astroAccepts(p.source), p.name).toBe(true);
    // All but the impossible date (YAML rolls it over) and the image (not frontmatter) are refused by the schema itself.
    for (const p of bad.filter((b) => !/impossible date|image/.test(b.name)))
      expect(await astroAccepts(p.source), p.name).toBe(false);
  });

  it('builds the clean pages', () => {
    expect(onlyClean.status, onlyClean.output).toBe(0);
    for (const p of clean.filter((c) => !/splash|own slug/.test(c.name)))
      expect(
        existsSync(
          join(
            onlyClean.dir,
            'dist',
            p.file
              .replace('src/content/runbooks/', '')
              .replace(/\.mdx?$/, '')
              .replace(/^_/, '_'),
            'index.html',
          ),
        ),
        p.name,
      ).toBe(true);
    expect(existsSync(join(onlyClean.dir, 'dist/guides/queue/index.html'))).toBe(true);
    // The anchors the check accepted are the ids the page has.
    const anchors = readFileSync(join(onlyClean.dir, 'dist/v/anchors/index.html'), 'utf8');
    for (const id of ['escalate-at-p0outage-after-0900', 'html-heading', 'raw-spot'])
      expect(anchors).toContain(`id="${id}"`);
    // A relative link to a page with its own slug leads to that slug.
    expect(anchors).toContain('href="/guides/queue/"');
  });

  it('fails on the bad pages with our report: every bad page at a line, no clean page named', () => {
    expect(mixed.status).not.toBe(0);
    const reported = mixed.output.split('\n').filter((l) => /^\s+\S+\.md:\d+:\d+\s+error\s/.test(l));
    for (const p of bad)
      expect(
        reported.some((l) => l.includes(`${p.file}:`)),
        `${p.name} is not in the report:\n${mixed.output}`,
      ).toBe(true);
    for (const p of clean)
      expect(
        reported.some((l) => l.includes(`${p.file}:`)),
        `${p.name} was reported`,
      ).toBe(false);
    expect(mixed.output).toContain('runbook error(s); the report is above.');
  });

  it("never shows Astro's own schema or image errors, or a stack trace", () => {
    for (const build of [mixed, onlyClean]) {
      expect(build.output).not.toMatch(
        /InvalidContentEntryDataError|\[ImageNotFound\]|does not match collection schema/,
      );
      expect(build.output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    }
  });
});
