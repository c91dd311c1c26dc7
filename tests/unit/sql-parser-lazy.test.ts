/**
 * `runbook check` loads PostgreSQL's parser (WebAssembly, a fifth of a cold check's start)
 * only when a page has an SQL block, and then finds what the parser finds. Its own file:
 * the parser's state is per module graph, and no other import may load it first.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../scripts/commands/check.ts';
import { C, page, run, sql } from '../fixtures/bad-input/base.ts';
import { project, removeProjects } from '../fixtures/check-project.ts';

afterAll(removeProjects);

/** `runbook check --format json --no-cache` in `root`: what it printed and its exit code. */
async function checked(root: string) {
  const out: string[] = [];
  const code = await check(['--format', 'json', '--no-cache'], {
    cwd: root,
    color: false,
    out: (t) => out.push(t),
    err: (t) => out.push(t),
  });
  return { code, out: out.join('\n') };
}

describe('PostgreSQL parser loading in runbook check', () => {
  it('is left out for pages without SQL, and loaded for a page with an SQL block', async () => {
    const plain = await checked(project({ [C]: page([], run('id=count safety=read-only', 'echo 1')) }));
    expect(plain.code).toBe(0);
    const { postgresParserLoaded } = await import('../../src/plugins/snippets/sql-read-only.ts');
    expect(postgresParserLoaded()).toBe(false);
    const withSql = await checked(
      project({ [C]: page([], sql('id=fix safety=read-only', 'UPDATE flags SET enabled = false;')) }),
    );
    expect(postgresParserLoaded()).toBe(true);
    expect(withSql.code).toBe(1);
    expect(withSql.out).toContain('"sql-read-only"');
  });
});
