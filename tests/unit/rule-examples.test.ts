import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectProject } from '../../src/plugins/check/index.ts';
import { checkAfterBuild, checkBeforeBuild } from '../../src/plugins/check/post-build.ts';
import { checkFacts } from '../../src/plugins/check/index.ts';
import { rules } from '../../src/plugins/check/rules.ts';
import { loadFindings, loadProject } from '../../src/plugins/project/load.ts';
import type { Diagnostic } from '../../src/plugins/runbook/diagnostic.ts';
import { EXAMPLE_BASE, EXAMPLE_PAGE, EXAMPLE_TODAY } from '../../src/plugins/runbook/examples.ts';
import type { ExampleFile, RuleExample } from '../../src/plugins/runbook/rule.ts';
import { exampleFiles } from '../../src/plugins/check/pages/example-files.ts';
import { write } from '../fixtures/check-project.ts';
import { ROOT } from '../build/helpers.ts';
import { diffSnapshots, snapshot } from '../../src/plugins/differ.ts';

// Every row's `bad` and `good` are real input: bad gives exactly its rule, good gives nothing.
// Each runs as `runbook check` runs (the project loader, then the rules); a `build` row's
// example also gives the built page, which its post-build check reads from a tiny dist/.

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const spec = (file: ExampleFile) =>
  typeof file === 'string'
    ? file
    : 'symlink' in file
      ? { symlink: file.symlink }
      : { content: file.latin1 ? Buffer.from(file.text, 'latin1') : file.text, mode: file.mode };

/** A project of the base files with the example's written over them. */
function exampleProject(example: RuleExample): string {
  const dir = mkdtempSync(join(tmpdir(), 'rule-example-'));
  dirs.push(dir);
  const files: Record<string, ExampleFile> = { ...EXAMPLE_BASE, ...example.files };
  if (example.page !== undefined) files[example.pageFile ?? EXAMPLE_PAGE] = example.page;
  mkdirSync(join(dir, 'src/content/runbooks'), { recursive: true });
  for (const [path, file] of Object.entries(files)) write(dir, path, spec(file));
  // A project has its packages installed: an MDX page's imports resolve against them.
  write(dir, 'node_modules', { symlink: join(ROOT, 'node_modules') });
  return dir;
}

/**
 * Every finding of the example: the loader's, the rules', (with a built page) the
 * post-build checks', and (a change's example, with its `base`) those `runbook diff`
 * reports of the change from the base project to this one.
 */
function findings(example: RuleExample): Diagnostic[] {
  const dir = exampleProject(example);
  const project = loadProject(dir);
  const stop = loadFindings(project);
  if (stop.length > 0) return stop;
  const today = new Date(`${EXAMPLE_TODAY}T12:00:00Z`);
  const found = checkFacts(project, collectProject(project), { today });
  if (example.base !== undefined) {
    const before = snapshot(loadProject(exampleProject(example.base)), today);
    const change = diffSnapshots('base', before, snapshot(project, today));
    const byChange = new Set(rules.filter((r) => r.phase === 'change').map((r) => r.id as string));
    return [
      ...found,
      ...change.findings.introduced
        .filter((d) => byChange.has(d.ruleId))
        // The diff reports a finding without its column and hint (its JSON matches findings by message).
        .map((d) => ({ ...d, column: 0, hint: '' })),
    ];
  }
  if (example.built === undefined) return found;
  const gate = checkBeforeBuild(project);
  for (const page of gate.pages) {
    const html = join(dir, 'dist', page.url, 'index.html');
    mkdirSync(dirname(html), { recursive: true });
    writeFileSync(html, `<main><div class="sl-markdown-content">${example.built}</div></main>`);
  }
  return [...found, ...checkAfterBuild(join(dir, 'dist'), project, gate)];
}

const show = (found: Diagnostic[]) => found.map((d) => `${d.file}:${d.line}:${d.column} ${d.ruleId} ${d.message}`);

describe('rule examples', () => {
  it('the base project alone has no finding', () => {
    expect(show(findings({}))).toEqual([]);
  });

  it.each(rules.map((r) => [r.id, r] as const))('%s: bad gives exactly it, good gives nothing', (id, rule) => {
    const bad = findings(rule.bad);
    expect(bad.length, `bad gives no ${id}`).toBeGreaterThan(0);
    expect(show(bad.filter((d) => d.ruleId !== id)), 'bad gives only its rule').toEqual([]);
    expect(show(findings(rule.good)), 'good gives nothing').toEqual([]);
  });
});

describe('the rule pages show the examples', () => {
  it('the page text first, then each other file by its path, with its mode or link said', () => {
    for (const rule of rules)
      for (const example of [rule.bad, rule.good] as RuleExample[]) {
        const shown = exampleFiles(example);
        expect(shown.length, rule.id).toBeGreaterThan(0);
        if (example.page !== undefined) expect(shown[0]?.title, rule.id).toMatch(/^src\/content\/runbooks\//);
        for (const path of Object.keys(example.files ?? {}))
          expect(
            shown.some((f) => f.title.startsWith(path)),
            `${rule.id}: ${path}`,
          ).toBe(true);
      }
    const byId = new Map(rules.map((r) => [r.id, r]));
    expect(exampleFiles(byId.get('script-not-executable')!.bad).map((f) => f.title)).toContain(
      'ops/rollback.sh (mode 644, not executable)',
    );
    expect(exampleFiles(byId.get('snippet-control-char')!.bad)[0]?.code).toContain('⟨CR⟩rm -rf');
    expect(exampleFiles(byId.get('file-unreadable')!.bad)[0]?.code).toContain('api-down.md -> api-outage.md');
    expect(exampleFiles(byId.get('page-render-failed')!.bad).at(-1)?.title).toMatch(
      /^dist\/api\/api-down\/index\.html/,
    );
  });
});
