import { existsSync, lstatSync, mkdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Context } from '../cli/context.ts';
import { commandArgs } from '../cli/args.ts';
import { collectFacts, CONTENT_DIR, convertPage, findMarkdown, HANDLE, type ImportChange, linkOnTheWay, markdownCode, markdownText, ownSlugs, parseFrontmatter, readPage, readSourceFile, refuseSvg, resolveRelative, sanitizeSvg, slugFromPath, type SourceKind, type SourceTree, walkSource } from '../../src/plugins/index.ts';
import yaml from 'js-yaml';
import { parse as parseToml } from 'smol-toml';
import { trimBoth } from '../../src/plugins/reader.ts';


export const usage = `Usage: runbook import <dir> [--owner @team] [--into ${CONTENT_DIR}/<group>] [--from plain|gitlab|hugo]

Brings a tree of Markdown runbooks into the site without hand edits: plain Markdown
(a GitHub repository of runbooks), a GitLab repository ([[_TOC_]], repository-root
links, GitLab's heading anchors) or a Hugo site (its content/ folder, _index.md, ref and
param shortcodes, weight, aliases, TOML frontmatter); detected, or given with --from. Each page gets frontmatter (the title from its
first top-level heading, which leaves the body, or from the file name; --owner; a review
log entry "Imported from <path>"; a shortlink from its file name, so the old name keeps a
short address), README.md becomes the folder's index page, and the images and files the
pages link to come along. Bodies are kept byte for byte except where a change is needed:
a <placeholder> HTML would swallow is escaped, an unclosed code fence is closed, links
follow renamed pages. Every change is listed in .runbook/import-report.md (file:line,
before → after). A page that already exists at its target is left as it is, so
importing the same tree twice changes nothing the second time.
Then: runbook check --update-baseline to accept what is left, and build.`;

/** `runbook import <dir>`: copies and converts a tree of Markdown runbooks. */
export function importTree(args: string[], ctx: Pick<Context, 'cwd' | 'out' | 'err'> & Partial<Pick<Context, 'now'>>): number {
  const parsed = commandArgs('import', args, { owner: { type: 'string' }, into: { type: 'string' }, from: { type: 'string' } }, usage, ctx, true);
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length !== 1) {
    ctx.err(`Give one folder to import.\n\n${usage}`);
    return 2;
  }
  const given = resolve(ctx.cwd, parsed.positionals[0]);
  if (!existsSync(given) || !statSync(given).isDirectory()) {
    ctx.err(`${parsed.positionals[0]} is not a folder.`);
    return 2;
  }
  // The folder named is taken as it really is; below it, no symbolic link is ever followed.
  const real = realpathSync(given);
  const from = (parsed.values.from ?? detect(real)) as SourceKind;
  if (!['plain', 'gitlab', 'hugo'].includes(from)) {
    ctx.err(`--from ${from}: use plain, gitlab or hugo.`);
    return 2;
  }
  // A Hugo site's pages are its content/ folder; their URLs do not include it.
  const source = from === 'hugo' && isFolder(join(real, 'content')) ? join(real, 'content') : real;
  const params = from === 'hugo' ? hugoParams(real) : {};
  const owner = parsed.values.owner;
  if (owner !== undefined && !HANDLE.test(owner)) {
    ctx.err(`--owner ${owner} is not a handle like @team or @org/team.`);
    return 2;
  }
  const into = parsed.values.into ?? `${CONTENT_DIR}/${trimBoth(given.split('/').at(-1)!.toLowerCase().replace(/[^a-z0-9]+/g, '-'), '-') || 'imported'}`;
  if (!`${into}/`.startsWith(`${CONTENT_DIR}/`) || into.split('/').includes('..')) {
    ctx.err(`--into must be a folder under ${CONTENT_DIR}/, e.g. ${CONTENT_DIR}/imported.`);
    return 2;
  }
  const today = (ctx.now?.() ?? new Date()).toISOString().slice(0, 10);

  // Every Markdown file, `_index.md` included (the site's own walk skips `_` files, as Astro does):
  // regular files only, found without following a link.
  const tree = walkSource(source);
  const files = new Set(tree.files);
  const pages = tree.files.filter((p) => /\.md$/i.test(p) && !p.split('/').some((s) => s.startsWith('.'))).sort();
  const text = (path: string) => readSourceFile(source, path)?.toString('utf8');
  // README.md is the folder's page on the site.
  const renamed = new Map(pages.map((p) => [p, /(^|\/)(readme|_index)\.md$/i.test(p) ? p.replace(/(readme|_index)\.md$/i, 'index.md') : p]));
  // Shortlinks already taken in the site, and those this import hands out.
  const taken = new Set<string>();
  for (const file of existsSync(join(ctx.cwd, CONTENT_DIR)) ? findMarkdown(join(ctx.cwd, CONTENT_DIR), ctx.cwd) : []) {
    const bytes = readPage(ctx.cwd, relative(ctx.cwd, file).split('\\').join('/'));
    if (!(bytes instanceof Error)) for (const s of ownSlugs(parseFrontmatter(bytes.toString('utf8')).data)) taken.add(s.slug);
  }

  // The headings of every page, as the site will slug them (GitLab anchors into them are respelled).
  const headings = new Map<string, { text: string; slug: string }[]>();
  const headingsOf = (path: string) => {
    if (!headings.has(path)) {
      const page = pages.includes(path) ? text(path) : undefined;
      headings.set(path, page === undefined ? [] : collectFacts(page, path, path).headings);
    }
    return headings.get(path)!;
  };
  const report: string[] = [`# runbook import of ${markdownText(parsed.positionals[0])} (${from}) into ${markdownText(into)} (${today})`, ''];
  let written = 0;
  let kept = 0;
  const refused = [...tree.skipped];
  const assets = new Set<string>();
  for (const page of pages) {
    const target = join(ctx.cwd, into, renamed.get(page)!);
    const shown = relative(ctx.cwd, target);
    const link = linkOnTheWay(ctx.cwd, target);
    if (link) {
      refused.push({ path: page, why: `not written: ${relative(ctx.cwd, link)} is a symbolic link in the destination` });
      continue;
    }
    const input = text(page);
    if (input === undefined) {
      refused.push({ path: page, why: 'not imported: it changed since it was listed (no longer a regular file of the folder)' });
      continue;
    }
    if (existsSync(target)) {
      kept++;
      report.push(`## ${markdownText(shown)}`, '', `- already there: left as it is`, '');
      continue;
    }
    let slug = slugFromPath(page);
    if (slug && taken.has(slug)) slug = undefined;
    if (slug) taken.add(slug);
    const exists = (path: string) => files.has(path);
    const converted = convertPage(input, { source: page, owner, today, slug, renamed, exists, from, pages, params, headingsOf });
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, converted.text, { flag: 'wx' });
    written++;
    for (const t of converted.relativeTargets) {
      const path = resolveRelative(page, decodeURIComponent(t));
      if (!/\.mdx?$/i.test(path) && files.has(path)) assets.add(path);
    }
    report.push(`## ${markdownText(shown)} (from ${markdownText(page)})`, '', ...converted.changes.map((c) => line(c)), '');
  }
  for (const asset of assets) {
    const target = join(ctx.cwd, into, asset);
    const link = linkOnTheWay(ctx.cwd, target);
    if (link) {
      refused.push({ path: asset, why: `not written: ${relative(ctx.cwd, link)} is a symbolic link in the destination` });
      continue;
    }
    if (existsSync(target)) continue;
    // The bytes checked are the bytes written: a copy by path (cpSync) would copy whatever
    // the name holds by then, a symbolic link swapped in after the check included.
    const bytes = readSourceFile(source, asset);
    if (bytes === undefined) continue;
    mkdirSync(dirname(target), { recursive: true });
    // An executable file (a script a page links to) stays executable, as the copy kept it.
    const note = importAsset(bytes, target, asset, executable(join(source, asset)) ? 0o755 : 0o644);
    if (note) report.push(note, '');
  }
  if (refused.length) report.push('## Not imported', '', ...refused.map((r) => `- ${markdownText(r.path)}: ${markdownText(r.why)}`), '');
  const reportFile = join(ctx.cwd, '.runbook', 'import-report.md');
  const link = linkOnTheWay(ctx.cwd, reportFile) ?? linkOnTheWay(ctx.cwd, join(ctx.cwd, '.runbook', '.gitignore'));
  if (link) {
    ctx.err(`${relative(ctx.cwd, link)} is a symbolic link: the import report is not written through it.`);
    return 1;
  }
  mkdirSync(dirname(reportFile), { recursive: true });
  if (!existsSync(join(ctx.cwd, '.runbook', '.gitignore'))) writeFileSync(join(ctx.cwd, '.runbook', '.gitignore'), '*\n');
  writeFileSync(reportFile, `${report.join('\n')}\n`);
  ctx.out(`Imported ${written} page${written === 1 ? '' : 's'} (${from}) into ${into} (${kept} already there, left as they are), ${assets.size} linked file${assets.size === 1 ? '' : 's'} copied${refused.length ? `, ${refused.length} not imported (symbolic links, special files; listed in the report)` : ''}. Every change: ${relative(ctx.cwd, reportFile)}.`);
  ctx.out('Next: npm run runbook -- check --update-baseline (accept what is left), then npm run build.');
  return 0;
}

/** One change in the report: the page's text quoted through the Markdown encoders, so a page cannot write the report. */
const line = (c: ImportChange) => `- line ${c.line}: ${markdownText(c.what)}${c.before !== undefined ? `\n  - before: ${markdownCode(c.before)}` : ''}${c.after !== undefined ? `\n  - after: ${markdownCode(c.after)}` : ''}`;

/** A Hugo site has a config and a content/ folder; a GitLab repository has its CI file or `[[_TOC_]]` pages. */
function detect(dir: string, tree: SourceTree = walkSource(dir)): SourceKind {
  const hugoConfig = ['hugo.toml', 'hugo.yaml', 'hugo.yml', 'hugo.json', 'config.toml', 'config.yaml', 'config.yml'].some((f) => existsSync(join(dir, f)));
  if (hugoConfig && isFolder(join(dir, 'content'))) return 'hugo';
  if (existsSync(join(dir, '.gitlab-ci.yml')) || existsSync(join(dir, '.gitlab'))) return 'gitlab';
  const markdown = tree.files.filter((p) => /\.mdx?$/.test(p) && !p.split('/').some((s) => s.startsWith('.') || (s.startsWith('_') && /\.mdx?$/.test(s))));
  if (markdown.slice(0, 500).some((p) => readSourceFile(dir, p)?.includes('[[_TOC_]]'))) return 'gitlab';
  return 'plain';
}

/** A folder itself, not a link to one. */
function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Hugo's site `params` (for `{{< param … >}}`), from its TOML or YAML config. */
function hugoParams(dir: string): Record<string, unknown> {
  for (const name of ['hugo.toml', 'config.toml', 'hugo.yaml', 'hugo.yml', 'config.yaml', 'config.yml']) {
    const text = readSourceFile(dir, name)?.toString('utf8');
    if (text === undefined) continue;
    try {
      const data = (name.endsWith('.toml') ? parseToml(text) : yaml.load(text)) as { params?: Record<string, unknown> } | null;
      return data?.params ?? {};
    } catch {
      return {};
    }
  }
  return {};
}

/**
 * Writes one linked file into the site. An SVG is served from the site's own origin, so
 * it is held to the one HTML policy: what the policy refuses (script, event handlers,
 * foreignObject…) is removed, and the returned line says so for the import report.
 */
function importAsset(bytes: Buffer, to: string, shown: string, mode: number): string | undefined {
  const text = /\.svg$/i.test(shown) ? bytes.toString('utf8') : undefined;
  const refused = text === undefined ? [] : refuseSvg(text);
  if (text === undefined || refused.length === 0) {
    writeFileSync(to, bytes, { flag: 'wx', mode });
    return undefined;
  }
  writeFileSync(to, sanitizeSvg(text), { flag: 'wx', mode });
  return `- ${markdownText(shown)}: imported without what the HTML policy refuses in an SVG (${refused.length} element${refused.length === 1 ? '' : 's'} or attribute${refused.length === 1 ? '' : 's'}; the first: ${refused[0].why}${refused[0].line ? `, line ${refused[0].line}` : ''})`;
}

/** Whether a source file is executable by someone (lstat: a link swapped in since is not a file); false when it is gone. */
function executable(path: string): boolean {
  try {
    const st = lstatSync(path);
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}
