import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/plugins/runbook/diagnostic.ts';
import { checkProject } from '../../src/plugins/check/index.ts';
import { BASE, BASE_RUNBOOK, cases, LADDER, TODAY, type FileSpec } from '../fixtures/bad-input.ts';
import { astroAccepts } from '../fixtures/model/variants.ts';
import { ROOT } from '../build/helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function write(dir: string, path: string, spec: FileSpec) {
  const full = join(dir, path);
  mkdirSync(dirname(full), { recursive: true });
  rmSync(full, { force: true });
  if (typeof spec === 'string' || Buffer.isBuffer(spec)) return writeFileSync(full, spec);
  if (spec.symlink !== undefined) return symlinkSync(spec.symlink, full);
  writeFileSync(full, spec.content ?? '');
  if (spec.mode !== undefined) chmodSync(full, spec.mode);
}

/** A fresh base project, with the case's files and config written over it. */
function project(files: Record<string, FileSpec> = {}, config?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbooks-bad-'));
  dirs.push(dir);
  write(dir, 'src/content/severity.yaml', LADDER);
  write(dir, 'src/content/slos/queue-latency.yaml', 'service: queue\ndescription: Jobs picked up within a minute\nobjective: 99.9\nwindow: 28d\nindicator: { ratio: { good: "sum(rate(ok[{{window}}]))", total: "sum(rate(all[{{window}}]))" } }\nowner: "@ops-team"\n');
  write(dir, 'ops/queue-depth.sh', { content: '#!/bin/sh\necho 0\n', mode: 0o755 });
  write(dir, BASE, BASE_RUNBOOK);
  // A project has its packages installed: MDX imports of packages resolve against them.
  write(dir, 'node_modules', { symlink: join(ROOT, 'node_modules') });
  if (config !== undefined) write(dir, 'runbooks.config.yaml', config);
  for (const [path, spec] of Object.entries(files)) write(dir, path, spec);
  return dir;
}

function check(dir: string): Diagnostic[] {
  let found: Diagnostic[] | undefined;
  expect(() => {
    found = checkProject(dir, { today: TODAY });
  }).not.toThrow();
  return found ?? [];
}

describe('checkProject on bad input', () => {
  it('has at least 45 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it('finds nothing in the clean base project', () => {
    expect(check(project())).toEqual([]);
  });

  it.each(cases)('$name', async ({ files, config, expected, severities, messages }) => {
    const dir = project(files, config);
    const found = check(dir);
    expect(found.map((d) => [d.ruleId, d.file, d.line, d.column])).toEqual(expected);
    if (severities) expect(found.map((d) => d.severity)).toEqual(severities);
    if (messages) messages.forEach((m, i) => expect(`${found[i]?.message}\n${found[i]?.hint}`).toContain(m));
    // The model property on every page the case writes: whatever the build's content
    // layer would refuse, the check has already reported in that file.
    for (const [path, spec] of Object.entries(files)) {
      if (!/^src\/content\/runbooks\/.*\.md$/.test(path) || /\/_/.test(path) || typeof spec !== 'string') continue;
      const accepted = await astroAccepts(readFileSync(join(dir, path), 'utf8'));
      const errors = found.filter((d) => d.file === path && d.severity === 'error');
      if (!accepted) expect(errors.length, `${path}: the content layer refuses it, so the check must report an error`).toBeGreaterThan(0);
    }
  });
});
