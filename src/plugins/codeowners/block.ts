/**
 * CODEOWNERS from the runbooks: a marked block in `.github/CODEOWNERS` that maps each
 * runbook and SLO file to the `owner:` it declares, so GitHub asks the owning team to
 * review changes to it. `runbook codeowners` writes the block; `runbook check` reports
 * when it no longer matches the content. Nothing outside the block is touched.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunbookFacts } from '../runbook/facts.ts';
import { isRunbook } from '../runbook/page.ts';
import { loadSlos } from '../slos/load.ts';

/** Where the block lives. */
export const CODEOWNERS_FILE = '.github/CODEOWNERS';
export const BEGIN = '# BEGIN runbooks — written by `runbook codeowners` from each runbook and SLO file\'s `owner:`; edit those, not these lines';
export const END = '# END runbooks';

/** `path owner` lines for every runbook and SLO file with an owner, sorted by path. */
export function ownerLines(root: string, facts: readonly RunbookFacts[]): string[] {
  const entries: [string, string][] = [];
  for (const f of facts) {
    const owner = f.frontmatter.data.owner;
    if (isRunbook(f) && typeof owner === 'string' && owner.startsWith('@')) entries.push([f.file, owner]);
  }
  for (const slo of loadSlos(root).slos) if (slo.owner) entries.push([slo.file, slo.owner]);
  // A leading slash anchors the path at the repository root; spaces are escaped as GitHub reads them.
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([path, owner]) => `/${path.replace(/([\s#\\])/g, '\\$1')} ${owner}`);
}

/** The block as it should read. */
export const expectedBlock = (lines: readonly string[]) => [BEGIN, ...lines, END].join('\n');

/** The CODEOWNERS text and where its block is: line numbers (1-based) of BEGIN and END, when present. */
export function readCodeowners(root: string): { text: string; begin?: number; end?: number; exists: boolean } {
  const path = join(root, CODEOWNERS_FILE);
  if (!existsSync(path)) return { text: '', exists: false };
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const begin = lines.findIndex((l) => l.startsWith('# BEGIN runbooks'));
  const end = lines.findIndex((l, i) => i > begin && l.trim() === END);
  return { text, exists: true, begin: begin === -1 ? undefined : begin + 1, end: end === -1 || begin === -1 ? undefined : end + 1 };
}

/** The file with the block put in (replaced in place, or appended at the end, where it takes precedence). */
export function withBlock(current: { text: string; begin?: number; end?: number }, lines: readonly string[]): string {
  const block = expectedBlock(lines);
  if (current.begin !== undefined && current.end !== undefined) {
    const all = current.text.split('\n');
    return [...all.slice(0, current.begin - 1), block, ...all.slice(current.end)].join('\n');
  }
  const text = current.text;
  return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${text === '' ? '' : '\n'}${block}\n`;
}

/** Whether the file's block differs from what the content says. */
export function blockIsStale(current: { text: string; begin?: number; end?: number }, lines: readonly string[]): boolean {
  if (current.begin === undefined || current.end === undefined) return true;
  return current.text.split('\n').slice(current.begin - 1, current.end).join('\n') !== expectedBlock(lines);
}
