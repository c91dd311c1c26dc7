import { fileURLToPath } from 'node:url';
import type { AstroIntegration, AstroIntegrationLogger } from 'astro';
import { AstroError } from 'astro/errors';
import type { Diagnostic } from '../runbook/diagnostic.ts';
import { pretty } from '../check/reporters.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFacts, collectProject } from '../check/index.ts';
import { applyBaseline, baselineSummary, readBaseline } from '../check/baseline.ts';
import type { RunbookFacts } from '../runbook/facts.ts';
import type { SeverityLadder } from '../severity/ladder.ts';
import type { ProjectConfig } from '../runbook/config.ts';
import { injectSloRoutes } from '../slos/routes.ts';
import { scriptInBody } from '../html/rendered.ts';
import { injectRulePages } from '../check/routes.ts';
import { injectShortlinkRoutes } from '../shortlinks/routes.ts';
import { injectCatalogRoutes } from '../catalog/routes.ts';
import { writeFlatShortlinkPages } from '../shortlinks/publish.ts';
import { offlineAfterBuild } from '../offline/build.ts';
import { injectQuickjumpRoutes } from '../quickjump/routes.ts';
import { secureBuiltSite } from './headers.ts';

const LADDER_MODULE = 'virtual:runbooks/ladder';
const PROJECT_MODULE = 'virtual:runbooks/project';

/**
 * Wires the runbook pieces into Astro: the ladder as a virtual module for the
 * components, and the validation gate before the build renders anything.
 */
export function runbooksIntegration(options: {
  ladder: SeverityLadder;
  /** runbooks.config.yaml as runbooksConfig read it (defaults when broken). */
  settings: ProjectConfig;
  /** Problems with the ladder or the config, found before Astro started. */
  setupErrors?: Diagnostic[];
  severityPage: string;
}): AstroIntegration {
  const { ladder, settings, setupErrors = [], severityPage } = options;
  let command = 'build';
  let pages: RunbookFacts[] = [];
  // Pages whose source the check already refused (and a baseline accepted): their built body carries it as expected.
  let refusedSources = new Set<string>();
  return {
    name: 'runbooks',
    hooks: {
      'astro:config:setup': ({ updateConfig, logger, command: cmd, injectRoute, config }) => {
        command = cmd;
        // Each concept adds its own pages and machine outputs.
        injectRulePages(injectRoute);
        injectShortlinkRoutes(injectRoute);
        injectCatalogRoutes(injectRoute);
        injectQuickjumpRoutes(injectRoute);
        injectSloRoutes(injectRoute);
        if (setupErrors.length > 0) fail(logger, setupErrors, 0);
        // Components and routes read the project's ladder and settings through virtual
        // modules, not paths baked into our package.
        const modules: Record<string, string> = {
          [LADDER_MODULE]: `export default ${JSON.stringify({ levels: ladder.levels, extraColumns: ladder.extraColumns, page: severityPage })};`,
          [PROJECT_MODULE]: `export default ${JSON.stringify({ root: fileURLToPath(config.root), site: config.site ?? '', config: settings })};`,
        };
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'runbooks:virtual-modules',
                resolveId: (id: string) => (id in modules ? `\0${id}` : undefined),
                load: (id: string) => (id.startsWith('\0') && id.slice(1) in modules ? modules[id.slice(1)] : undefined),
              },
            ],
          },
        });
      },
      // The gate runs the same rules as `runbook check`, before content sync, so the
      // report comes before any schema error, and it reads the sources itself, so
      // Astro's content cache (which skips unchanged files) can never hide a finding.
      'astro:config:done': ({ config, logger }) => {
        if (command !== 'build') return;
        const root = fileURLToPath(config.root);
        pages = collectProject(root, settings);
        // The baseline (runbook check --update-baseline) accepts the findings a repository adopted with.
        const all = checkFacts(root, pages, { config: settings });
        refusedSources = new Set(all.filter((d) => d.ruleId === 'html-unsafe' || d.ruleId === 'link-scheme').map((d) => d.file));
        const baseline = readBaseline(root);
        if (baseline && !Array.isArray(baseline)) return fail(logger, [baseline, ...all], pages.length);
        const result = baseline ? applyBaseline(root, all, baseline) : undefined;
        if (result) logger.info(baselineSummary(result));
        fail(logger, result ? result.fresh : all, pages.length);
      },
      // Astro's content loader logs a page that fails to render and builds it empty;
      // an on-call engineer must never meet an empty runbook, so that fails the build.
      'astro:build:done': async ({ dir, logger }) => {
        // First: the flat shortlink copies and the offline precache take the pages as final.
        const secured = secureBuiltSite(fileURLToPath(dir));
        logger.info(`csp: ${secured.pages} page(s), ${secured.distinct} distinct polic${secured.distinct === 1 ? 'y' : 'ies'}; _headers carries their union`);
        writeFlatShortlinkPages(fileURLToPath(dir));
        const empty = pages
          .filter((f) => f.problems.length === 0 && f.hasBody)
          .filter((f) => {
            const html = join(fileURLToPath(dir), f.url, 'index.html');
            return existsSync(html) && readFileSync(html, 'utf8').includes('<div class="sl-markdown-content"></div>');
          })
          .map((f) => ({
            file: f.file, line: f.frontmatter.lineCount + 1, column: 1, ruleId: 'page-render-failed', severity: 'error' as const,
            message: 'The page rendered empty: Astro could not render its Markdown (its error is above)',
            hint: 'Fix the Markdown the error above points at, then build again.',
          }));
        // The last line of defence for html-unsafe: script in a built page body fails the build,
        // whatever parser differential let it past the check.
        const scripted = settings.allowUnsafeHtml ? [] : pages.filter((f) => !refusedSources.has(f.file)).flatMap((f) => {
          const html = join(fileURLToPath(dir), f.url, 'index.html');
          const why = existsSync(html) ? scriptInBody(readFileSync(html, 'utf8')) : undefined;
          return why ? [{
            file: f.file, line: f.frontmatter.lineCount + 1, column: 1, ruleId: 'html-unsafe', severity: 'error' as const,
            message: `The built page carries markup the HTML policy refuses (${why}), though the check found none in its source`,
            hint: 'Remove the HTML that produces it; the check could not see it the way the browser will.',
          }] : [];
        });
        fail(logger, [...empty, ...scripted], pages.length);
        // The service worker that keeps the whole site for offline reading (src/plugins/offline).
        await offlineAfterBuild(dir, logger);
      },
    },
  };
}

/** Prints the report; throws a one-line error (no stack) when it holds errors. */
function fail(logger: AstroIntegrationLogger, diagnostics: Diagnostic[], files: number): void {
  if (diagnostics.length === 0) return;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  (errors > 0 ? logger.error : logger.warn).call(logger, `\n${pretty({ diagnostics, files })}`);
  if (errors === 0) return;
  const error = new AstroError(`${errors} runbook error(s); the report is above.`, 'Fix each finding at the file:line shown, then build again.');
  error.stack = '';
  throw error;
}
