/**
 * `runbook import`: Markdown runbooks from elsewhere, made into pages of this site.
 * Each body is kept byte for byte except where a change is needed, and every change is
 * recorded (file, line, before → after). Nothing here writes files; the command does.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import yaml from 'js-yaml';
import { collectFacts } from '../runbook/facts.ts';
import { parseFrontmatter } from '../runbook/frontmatter.ts';
import { trimBoth, trimEnd } from '../runbook/text.ts';
import { atxH1, fenceOf, linksAsText, linkTargets, replaceImages, replaceMdAnchorLinks, replaceMdLinks, splitCapitalRuns, withoutClosingHashes, withoutTags } from './scan.ts';

/** What kind of tree a source is: plain Markdown, a GitLab repository, or a Hugo site. */
export type SourceKind = 'plain' | 'gitlab' | 'hugo';

/** One change made to a page, for the report. */
export interface ImportChange {
  line: number;
  what: string;
  before?: string;
  after?: string;
}

/** A page as it will be written. */
export interface ConvertedPage {
  text: string;
  title: string;
  changes: ImportChange[];
  /** Relative link and image targets of the body (for copying files along). */
  relativeTargets: string[];
}

/** Options of {@link convertPage}. */
export interface ConvertOptions {
  /** The page's path in the source tree, e.g. `alerts/etcd/EtcdDown.md`. */
  source: string;
  owner?: string;
  /** `YYYY-MM-DD` of the import, for the review-log entry. */
  today: string;
  /** A shortlink slug to keep the old path reachable, when one is free. */
  slug?: string;
  /** Renamed pages in the same import: source path → target path (README.md → index.md). */
  renamed: ReadonlyMap<string, string>;
  /** Whether a file exists in the source tree (a path from its root). */
  exists?: (path: string) => boolean;
  from?: SourceKind;
  /** Every page of the import (source paths), for Hugo's `ref` shortcodes. */
  pages?: readonly string[];
  /** Hugo's site `params`, for `{{< param … >}}`. */
  params?: Readonly<Record<string, unknown>>;
  /** The headings of the other pages of the import (source path → text and site slug), for GitLab anchors into them. */
  headingsOf?: (path: string) => { text: string; slug: string }[];
}

/** A line the conversion drops (removed after line numbers no longer matter). */
const REMOVED = '\u0000removed';

/** GitLab's heading anchors: lower-case, punctuation dropped, spaces and runs of hyphens as one hyphen. */
export function gitlabSlug(heading: string): string {
  return heading.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/[\s-]+/g, '-');
}

/**
 * Source-specific constructs, line by line: GitLab's `[[_TOC_]]`, repository-root links
 * and heading anchors; Hugo's `ref`/`relref` and `param` shortcodes.
 */
function convertSourceSyntax(out: string[], from: number, options: ConvertOptions, changes: ImportChange[], headings: { text: string; slug: string }[]): void {
  const kind = options.from ?? 'plain';
  if (kind === 'plain') return;
  const bySlug = new Set(headings.map((h) => h.slug));
  const byGitlab = new Map(headings.map((h) => [gitlabSlug(h.text), h.slug]));
  let fence: string | undefined;
  for (let i = from; i < out.length; i++) {
    const f = fenceOf(out[i]);
    if (fence) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length && f[2].trim() === '') fence = undefined;
      continue;
    }
    if (f) {
      fence = f[1];
      continue;
    }
    const before = out[i];
    let line = before;
    if (kind === 'gitlab') {
      if (/^\s*\[\[_TOC_\]\]\s*$/.test(line)) {
        changes.push({ line: i + 1, what: 'GitLab\'s [[_TOC_]]: removed (the site shows each page\'s contents beside it)', before });
        out[i] = REMOVED;
        continue;
      }
      // `/docs/x.md` is relative to the repository's root on GitLab; an anchor into another
      // page spelled GitLab's way becomes the site's spelling of that heading.
      const anchorIn = (path: string, hash: string) => {
        const anchor = hash.slice(1);
        const theirs = options.headingsOf?.(path) ?? [];
        if (!anchor || theirs.some((h) => h.slug === anchor)) return hash;
        const match = theirs.find((h) => gitlabSlug(h.text) === anchor);
        return match ? `#${match.slug}` : hash;
      };
      line = line.replace(/(\]\(\s*<?)\/([^)\s>#]+)(#[^)\s>]*)?/g, (whole, open: string, path: string, hash = '') =>
        options.exists?.(path) ? `${open}${relativeTo(options.renamed.get(options.source) ?? options.source, options.renamed.get(path) ?? path)}${anchorIn(path, hash)}` : whole,
      );
      line = replaceMdAnchorLinks(line, (whole, open, rel, hash) => {
        const path = resolveRelative(options.source, rel);
        return options.exists?.(path) ? `${open}${rel}${anchorIn(path, hash)}` : whole;
      });
      // Same-page anchors as GitLab spells them become the site's.
      line = line.replace(/(\]\(\s*)#([^)\s]+)/g, (whole, open: string, anchor: string) => (!bySlug.has(anchor) && byGitlab.has(anchor) ? `${open}#${byGitlab.get(anchor)}` : whole));
    } else {
      // Hugo: [x]({{< ref "page.md" >}}) → a relative link to that page.
      line = line.replace(/\{\{[<%]\s*(?:rel)?ref\s+"?([^"\s>%]+)"?\s*[>%]\}\}/g, (whole, ref: string) => {
        const [path, hash = ''] = ref.split('#');
        const target = hugoRef(path, options);
        return target ? `${relativeTo(options.renamed.get(options.source) ?? options.source, options.renamed.get(target) ?? target)}${hash ? `#${hash}` : ''}` : whole;
      });
      line = line.replace(/\{\{[<%]\s*param\s+"?([\w.]+)"?\s*[>%]\}\}/g, (whole, name: string) => {
        const value = name.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] ?? (v as Record<string, unknown>)[k.toLowerCase()] : undefined), options.params ?? {});
        return typeof value === 'string' || typeof value === 'number' ? String(value) : whole;
      });
      if (/\{\{[<%]/.test(line)) changes.push({ line: i + 1, what: 'a Hugo shortcode the import cannot convert: it shows as written', before: line });
    }
    if (line !== before) {
      changes.push({ line: i + 1, what: kind === 'gitlab' ? 'a GitLab link or anchor: made the site\'s' : 'a Hugo shortcode: converted', before, after: line });
      out[i] = line;
    }
  }
}

/** The page a Hugo `ref` names: from the content root (`/x.md`), next to the page, or by a unique file name. */
function hugoRef(ref: string, options: ConvertOptions): string | undefined {
  const pages = options.pages ?? [];
  const clean = ref.replace(/\/$/, '');
  const candidates = [clean.replace(/^\//, ''), resolveRelative(options.source, clean)].flatMap((p) => [p, `${p}.md`, `${p}/_index.md`, `${p}/index.md`]);
  const hit = candidates.find((c) => pages.includes(c));
  if (hit) return hit;
  const named = pages.filter((p) => p.endsWith(`/${clean}`) || p === clean || p.endsWith(`/${clean}.md`));
  return named.length === 1 ? named[0] : undefined;
}

/** HTML elements a runbook may mean as HTML; any other `<Word>` in prose is a placeholder HTML would swallow. */
const HTML_TAGS = new Set('a abbr b blockquote br code dd del details div dl dt em h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span strong sub summary sup table tbody td tfoot th thead tr tt u ul var video audio source picture figure figcaption center font section article aside header footer nav main'.split(' '));
/** Fence languages Expressive Code highlights, as far as runbooks use them; others render as plain text. */
const KNOWN_LANGS = new Set('sh bash shell zsh console shellsession sql psql pgsql postgresql yaml yml json jsonc js javascript ts typescript py python go rust rs java c cpp html xml css md markdown diff ini toml dockerfile docker text txt plaintext output hcl terraform tf ruby rb php powershell ps1 nginx make makefile graphql lua perl kotlin swift csharp cs fsharp scala groovy protobuf proto'.split(' ').filter((l) => l !== 'promql'));

/** Markdown inline syntax out of a heading, for a plain-text title. */
export function plainTitle(heading: string): string {
  return withoutTags(
    linksAsText(withoutClosingHashes(heading))
      .replace(/`([^`]*)`/g, '$1')
      .replace(/(\*\*|__)(.+?)\1/g, '$2')
      .replace(/(\*|_)(.+?)\1/g, '$2'),
  ).trim();
}

/** A title from a file name: `etcd_high-commit` → `Etcd high commit`; README/index use the folder's name. */
export function titleFromPath(path: string): string {
  const parts = path.split('/');
  let name = parts.at(-1)!.replace(/\.mdx?$/i, '');
  if (/^(readme|index|_index)$/i.test(name)) name = parts.at(-2) ?? 'Home';
  const words = name.replace(/[-_]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : 'Untitled';
}

/** A shortlink slug from a path's file name: `KubeAPIDown.md` → `kube-api-down`; undefined when none fits. */
export function slugFromPath(path: string): string | undefined {
  const name = path.split('/').at(-1)!.replace(/\.mdx?$/i, '');
  if (/^(readme|index|_index)$/i.test(name)) return undefined;
  const slug = trimBoth(
    splitCapitalRuns(name.replace(/([a-z0-9])([A-Z])/g, '$1-$2'))
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-'),
    '-',
  );
  return /^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) && slug.length <= 60 ? slug : undefined;
}

const yamlString = (s: string) => JSON.stringify(s);

/** Converts one page's text. */
export function convertPage(input: string, options: ConvertOptions): ConvertedPage {
  const changes: ImportChange[] = [];
  let text = input;
  if (text.startsWith('\uFEFF')) {
    text = text.slice(1);
    changes.push({ line: 1, what: 'removed the byte-order mark' });
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const fm = parseFrontmatter(text);
  const hasFrontmatter = fm.lineCount > 0 && fm.errors.length === 0;
  const lines = text.split(/\r?\n/);
  const bodyStart = hasFrontmatter ? fm.lineCount : 0;

  // Walk the body: fences, HTML comments, the first H1, placeholders, link targets.
  let fence: { marker: string; line: number } | undefined;
  let comment = false;
  let h1: { line: number; title: string; setext: boolean } | undefined;
  const relativeTargets: string[] = [];
  for (let i = bodyStart; i < lines.length; i++) {
    const line = lines[i];
    const f = fenceOf(line);
    if (fence) {
      if (f && f[1][0] === fence.marker[0] && f[1].length >= fence.marker.length && f[2].trim() === '') fence = undefined;
      continue;
    }
    if (f) {
      fence = { marker: f[1], line: i + 1 };
      const lang = f[2].trim().split(/\s+/)[0]?.toLowerCase() ?? '';
      if (lang && !KNOWN_LANGS.has(lang)) changes.push({ line: i + 1, what: `fence language "${lang}" is not one the site highlights: shown as plain text (kept as written)` });
      continue;
    }
    // HTML comments (often a licence header before the H1) are not content.
    if (comment) {
      if (line.includes('-->')) comment = false;
      continue;
    }
    const open = line.indexOf('<!--');
    if (open !== -1) {
      if (line.indexOf('-->', open + 4) === -1) {
        comment = true;
        continue;
      }
      if (/^\s*<!--.*-->\s*$/.test(line)) continue;
    }
    const atx = atxH1(line);
    const setext = i + 1 < lines.length && line.trim() !== '' && /^ {0,3}=+\s*$/.test(lines[i + 1]) && !/^ {0,3}[#>-]/.test(line);
    if (atx !== undefined || setext) {
      const title = plainTitle(atx ?? line);
      if (!h1 && title) h1 = { line: i + 1, title, setext: atx === undefined };
      else if (h1) changes.push({ line: i + 1, what: 'a further top-level heading: kept (the page title is the page\'s only H1 on the site)', before: line });
    }
    for (const found of linkTargets(line)) {
      const target = found.split('#')[0];
      if (target && !/^([a-z][a-z0-9+.-]*:|\/\/|\/|#)/i.test(target)) relativeTargets.push(target);
    }
  }
  if (fence) changes.push({ line: fence.line, what: `the code fence opened here is never closed: closed at the end of the file`, after: fence.marker });

  // Placeholders: `<NAMESPACE>` in prose is read as an unknown HTML tag and vanishes.
  // The Markdown parser of the site says exactly which `<…>` are HTML (not code, not text).
  const out = [...lines];
  const facts = collectFacts(text, options.source, options.source);
  const escapes = new Map<number, number[]>(); // line index → columns (0-based) of `<` to escape
  for (const h of facts.html) {
    const tag = /^<\/?([A-Za-z_][\w.-]*)>/.exec(h.value.trim());
    if (!tag || (HTML_TAGS.has(tag[1].toLowerCase()) && tag[1] === tag[1].toLowerCase())) continue;
    const at = h.line - 1;
    const column = (out[at] ?? '').indexOf('<', h.column - 1);
    if (column !== -1) escapes.set(at, [...(escapes.get(at) ?? []), column]);
  }
  for (const [at, columns] of escapes) {
    let fixed = out[at];
    for (const c of [...new Set(columns)].sort((a, b) => b - a)) fixed = `${fixed.slice(0, c)}\\${fixed.slice(c)}`;
    changes.push({ line: at + 1, what: 'a <placeholder> HTML would swallow: escaped', before: out[at], after: fixed });
    out[at] = fixed;
  }
  fence = undefined;
  for (let i = bodyStart; i < out.length; i++) {
    const f = fenceOf(out[i]);
    if (fence) {
      if (f && f[1][0] === fence.marker[0] && f[1].length >= fence.marker.length && f[2].trim() === '') fence = undefined;
      continue;
    }
    if (f) {
      fence = { marker: f[1], line: i + 1 };
      continue;
    }
    // An image the source tree does not have would stop the build (Astro imports it): it becomes a link.
    if (options.exists) {
      const exists = options.exists;
      const delinked = replaceImages(out[i], (whole, alt, target, title) => {
        if (/^([a-z][a-z0-9+.-]*:|\/\/|\/|#)/i.test(target)) return whole;
        let path: string;
        try {
          path = resolveRelative(options.source, decodeURIComponent(target.split('#')[0]));
        } catch {
          path = resolveRelative(options.source, target.split('#')[0]);
        }
        return exists(path) ? whole : `[${alt || target}](${target}${title})`;
      });
      if (delinked !== out[i]) {
        changes.push({ line: i + 1, what: 'an image the source tree does not have (the build would stop on it): made a link, which the check reports', before: out[i], after: delinked });
        out[i] = delinked;
      }
    }
    // Links to renamed pages (README.md → index.md) follow them.
    const relinked = replaceMdLinks(out[i], (whole, open, target, hash = '') => {
      const resolved = resolveRelative(options.source, target);
      const renamedTo = options.renamed.get(resolved);
      if (!renamedTo) return whole;
      return `${open}${relativeTo(options.renamed.get(options.source) ?? options.source, renamedTo)}${hash}`;
    });
    if (relinked !== out[i]) {
      changes.push({ line: i + 1, what: 'a link to a page renamed by the import: follows it', before: out[i], after: relinked });
      out[i] = relinked;
    }
  }
  if (fence) out.push(fence.marker);
  convertSourceSyntax(out, bodyStart, options, changes, facts.headings);

  // The first H1 becomes the title and leaves the body (Starlight shows the title as the H1).
  let title = h1?.title ?? titleFromPath(options.source);
  if (/^readme$/i.test(title)) {
    // The file name replaced (`/[^/]+$/`, quadratic on a long name without a slash).
    const folder = options.source.slice(0, options.source.lastIndexOf('/') + 1);
    title = titleFromPath(folder.length < options.source.length ? `${folder}README.md` : options.source);
  }
  if (h1) {
    const removed = out.splice(h1.line - 1, h1.setext ? 2 : 1);
    if (out[h1.line - 1] !== undefined && out[h1.line - 1].trim() === '' && (h1.line - 2 < bodyStart || out[h1.line - 2]?.trim() === '')) out.splice(h1.line - 1, 1);
    changes.push({ line: h1.line, what: 'the first top-level heading became the page title', before: removed.join(' / '), after: `title: ${yamlString(title)}` });
  } else {
    changes.push({ line: 1, what: `no top-level heading: the title comes from the file name`, after: `title: ${yamlString(title)}` });
  }

  for (let i = out.length - 1; i >= 0; i--) if (out[i] === REMOVED) out.splice(i, 1);

  // Frontmatter: what the page lacks is added; what it has is kept.
  const data = hasFrontmatter ? fm.data : {};
  // Hugo: `weight` orders the sidebar, `aliases` are old URLs; TOML frontmatter becomes YAML.
  if (options.from === 'hugo' && hasFrontmatter && (fm.format === 'toml' || 'weight' in data || 'aliases' in data)) {
    const next: Record<string, unknown> = { ...data };
    const notes: string[] = [];
    if (typeof next.weight === 'number') {
      next.sidebar = { ...(typeof next.sidebar === 'object' && next.sidebar ? next.sidebar : {}), order: next.weight };
      notes.push(`weight ${next.weight} → sidebar.order`);
    }
    delete next.weight;
    if (Array.isArray(next.aliases)) {
      const slugs = next.aliases.map((a) => slugFromPath(`${trimEnd(String(a), '/')}.md`)).filter((x): x is string => Boolean(x));
      if (slugs.length) next.shortlinks = [...new Set([...(Array.isArray(next.shortlinks) ? next.shortlinks : []), ...slugs])];
      notes.push(`aliases ${next.aliases.map(String).join(', ')} → shortlinks ${slugs.map((x) => `/r/${x}`).join(', ') || '(none fit)'}; serve the old paths with your host's redirects`);
      delete next.aliases;
    }
    if (next.title === undefined) next.title = title;
    if (next.owner === undefined && options.owner) next.owner = options.owner;
    if (next.review === undefined) next.review = { log: [{ date: options.today, reviewer: options.owner ?? '@runbook-import', change: `Imported from ${options.source}` }] };
    if (next.shortlinks === undefined && options.slug) next.shortlinks = [options.slug];
    const dumped = yaml.dump(next, { lineWidth: -1, noRefs: true }).trimEnd().split('\n');
    changes.push({ line: 1, what: `Hugo frontmatter${fm.format === 'toml' ? ' (TOML) rewritten as YAML' : ' converted'}${notes.length ? `: ${notes.join('; ')}` : ''}`, after: dumped.join(' | ') });
    let rest = out.slice(fm.lineCount).join(eol);
    if (!rest.endsWith(eol)) rest += eol;
    return { text: ['---', ...dumped, '---', ''].join(eol) + rest, title, changes, relativeTargets };
  }
  const add: string[] = [];
  if (data.title === undefined) add.push(`title: ${yamlString(title)}`);
  if (data.owner === undefined && options.owner) add.push(`owner: ${yamlString(options.owner)}`);
  if (data.review === undefined) {
    add.push('review:', '  log:', `    - { date: ${options.today}, reviewer: ${yamlString(options.owner ?? '@runbook-import')}, change: ${yamlString(`Imported from ${options.source}`)} }`);
  }
  if (data.shortlinks === undefined && options.slug) add.push(`shortlinks: [${options.slug}]`);
  let result: string[];
  if (hasFrontmatter) {
    const close = fm.lineCount - 1;
    result = [...out.slice(0, close), ...add, ...out.slice(close)];
    if (add.length) changes.push({ line: close + 1, what: 'added to the frontmatter', after: add.join(' | ') });
  } else {
    result = ['---', ...add, '---', '', ...out.slice(bodyStart).join('\n').replace(/^\n+/, '').split('\n')];
    changes.push({ line: 1, what: 'added frontmatter', after: add.join(' | ') });
  }
  let joined = result.join(eol);
  if (!joined.endsWith(eol)) joined += eol;
  return { text: joined, title, changes, relativeTargets };
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
function relativeTo(from: string, to: string): string {
  const a = from.split('/').slice(0, -1);
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/') || b.at(-1)!;
}

/** What a walk of a source folder found: the regular files an import may read, and what it leaves behind. */
export interface SourceTree {
  /** Regular files, as `/`-separated paths from the source root. */
  files: string[];
  /** Entries not imported, with why: symbolic links (with their target), FIFOs, sockets, devices, hard links. */
  skipped: { path: string; why: string }[];
}

/** Why a non-regular, non-folder entry is not imported. */
function notImported(path: string, st: { isSymbolicLink(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
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
  const changed = (path: string) => skipped.push({ path, why: 'not imported: it changed while the import read the folder' });
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
        if (links > 1) skipped.push({ path, why: 'not imported: a file with another hard link (its bytes may live outside the folder)' });
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
