import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileProblem, RunbookFacts } from './facts.ts';
import { LIMITS, type LimitKind } from './limits.ts';
import { repoPath } from './paths.ts';
import { uiStringFiles } from './starlight-fields.ts';
import { valueAt, positionOf } from './frontmatter.ts';
import type { Finding, Rule } from './rule.ts';
import { cutAt } from './text.ts';
import { BODY, EXAMPLE_PAGE, OWNER, page, REVIEW, runbook, TITLE } from './examples.ts';

/** Whether a bare import (`pkg`, `@scope/pkg/sub`) resolves from the project: an installed package that exports that subpath. */
function packageInstalled(root: string, spec: string): boolean {
  if (spec.startsWith('astro:')) return ASTRO_MODULES.has(spec);
  if (/^[a-z]+:/.test(spec)) return spec.startsWith('virtual:') || spec.startsWith('node:');
  const parts = spec.split('/');
  const name = parts.slice(0, spec.startsWith('@') ? 2 : 1).join('/');
  const subpath = `.${spec.slice(name.length)}`;
  for (let dir = root; ; dir = dirname(dir)) {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) return exportsSubpath(manifest, subpath);
    if (dirname(dir) === dir) return false;
  }
}

/** Whether a package's `exports` (if any) let `subpath` be imported. */
function exportsSubpath(manifest: string, subpath: string): boolean {
  let exports: unknown;
  try {
    exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown }).exports;
  } catch {
    return true;
  }
  if (exports === undefined) return subpath === '.' || existsSync(join(dirname(manifest), subpath));
  if (typeof exports === 'string' || Array.isArray(exports)) return subpath === '.';
  const keys = Object.keys(exports as object);
  if (!keys.some((k) => k.startsWith('.'))) return subpath === '.';
  return keys.some(
    (k) =>
      k === subpath ||
      (k.includes('*') &&
        subpath.startsWith(k.slice(0, k.indexOf('*'))) &&
        subpath.endsWith(k.slice(k.indexOf('*') + 1))),
  );
}

/** The `astro:` modules a page may import. */
const ASTRO_MODULES = new Set([
  'astro:content',
  'astro:assets',
  'astro:components',
  'astro:transitions',
  'astro:transitions/client',
  'astro:i18n',
  'astro:env/client',
  'astro:env/server',
  'astro:middleware',
  'astro:actions',
  'astro:schema',
  'astro:config/client',
  'astro:config/server',
  'astro:prefetch',
]);

/** Extensions Vite tries for an import written without one, and the index files of a folder. */
const TRIED = [
  '',
  '.js',
  '.mjs',
  '.ts',
  '.mts',
  '.jsx',
  '.tsx',
  '.json',
  '.astro',
  '.md',
  '.mdx',
  '/index.js',
  '/index.ts',
  '/index.astro',
];

/** Whether a relative import resolves: the file as written (query dropped), or with an extension Vite tries. */
const relativeResolves = (root: string, file: string, spec: string) => {
  const path = resolve(root, dirname(file), cutAt(spec, '?#'));
  return TRIED.some((ext) => existsSync(path + ext) && statSync(path + ext).isFile());
};

/** What each limit of limits.ts counts, as a finding says it. */
const LIMIT_TEXT: Record<LimitKind, string> = {
  containers: 'Blockquotes and lists nest deeper than the limit',
  nesting: 'HTML/JSX elements left open and MDX brackets nest deeper than the limit',
  frontmatter: 'The frontmatter nests deeper than the limit',
  paragraph: 'A paragraph, table or quote (lines without a blank line between them) is longer than the limit',
};

/** A facts row of the table, with its own id as its type (the table derives `RuleId` from these). */
type FactsRule<Id extends string> = Extract<Rule<unknown, Id>, { phase: 'facts' }>;

function problemRule<const Id extends string>(
  kind: FileProblem['kind'],
  row: { id: Id } & Omit<FactsRule<string>, 'id' | 'check'> & { message: (p: FileProblem) => string },
): FactsRule<Id> {
  const { message, ...rest } = row;
  return {
    ...rest,
    check: (all) =>
      all.flatMap((f) =>
        f.problems
          .filter((p) => p.kind === kind)
          .map((p) => ({ file: f.file, line: p.line, column: p.column, message: message(p) })),
      ),
  };
}

/** Starlight's hero images, imported at build time like a relative image in the body. */
const HERO_IMAGES = [
  ['hero', 'image', 'file'],
  ['hero', 'image', 'dark'],
  ['hero', 'image', 'light'],
];

/**
 * The repository path of a file the build reads for a page (a relative Markdown image, a
 * hero image, a relative MDX import), or undefined for URLs served as they are.
 */
function readByBuild(f: RunbookFacts, url: string): string | undefined {
  const path = url.split(/[?#]/)[0];
  if (!path || path.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(path)) return undefined;
  let decoded = path;
  try {
    decoded = decodeURI(path);
  } catch {
    // The link rule reports a bad escape; the path as written is what the door judges.
  }
  return posix.normalize(posix.join(posix.dirname(f.file), decoded));
}

/**
 * The path the build reads for a hero image. Unlike a body image, Astro's `image()` hands
 * an absolute path or a URL to Vite as written, and Vite reads `/etc/…` and `file:///…`
 * from anywhere on the disk: those are paths for the door to judge (as outside), never
 * URLs served from public/.
 */
function heroImportPath(f: RunbookFacts, value: string): string | undefined {
  if (/^file:/i.test(value)) {
    try {
      return fileURLToPath(value);
    } catch {
      return value;
    }
  }
  if (value.startsWith('/') || value.startsWith('\\')) return value;
  return readByBuild(f, value);
}

/** Every place a page makes the build read a repository file that the door refuses as outside. */
function outsideReads(f: RunbookFacts, root: string): Finding[] {
  const refs: { path: string; line: number; column: number; what: string }[] = [];
  for (const link of f.links) {
    const path = link.image && !link.html ? readByBuild(f, link.url) : undefined;
    if (path !== undefined)
      refs.push({ path, line: link.line, column: link.column, what: `Image ${JSON.stringify(link.url)}` });
  }
  for (const at of HERO_IMAGES) {
    const url = valueAt(f.frontmatter.data, at);
    const path = typeof url === 'string' ? heroImportPath(f, url) : undefined;
    if (path !== undefined)
      refs.push({ path, ...positionOf(f.frontmatter, at), what: `Hero image ${JSON.stringify(url)}` });
  }
  const out: Finding[] = [];
  for (const imp of f.esmImports) {
    if (imp.path.startsWith('.'))
      refs.push({
        path: relative(root, resolve(root, dirname(f.file), cutAt(imp.path, '?#')))
          .split('\\')
          .join('/'),
        line: imp.line,
        column: imp.column,
        what: `Import ${imp.path}`,
      });
    else if (leavesPackage(imp.path))
      out.push({
        file: f.file,
        line: imp.line,
        column: imp.column,
        message: `Import ${imp.path} leads outside the repository (a \`..\` in a package import climbs out of the package, and Vite reads whatever file it names): not read`,
      });
  }
  return [
    ...out,
    ...refs.flatMap((r) => {
      const where = repoPath(root, r.path);
      return where.status === 'outside'
        ? [
            {
              file: f.file,
              line: r.line,
              column: r.column,
              message: `${r.what} leads outside the repository (${where.reason}): not read`,
            },
          ]
        : [];
    }),
  ];
}

/**
 * Whether a bare import (`pkg/sub/path`) names a file outside its package: a `.` or `..`
 * segment, as written or %-encoded. Vite joins the subpath of a package without `exports`
 * onto the package's folder, so `arg/../../../../home/me/.docker/config.json` is that file.
 */
function leavesPackage(spec: string): boolean {
  const path = spec.replace(/[?#].*$/, '');
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A bad escape is judged as written.
  }
  return [path, decoded].some((p) => p.split(/[\\/]/).some((segment) => segment === '.' || segment === '..'));
}

/** Rules about the file itself: the ones that must pass before Markdown can be read. */
/** The examples' text with a letter outside ASCII (ü: one byte in Latin-1, two in UTF-8). */
const ZURICH = '## Escalate\n\nCall the Zürich on-call desk.\n';
/** The component the MDX examples import, in the repository's reviewed code. */
const COMPONENT = { 'src/components/Steps.astro': '<ol><slot /></ol>\n' };

export const fileRules = [
  problemRule('unreadable', {
    id: 'file-unreadable',
    severity: 'error',
    phase: 'facts',
    baseline: false,
    summary: 'Every page can be read: a symlink to nothing or a file without read permission stops the build.',
    hint: 'Fix the link or the permissions, or delete the file.',
    bad: { files: { [EXAMPLE_PAGE]: { symlink: 'api-outage.md', note: 'a link to a file that is not there' } } },
    good: { page: runbook() },
    message: (p) => `The file cannot be read (${p.detail})`,
  }),
  {
    id: 'path-outside-repo',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      "Everything the site reads stays inside this repository: a page, an image, an import, an alert, SLO or settings file that is a symbolic link out of it (to ~/.aws/credentials, a CI runner's .git/config) is reported and never read.",
    hint: 'Put the file itself in the repository instead of a link to it, or delete the link.',
    bad: { files: { [EXAMPLE_PAGE]: { symlink: '/etc/hostname', note: 'a link out of the repository' } } },
    good: { page: runbook() },
    check: (all, { root }) => [
      ...all.flatMap((f) => [
        ...f.problems
          .filter((p) => p.kind === 'outside-repo')
          .map((p) => ({
            file: f.file,
            line: p.line,
            column: p.column,
            message: `The ${/\.mdx?$/.test(f.file) ? 'page' : 'folder'} leads outside the repository (${p.detail}): not read`,
          })),
        ...outsideReads(f, root),
      ]),
      // Starlight's i18n loader reads its UI string files itself, through any link.
      ...uiStringFiles(root).flatMap((file) => {
        const where = repoPath(root, file);
        return where.status === 'outside'
          ? [
              {
                file,
                line: 1,
                column: 1,
                message: `The UI string file leads outside the repository (${where.reason}): not read`,
              },
            ]
          : [];
      }),
    ],
  },
  problemRule('empty', {
    id: 'file-empty',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: 'A runbook file must have content; an empty page helps nobody during an incident.',
    hint: 'Write the runbook, or delete the file.',
    bad: { page: '' },
    good: { page: runbook() },
    message: () => 'The file is empty',
  }),
  problemRule('binary', {
    id: 'file-binary',
    severity: 'error',
    phase: 'facts',
    baseline: false,
    summary: 'Files with a Markdown extension must be text; a binary file would render as garbage.',
    hint: 'Rename the file to its real extension and keep it outside src/content/runbooks.',
    bad: {
      files: {
        [EXAMPLE_PAGE]: {
          text: '\x89PNG\r\n\x1a\n\0\0\0\rIHDR',
          latin1: true,
          note: 'the bytes of a PNG image, saved as .md',
        },
      },
    },
    good: {
      page: runbook([], '## Check\n\n![Error rate during the outage](../../../assets/error-rate.svg)\n'),
      files: {
        'src/assets/error-rate.svg':
          '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="5"/></svg>\n',
      },
    },
    message: () => 'The file is binary, not Markdown text',
  }),
  problemRule('encoding', {
    id: 'file-encoding',
    severity: 'error',
    phase: 'facts',
    baseline: false,
    summary: 'Runbooks are UTF-8; other encodings turn characters into replacement marks.',
    hint: 'Re-save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`).',
    bad: { files: { [EXAMPLE_PAGE]: { text: runbook([], ZURICH), latin1: true } } },
    good: { page: runbook([], ZURICH) },
    message: () => 'The file is not valid UTF-8 (first bad byte here)',
  }),
  problemRule('too-large', {
    id: 'file-too-large',
    severity: 'warning',
    phase: 'facts',
    baseline: true,
    summary: 'A very large runbook is slow to load and hard to use under stress.',
    hint: 'Split it into several runbooks linked from one overview, or raise `maxFileBytes` in runbooks.config.yaml.',
    bad: {
      page: runbook([], '## Logs\n\n```text\n' + '12:04:31 kestrel-api 503 upstream timeout\n'.repeat(12) + '```\n'),
      files: { 'runbooks.config.yaml': 'maxFileBytes: 500\n' },
    },
    good: {
      page: runbook([], '## Logs\n\nOpen the [5xx log query](https://logs.kestrel.example/q/api-5xx).\n'),
      files: { 'runbooks.config.yaml': 'maxFileBytes: 500\n' },
    },
    message: (p) => `The file is ${Math.round(Number(p.detail) / 1024)} KB`,
  }),
  problemRule('too-complex', {
    id: 'file-too-complex',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: `A page stays within the nesting the parsers survive: at most ${LIMITS.containers} blockquotes and list levels inside each other, ${LIMITS.nesting} open HTML/JSX elements and MDX brackets, ${LIMITS.frontmatter} frontmatter levels, and ${LIMITS.paragraph} characters in one paragraph, table or quote. Deeper or longer pages crash or stall the check and the build, so they are not parsed at all.`,
    hint: 'Flatten the nesting named here, put a blank line into a long paragraph (pasted output goes in a fenced code block), or split the page into several runbooks linked from one overview.',
    bad: { page: runbook([], '## Notes\n\n' + '> '.repeat(40) + 'Quoted forty levels deep.\n') },
    good: { page: runbook([], '## Notes\n\n> > Quoted two levels deep.\n') },
    message: (p) => {
      const detail = p.detail ?? 'nesting:';
      const kind = detail.slice(0, detail.indexOf(':')) as LimitKind;
      const what = detail.slice(detail.indexOf(':') + 1);
      return `${LIMIT_TEXT[kind] ?? 'The page nests too deeply'} (${LIMITS[kind] ?? '?'} ${kind === 'paragraph' ? 'characters' : 'levels'}) here, at \`${what}\`; the page was not parsed, so its other rules did not run`;
    },
  }),
  problemRule('frontmatter-missing', {
    id: 'frontmatter-missing',
    severity: 'error',
    phase: 'facts',
    baseline: false,
    summary: 'Every page starts with a `---` frontmatter block; it holds the title and the runbook metadata.',
    hint: 'Start the file with `---`, the fields (at least `title:`), and a closing `---`.',
    bad: { page: '# API down\n\n' + BODY },
    good: { page: runbook() },
    message: () => 'The file has no frontmatter',
  }),
  problemRule('frontmatter-unclosed', {
    id: 'frontmatter-unclosed',
    severity: 'error',
    phase: 'facts',
    baseline: false,
    summary: 'The frontmatter block must end with a `---` line, or the whole page is read as metadata.',
    hint: 'Add a line with just `---` after the last frontmatter field.',
    bad: { page: ['---', TITLE, OWNER, '', BODY].join('\n') },
    good: { page: runbook() },
    message: () => 'The frontmatter block is never closed with `---`',
  }),
  problemRule('mdx-syntax', {
    id: 'mdx-syntax',
    severity: 'error',
    phase: 'facts',
    baseline: false,
    summary: 'An .mdx page is valid MDX: an unclosed tag or brace stops the whole build.',
    hint: 'Close the tag or brace, or write `<` and `{` as `&lt;` and `\\{` in text.',
    bad: { page: runbook([], 'Restart the <service> first.\n'), pageFile: 'src/content/runbooks/api/api-down.mdx' },
    good: { page: runbook([], 'Restart the `<service>` first.\n'), pageFile: 'src/content/runbooks/api/api-down.mdx' },
    message: (p) => `Not valid MDX: ${p.detail}`,
  }),
  {
    id: 'mdx-import-missing',
    severity: 'error',
    phase: 'facts',
    baseline: false,
    summary:
      'Every `import` in an .mdx page resolves: a relative path to a file that exists, a package to one that is installed.',
    hint: 'Fix the path, or add the component or package.',
    bad: {
      page: runbook([], "import Steps from '../../../components/Step.astro';\n\n<Steps />\n"),
      pageFile: 'src/content/runbooks/api/api-down.mdx',
      files: COMPONENT,
    },
    good: {
      page: runbook([], "import Steps from '../../../components/Steps.astro';\n\n<Steps />\n"),
      pageFile: 'src/content/runbooks/api/api-down.mdx',
      files: COMPONENT,
    },
    check: (all, { root }) =>
      all.flatMap((f) =>
        f.esmImports
          .filter((imp) =>
            imp.path.startsWith('.') ? !relativeResolves(root, f.file, imp.path) : !packageInstalled(root, imp.path),
          )
          .map((imp) => ({
            file: f.file,
            line: imp.line,
            column: imp.column,
            message: imp.path.startsWith('.')
              ? `Import ${imp.path} does not exist`
              : `Import ${imp.path}: no installed package provides it`,
            hint: imp.path.startsWith('.') ? undefined : 'Install the package (npm install), or fix its name.',
          })),
      ),
  },
  {
    id: 'mdx-undefined',
    severity: 'error',
    phase: 'facts',
    baseline: false,
    summary:
      'Every component and variable an .mdx page uses is imported or defined on the page; otherwise rendering the page throws and the build stops.',
    hint: "Import it at the top of the page (`import Name from '…'`), define it with `export const`, or write the text without braces.",
    bad: {
      page: runbook([], 'The pool holds {limits.connections} connections.\n'),
      pageFile: 'src/content/runbooks/api/api-down.mdx',
    },
    good: {
      page: runbook(
        [],
        'export const limits = { connections: 20 };\n\nThe pool holds {limits.connections} connections.\n',
      ),
      pageFile: 'src/content/runbooks/api/api-down.mdx',
    },
    check: (all) =>
      all.flatMap((f) =>
        f.mdxUndefined.map((u) => ({
          file: f.file,
          line: u.line,
          column: u.column,
          message: u.component
            ? `Component <${u.name}> is used but never imported`
            : `\`${u.name}\` is used in an expression but never imported or defined`,
        })),
      ),
  },
  {
    id: 'config-invalid',
    severity: 'error',
    phase: 'load',
    baseline: false,
    summary:
      'runbooks.config.yaml is valid YAML with known settings of the right types; a broken config would quietly change what is checked.',
    hint: 'Fix the setting named; every key is optional (see the README).',
    bad: { files: { 'runbooks.config.yaml': 'review:\n  overdue: sometimes\n' } },
    good: { files: { 'runbooks.config.yaml': 'review:\n  overdue: error\n' } },
    // Reported by the project loader (project/load.ts), before any page is read.
  },
  {
    id: 'page-render-failed',
    severity: 'error',
    phase: 'build',
    baseline: false,
    summary:
      'Every page renders: when Astro cannot render a page it builds it empty, which the build refuses to publish.',
    hint: 'Fix the Markdown the error printed above the report points at, then build again.',
    bad: { page: runbook(), built: '' },
    good: { page: runbook(), built: '<h2 id="check">Check</h2><p>Compare the error rate with the last deploy.</p>' },
    // Reported after rendering (check/post-build.ts); `runbook check` does not render.
  },
  {
    id: 'frontmatter-yaml',
    severity: 'error',
    phase: 'facts',
    baseline: false,
    summary:
      'Frontmatter must be valid YAML that Astro reads the same way (fences on lines of their own, aliases within limits), or nothing else on the page can be checked.',
    hint: 'Fix the YAML between the `---` lines; quote values that start with @, : or #.',
    bad: { page: page([TITLE, 'owner: @platform-team', ...REVIEW]) },
    good: { page: runbook() },
    check: (all) =>
      all.flatMap((f) =>
        f.frontmatter.errors.map((e) => ({
          file: f.file,
          line: e.line,
          column: e.column,
          message: `The frontmatter cannot be read: ${e.message}`,
        })),
      ),
  },
] as const satisfies readonly Rule<{ root: string }>[];
