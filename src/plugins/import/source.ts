/**
 * The source side of an import: a folder of Markdown read without ever following a
 * symbolic link, what kind of tree it is, and paths from its root. Nothing here writes.
 */
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import yaml from 'js-yaml';

// The TOML parser is loaded when a Hugo config needs it, not by every command that loads the library.
const require = createRequire(import.meta.url);

/** What kind of tree a source is: plain Markdown, a GitLab repository, or a Hugo site. */
export type SourceKind = 'plain' | 'gitlab' | 'hugo';

/** The kinds `--from` accepts. */
export const SOURCE_KINDS: readonly SourceKind[] = ['plain', 'gitlab', 'hugo'];

/** What a walk of a source folder found: the regular files an import may read, and what it leaves behind. */
export interface SourceTree {
  /** Regular files, as `/`-separated paths from the source root. */
  files: string[];
  /** Entries not imported, with why: symbolic links (with their target), FIFOs, sockets, devices, hard links. */
  skipped: { path: string; why: string }[];
}

/** Why a non-regular, non-folder entry is not imported. */
function notImported(
  path: string,
  st: {
    isSymbolicLink(): boolean;
    isFIFO(): boolean;
    isSocket(): boolean;
    isCharacterDevice(): boolean;
    isBlockDevice(): boolean;
  },
): string {
  if (st.isSymbolicLink()) {
    let target = '(unreadable)';
    try {
      target = readlinkSync(path);
    } catch {
      // Gone since the listing: still a link, still not followed.
    }
    return `not imported: a symbolic link (→ ${target})`;
  }
  return `not imported: ${st.isFIFO() ? 'a FIFO (named pipe)' : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a regular file'}`;
}

/**
 * Every entry below `root`, found without following a single symbolic link (readdir's
 * own types, lstat, never stat): only regular files are importable, so nothing an import
 * writes can come from outside the folder. A link to a file or a folder, a FIFO (whose
 * read would hang), a socket, a device, or a file with a second hard link (the same bytes
 * may live outside) is listed in `skipped`. `.git` and `node_modules` are not walked.
 */
export function walkSource(root: string): SourceTree {
  const files: string[] = [];
  const skipped: SourceTree['skipped'] = [];
  // A folder that changes under the walk (an entry gone between readdir and lstat) is reported, never a crash.
  const changed = (path: string) =>
    skipped.push({ path, why: 'not imported: it changed while the import read the folder' });
  const walk = (dir: string, prefix: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return changed(prefix || '.');
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = prefix + entry.name;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && entry.name !== 'node_modules') walk(full, `${path}/`);
      } else if (entry.isFile()) {
        let links: number;
        try {
          links = lstatSync(full).nlink;
        } catch {
          changed(path);
          continue;
        }
        if (links > 1)
          skipped.push({
            path,
            why: 'not imported: a file with another hard link (its bytes may live outside the folder)',
          });
        else files.push(path);
      } else {
        skipped.push({ path, why: notImported(full, entry) });
      }
    }
  };
  walk(root, '');
  return { files, skipped };
}

/**
 * A source file's bytes, read only if it is still the regular file the walk found: its
 * real path is the path itself below the (real) root, the last step is not a link
 * (O_NOFOLLOW) and a FIFO swapped in since does not block (O_NONBLOCK, then fstat).
 */
export function readSourceFile(root: string, path: string): Buffer | undefined {
  const full = join(root, path);
  let fd: number | undefined;
  try {
    if (realpathSync(full) !== join(realpathSync(root), path)) return undefined;
    fd = openSync(full, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    return st.isFile() && st.nlink === 1 ? readFileSync(fd) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether a source file is executable by someone (lstat: a link swapped in since is not a file); false when it is gone. */
export function isExecutable(path: string): boolean {
  try {
    const st = lstatSync(path);
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** A folder itself, not a link to one. */
function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A Hugo site has a config and a content/ folder; a GitLab repository has its CI file or `[[_TOC_]]` pages. */
export function detectSource(dir: string, tree: SourceTree = walkSource(dir)): SourceKind {
  const hugoConfig = [
    'hugo.toml',
    'hugo.yaml',
    'hugo.yml',
    'hugo.json',
    'config.toml',
    'config.yaml',
    'config.yml',
  ].some((f) => existsSync(join(dir, f)));
  if (hugoConfig && isFolder(join(dir, 'content'))) return 'hugo';
  if (existsSync(join(dir, '.gitlab-ci.yml')) || existsSync(join(dir, '.gitlab'))) return 'gitlab';
  const markdown = tree.files.filter(
    (p) =>
      /\.mdx?$/.test(p) && !p.split('/').some((s) => s.startsWith('.') || (s.startsWith('_') && /\.mdx?$/.test(s))),
  );
  if (markdown.slice(0, 500).some((p) => readSourceFile(dir, p)?.includes('[[_TOC_]]'))) return 'gitlab';
  return 'plain';
}

/** Where a source's pages are: a Hugo site's content/ folder (its URLs do not include it), else the folder itself. */
export function pagesRoot(dir: string, from: SourceKind): string {
  return from === 'hugo' && isFolder(join(dir, 'content')) ? join(dir, 'content') : dir;
}

/** Hugo's site `params` (for `{{< param … >}}`), from its TOML or YAML config. */
export function hugoParams(dir: string): Record<string, unknown> {
  for (const name of ['hugo.toml', 'config.toml', 'hugo.yaml', 'hugo.yml', 'config.yaml', 'config.yml']) {
    const text = readSourceFile(dir, name)?.toString('utf8');
    if (text === undefined) continue;
    try {
      const data = (
        name.endsWith('.toml') ? (require('smol-toml') as typeof import('smol-toml')).parse(text) : yaml.load(text)
      ) as { params?: Record<string, unknown> } | null;
      return data?.params ?? {};
    } catch {
      return {};
    }
  }
  return {};
}

/** `target` relative to the folder of `from`, both paths from the source root. */
export function resolveRelative(from: string, target: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

/** A relative path from the file `from` to the file `to`. */
export function relativeTo(from: string, to: string): string {
  const a = from.split('/').slice(0, -1);
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/') || b.at(-1)!;
}
