/**
 * CODEOWNERS from the runbooks: a marked block in `.github/CODEOWNERS` that maps each
 * runbook and SLO file to the `owner:` it declares, so GitHub asks the owning team to
 * review changes to it. `runbook codeowners` writes the block; `runbook check` reports
 * when it no longer matches the content. Nothing outside the block is touched.
 */
import type { RunbookFacts } from '../runbook/facts.ts';
import type { Diagnostic } from '../runbook/diagnostic.ts';
import { readRepoFile, refusedFile, RepoPathError } from '../runbook/paths.ts';
import { isRunbook } from '../runbook/page.ts';
import { loadSlos, type LadderIds } from '../slos/load.ts';
import { HANDLE } from '../runbook/patterns.ts';
import { codeownersLine } from '../encode/codeowners.ts';

/** Where the block lives. */
export const CODEOWNERS_FILE = '.github/CODEOWNERS';
export const BEGIN =
  "# BEGIN runbooks — written by `runbook codeowners` from each runbook and SLO file's `owner:`; edit those, not these lines";
export const END = '# END runbooks';

/** `path owner` lines for every runbook and SLO file with an owner, sorted by path (`ladder`: the project's, as loaded). */
export function ownerLines(root: string, facts: readonly RunbookFacts[], ladder: LadderIds | undefined): string[] {
  const entries: [string, string][] = [];
  for (const f of facts) {
    const owner = f.frontmatter.data.owner;
    // Only a real handle: anything else (owner-invalid reports it) could add lines of its own.
    if (isRunbook(f) && typeof owner === 'string' && HANDLE.test(owner)) entries.push([f.file, owner]);
  }
  for (const slo of loadSlos(root, ladder).slos)
    if (slo.owner && HANDLE.test(slo.owner)) entries.push([slo.file, slo.owner]);
  // One encoder writes each line: a path it cannot write as one field (a line break, a
  // control character) is left out rather than allowed to add a rule of its own.
  return entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([path, owner]) => codeownersLine(path, owner) ?? []);
}

/** The block as it should read. */
export const expectedBlock = (lines: readonly string[]) => [BEGIN, ...lines, END].join('\n');

/** The CODEOWNERS text and where its block is: line numbers (1-based) of BEGIN and END, when present; `extra` when a second block follows. */
export function readCodeowners(root: string): {
  text: string;
  begin?: number;
  end?: number;
  extra?: number;
  exists: boolean;
  crlf: boolean;
  refused?: Diagnostic;
} {
  // Through the repository's door: a CODEOWNERS that is a link out of it is neither read nor written.
  const bytes = readRepoFile(root, CODEOWNERS_FILE);
  if (bytes instanceof RepoPathError)
    return {
      text: '',
      exists: false,
      crlf: false,
      refused: bytes.status === 'missing' ? undefined : refusedFile(CODEOWNERS_FILE, bytes),
    };
  const raw = bytes.toString('utf8');
  const crlf = raw.includes('\r\n');
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const lines = text.split('\n');
  const isBegin = (l: string) => l.trim().startsWith('# BEGIN runbooks');
  const begin = lines.findIndex(isBegin);
  const end = lines.findIndex((l, i) => i > begin && l.trim() === END);
  const extra = begin === -1 ? -1 : lines.findIndex((l, i) => i > begin && isBegin(l));
  return {
    text,
    exists: true,
    crlf,
    begin: begin === -1 ? undefined : begin + 1,
    end: end === -1 || begin === -1 ? undefined : end + 1,
    ...(extra === -1 ? {} : { extra: extra + 1 }),
  };
}

/** The file with the block put in (replaced in place, or appended at the end, where it takes precedence). */
export function withBlock(
  current: { text: string; begin?: number; end?: number; crlf?: boolean },
  lines: readonly string[],
): string {
  const block = expectedBlock(lines);
  let out: string;
  if (current.begin !== undefined && current.end !== undefined) {
    const all = current.text.split('\n');
    out = [...all.slice(0, current.begin - 1), block, ...all.slice(current.end)].join('\n');
  } else {
    const text = current.text;
    out = `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${text === '' ? '' : '\n'}${block}\n`;
  }
  // The file keeps its line endings.
  return current.crlf ? out.replace(/\n/g, '\r\n') : out;
}

/** Whether the file's block differs from what the content says. */
export function blockIsStale(
  current: { text: string; begin?: number; end?: number },
  lines: readonly string[],
): boolean {
  if (current.begin === undefined || current.end === undefined) return true;
  return (
    current.text
      .split('\n')
      .slice(current.begin - 1, current.end)
      .join('\n') !== expectedBlock(lines)
  );
}
