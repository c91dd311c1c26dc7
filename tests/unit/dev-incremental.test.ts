/**
 * The dev server's check of a save (check/incremental.ts): the rules over the saved pages
 * and the pages linking to them, the context from every page. On generated projects, its
 * findings for those files are exactly the findings a whole check has for them.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devSession } from '../../src/plugins/check/dev.ts';
import { isPage } from '../../src/plugins/check/incremental.ts';
import { collectFacts } from '../../src/plugins/runbook/facts.ts';
import { checkFacts, collectProject, withReferrers } from '../../src/plugins/check/index.ts';
import { checkScope } from '../../src/plugins/check/incremental.ts';
import { loadProject } from '../../src/plugins/project/load.ts';
import { project, removeProjects } from '../fixtures/check-project.ts';
import { TODAY } from '../fixtures/bad-input.ts';
import { seeded } from '../fixtures/seeded.ts';

afterAll(() => removeProjects());

const FOLDERS = ['db', 'queue', 'edge'];
const SLUGS = ['db-down', 'queue-stuck', 'edge-5xx', 'ops', 'cache-cold'];
const OWNERS = ['"@ops-team"', '"@opz-team"', 'ops team', '"@db-team"'];
const SEVERITIES = ['SEV-1', 'SEV-2', 'SEV2', 'critical'];

/** One generated project: page paths (from the root) and their text, links and slugs shared among them. */
function generated(seed: number): Map<string, string> {
  const { pick, chance, next } = seeded(seed);
  const count = 3 + Math.floor(next() * 10);
  const files = Array.from(
    { length: count },
    (_, i) => `src/content/runbooks/${pick(FOLDERS)}/page-${i % 7}${chance(0.2) ? '.mdx' : '.md'}`,
  );
  const urlOf = (file: string) => `/${file.slice('src/content/runbooks/'.length).replace(/\.mdx?$/, '')}/`;
  const pages = new Map<string, string>();
  for (const file of new Set(files)) {
    const other = pick(files);
    const link = pick([
      `[next](${urlOf(other)})`,
      `[next](${urlOf(other)}#check-the-${pick(['queue', 'cache'])})`,
      `[here](#check-the-${pick(['queue', 'qeueu'])})`,
      `[rel](../${other.split('/').slice(-2).join('/')})`,
      `[short](/r/${pick(SLUGS)}/)`,
      '[gone](/nowhere/)',
    ]);
    const front = [
      `title: Page ${file}`,
      `owner: ${pick(OWNERS)}`,
      `severity: ${pick(SEVERITIES)}`,
      ...(chance(0.7) ? [`shortlinks: [${pick(SLUGS)}]`] : []),
      ...(chance(0.15) ? [`slug: ${pick(['db/page-1', 'queue/page-2', 'rules'])}`] : []),
      ...(chance(0.15) ? ['draft: true'] : []),
      'review:',
      '  log:',
      '    - { date: 2026-11-01, reviewer: "@ana", change: "First" }',
      ...(chance(0.5) ? ['vars:', '  QUEUE: { description: "Queue", example: "jobs" }'] : []),
      ...(chance(0.1) ? ['services: [db', '  bad: indentation'] : []),
    ];
    const body = [
      '## Check the queue',
      '',
      `See ${link}.`,
      '',
      `\`\`\`bash run id=${pick(['depth', 'check-the-queue', 'flush'])} safety=read-only`,
      `echo "$${pick(['QUEUE', 'QUEU'])}"${chance(0.3) ? ' && ops/queue-depth.sh' : chance(0.2) ? ' && ops/missing.sh' : ''}`,
      '```',
    ];
    pages.set(file, `---\n${front.join('\n')}\n---\n\n${body.join('\n')}\n`);
  }
  return pages;
}

describe('the dev server checks a save incrementally', () => {
  const dir = project();
  const base = loadProject(dir);
  const today = new Date(TODAY);

  it('reports, for the saved pages and their referrers, exactly what a whole check reports for them', () => {
    let compared = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const pages = generated(seed);
      const facts = [...pages].map(([file, text]) =>
        collectFacts(text, file, file.slice('src/content/runbooks/'.length), { mdxBindings: true }),
      );
      const whole = checkFacts(base, facts, { today });
      const { pick, chance } = seeded(seed * 7919);
      const saved = new Set(facts.filter(() => chance(0.3)).map((f) => f.file));
      if (saved.size === 0) saved.add(pick(facts).file);
      const scope = withReferrers(base, facts, saved);
      const expected = whole.filter((d) => scope.has(d.file));
      expect(checkScope(base, facts, scope, today), `seed ${seed}, saved ${[...saved].join(', ')}`).toEqual(expected);
      compared += expected.length;
    }
    // The generated projects do carry findings (the property is not about clean pages only).
    expect(compared).toBeGreaterThan(300);
  });

  it('keeps, save after save, the findings of every page as a whole check has them', () => {
    let saves = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const site = project();
      const { pick, chance } = seeded(seed * 104729);
      const put = (file: string, text: string | undefined) => {
        if (text === undefined) rmSync(join(site, file), { force: true });
        else {
          mkdirSync(dirname(join(site, file)), { recursive: true });
          writeFileSync(join(site, file), text);
        }
      };
      for (const [file, text] of generated(seed)) put(file, text);
      const session = devSession(loadProject(site));
      session.start();
      for (let n = 0; n < 8; n++) {
        // Another generated project's version of a page (or none: the page removed).
        const variants = [...generated(seed * 31 + n)];
        const [file, text] = pick(variants);
        put(file, chance(0.15) ? undefined : text);
        session.changed([join(site, file)]);
        saves++;
        const pagesOnly = (ds: { file: string }[]) => ds.filter((d) => isPage(d.file));
        expect(pagesOnly(session.findings()), `seed ${seed}, save ${n + 1} of ${file}`).toEqual(
          pagesOnly(checkFacts(loadProject(site), collectProject(loadProject(site)))),
        );
      }
    }
    expect(saves).toBe(320);
  });
});
