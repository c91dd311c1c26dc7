import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/plugins/check/rules.ts';
import { ROOT } from '../build/helpers.ts';
import { cases, type Case } from '../fixtures/bad-input.ts';

// The bad-input table is split by concept: tests/fixtures/bad-input/<concept>.ts, or
// <concept>/<topic>.ts for a large one, where <concept> is a folder of src/plugins. This test
// keeps the split from rotting: a case sits with a concept that owns the rule of one of its
// findings, and the index assembles every file's cases, each once.

const PLUGINS = join(ROOT, 'src/plugins');
const TABLE = join(ROOT, 'tests/fixtures/bad-input');
/** Shared builders and the base project, not a concept. */
const SHARED = 'base.ts';

/**
 * The concept folder of each rule id, read from the rule table's imports: it takes each
 * concept's rules from src/plugins/<concept>/, so the module a rule comes from names its concept.
 */
async function ruleOwners(): Promise<Map<string, string[]>> {
  const ids = new Set<string>(rules.map((r) => r.id));
  const owners = new Map<string, string[]>();
  const source = readFileSync(join(PLUGINS, 'check/rules.ts'), 'utf8');
  for (const [, concept, file] of source.matchAll(/^import (?!type\b)[^;]*?from '\.\.\/([a-z-]+)\/([a-z-]+)\.ts'/gm)) {
    const module: Record<string, unknown> = await import(join(PLUGINS, concept, `${file}.ts`));
    for (const value of Object.values(module)) {
      for (const row of Array.isArray(value) ? value : [value]) {
        const id = (row as { id?: unknown } | null)?.id;
        if (typeof id !== 'string' || !ids.has(id)) continue;
        const list = owners.get(id) ?? [];
        if (!list.includes(concept)) owners.set(id, [...list, concept]);
      }
    }
  }
  return owners;
}

/** Every file of the split table, relative to its folder (the shared module left out). */
function tableFiles(dir = TABLE): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tableFiles(path);
    return name.endsWith('.ts') && relative(TABLE, path) !== SHARED ? [relative(TABLE, path)] : [];
  });
}

/** Each file of the split table with the cases it exports. */
async function casesByFile(): Promise<[string, Case[]][]> {
  return Promise.all(
    tableFiles().map(async (file) => [file, (await import(join(TABLE, file))).cases as Case[]] as [string, Case[]]),
  );
}

describe('the bad-input table split by concept', () => {
  it('knows the concept of every rule in the table, and only one', async () => {
    const owners = await ruleOwners();
    expect(rules.map((r) => r.id).filter((id) => owners.get(id)?.length !== 1)).toEqual([]);
  });

  it('has one file per concept folder of src/plugins (or a folder of files for a large one)', () => {
    const files = tableFiles();
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const concept = file.split('/')[0].replace(/\.ts$/, '');
      expect(existsSync(join(PLUGINS, concept)), `${file}: src/plugins/${concept}/ does not exist`).toBe(true);
      expect(file.split('/').length, `${file}: one level of topic folders at most`).toBeLessThanOrEqual(2);
    }
  });

  it('assembles every file of the split, each case once', async () => {
    const split = (await casesByFile()).flatMap(([, list]) => list);
    expect(split.length).toBe(cases.length);
    expect(new Set(split).size).toBe(split.length);
    expect(cases.filter((c) => !split.includes(c)).map((c) => c.name)).toEqual([]);
  });

  it('puts each case with a concept that owns the rule of one of its findings', async () => {
    const owners = await ruleOwners();
    const misplaced: string[] = [];
    for (const [file, list] of await casesByFile()) {
      const concept = file.split('/')[0].replace(/\.ts$/, '');
      for (const c of list) {
        // A clean case (no finding) shows a concept's rules staying quiet; it has no rule to place it by.
        if (c.expected.length === 0) continue;
        const concepts = [...new Set(c.expected.flatMap(([id]) => owners.get(id) ?? [`(no concept owns ${id})`]))];
        if (!concepts.includes(concept)) misplaced.push(`${file}: "${c.name}" belongs in ${concepts.join(' or ')}`);
      }
    }
    expect(misplaced).toEqual([]);
  });
});
