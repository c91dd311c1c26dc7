import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { entryUrl } from '../runbook/facts.ts';
import { parseFrontmatter } from '../runbook/frontmatter.ts';
import { readRepoFile } from '../runbook/paths.ts';
import { cutAt } from '../runbook/text.ts';

const EXTERNAL = /^([a-z][a-z0-9+.-]*:|\/\/|#|\/)/i;

/** Where the site's pages and the repository are, for turning file links into site links. */
export interface LinkContext {
  /** Absolute project root. */
  root: string;
  /** Absolute content folder, with a trailing separator. */
  contentDir: string;
  /** Repository browser base, e.g. `https://github.com/org/repo/blob/main/`. */
  repoUrl?: string;
  /** Told of each value read from another file (a key {@link readAgain} reads again). */
  onRead?: (key: string, value: string) => void;
}

/**
 * What a relative file link written for GitHub's view becomes on the site: a `.md`
 * link to another runbook → that page's URL; a link to a repository file outside the
 * site → the repository browser (`repoUrl`). Undefined when the link stays as written
 * (external, site-absolute, anchors, or nothing on disk to point at).
 */
export function siteHref(url: string, pageFile: string, ctx: LinkContext): string | undefined {
  if (!url || EXTERNAL.test(url)) return undefined;
  const hash = url.indexOf('#');
  const path = cutAt(hash === -1 ? url : url.slice(0, hash), '?');
  const anchor = hash === -1 ? '' : url.slice(hash);
  let target: string;
  try {
    target = resolve(dirname(pageFile), decodeURI(path));
  } catch {
    return undefined;
  }
  if (target.startsWith(ctx.contentDir)) {
    if (!/\.mdx?$/i.test(path)) return undefined;
    // A page with its own `slug:` lives there, not at its file's path.
    const slug = slugOf(ctx.root, target);
    ctx.onRead?.(`slug:${target}`, slugStamp(slug));
    return `${entryUrl(target.slice(ctx.contentDir.length).split(sep).join('/'), slug)}${anchor}`;
  }
  const rel = relative(ctx.root, target);
  if (!ctx.repoUrl || rel.startsWith('..')) return undefined;
  const exists = existsSync(target);
  ctx.onRead?.(`file:${target}`, String(exists));
  if (!exists) return undefined;
  return `${repoHref(ctx.repoUrl, rel.split(sep).join('/'))}${anchor}`;
}

/** A repository file (path from the root, forward slashes) in the repository browser (`repoUrl`), at `line` when given. */
export function repoHref(repoUrl: string, path: string, line?: number): string {
  return `${repoUrl.replace(/\/?$/, '/')}${path}${line === undefined ? '' : `#L${line}`}`;
}

/**
 * The value a key noted through `onRead` has now (`root`: the project root): what a page's
 * link would read again. Undefined for a key that is not a link's.
 */
export function readAgain(root: string, key: string): string | undefined {
  if (key.startsWith('slug:')) return slugStamp(slugOf(root, key.slice(5)));
  if (key.startsWith('file:')) return String(existsSync(key.slice(5)));
  return undefined;
}

const slugStamp = (slug: unknown) => JSON.stringify(slug) ?? '';

const slugs = new Map<string, { mtime: number; slug: unknown }>();

/** The `slug:` of the page at `path`, read once per version of the file (every link to a page asks). */
function slugOf(root: string, path: string): unknown {
  let mtime: number;
  try {
    mtime = statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
  const known = slugs.get(path);
  if (known?.mtime === mtime) return known.slug;
  const bytes = readRepoFile(root, relative(root, path));
  const slug = bytes instanceof Error ? undefined : parseFrontmatter(bytes.toString('utf8')).data.slug;
  slugs.set(path, { mtime, slug });
  return slug;
}
