/**
 * `runbook import`: Markdown runbooks from elsewhere, made into pages of this site.
 * Each body is kept byte for byte except where a change is needed, and every change is
 * recorded (file, line, before → after). Nothing here writes files (./folder.ts does).
 * {@link convertPage} runs one named pass per transform, in order; each records its changes.
 */
import yaml from 'js-yaml';
import { collectFacts, type RunbookFacts } from '../runbook/facts.ts';
import { type Frontmatter, parseFrontmatter } from '../runbook/frontmatter.ts';
import { trimEnd } from '../runbook/text.ts';
import {
  REMOVED,
  replaceLine,
  targetOf,
  walkBody,
  type ConvertOptions,
  type ImportChange,
  type PageLines,
} from './page.ts';
import { atxH1, linkTargets, replaceImages, replaceMdLinks } from './scan.ts';
import { convertGitlab, convertHugo } from './source-syntax.ts';
import { relativeTo, resolveRelative } from './source.ts';
import { plainTitle, slugFromPath, titleFromPath } from './title.ts';

/** A page as it will be written. */
export interface ConvertedPage {
  text: string;
  title: string;
  changes: ImportChange[];
  /** Relative link and image targets of the body (for copying files along). */
  relativeTargets: string[];
}

/** HTML elements a runbook may mean as HTML; any other `<Word>` in prose is a placeholder HTML would swallow. */
const HTML_TAGS = new Set(
  'a abbr b blockquote br code dd del details div dl dt em h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span strong sub summary sup table tbody td tfoot th thead tr tt u ul var video audio source picture figure figcaption center font section article aside header footer nav main'.split(
    ' ',
  ),
);
/** Fence languages Expressive Code highlights, as far as runbooks use them; others render as plain text. */
const KNOWN_LANGS = new Set(
  'sh bash shell zsh console shellsession sql psql pgsql postgresql yaml yml json jsonc js javascript ts typescript py python go rust rs java c cpp html xml css md markdown diff ini toml dockerfile docker text txt plaintext output hcl terraform tf ruby rb php powershell ps1 nginx make makefile graphql lua perl kotlin swift csharp cs fsharp scala groovy protobuf proto'
    .split(' ')
    .filter((l) => l !== 'promql'),
);

/** The page's first top-level heading, which becomes its title. */
interface TitleHeading {
  line: number;
  title: string;
  setext: boolean;
}

const yamlString = (s: string) => JSON.stringify(s);

/** Converts one page's text. */
export function convertPage(input: string, options: ConvertOptions): ConvertedPage {
  const changes: ImportChange[] = [];
  const text = withoutByteOrderMark(input, changes);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const fm = parseFrontmatter(text);
  const hasFrontmatter = fm.lineCount > 0 && fm.errors.length === 0;
  const page: PageLines = {
    lines: text.split(/\r?\n/),
    bodyStart: hasFrontmatter ? fm.lineCount : 0,
    changes,
    options,
  };
  const { h1, relativeTargets } = readBody(page);
  // The Markdown parser of the site says exactly which `<…>` are HTML and what the headings are.
  const facts = collectFacts(text, options.source, options.source);
  escapePlaceholders(page, facts.html);
  const open = walkBody(page.lines, page.bodyStart, (i) => {
    delinkMissingImages(page, i);
    followRenamedPages(page, i);
  });
  // The fence left open is closed at the end of the file (readBody reported it).
  if (open) page.lines.push(open.marker);
  if (options.from === 'gitlab') convertGitlab(page, facts.headings);
  if (options.from === 'hugo') convertHugo(page);
  const title = takeTitle(page, h1);
  for (let i = page.lines.length - 1; i >= 0; i--) if (page.lines[i] === REMOVED) page.lines.splice(i, 1);
  const written =
    (options.from === 'hugo' ? hugoFrontmatter(page, fm, hasFrontmatter, title, eol) : undefined) ??
    withFrontmatter(page, fm.data, hasFrontmatter, title, eol);
  return { text: written, title, changes, relativeTargets };
}

/** The text without a byte-order mark. */
function withoutByteOrderMark(text: string, changes: ImportChange[]): string {
  if (!text.startsWith('\uFEFF')) return text;
  changes.push({ line: 1, what: 'removed the byte-order mark' });
  return text.slice(1);
}

/**
 * Reads the body (outside fences and HTML comments): the first H1, the relative link
 * targets, and what is kept but worth a note (fence languages the site does not
 * highlight, further H1s, a fence never closed).
 */
function readBody(page: PageLines): { h1?: TitleHeading; relativeTargets: string[] } {
  let h1: TitleHeading | undefined;
  const relativeTargets: string[] = [];
  const open = walkBody(
    page.lines,
    page.bodyStart,
    (i) => {
      h1 = noteTopHeading(page, i, h1);
      for (const target of relativeLinkTargets(page.lines[i])) relativeTargets.push(target);
    },
    { comments: true, onFence: (info, i) => noteFenceLanguage(page, info, i) },
  );
  if (open)
    page.changes.push({
      line: open.line,
      what: `the code fence opened here is never closed: closed at the end of the file`,
      after: open.marker,
    });
  return { h1, relativeTargets };
}

/** A fence language the site does not highlight is kept, and noted. */
function noteFenceLanguage(page: PageLines, info: string, i: number): void {
  const lang = info.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (lang && !KNOWN_LANGS.has(lang))
    page.changes.push({
      line: i + 1,
      what: `fence language "${lang}" is not one the site highlights: shown as plain text (kept as written)`,
    });
}

/** The first top-level heading (ATX or setext) with text is the title; a further one is kept, and noted. */
function noteTopHeading(page: PageLines, i: number, h1: TitleHeading | undefined): TitleHeading | undefined {
  const { lines } = page;
  const line = lines[i];
  const atx = atxH1(line);
  const setext =
    i + 1 < lines.length && line.trim() !== '' && /^ {0,3}=+\s*$/.test(lines[i + 1]) && !/^ {0,3}[#>-]/.test(line);
  if (atx === undefined && !setext) return h1;
  const title = plainTitle(atx ?? line);
  if (!h1 && title) return { line: i + 1, title, setext: atx === undefined };
  if (h1)
    page.changes.push({
      line: i + 1,
      what: "a further top-level heading: kept (the page title is the page's only H1 on the site)",
      before: line,
    });
  return h1;
}

/** A line's relative link and image targets (no scheme, no `//`, no root path, no anchor), without their anchors. */
function relativeLinkTargets(line: string): string[] {
  const targets: string[] = [];
  for (const found of linkTargets(line)) {
    const target = found.split('#')[0];
    if (target && !/^([a-z][a-z0-9+.-]*:|\/\/|\/|#)/i.test(target)) targets.push(target);
  }
  return targets;
}

/** Placeholders: `<NAMESPACE>` in prose is read as an unknown HTML tag and vanishes; its `<` is escaped. */
function escapePlaceholders(page: PageLines, html: RunbookFacts['html']): void {
  const out = page.lines;
  const escapes = new Map<number, number[]>(); // line index → columns (0-based) of `<` to escape
  for (const h of html) {
    const tag = /^<\/?([A-Za-z_][\w.-]*)>/.exec(h.value.trim());
    if (!tag || (HTML_TAGS.has(tag[1].toLowerCase()) && tag[1] === tag[1].toLowerCase())) continue;
    const at = h.line - 1;
    const column = (out[at] ?? '').indexOf('<', h.column - 1);
    if (column !== -1) escapes.set(at, [...(escapes.get(at) ?? []), column]);
  }
  for (const [at, columns] of escapes) {
    let fixed = out[at];
    for (const c of [...new Set(columns)].sort((a, b) => b - a)) fixed = `${fixed.slice(0, c)}\\${fixed.slice(c)}`;
    page.changes.push({
      line: at + 1,
      what: 'a <placeholder> HTML would swallow: escaped',
      before: out[at],
      after: fixed,
    });
    out[at] = fixed;
  }
}

/** An image the source tree does not have would stop the build (Astro imports it): it becomes a link. */
function delinkMissingImages(page: PageLines, i: number): void {
  const { exists, source } = page.options;
  if (!exists) return;
  const delinked = replaceImages(page.lines[i], (whole, alt, target, title) => {
    if (/^([a-z][a-z0-9+.-]*:|\/\/|\/|#)/i.test(target)) return whole;
    let path: string;
    try {
      path = resolveRelative(source, decodeURIComponent(target.split('#')[0]));
    } catch {
      path = resolveRelative(source, target.split('#')[0]);
    }
    return exists(path) ? whole : `[${alt || target}](${target}${title})`;
  });
  replaceLine(
    page,
    i,
    delinked,
    'an image the source tree does not have (the build would stop on it): made a link, which the check reports',
  );
}

/** Links to pages renamed by the import (README.md → index.md) follow them. */
function followRenamedPages(page: PageLines, i: number): void {
  const { options } = page;
  const relinked = replaceMdLinks(page.lines[i], (whole, open, target, hash = '') => {
    const renamedTo = options.renamed.get(resolveRelative(options.source, target));
    return renamedTo ? `${open}${relativeTo(targetOf(options), renamedTo)}${hash}` : whole;
  });
  replaceLine(page, i, relinked, 'a link to a page renamed by the import: follows it');
}

/** The first H1 becomes the title and leaves the body (Starlight shows the title as the H1); without one, the file name gives it. */
function takeTitle(page: PageLines, h1: TitleHeading | undefined): string {
  const { lines: out, bodyStart, options } = page;
  let title = h1?.title ?? titleFromPath(options.source);
  if (/^readme$/i.test(title)) {
    // The file name replaced (`/[^/]+$/`, quadratic on a long name without a slash).
    const folder = options.source.slice(0, options.source.lastIndexOf('/') + 1);
    title = titleFromPath(folder.length < options.source.length ? `${folder}README.md` : options.source);
  }
  if (!h1) {
    page.changes.push({
      line: 1,
      what: `no top-level heading: the title comes from the file name`,
      after: `title: ${yamlString(title)}`,
    });
    return title;
  }
  const removed = out.splice(h1.line - 1, h1.setext ? 2 : 1);
  // The blank line after it goes too, when it would leave two (or one at the top of the body).
  if (
    out[h1.line - 1] !== undefined &&
    out[h1.line - 1].trim() === '' &&
    (h1.line - 2 < bodyStart || out[h1.line - 2]?.trim() === '')
  )
    out.splice(h1.line - 1, 1);
  page.changes.push({
    line: h1.line,
    what: 'the first top-level heading became the page title',
    before: removed.join(' / '),
    after: `title: ${yamlString(title)}`,
  });
  return title;
}

/**
 * Hugo frontmatter (TOML, or YAML with `weight` or `aliases`), rewritten as the site's
 * YAML: `weight` orders the sidebar, `aliases` (old URLs) become shortlinks; what the page
 * lacks is added. Undefined when the page has no such frontmatter.
 */
function hugoFrontmatter(
  page: PageLines,
  fm: Frontmatter,
  hasFrontmatter: boolean,
  title: string,
  eol: string,
): string | undefined {
  const { options } = page;
  const data = hasFrontmatter ? fm.data : {};
  if (!hasFrontmatter || !(fm.format === 'toml' || 'weight' in data || 'aliases' in data)) return undefined;
  const next: Record<string, unknown> = { ...data };
  const notes: string[] = [];
  if (typeof next.weight === 'number') {
    next.sidebar = { ...(typeof next.sidebar === 'object' && next.sidebar ? next.sidebar : {}), order: next.weight };
    notes.push(`weight ${next.weight} → sidebar.order`);
  }
  delete next.weight;
  if (Array.isArray(next.aliases)) {
    const slugs = next.aliases
      .map((a) => slugFromPath(`${trimEnd(String(a), '/')}.md`))
      .filter((x): x is string => Boolean(x));
    if (slugs.length)
      next.shortlinks = [...new Set([...(Array.isArray(next.shortlinks) ? next.shortlinks : []), ...slugs])];
    notes.push(
      `aliases ${next.aliases.map(String).join(', ')} → shortlinks ${slugs.map((x) => `/r/${x}`).join(', ') || '(none fit)'}; serve the old paths with your host's redirects`,
    );
    delete next.aliases;
  }
  if (next.title === undefined) next.title = title;
  if (next.owner === undefined && options.owner) next.owner = options.owner;
  if (next.review === undefined)
    next.review = {
      log: [
        {
          date: options.today,
          reviewer: options.owner ?? '@runbook-import',
          change: `Imported from ${options.source}`,
        },
      ],
    };
  if (next.shortlinks === undefined && options.slug) next.shortlinks = [options.slug];
  const dumped = yaml.dump(next, { lineWidth: -1, noRefs: true }).trimEnd().split('\n');
  page.changes.push({
    line: 1,
    what: `Hugo frontmatter${fm.format === 'toml' ? ' (TOML) rewritten as YAML' : ' converted'}${notes.length ? `: ${notes.join('; ')}` : ''}`,
    after: dumped.join(' | '),
  });
  return ['---', ...dumped, '---', ''].join(eol) + withEol(page.lines.slice(fm.lineCount), eol);
}

/** Frontmatter: what the page lacks (title, owner, a review-log entry, a shortlink) is added; what it has is kept. */
function withFrontmatter(
  page: PageLines,
  data: Readonly<Record<string, unknown>>,
  hasFrontmatter: boolean,
  title: string,
  eol: string,
): string {
  const { options, lines: out, bodyStart } = page;
  if (!hasFrontmatter) data = {};
  const add: string[] = [];
  if (data.title === undefined) add.push(`title: ${yamlString(title)}`);
  if (data.owner === undefined && options.owner) add.push(`owner: ${yamlString(options.owner)}`);
  if (data.review === undefined) {
    add.push(
      'review:',
      '  log:',
      `    - { date: ${options.today}, reviewer: ${yamlString(options.owner ?? '@runbook-import')}, change: ${yamlString(`Imported from ${options.source}`)} }`,
    );
  }
  if (data.shortlinks === undefined && options.slug) add.push(`shortlinks: [${options.slug}]`);
  if (!hasFrontmatter) {
    page.changes.push({ line: 1, what: 'added frontmatter', after: add.join(' | ') });
    return withEol(['---', ...add, '---', '', ...out.slice(bodyStart).join('\n').replace(/^\n+/, '').split('\n')], eol);
  }
  const close = bodyStart - 1;
  if (add.length) page.changes.push({ line: close + 1, what: 'added to the frontmatter', after: add.join(' | ') });
  return withEol([...out.slice(0, close), ...add, ...out.slice(close)], eol);
}

/** The lines joined by the page's own line ending, ending with one. */
function withEol(lines: readonly string[], eol: string): string {
  const joined = lines.join(eol);
  return joined.endsWith(eol) ? joined : joined + eol;
}
