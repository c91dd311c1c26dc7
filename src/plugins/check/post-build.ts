/**
 * The checks of the build's two ends, beside the rules they report: the gate before
 * Astro renders anything (the same rules as `runbook check`, then the baseline), and the
 * checks over the built site (dist/) that only a build can run. The integration calls
 * them; it decides nothing itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../runbook/diagnostic.ts';
import type { RunbookFacts } from '../runbook/facts.ts';
import type { Finding } from '../runbook/rule.ts';
import type { Project } from '../project/load.ts';
import { scriptInBody } from '../html/rendered.ts';
import { applyBaseline, baselineSummary, readBaseline } from './baseline.ts';
import { checkFacts, collectProject, projectCache } from './index.ts';
import { openCleanSet, type CleanSet } from './cache.ts';
import { diagnosticsOf, type RuleId, type RuleIdIn } from './rules.ts';

/** What the gate found, and what the post-build checks need from it. */
export interface Gate {
  /** Every page's facts, as the gate read them. */
  pages: RunbookFacts[];
  /** The findings to report (after the baseline). */
  report: Diagnostic[];
  /** The baseline's one-line summary, when there is a baseline. */
  baseline?: string;
  /** Pages whose source the check already refused (and a baseline accepted): their built body carries it as expected. */
  refused: Set<string>;
  /** Pages whose facts came from the facts cache. */
  cached?: number;
  /** Where the gate ran: on a worker thread (beside content sync) or, when none could start, here. */
  thread?: 'worker' | 'main';
}

/** The digests of the built pages the post-build scan found clean (in Astro's cache folder). */
export const BUILT_CLEAN_FILE = 'runbooks-built-clean.bin';

/** Rules whose finding in a page's source means its built body is expected to carry what they refused. */
const REFUSED_IN_SOURCE: readonly string[] = ['html-unsafe', 'link-scheme'] satisfies RuleId[];

/**
 * The gate: the same rules as `runbook check`. It reads the sources itself, so Astro's
 * content cache (which skips unchanged files) can never hide a finding; with `cacheDir`
 * (Astro's cache folder) it shares the facts cache with `runbook check` and the dev server.
 */
export function checkBeforeBuild(project: Project, cacheDir?: string): Gate {
  const cache = cacheDir === undefined ? undefined : projectCache(project, cacheDir);
  const pages = collectProject(project, undefined, cache);
  const cached = cache?.hits;
  const all = checkFacts(project, pages);
  const refused = new Set(all.filter((d) => REFUSED_IN_SOURCE.includes(d.ruleId)).map((d) => d.file));
  // The baseline (runbook check --update-baseline) accepts the findings a repository adopted with.
  const baseline = readBaseline(project.root);
  if (baseline && !Array.isArray(baseline)) return { pages, report: [baseline, ...all], refused, cached };
  if (!baseline) return { pages, report: all, refused, cached };
  const result = applyBaseline(project.root, all, baseline);
  return { pages, report: result.fresh, baseline: baselineSummary(result), refused, cached };
}

/**
 * The gate on the second core: started when the config is done, it runs beside Astro's
 * content sync, and the build awaits it before rendering. The same result as
 * {@link checkBeforeBuild}; run here instead when no worker can start or it fails (the
 * error, a broken config's, is then the one the build reports).
 */
export function startGate(project: Project, cacheDir?: string): Promise<Gate> {
  const here = (): Gate => ({ ...checkBeforeBuild(project, cacheDir), thread: 'main' });
  let worker: Worker;
  try {
    worker = new Worker(new URL('./gate-worker.ts', import.meta.url), { workerData: { root: project.root, cacheDir } });
  } catch {
    return Promise.resolve().then(here);
  }
  return new Promise<Gate>((resolve) => {
    let done = false;
    worker.once('message', (gate: Gate) => {
      done = true;
      resolve({ ...gate, thread: 'worker' });
      void worker.terminate();
    });
    worker.once('error', () => {
      if (!done) resolve(Promise.resolve().then(here));
      done = true;
    });
    worker.once('exit', () => {
      if (!done) resolve(Promise.resolve().then(here));
      done = true;
    });
  });
}

/** A finding about a built page, at the first line after its frontmatter. */
const builtPage = (f: RunbookFacts, message: string, hint?: string): Finding => ({
  file: f.file,
  line: f.frontmatter.lineCount + 1,
  column: 1,
  message,
  hint,
});

/** The built HTML of a page, if it was built. */
function builtHtml(dist: string, f: RunbookFacts): string | undefined {
  const html = join(dist, f.url, 'index.html');
  return existsSync(html) ? readFileSync(html, 'utf8') : undefined;
}

/**
 * The post-build checks, one per rule they report (each a `build` row of the table, or a
 * `facts` row checked again here): what only the rendered site shows.
 */
const POST_BUILD: {
  [Id in RuleIdIn<'build'>]: (dist: string, project: Project, gate: Gate, clean?: CleanSet) => Finding[];
} = {
  // Astro's content loader logs a page that fails to render and builds it empty; an
  // on-call engineer must never meet an empty runbook, so that fails the build.
  'page-render-failed': (dist, _project, gate) =>
    gate.pages
      .filter(
        (f) =>
          f.problems.length === 0 &&
          f.hasBody &&
          builtHtml(dist, f)?.includes('<div class="sl-markdown-content"></div>'),
      )
      .map((f) =>
        builtPage(
          f,
          'The page rendered empty: Astro could not render its Markdown (its error is above)',
          'Fix the Markdown the error above points at, then build again.',
        ),
      ),
  // The last line of defence for html-unsafe: script in a built page body fails the build,
  // whatever parser differential let it past the check.
  // A page whose built bytes this code found clean before (`clean`: a warm build's
  // unchanged pages) is not parsed again.
  'html-unsafe': (dist, project, gate, clean) =>
    project.config.allowUnsafeHtml
      ? []
      : gate.pages
          .filter((f) => !gate.refused.has(f.file))
          .flatMap((f) => {
            const html = builtHtml(dist, f);
            if (html === undefined || clean?.has(html)) return [];
            const why = scriptInBody(html);
            if (!why) clean?.add(html);
            return why
              ? [
                  builtPage(
                    f,
                    `The built page carries markup the HTML policy refuses (${why}), though the check found none in its source`,
                    'Remove the HTML that produces it; the check could not see it the way the browser will.',
                  ),
                ]
              : [];
          }),
};

/** Runs the post-build checks over the built site in `dist` (an absolute path); with `cacheDir`, pages found clean in an earlier build of the same bytes are not scanned again. */
export function checkAfterBuild(dist: string, project: Project, gate: Gate, cacheDir?: string): Diagnostic[] {
  // The built pages found clean, kept in Astro's cache folder beside the facts.
  const clean = cacheDir === undefined ? undefined : openCleanSet(cacheDir, BUILT_CLEAN_FILE);
  const found = (Object.keys(POST_BUILD) as RuleIdIn<'build'>[]).flatMap((id) =>
    diagnosticsOf(id, POST_BUILD[id](dist, project, gate, clean)),
  );
  clean?.save();
  return found;
}
