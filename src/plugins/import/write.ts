/**
 * The destination side of an import: nothing is written through a symbolic link, nothing
 * that exists is overwritten (`wx`), and an SVG is held to the one HTML policy.
 */
import { existsSync, lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { refuseSvg, sanitizeSvg } from '../html/policy.ts';
import { markdownText } from '../encode/markdown.ts';
import { isExecutable } from './source.ts';

/**
 * The first path component from `root` down to `target` that is a symbolic link (or the
 * target itself when it is one, even to nothing), or undefined: an import writes nothing
 * through a link in the destination.
 */
export function linkOnTheWay(root: string, target: string): string | undefined {
  let at = root;
  for (const segment of relative(root, target).split(sep)) {
    at = join(at, segment);
    try {
      if (lstatSync(at).isSymbolicLink()) return at;
    } catch {
      return undefined; // Not there yet: created as a plain folder or file.
    }
  }
  return undefined;
}

/** Writes a new file, its folder created first; a file already there (or put there since the check) is an error, never overwritten. */
export function writeNew(to: string, data: string | Buffer, mode?: number): void {
  mkdirSync(dirname(to), { recursive: true });
  writeFileSync(to, data, mode === undefined ? { flag: 'wx' } : { flag: 'wx', mode });
}

/**
 * Writes one linked file into the site: the bytes read from the source (`from`), as they
 * were checked. An SVG is served from the site's own origin, so it is held to the one
 * HTML policy: what the policy refuses (script, event handlers, foreignObject…) is
 * removed, and the returned line says so for the import report.
 */
export function writeAsset(bytes: Buffer, to: string, shown: string, from: string): string | undefined {
  mkdirSync(dirname(to), { recursive: true });
  // An executable file (a script a page links to) stays executable, as a copy would keep it.
  const mode = isExecutable(from) ? 0o755 : 0o644;
  const text = /\.svg$/i.test(shown) ? bytes.toString('utf8') : undefined;
  const refused = text === undefined ? [] : refuseSvg(text);
  if (text === undefined || refused.length === 0) {
    writeFileSync(to, bytes, { flag: 'wx', mode });
    return undefined;
  }
  writeFileSync(to, sanitizeSvg(text), { flag: 'wx', mode });
  return `- ${markdownText(shown)}: imported without what the HTML policy refuses in an SVG (${refused.length} element${refused.length === 1 ? '' : 's'} or attribute${refused.length === 1 ? '' : 's'}; the first: ${refused[0].why}${refused[0].line ? `, line ${refused[0].line}` : ''})`;
}

/** Where the import report goes, from the project root. */
export const IMPORT_REPORT = join('.runbook', 'import-report.md');

/**
 * Writes the import report (and `.runbook/.gitignore`, so it stays out of git); returns
 * the symbolic link it refused to write through, if any.
 */
export function writeReport(cwd: string, report: string): string | undefined {
  const reportFile = join(cwd, IMPORT_REPORT);
  const ignore = join(cwd, '.runbook', '.gitignore');
  const link = linkOnTheWay(cwd, reportFile) ?? linkOnTheWay(cwd, ignore);
  if (link) return link;
  mkdirSync(dirname(reportFile), { recursive: true });
  if (!existsSync(ignore)) writeFileSync(ignore, '*\n');
  writeFileSync(reportFile, report);
  return undefined;
}
