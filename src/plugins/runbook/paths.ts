import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  type Stats,
} from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from './diagnostic.ts';

/** Where a project keeps its runbooks, relative to its root. */
export const CONTENT_DIR = 'src/content/runbooks';
/** The severity ladder file, relative to the root. */
export const LADDER_FILE = 'src/content/severity.yaml';
/** The SLO folder, relative to the root. */
export const SLO_DIR = 'src/content/slos';
/** The baseline of accepted findings (`runbook check --update-baseline`), at the project root. */
export const BASELINE_FILE = 'runbooks.baseline.json';

/**
 * Paths the site itself publishes (the concepts' injected routes: /r/<slug>, /rules/<id>,
 * /slos/<id>, /sloth/<service>.yaml and the machine outputs). No page may take one, and
 * links to them need no Markdown source.
 */
export const SITE_ROUTES = [
  '/r',
  '/rules',
  '/slos',
  '/sloth',
  '/runbooks',
  '/runbooks.json',
  '/quickjump.json',
  '/shortlinks.json',
  '/slos.yaml',
  '/slos.json',
  '/_redirects',
];

/**
 * The form in which two page URLs are one page: Starlight publishes every slug in NFC
 * (`café` typed on macOS is NFD, `cafe` + U+0301), and a case-insensitive file system or
 * host (macOS and Windows checkouts, several static hosts) keeps one of `/Foo/` and
 * `/foo/`. Compatibility forms (NFKC: `ﬁ` and `fi`) stay apart, as they do on disk.
 */
export const urlKey = (url: string) => url.normalize('NFC').toLowerCase().replace(/ς/g, 'σ');

/**
 * Whether a page URL would collide with a page the site generates (Astro would drop one
 * of them): the index pages, any `/r/…` (shortlinks own that path), a rule's or an
 * SLO's page, a machine output's name.
 */
export function takenBySite(url: string, taken: { ruleIds: ReadonlySet<string>; slos: ReadonlySet<string> }): boolean {
  const path = urlKey(url).replace(/\/$/, '');
  if (SITE_ROUTES.includes(path) || path.startsWith('/r/')) return true;
  const rule = /^\/rules\/([^/]+)$/.exec(path);
  const slo = /^\/slos\/([^/]+)$/.exec(path);
  return Boolean((rule && taken.ruleIds.has(rule[1])) || (slo && taken.slos.has(slo[1])));
}

/**
 * Where a path from the repository root leads, decided on real paths: `ok` is a regular
 * file or a folder whose real path is inside the repository's real path; `outside` is a
 * `..`, an absolute path, or a symbolic link anywhere along the path that leaves it;
 * git's own `.git` folder counts as outside; `special` is a FIFO, socket or device (a read of a FIFO would hang); `unreadable` is a
 * loop of links or a permission error; `missing` is nothing at all.
 */
export type RepoPath =
  | { status: 'ok'; absolute: string; real: string; directory: boolean }
  | { status: 'missing' | 'outside' | 'special' | 'unreadable'; absolute: string; reason: string };

/** Whether `real` is `realRoot` or below it (both real paths). */
export const isWithin = (realRoot: string, real: string) => {
  const rel = relative(realRoot, real);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
};

const realRoots = new Map<string, string>();
const realRoot = (root: string) => {
  let real = realRoots.get(root);
  if (real === undefined) {
    real = realpathSync(root);
    realRoots.set(root, real);
  }
  return real;
};

/** What kind of special file a stat names, for a message. */
const specialKind = (st: Stats) =>
  st.isFIFO()
    ? 'a FIFO (named pipe)'
    : st.isSocket()
      ? 'a socket'
      : st.isCharacterDevice() || st.isBlockDevice()
        ? 'a device'
        : 'not a regular file';

/**
 * The one door for reading a file of the repository: every reader of a file a runbook
 * names or that lives in the content tree (pages, images, scripts, alert rules, SLOs, the
 * ladder, the config, CODEOWNERS, the shortlink lock) asks here first.
 */
export function repoPath(root: string, path: string): RepoPath {
  const absolute = resolve(root, path);
  if (isAbsolute(path)) return { status: 'outside', absolute, reason: 'an absolute path' };
  if (path.split(/[\\/]/).includes('..') || !isWithin(resolve(root), absolute))
    return { status: 'outside', absolute, reason: '`..` leaves the repository' };
  let real: string;
  try {
    // The system's realpath: one call, where Node's own lstats every folder on the way (most of reading a page's path).
    real = realpathSync.native(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ELOOP') return { status: 'unreadable', absolute, reason: 'a loop of symbolic links' };
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return { status: 'unreadable', absolute, reason: code };
    // A link to nothing: outside when what it names would be outside.
    const target = danglingTarget(root, absolute);
    if (target !== undefined && !isWithin(realRoot(root), target))
      return { status: 'outside', absolute, reason: `a symbolic link to ${target}` };
    return {
      status: 'missing',
      absolute,
      reason: target !== undefined ? `a symbolic link to nothing (${target})` : 'no such file',
    };
  }
  if (!isWithin(realRoot(root), real)) return { status: 'outside', absolute, reason: `a symbolic link to ${real}` };
  // git's own files (.git/config can hold a CI token) are not the repository's content.
  const inRepo = relative(realRoot(root), real).split(sep);
  if (inRepo[0] === '.git') return { status: 'outside', absolute, reason: `${inRepo.join('/')}, git's own files` };
  let st: Stats;
  try {
    st = lstatSync(real);
  } catch (error) {
    return { status: 'unreadable', absolute, reason: (error as NodeJS.ErrnoException).code ?? 'error' };
  }
  if (!st.isFile() && !st.isDirectory()) return { status: 'special', absolute, reason: specialKind(st) };
  return { status: 'ok', absolute, real, directory: st.isDirectory() };
}

/** Where a dangling link (the last link along `absolute`) points, resolved from the real folder it sits in. */
function danglingTarget(root: string, absolute: string): string | undefined {
  // Walk up to the nearest component that exists; if it is a link, resolve its text.
  for (let p = absolute; isWithin(resolve(root), p) && p !== resolve(root); p = dirname(p)) {
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    if (!st.isSymbolicLink()) return undefined;
    try {
      return resolve(realpathSync(dirname(p)), readlinkSync(p), relative(p, absolute));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A read the repository door refused: what was asked, and why. */
export class RepoPathError extends Error {
  /** `outside`, `special`, `missing` or `unreadable`, as {@link repoPath} says; or a read error's code. */
  readonly code: string;
  readonly status: Exclude<RepoPath['status'], 'ok'>;
  constructor(status: Exclude<RepoPath['status'], 'ok'>, reason: string) {
    super(reason);
    this.status = status;
    this.code = status === 'missing' ? 'ENOENT' : status === 'unreadable' ? reason : status.toUpperCase();
  }
}

/**
 * A repository file's bytes, read through its real path without following a link the
 * door did not see (O_NOFOLLOW) and without blocking on a FIFO swapped in since
 * (O_NONBLOCK, then fstat); or why not.
 */
export function readRepoFile(root: string, path: string): Buffer | RepoPathError {
  const where = repoPath(root, path);
  if (where.status !== 'ok') return new RepoPathError(where.status, where.reason);
  if (where.directory) return new RepoPathError('unreadable', 'EISDIR');
  let fd: number | undefined;
  try {
    fd = openSync(where.real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile()) return new RepoPathError('special', specialKind(st));
    return readFileSync(fd);
  } catch (error) {
    return new RepoPathError('unreadable', (error as NodeJS.ErrnoException).code ?? 'error');
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** {@link readRepoFile} as text, or undefined when the file is not there; throws the refusal otherwise. */
export function readRepoText(root: string, path: string): string | undefined {
  const bytes = readRepoFile(root, path);
  if (bytes instanceof RepoPathError) {
    if (bytes.status === 'missing') return undefined;
    throw bytes;
  }
  return bytes.toString('utf8');
}

/** The rule ids of a refused file (rows in ./file-rules.ts; check/rules.ts holds the two together). */
export const REFUSED_RULE_IDS = { outside: 'path-outside-repo', unreadable: 'file-unreadable' } as const;

/** The finding for a repository file (`file` from the root) the door refused: a way out, or a file that cannot be read. */
export function refusedFile(file: string, error: RepoPathError): Diagnostic {
  return error.status === 'outside'
    ? {
        file,
        line: 1,
        column: 1,
        ruleId: REFUSED_RULE_IDS.outside,
        severity: 'error',
        message: `${file} leads outside the repository (${error.message}): not read`,
        hint: 'Put the file itself in the repository instead of a link to it, or delete the link.',
      }
    : {
        file,
        line: 1,
        column: 1,
        ruleId: REFUSED_RULE_IDS.unreadable,
        severity: 'error',
        message: `The file cannot be read (${error.message})`,
        hint: 'Fix the link or the permissions, or delete the file.',
      };
}
