/**
 * CODEOWNERS from the runbooks: a marked block in `.github/CODEOWNERS` that maps each
 * runbook and SLO file to the `owner:` it declares, so GitHub asks the owning team to
 * review changes to it. `runbook codeowners` writes the block; `runbook check` reports
 * when it no longer matches the content. Nothing outside the block is touched.
 */
import type { RunbookFacts } from '../runbook/facts.ts';
import type { Diagnostic } from '../runbook/diagnostic.ts';
import { readRepoFile, refusedFile, RepoPathError } from '../runbook/paths.ts';
import { isRunbook, readable } from '../runbook/page.ts';
import { loadSlos, type LadderIds } from '../slos/load.ts';
import { HANDLE } from '../runbook/patterns.ts';
import { codeownersLine, codeownersPattern } from '../encode/codeowners.ts';

/** Where the block lives. */
export const CODEOWNERS_FILE = '.github/CODEOWNERS';
export const BEGIN =
  "# BEGIN runbooks — written by `runbook codeowners` from each runbook and SLO file's `owner:`; edit those, not these lines";
export const END = '# END runbooks';

/** The current block's lines and the teams list: what a page whose owner has a finding keeps. */
export interface OwnerKeep {
  /** The CODEOWNERS file as read (its block, if any, holds the lines that are kept). */
  current?: { text: string; begin?: number; end?: number };
  /** The configured teams, when set: an owner outside them is a finding, not a line to write. */
  teams?: readonly string[];
}

/** The lines of the current block (between its BEGIN and END lines). */
function blockLines(current: OwnerKeep['current']): string[] {
  if (current?.begin === undefined || current.end === undefined) return [];
  return current.text.split('\n').slice(current.begin, current.end - 1);
}

/**
 * `path owner` lines for every runbook and SLO file with an owner, sorted by path
 * (`ladder`: the project's, as loaded). A file whose owner has a finding (its frontmatter
 * unread, the owner missing, not a handle, not one of the teams; an SLO file that does not
 * load) keeps the lines the current block has for it: the block never takes a typo in, nor
 * drops a file's owner while its page is being mended. So the block is derived only from
 * values without findings, and one mistake is one finding.
 */
export function ownerLines(
  root: string,
  facts: readonly RunbookFacts[],
  ladder: LadderIds | undefined,
  keep: OwnerKeep = {},
): string[] {
  const entries: [string, string][] = [];
  const held: string[] = [];
  for (const f of facts) {
    const owner = f.frontmatter.data.owner;
    if (!readable(f)) held.push(f.file);
    else if (!isRunbook(f)) continue;
    // Only a real handle: anything else (owner-invalid reports it) could add lines of its own.
    else if (typeof owner === 'string' && HANDLE.test(owner) && (!keep.teams || keep.teams.includes(owner)))
      entries.push([f.file, owner]);
    else held.push(f.file);
  }
  const slos = loadSlos(root, ladder);
  for (const slo of slos.slos) if (slo.owner && HANDLE.test(slo.owner)) entries.push([slo.file, slo.owner]);
  for (const d of slos.diagnostics)
    if (d.severity === 'error' && !slos.slos.some((s) => s.file === d.file)) held.push(d.file);
  // One encoder writes each line: a path it cannot write as one field (a line break, a
  // control character) is left out rather than allowed to add a rule of its own.
  const written = entries.flatMap(([path, owner]) => {
    const line = codeownersLine(path, owner);
    return line === undefined ? [] : [{ path, line }];
  });
  const current = blockLines(keep.current);
  const kept = [...new Set(held)].flatMap((path) => {
    const pattern = codeownersPattern(path);
    return pattern === undefined
      ? []
      : current.filter((l) => l.startsWith(`${pattern} `)).map((line) => ({ path, line }));
  });
  return [...written, ...kept].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((e) => e.line);
}

/** The block as it should read. */
export const expectedBlock = (lines: readonly string[]) => [BEGIN, ...lines, END].join('\n');

/** The CODEOWNERS text and where its block is: line numbers (1-based) of BEGIN and END, when present; `extra` when a second block follows. */
export function readCodeowners(root: string): {
  text: string;
  /** The file exactly as read (BOM, line endings), for the write to keep what is outside the block. */
  raw?: string;
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
    raw,
    exists: true,
    crlf,
    begin: begin === -1 ? undefined : begin + 1,
    end: end === -1 || begin === -1 ? undefined : end + 1,
    ...(extra === -1 ? {} : { extra: extra + 1 }),
  };
}

/**
 * The file with the block put in (replaced in place, or appended at the end, where it
 * takes precedence). Only the block is written: every byte outside it (a BOM, each line's
 * own ending, a last line without one) stays as read; the block takes its BEGIN line's
 * ending, an appended one the file's.
 */
export function withBlock(
  current: { text: string; raw?: string; begin?: number; end?: number; crlf?: boolean },
  lines: readonly string[],
): string {
  const raw = current.raw ?? (current.crlf ? current.text.replace(/\n/g, '\r\n') : current.text);
  const bom = raw.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = raw.slice(bom.length);
  const block = (eol: string) => expectedBlock(lines).split('\n').join(eol);
  if (current.begin !== undefined && current.end !== undefined) {
    // Split at \n only: each line keeps its \r, and the line numbers are those of `text`.
    const all = body.split('\n');
    const eol = all[current.begin - 1].endsWith('\r') ? '\r\n' : '\n';
    const endCr = all[current.end - 1].endsWith('\r') ? '\r' : '';
    return bom + [...all.slice(0, current.begin - 1), block(eol) + endCr, ...all.slice(current.end)].join('\n');
  }
  const eol = current.crlf ? '\r\n' : '\n';
  const gap = body === '' ? '' : `${/\n$/.test(body) ? '' : eol}${eol}`;
  return `${bom}${body}${gap}${block(eol)}${eol}`;
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

/** What writing the block would do: the new file text when it changes, or why it cannot be written. */
export type CodeownersPlan =
  | { refused: string }
  | { refused?: undefined; lines: string[]; exists: boolean; text?: string; added: string[]; removed: string[] };

/**
 * The block `runbook codeowners` and `runbook fix` write, from the content as collected
 * (`teams`: the configured list): `text` is the whole file when it changes. A file whose
 * block cannot be edited safely (a refused path, no END line, a second block) is refused.
 */
export function planCodeowners(
  root: string,
  facts: readonly RunbookFacts[],
  ladder: LadderIds | undefined,
  teams: readonly string[] | undefined,
): CodeownersPlan {
  const current = readCodeowners(root);
  if (current.refused) return { refused: `${current.refused.message}; ${CODEOWNERS_FILE} not written.` };
  if (current.begin !== undefined && current.end === undefined)
    return {
      refused: `${CODEOWNERS_FILE}:${current.begin} opens the runbooks block but has no "# END runbooks" line; add it (or remove the BEGIN line) and run again.`,
    };
  if (current.extra !== undefined)
    return {
      refused: `${CODEOWNERS_FILE}:${current.extra} starts a second runbooks block; remove one (the last matching line wins) and run again.`,
    };
  const lines = ownerLines(root, facts, ladder, { current, teams });
  const before = blockLines(current);
  const added = lines.filter((l) => !before.includes(l));
  const removed = before.filter((l) => !lines.includes(l));
  if (current.exists && !blockIsStale(current, lines)) return { lines, exists: true, added, removed };
  return { lines, exists: current.exists, text: withBlock(current, lines), added, removed };
}
