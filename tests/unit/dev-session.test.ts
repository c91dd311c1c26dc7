/**
 * The dev server's check without a server (check/dev.ts): the start-up report, a save
 * reported for the saved page and the pages linking to it, a finding that goes away said
 * once, project files rechecking every page, and the page answered with the overlay.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devReport, devSession, errorPage } from '../../src/plugins/check/dev.ts';
import { loadProject } from '../../src/plugins/project/load.ts';
import { project, removeProjects, write } from '../fixtures/check-project.ts';
import { BASE, BASE_RUNBOOK } from '../fixtures/bad-input.ts';

afterAll(() => removeProjects());

const REFERRER = 'src/content/runbooks/ops/referrer.md';
const referrer = `---
title: Referrer
owner: "@ops-team"
review:
  log:
    - { date: 2026-11-01, reviewer: "@ana", change: "First" }
---

See [the queue](/ops/queue-stuck/#check-the-queue).
`;
const ids = (ds: { file: string; ruleId: string; line: number; column: number }[]) =>
  ds.map((d) => `${d.file}:${d.line}:${d.column} ${d.ruleId}`);

describe('the dev server check', () => {
  const dir = project({ [REFERRER]: referrer }, 'teams: ["@ops-team"]\n');
  const session = devSession(loadProject(dir));
  const save = (file: string, text: string) => {
    writeFileSync(join(dir, file), text);
    return session.changed([join(dir, file)]);
  };

  it('checks every page at start-up', () => {
    const update = session.start();
    expect(update.diagnostics).toEqual([]);
    expect(update.checked).toBe(2);
  });

  it('reports a saved page with an owner typo, and the overlay points at it', () => {
    const update = save(BASE, BASE_RUNBOOK.replace('"@ops-team"', '"@opz-team"'))!;
    expect(ids(update.diagnostics)).toEqual([`${BASE}:3:8 owner-invalid`]);
    expect(update.overlay?.ruleId).toBe('owner-invalid');
    expect(session.errorsAt('/ops/queue-stuck')?.map((d) => d.ruleId)).toEqual(['owner-invalid']);
    expect(session.errorsAt('/ops/referrer/')).toBeUndefined();
    const { text, level } = devReport(update);
    expect(level).toBe('error');
    expect(text).toContain(`${BASE}:3:8  error    Owner "@opz-team" is not in the teams list  owner-invalid`);
  });

  it('announces the fix once and asks the browser to reload', () => {
    const fixed = save(BASE, BASE_RUNBOOK)!;
    expect(fixed.diagnostics).toEqual([]);
    expect(fixed.clean).toEqual([BASE]);
    expect(fixed.reload).toBe(true);
    expect(devReport(fixed).text).toBe(`✓ ${BASE}: clean`);
    expect(session.errorsAt('/ops/queue-stuck/')).toBeUndefined();
    const again = save(BASE, BASE_RUNBOOK)!;
    expect(again.clean).toEqual([]);
    expect(devReport(again).text).toBe('');
  });

  it('reports the pages that link to a saved page: a renamed heading breaks their anchor', () => {
    const update = save(BASE, BASE_RUNBOOK.replace('## Check the queue', '## Inspect the queue'))!;
    expect(ids(update.diagnostics)).toEqual([`${REFERRER}:9:5 link-anchor-broken`]);
    expect(update.overlay?.file).toBe(REFERRER);
    expect(save(BASE, BASE_RUNBOOK)!.clean).toEqual([REFERRER]);
  });

  it('reports the page a saved page now shares a shortlink with, when that one is reported', () => {
    const other = 'src/content/runbooks/ops/aaa.md';
    const claims = (slug: string) => referrer.replace('title: Referrer', `title: A\nshortlinks: [${slug}]`);
    write(dir, other, claims('aaa'));
    session.changed([join(dir, other)]);
    // The whole check reports the later page of the two (queue-stuck.md), not the saved one.
    const update = save(other, claims('queue-stuck'))!;
    expect(ids(update.diagnostics)).toContain(`${BASE}:6:14 shortlink-duplicate`);
    expect(save(other, claims('aaa'))!.clean).toContain(BASE);
    rmSync(join(dir, other));
    session.changed([join(dir, other)]);
  });

  it('shows a frontmatter YAML error at its line and column', () => {
    const update = save(BASE, BASE_RUNBOOK.replace('services: [queue]', 'services: [queue\n  bad: x'))!;
    expect(update.overlay).toMatchObject({ ruleId: 'frontmatter-yaml', line: 5, column: 12 });
    expect(update.overlay!.column).toBeGreaterThan(0);
    save(BASE, BASE_RUNBOOK);
  });

  it('rechecks every page when the settings change, and a removed page is clean', () => {
    writeFileSync(join(dir, 'runbooks.config.yaml'), 'teams: ["@db-team"]\n');
    const update = session.changed([join(dir, 'runbooks.config.yaml')])!;
    expect(ids(update.diagnostics)).toEqual([`${BASE}:3:8 owner-invalid`, `${REFERRER}:3:8 owner-invalid`]);
    rmSync(join(dir, REFERRER));
    expect(session.changed([join(dir, REFERRER)])!.clean).toEqual([REFERRER]);
  });

  it('ignores files the check does not read', () => {
    write(dir, 'notes.txt', 'hello');
    expect(session.changed([join(dir, 'notes.txt')])).toBeUndefined();
  });

  it('answers a page with errors with the overlay, its text shown and never run', () => {
    const file = 'src/content/runbooks/ops/hostile.md';
    write(dir, file, BASE_RUNBOOK.replace('SEV-1', '"</script><script>alert(1)</script>"'));
    const update = session.changed([join(dir, file)])!;
    const html = errorPage(dir, update.diagnostics);
    expect(html).toContain('new ErrorOverlay(');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('severity-unknown');
    expect(readFileSync(join(dir, file), 'utf8')).toContain('</script>');
  });
});

describe('the dev server check of a broken project', () => {
  it('reports a broken ladder and config once each, and goes on', () => {
    const dir = project({ 'src/content/severity.yaml': 'levels: nope\n' }, 'review: { overdue: sometimes }\n');
    const update = devSession(loadProject(dir)).start();
    expect(update.diagnostics.map((d) => `${d.file} ${d.ruleId}`)).toEqual([
      'runbooks.config.yaml config-invalid',
      'src/content/severity.yaml severity-ladder-invalid',
    ]);
    expect(update.overlay?.ruleId).toBe('config-invalid');
  });
});
