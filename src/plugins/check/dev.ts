/**
 * Findings in `astro dev`: the same rules as `runbook check`, once at start-up and then on
 * every save, in the terminal and in Astro's error overlay. A saved page is read again
 * (every other page's facts are kept), and the rules run over it and the pages linking to
 * it ({@link checkScope}); a settings, ladder, SLO, lock, CODEOWNERS, baseline, alert or
 * script file rechecks every page. A page asked for while it has errors is answered with
 * the overlay, never with what Astro last rendered of it.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Diagnostic } from '../runbook/diagnostic.ts';
import type { RunbookFacts } from '../runbook/facts.ts';
import { CONFIG_FILE } from '../runbook/config.ts';
import { LADDER_FILE, SLO_DIR } from '../runbook/paths.ts';
import { shortlinkEntries } from '../shortlinks/entries.ts';
import { loadProject, type Project } from '../project/load.ts';
import { applyBaseline, BASELINE_FILE, readBaseline } from './baseline.ts';
import { checkFacts, pageCollector, pageFiles, projectCache, withReferrers } from './index.ts';
import { checkScope, isPage } from './incremental.ts';
import { pretty } from './reporters.ts';
import { byPlace } from './rules.ts';
import { affectsEveryPage } from './scope.ts';

/** What one check in the dev server found, and what the terminal and the browser are told. */
export interface DevUpdate {
  /** The findings of the files reported (the saved file and the pages linking to it, or every file whose findings changed). */
  diagnostics: Diagnostic[];
  /** Files whose findings were worked out. */
  checked: number;
  /** Files whose findings went away. */
  clean: string[];
  /** The error the overlay shows: the saved file's first, else the first reported. */
  overlay?: Diagnostic;
  /** Whether errors went away and none is left in the reported files: the browser reloads. */
  reload: boolean;
  /** Milliseconds the check took. */
  ms: number;
}

/** Where links find a page: its URL and its shortlinks (undefined for no page). */
const addressOf = (f: RunbookFacts | undefined) =>
  f &&
  JSON.stringify([f.url, f.frontmatter.data.draft === true, shortlinkEntries(f.frontmatter.data).map((e) => e.slug)]);

/** The pages that claim a URL or a shortlink one of `pages` claims (or claimed before a save). */
function sharing(all: readonly RunbookFacts[], pages: readonly (RunbookFacts | undefined)[]): string[] {
  const slugs = (f: RunbookFacts) => shortlinkEntries(f.frontmatter.data).map((e) => String(e.slug));
  const urls = new Set(pages.flatMap((f) => (f ? [f.url] : [])));
  const claimed = new Set(pages.flatMap((f) => (f ? slugs(f) : [])));
  return all.filter((f) => urls.has(f.url) || slugs(f).some((s) => claimed.has(s))).map((f) => f.file);
}

/** Whether two lists of findings say the same. */
const same = (a: readonly Diagnostic[], b: readonly Diagnostic[]) =>
  a.length === b.length && a.every((d, i) => JSON.stringify(d) === JSON.stringify(b[i]));

/**
 * The dev server's checker for the project at `root`: the facts of every page kept per
 * file, the findings last reported per file. With `cacheDir` (Astro's cache folder) every
 * page is read through the facts cache `runbook check` and the build share.
 */
export function devSession(initial: Project, cacheDir?: string) {
  const root = initial.root;
  let project = initial;
  let collect = pageCollector(project);
  let baseline = readBaseline(root);
  let facts = new Map<string, RunbookFacts>();
  let list: RunbookFacts[] | undefined;
  /** Findings per file, as last reported (files without findings absent). */
  const current = new Map<string, Diagnostic[]>();
  const all = () => (list ??= [...facts.values()]);
  // The baseline accepts in dev what it accepts in the build.
  const fresh = (ds: Diagnostic[]) => (Array.isArray(baseline) ? applyBaseline(root, ds, baseline).fresh : ds);
  const readAll = () => {
    const cache = cacheDir === undefined ? undefined : projectCache(project, cacheDir);
    const read = cache ? pageCollector(project, undefined, cache) : collect;
    facts = new Map(pageFiles(root).map((file) => [file, read(file)]));
    cache?.save();
    list = undefined;
  };
  const whole = () => {
    // A broken ladder's findings are what checkFacts reports then; a broken config's come first.
    const found = [...project.configFindings, ...fresh(checkFacts(project, all()))];
    if (baseline && !Array.isArray(baseline)) found.push(baseline);
    return found.sort(byPlace);
  };
  const byFile = (ds: readonly Diagnostic[]) => {
    const out = new Map<string, Diagnostic[]>();
    for (const d of ds) out.set(d.file, [...(out.get(d.file) ?? []), d]);
    return out;
  };

  /** Records the findings of the files in `scope` and works out what to tell. */
  function settle(
    scope: ReadonlySet<string>,
    found: Diagnostic[],
    saved: ReadonlySet<string>,
    start: number,
  ): DevUpdate {
    const now = byFile(found);
    const reported: Diagnostic[] = [];
    const clean: string[] = [];
    let cleared = false;
    for (const file of scope) {
      const before = current.get(file) ?? [];
      const after = now.get(file) ?? [];
      // A saved file's errors are said again on each save; anything else only when it changed.
      const again = saved.has(file) && after.some((d) => d.severity === 'error');
      if (after.length > 0 && (again || !same(before, after))) reported.push(...after);
      if (after.length === 0 && before.length > 0) clean.push(file);
      if (before.some((d) => d.severity === 'error') && !after.some((d) => d.severity === 'error')) cleared = true;
      if (after.length > 0) current.set(file, after);
      else current.delete(file);
    }
    const errors = reported.filter((d) => d.severity === 'error');
    return {
      diagnostics: reported.sort(byPlace),
      checked: scope.size,
      clean: clean.sort(),
      overlay: errors.find((d) => saved.has(d.file)) ?? errors[0],
      reload: cleared && errors.length === 0,
      ms: performance.now() - start,
    };
  }

  return {
    /** Reads every page and checks the whole project: the start-up report. */
    start(): DevUpdate {
      const start = performance.now();
      readAll();
      const found = whole();
      // Warm the path a save takes (referrers, the scoped rules), so the first save is as quick as the next.
      const first = facts.keys().next().value;
      if (first !== undefined) checkScope(project, all(), withReferrers(project, all(), new Set([first])));
      const files = new Set([...facts.keys(), ...found.map((d) => d.file)]);
      return settle(files, found, files, start);
    },

    /**
     * Checks after files changed (absolute paths or paths from the root): undefined when
     * none of them is one the check reads.
     */
    changed(paths: readonly string[]): DevUpdate | undefined {
      const start = performance.now();
      const files = [...new Set(paths.map((p) => (isAbsolute(p) ? relative(root, p) : p).split(sep).join('/')))].filter(
        (f) => !f.startsWith('..') && !/(^|\/)(node_modules|\.astro|dist|\.git)\//.test(f),
      );
      const saved = new Set(files);
      if (files.some((f) => f === CONFIG_FILE || f === LADDER_FILE || f.startsWith(`${SLO_DIR}/`))) {
        // The settings, the ladder and the SLO ids are read once per run: read them again.
        project = loadProject(root);
        collect = pageCollector(project);
        // The settings and the ladder decide how every page is read (its size limit, the badges' labels).
        if (files.some((f) => f === CONFIG_FILE || f === LADDER_FILE)) readAll();
      }
      if (files.includes(BASELINE_FILE)) baseline = readBaseline(root);
      const scripts = project.config.scriptRoots.map((r) => `${r.replace(/\/+$/, '')}/`);
      if (
        files.some((f) => f === CONFIG_FILE || f === LADDER_FILE || f === BASELINE_FILE) ||
        affectsEveryPage(files, project.config) !== undefined ||
        files.some((f) => scripts.some((r) => f.startsWith(r)))
      ) {
        const found = whole();
        return settle(new Set([...current.keys(), ...found.map((d) => d.file)]), found, saved, start);
      }
      const pages = files.filter(isPage);
      if (pages.length === 0) return undefined;
      // The pages that linked to a saved page before the save, and those that link to it now.
      const scope = withReferrers(project, all(), saved);
      const before = pages.map((file) => facts.get(file));
      if (pages.every((file) => facts.has(file) && existsSync(join(root, file)))) {
        for (const file of pages) facts.set(file, collect(file));
      } else {
        // A page added or removed: keep the whole check's order (which of two pages claiming one slug is reported).
        const listed = pageFiles(root);
        const kept = new Map(facts);
        facts = new Map(
          listed.map((file) => [file, pages.includes(file) || !kept.has(file) ? collect(file) : kept.get(file)!]),
        );
      }
      list = undefined;
      // Links find a page by its URL and shortlinks: while those stay, so do the pages linking to it.
      const moved = pages.some((file, i) => addressOf(before[i]) !== addressOf(facts.get(file)));
      if (moved) {
        for (const file of withReferrers(project, all(), saved)) scope.add(file);
        // A broken link's did-you-mean is the nearest page or shortlink there is: it may be this one now.
        for (const [file, ds] of current) if (ds.some((d) => d.ruleId === 'link-broken')) scope.add(file);
      }
      // A URL or shortlink claimed twice is reported on the later page: maybe not the saved one.
      for (const file of sharing(all(), [...before, ...pages.map((f) => facts.get(f))])) scope.add(file);
      return settle(scope, fresh(checkScope(project, all(), scope)), saved, start);
    },

    /** Every finding as last reported, in report order. */
    findings(): Diagnostic[] {
      return [...current.values()].flat().sort(byPlace);
    },

    /** The page at a site path (`/ops/db-down/`), when it has error findings: its errors. */
    errorsAt(path: string): Diagnostic[] | undefined {
      const url = path.endsWith('/') ? path : `${path}/`;
      for (const f of facts.values()) {
        if (f.url !== url) continue;
        const errors = (current.get(f.file) ?? []).filter((d) => d.severity === 'error');
        return errors.length > 0 ? errors : undefined;
      }
      return undefined;
    },
  };
}

/** The dev server's check. */
export type DevSession = ReturnType<typeof devSession>;

/** The terminal's account of an update: the findings as `runbook check` prints them, then each file now clean. */
export function devReport(update: DevUpdate, color = false): { text: string; level: 'info' | 'warn' | 'error' } {
  const lines: string[] = [];
  if (update.diagnostics.length > 0)
    lines.push(
      `\n${pretty({ diagnostics: update.diagnostics, files: update.checked }, color)} (${Math.round(update.ms)} ms)`,
    );
  for (const file of update.clean) lines.push(`✓ ${file}: clean`);
  const level = update.diagnostics.some((d) => d.severity === 'error')
    ? 'error'
    : update.diagnostics.length > 0
      ? 'warn'
      : 'info';
  return { text: lines.join('\n'), level };
}

/** The shape of the error Astro's overlay shows (Vite's `{ type: 'error', err }` payload). */
export interface OverlayError {
  name: string;
  title: string;
  message: string;
  hint: string;
  loc: { file: string; line: number; column: number };
  stack: string;
  highlightedCode?: string;
}

/** The overlay's error for a finding: where (file:line:col), what (rule id, message), how to fix it (hint). */
export function overlayError(root: string, d: Diagnostic, more: number): OverlayError {
  const others = more > 0 ? ` (and ${more} more finding${more === 1 ? '' : 's'}: see the terminal)` : '';
  return {
    name: 'RunbookFinding',
    title: `${d.ruleId}: ${d.file}:${d.line}:${d.column}`,
    message: `${d.file}:${d.line}:${d.column} ${d.message} [${d.ruleId}]${others}`,
    hint: d.hint,
    loc: { file: join(root, d.file), line: d.line, column: d.column },
    stack: '',
  };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text as HTML: runbook text is shown, never interpreted. */
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

/**
 * What a page with errors is answered with: a 500 page that opens Astro's error overlay
 * itself (Vite's client exports it, Astro puts its own in its place), so a reload shows
 * the errors again, and the HMR client reloads the page once they are fixed.
 */
export function errorPage(root: string, errors: readonly Diagnostic[]): string {
  const first = errors[0];
  const err = overlayError(root, first, errors.length - 1);
  let code = '';
  try {
    code = readFileSync(err.loc.file, 'utf8');
  } catch {
    // The file went away since: the overlay shows the message without the code.
  }
  const payload: OverlayError = {
    ...err,
    // The overlay puts message and hint in as HTML.
    message: escapeHtml(err.message),
    hint: escapeHtml(err.hint),
    highlightedCode: code
      ? `<pre class="shiki"><code>${code
          .split('\n')
          .map((l, i) => `<span class="line${i + 1 === first.line ? ' error-line' : ''}">${escapeHtml(l)}</span>`)
          .join('\n')}</code></pre>`
      : undefined,
  };
  // In a script element, `<` is written as \u003c so no text can end it.
  const json = JSON.stringify(payload).replace(/</g, '\\u003c');
  const items = errors
    .map(
      (d) =>
        `<li><code>${escapeHtml(`${d.file}:${d.line}:${d.column}`)}</code> ${escapeHtml(d.message)} <code>${escapeHtml(d.ruleId)}</code><br>${escapeHtml(d.hint)}</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(first.file)}: runbook errors</title>
<script type="module" src="/@vite/client"></script></head>
<body><h1>${escapeHtml(first.file)} has runbook errors</h1><ul>${items}</ul>
<script type="module">
import { ErrorOverlay, createHotContext } from '/@vite/client';
document.body.appendChild(new ErrorOverlay(${json}));
// A fix saved before this page's HMR socket was open sent its reload to no one: ask again.
const fixed = () => fetch(location.href, { method: 'HEAD', cache: 'no-store' }).then((r) => { if (r.status !== 500) location.reload(); });
createHotContext('/@runbooks/findings').on('vite:ws:connect', fixed);
fixed();
</script>
</body></html>`;
}

/** The parts of Vite's dev server the check uses. */
export interface DevServer {
  watcher: { on(event: 'add' | 'change' | 'unlink', listener: (path: string) => void): unknown };
  middlewares: { use(handler: (req: IncomingMessage, res: ServerResponse, next: () => void) => void): unknown };
  environments: { client: { hot: { send(payload: unknown): void } } };
}

/** Where the dev check writes: Astro's integration logger. */
export interface DevLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Runs the check in the dev server: the start-up report, a check after every save (saves
 * in one tick are checked together), the overlay, and the pages with errors answered
 * with it. Nothing it finds stops the server.
 */
export function checkInDevServer(
  server: DevServer,
  logger: DevLogger,
  project: Project,
  cacheDir?: string,
): DevSession {
  const session = devSession(project, cacheDir);
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const hot = server.environments.client.hot;
  const tell = (update: DevUpdate | undefined, startUp = false) => {
    if (!update) return;
    const { text, level } = devReport(update, color);
    if (startUp && update.diagnostics.length === 0) logger.info(`✔ ${update.checked} files checked: no findings`);
    else if (text) logger[level](text);
    if (update.overlay) {
      const errors = update.diagnostics.filter((d) => d.severity === 'error').length;
      hot.send({ type: 'error', err: overlayError(project.root, update.overlay, errors - 1) });
    } else if (update.reload) hot.send({ type: 'full-reload', path: '*' });
  };
  tell(session.start(), true);
  let pending = new Set<string>();
  const onFile = (path: string) => {
    if (pending.size === 0)
      setImmediate(() => {
        const paths = [...pending];
        pending = new Set();
        try {
          tell(session.changed(paths));
        } catch (error) {
          // A check that throws must not take the dev server down: say so and go on.
          logger.error(`The runbook check failed on ${paths.join(', ')}: ${(error as Error).stack ?? String(error)}`);
        }
      });
    pending.add(path);
  };
  for (const event of ['add', 'change', 'unlink'] as const) server.watcher.on(event, onFile);
  server.middlewares.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let path: string;
    try {
      path = decodeURI(new URL(req.url ?? '/', 'http://dev').pathname);
    } catch {
      return next();
    }
    const errors = session.errorsAt(path);
    if (!errors) return next();
    const html = errorPage(project.root, errors);
    res.writeHead(500, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(html);
  });
  return session;
}
