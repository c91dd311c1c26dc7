import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Diagnostic } from '../diagnostic.ts';
import { LadderError, loadSeverityLadder } from '../severity-ladder.ts';
import { collectFacts } from './collect.ts';
import { runRules } from './rules.ts';

/** Where a project keeps its content, relative to its root. */
export const CONTENT_DIR = 'src/content/runbooks';
export const LADDER_FILE = 'src/content/severity.yaml';

/** Every `.md`/`.mdx` file under `dir`, skipping `_`-prefixed names as Starlight does. */
export function findMarkdown(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findMarkdown(full));
    else if (/\.mdx?$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

/** Checks a whole project without building it: the core behind the build and `runbook check`. */
export function checkProject(root: string): Diagnostic[] {
  let ladder;
  try {
    ladder = loadSeverityLadder(join(root, LADDER_FILE), LADDER_FILE);
  } catch (error) {
    // Without a ladder the severity rules would only add noise: report the ladder alone.
    if (error instanceof LadderError) return error.diagnostics;
    throw error;
  }
  const files = findMarkdown(join(root, CONTENT_DIR));
  const facts = files.map((path) => collectFacts(readFileSync(path, 'utf8'), relative(root, path).split('\\').join('/')));
  return runRules(facts, { ladder });
}
