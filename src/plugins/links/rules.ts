import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import type { LinkFact, RunbookFacts } from '../runbook/facts.ts';
import { CONTENT_DIR, repoPath, SITE_ROUTES } from '../runbook/paths.ts';
import { didYouMean } from '../runbook/did-you-mean.ts';
import { pageAnchors, readable } from '../runbook/page.ts';
import { positionOf, valueAt } from '../runbook/frontmatter.ts';
import { resolveRepoPath } from '../snippets/scripts.ts';
import type { Finding, Rule } from '../runbook/rule.ts';
import type { ProjectConfig } from '../runbook/config.ts';
import { cutAt } from '../runbook/text.ts';
import { OWNER, page, REVIEW, runbook } from '../runbook/examples.ts';

/** What the link rules read: where files are, every page by path, every shortlink. */
export interface LinkContext {
  root: string;
  config: Pick<ProjectConfig, 'repoUrl' | 'scriptRoots'>;
  pages: Map<string, RunbookFacts>;
  shortlinks: Map<string, RunbookFacts[]>;
  ruleIds: Set<string>;
  slos: Set<string>;
}

/** What a link points at, once resolved. */
type Target =
  | { kind: 'external' }
  | { kind: 'page'; page: RunbookFacts; anchor?: string }
  | { kind: 'file' }
  | { kind: 'repo-file'; path: string }
  | { kind: 'missing'; what: string; hint: string };

/** Pages and files the site itself generates (no Markdown source). */
const BUILT_IN_ROUTES = new Set(SITE_ROUTES);

const EXTERNAL = /^([a-z][a-z0-9+.-]*:|\/\/)/i;

/** URL schemes that are what they say (a near miss of http(s) among others is a typo). */
const KNOWN_SCHEMES = new Set([
  'http',
  'https',
  'mailto',
  'tel',
  'ftp',
  'ftps',
  'sftp',
  'ssh',
  'git',
  'file',
  'data',
  'irc',
  'ircs',
  'news',
  'nntp',
  'slack',
  'msteams',
  'zoommtg',
  'vscode',
  'obsidian',
  'sip',
  'sips',
  'xmpp',
  'ws',
  'wss',
  'urn',
  'geo',
  'sms',
  'magnet',
  'spotify',
]);

function splitAnchor(url: string): [string, string | undefined] {
  const hash = url.indexOf('#');
  const path = cutAt(hash === -1 ? url : url.slice(0, hash), '?');
  return [path, hash === -1 ? undefined : safeDecode(url.slice(hash + 1))];
}

/** Percent-decodes, or keeps the text as written when its escapes are malformed. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const asPageUrl = (path: string) =>
  (path.endsWith('/') ? path : `${path}/`).replace(/\/index\/$/, '/').replace(/\/\/+/g, '/');

/** Resolves one link of page `f` the way a browser (or GitHub, for `.md` paths) would. */
export function resolveLink(f: RunbookFacts, url: string, context: LinkContext): Target {
  if (EXTERNAL.test(url)) {
    // `ttps://…`, `htps://…`: a typo that reads as a URL scheme would never be checked, and never work.
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1].toLowerCase();
    const guess = scheme && !KNOWN_SCHEMES.has(scheme) ? didYouMean(scheme, ['http', 'https']) : undefined;
    if (scheme && guess)
      return {
        kind: 'missing',
        what: `URL with the scheme "${scheme}:"`,
        hint: `Did you mean ${guess}:? A browser cannot open a ${scheme}: link.`,
      };
    return { kind: 'external' };
  }
  const [rawPath, anchor] = splitAnchor(url);
  const path = safeDecode(rawPath);
  if (path === '') return { kind: 'page', page: f, anchor };

  const shortlink = /^\/r\/([^/]+)\/?$/.exec(path);
  if (shortlink) {
    const owners = context.shortlinks.get(shortlink[1]);
    return owners?.[0]
      ? { kind: 'page', page: owners[0], anchor }
      : {
          kind: 'missing',
          what: `shortlink /r/${shortlink[1]}`,
          hint: "Use a slug listed under some runbook's `shortlinks:`.",
        };
  }
  if (BUILT_IN_ROUTES.has(path.replace(/\/$/, '') || '/')) return { kind: 'file' };
  // The sitemap the build writes (sitemap-index.xml, sitemap-0.xml, …).
  if (/^\/sitemap-(index|\d+)\.xml$/.test(path)) return { kind: 'file' };
  const slo = /^\/slos\/([^/]+)\/?$/.exec(path);
  if (slo)
    return context.slos.has(slo[1])
      ? { kind: 'file' }
      : { kind: 'missing', what: `SLO page ${path}`, hint: 'Link to an SLO that has a file in src/content/slos/.' };
  const rule = /^\/rules\/([^/]+)\/?$/.exec(path);
  if (rule)
    return context.ruleIds.has(rule[1])
      ? { kind: 'file' }
      : { kind: 'missing', what: `rule page ${path}`, hint: 'Link to an existing rule id.' };

  if (/\.mdx?$/i.test(path) && !path.startsWith('/')) {
    // A file path, as GitHub's PR view follows it: relative to this file.
    const target = posix.normalize(posix.join(posix.dirname(f.file), path));
    const inContent = target.startsWith(`${CONTENT_DIR}/`) ? target.slice(CONTENT_DIR.length + 1) : undefined;
    if (inContent !== undefined) {
      const page = [...context.pages.values()].find((p) => p.entry === inContent);
      return page
        ? { kind: 'page', page, anchor }
        : { kind: 'missing', what: `page ${path}`, hint: 'Fix the relative path to the .md file.' };
    }
    const repo = resolveRepoPath(context.root, target);
    return repo.status === 'ok'
      ? { kind: 'repo-file', path: target }
      : {
          kind: 'missing',
          what: `file ${path}`,
          hint: 'Fix the path; links to repository files must point inside the repository.',
        };
  }

  // A page's own file (`/ops/db/index.html`) is the page.
  const absolute = (path.startsWith('/') ? path : new URL(path, `https://site.invalid${f.url}`).pathname).replace(
    /\/index\.html$/,
    '/',
  );
  const page = context.pages.get(asPageUrl(absolute));
  if (page) return { kind: 'page', page, anchor };
  if (existsSync(join(context.root, 'public', absolute)) && absolute !== '/') return { kind: 'file' };
  if (!path.startsWith('/')) {
    const repoPath = posix.normalize(posix.join(posix.dirname(f.file), path));
    if (resolveRepoPath(context.root, repoPath).status === 'ok')
      return repoPath.startsWith(`${CONTENT_DIR}/`) ? { kind: 'file' } : { kind: 'repo-file', path: repoPath };
  }
  if (/\.mdx?$/i.test(path) && path.startsWith('/')) {
    // A repository-root path to a page (as GitLab reads it): on the site, / is the site, not the repository.
    return {
      kind: 'missing',
      what: `page ${path}`,
      hint: 'On the site a /path is a URL, not a repository path: link the page with a relative .md path (e.g. ../db/db-down.md) or its URL (/db/db-down/).',
    };
  }
  if (/\.[a-z0-9]+$/i.test(path)) {
    return {
      kind: 'missing',
      what: `file ${path}`,
      hint: `On the site it would load ${absolute}. Put the file in public/ (or next to the page, for a repository link) and link to where it is.`,
    };
  }
  const guess = didYouMean(asPageUrl(absolute), [...context.pages.keys()]);
  return {
    kind: 'missing',
    what: `page ${absolute}`,
    hint: guess
      ? `Did you mean ${guess}?`
      : 'Link to an existing page with its URL, e.g. /services/database/db-unreachable/.',
  };
}

/**
 * Where an image comes from: a relative path is imported by Astro from next to the page
 * (a missing one stops the build with ImageNotFound), a `/path` is served from public/.
 */
function missingImage(
  f: RunbookFacts,
  url: string,
  root: string,
  html = false,
): { message: string; hint: string } | undefined {
  if (EXTERNAL.test(url) || url === '') return undefined;
  try {
    decodeURI(url);
  } catch {
    return {
      message: `Image path ${JSON.stringify(url)} has a \`%\` that starts no escape`,
      hint: 'Astro cannot render the page with it: write the `%` as `%25`, or better, rename the file.',
    };
  }
  const path = safeDecode(splitAnchor(url)[0]);
  if (path.startsWith('/') || html) {
    // Served as it is: from public/, at the URL the browser makes of it.
    const served = path.startsWith('/') ? path : new URL(path, `https://site.invalid${f.url}`).pathname;
    if (existsSync(join(root, 'public', served)) && served !== '/') return undefined;
    return html && !path.startsWith('/')
      ? {
          message: `HTML image ${JSON.stringify(url)} would load ${served}, and the site has no such file`,
          hint: 'Astro does not process <img> tags: use Markdown image syntax `![alt](path)` for a file next to the page, or put the file in public/ and use its /path.',
        }
      : {
          message: `Image ${JSON.stringify(url)} is missing: no file public/${served.slice(1)}`,
          hint: `A /path image is served from public/: put the file at public${served}, or fix the path.`,
        };
  }
  const file = posix.normalize(posix.join(posix.dirname(f.file), path));
  // The repository's one door decides what may be read: path-outside-repo reports a way out.
  const where = repoPath(root, file);
  if (where.status === 'outside') return undefined;
  if (where.status === 'special')
    return {
      message: `Image ${JSON.stringify(url)} is ${where.reason}, not a file`,
      hint: 'Replace it with the image file itself.',
    };
  if (where.status !== 'ok')
    return {
      message: `Image ${JSON.stringify(url)} is missing: no file ${file}`,
      hint: `The image is read from ${file} when the site builds (Astro stops with ImageNotFound without it): add the file there, or fix the path.`,
    };
  const kind = imageKind(where.real);
  return kind === true
    ? undefined
    : {
        message: `Image ${JSON.stringify(url)} is not an image Astro can process (${kind})`,
        hint: 'Use a PNG, JPEG, GIF, WebP, AVIF, TIFF or SVG file; link other files with [text](path).',
      };
}

/** Whether a file is an image Astro's image service reads, by its extension and its first bytes; else why not. */
function imageKind(path: string): true | string {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  if (!['png', 'jpg', 'jpeg', 'gif', 'webp', 'avif', 'tiff', 'tif', 'svg'].includes(ext))
    return `a .${ext || '(no extension)'} file`;
  let head: Buffer;
  try {
    const fd = openSync(path, 'r');
    head = Buffer.alloc(64);
    readSync(fd, head, 0, 64, 0);
    closeSync(fd);
  } catch {
    return 'it cannot be read';
  }
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  const text = head.toString('latin1');
  const ok =
    ext === 'svg'
      ? /<svg|<\?xml/i.test(text)
      : starts(0x89, 0x50, 0x4e, 0x47) ||
        starts(0xff, 0xd8, 0xff) ||
        text.startsWith('GIF8') ||
        (text.startsWith('RIFF') && text.slice(8, 12) === 'WEBP') ||
        text.slice(4, 12).startsWith('ftypavi') ||
        starts(0x49, 0x49, 0x2a, 0) ||
        starts(0x4d, 0x4d, 0, 0x2a);
  return ok ? true : `its content is not a ${ext.toUpperCase()} image`;
}

/** Frontmatter fields Starlight reads as images (`image()` in its schema). */
const HERO_IMAGES = [
  ['hero', 'image', 'file'],
  ['hero', 'image', 'dark'],
  ['hero', 'image', 'light'],
];

const report = (f: RunbookFacts, link: LinkFact, message: string, hint?: string): Finding => ({
  file: f.file,
  line: link.line,
  column: link.column,
  message,
  hint,
});

/** Rules about links: pages, shortlinks, repository files and anchors all resolve. */
/** The page the link examples lead to. */
const ROLLBACK_PAGE = page(['title: API rollback', OWNER, ...REVIEW]);

export const linkRules = [
  {
    id: 'link-broken',
    severity: 'error',
    phase: 'facts',
    baseline: (f) => !/^Image /.test(f.message),
    summary:
      'Every internal link and image leads somewhere: a page, a `/r/` shortlink, a file in `public/` or in the repository, an image file next to the page.',
    hint: 'Fix the path, or remove the link.',
    bad: {
      page: runbook([], '## Check\n\nIf the errors started with the deploy, [roll back](/api/api-rollbak/).\n'),
      files: { ['src/content/runbooks/api/api-rollback.md']: ROLLBACK_PAGE },
    },
    good: {
      page: runbook([], '## Check\n\nIf the errors started with the deploy, [roll back](/api/api-rollback/).\n'),
      files: { ['src/content/runbooks/api/api-rollback.md']: ROLLBACK_PAGE },
    },
    check: (all, context) =>
      all.flatMap((f) => [
        // Starlight's hero images are imported at build time like any relative image.
        ...(readable(f) ? HERO_IMAGES : []).flatMap((path) => {
          const url = valueAt(f.frontmatter.data, path);
          const missing = typeof url === 'string' ? missingImage(f, url, context.root) : undefined;
          return missing ? [{ file: f.file, ...positionOf(f.frontmatter, path), ...missing }] : [];
        }),
        ...f.links.flatMap((link) => {
          if (link.image) {
            const missing = missingImage(f, link.url, context.root, link.html);
            return missing ? [report(f, link, missing.message, missing.hint)] : [];
          }
          const target = resolveLink(f, link.url, context);
          if (target.kind === 'repo-file' && !context.config.repoUrl) {
            return [
              report(
                f,
                link,
                `Link to repository file ${target.path} works on GitHub but not on the site: \`repoUrl\` is not set`,
                'Set `repoUrl` in runbooks.config.yaml (e.g. https://github.com/org/repo/blob/main/), and the site links to the file there.',
              ),
            ];
          }
          return target.kind === 'missing' ? [report(f, link, `Link to a missing ${target.what}`, target.hint)] : [];
        }),
      ]),
  },
  {
    id: 'link-anchor-broken',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: 'A `#anchor` names a heading (as Starlight slugs it) or a run block on the target page.',
    hint: "Use the anchor shown in the heading's own link on the page.",
    bad: { page: runbook([], '## Check the error rate\n\nStart with [the error rate](#check-the-eror-rate).\n') },
    good: { page: runbook([], '## Check the error rate\n\nStart with [the error rate](#check-the-error-rate).\n') },
    check: (all, context) =>
      all.flatMap((f) =>
        f.links.flatMap((link) => {
          if (link.image) return [];
          const target = resolveLink(f, link.url, context);
          if (target.kind !== 'page' || target.anchor === undefined || target.anchor === '') return [];
          const anchors = pageAnchors(target.page);
          if (anchors.has(target.anchor)) return [];
          const guess = didYouMean(target.anchor, [...anchors]);
          const where = target.page === f ? 'this page' : relative(dirname(f.file), target.page.file);
          return [
            report(
              f,
              link,
              `Anchor #${target.anchor} is not a heading or run block on ${where}`,
              guess ? `Did you mean #${guess}?` : undefined,
            ),
          ];
        }),
      ),
  },
] as const satisfies readonly Rule<LinkContext>[];
