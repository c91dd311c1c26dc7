import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { AstroIntegration, AstroIntegrationLogger } from 'astro';
import type { Diagnostic } from '../runbook/diagnostic.ts';
import { pretty } from '../check/reporters.ts';
import { checkAfterBuild, startGate, type Gate } from '../check/post-build.ts';
import { checkInDevServer } from '../check/dev.ts';
import { loadFindings, type Project } from '../project/load.ts';
import { injectSloRoutes } from '../slos/routes.ts';
import { injectRulePages } from '../check/routes.ts';
import { injectShortlinkRoutes } from '../shortlinks/routes.ts';
import { injectCatalogRoutes } from '../catalog/routes.ts';
import { COVERAGE_MODULE, coverageModule, injectCoverageRoutes } from '../coverage/routes.ts';
import { projectCoverage, type CoverageReport } from '../coverage/coverage.ts';
import { collectProject } from '../check/index.ts';
import { gateShortlinks } from '../shortlinks/publish.ts';
import { REDIRECT_SCRIPT, writeShortlinkPages } from '../shortlinks/redirect-page.ts';
import { offlineAfterBuild } from '../offline/build.ts';
import { injectOfflineRoutes } from '../offline/routes.ts';
import { injectIncidentRoutes } from '../incident/routes.ts';
import { injectQuickjumpRoutes } from '../quickjump/routes.ts';
import { secureBuiltSite, siteHeaders } from './headers.ts';
import { writeHostConfig } from '../deploy/build.ts';
import { inlineScriptPolicy } from './csp.ts';
import { errorCount, gateError, shareGate } from './gated-loader.ts';
import { incrementalPages } from './incremental-pages.ts';
import { APART_DIR, renderedApart } from './rendered-apart.ts';

const LADDER_MODULE = 'virtual:runbooks/ladder';
const PROJECT_MODULE = 'virtual:runbooks/project';

/**
 * Wires the runbook pieces into Astro: the ladder as a virtual module for the
 * components, and the validation gate before the build renders anything.
 */
export function runbooksIntegration(options: {
  /** The project as runbooksConfig loaded it (defaults stand in for a broken file; its findings fail the build). */
  project: Project;
  severityPage: string;
}): AstroIntegration {
  const { project, severityPage } = options;
  const { ladder, config: settings } = project;
  let command = 'build';
  let site = '';
  let gate: Gate = { pages: [], report: [], refused: new Set() };
  let pending: Promise<Gate> | undefined;
  // Astro's cache folder: the facts cache lives there, so deleting it makes a build cold.
  let cacheDir: string | undefined;
  let coverage: CoverageReport | undefined;
  return {
    name: 'runbooks',
    hooks: {
      'astro:config:setup': ({ updateConfig, logger, command: cmd, injectRoute, config }) => {
        command = cmd;
        site = config.site ?? '';
        // Each concept adds its own pages and machine outputs.
        injectRulePages(injectRoute);
        injectShortlinkRoutes(injectRoute, cmd);
        injectCatalogRoutes(injectRoute);
        injectQuickjumpRoutes(injectRoute);
        injectSloRoutes(injectRoute);
        injectCoverageRoutes(injectRoute);
        injectOfflineRoutes(injectRoute);
        injectIncidentRoutes(injectRoute);
        // A broken ladder or config stops the build, as it stops every command; the dev
        // server reports it (check/dev.ts) and goes on.
        if (cmd !== 'dev') fail(logger, loadFindings(project), 0);
        // Components and routes read the project's ladder and settings through virtual
        // modules, not paths baked into our package.
        const modules: Record<string, string> = {
          [LADDER_MODULE]: `export default ${JSON.stringify({ levels: ladder.levels, extraColumns: ladder.extraColumns, page: severityPage })};`,
          [PROJECT_MODULE]: `export default ${JSON.stringify({ root: fileURLToPath(config.root), site: config.site ?? '', config: settings })};`,
        };
        updateConfig({
          vite: {
            plugins: [
              // A warm build copies the runbook pages that did not change (./incremental-pages.ts).
              ...(cmd === 'build' ? [incrementalPages(fileURLToPath(config.root))] : []),
              // Rendered runbooks are kept beside Astro's data store, not bundled in it (./rendered-apart.ts).
              renderedApart(join(fileURLToPath(config.cacheDir), APART_DIR), cmd),
              {
                name: 'runbooks:virtual-modules',
                resolveId: (id: string) => (id in modules || id === COVERAGE_MODULE ? `\0${id}` : undefined),
                load: (id: string) => {
                  if (!id.startsWith('\0')) return undefined;
                  // Coverage is asked for after the gate read every page: once per build, from
                  // the check's own facts, with the build date as today (the dev server reads the pages).
                  if (id.slice(1) === COVERAGE_MODULE)
                    return coverageModule(
                      (coverage ??= projectCoverage(
                        project,
                        gate.pages.length > 0 ? gate.pages : collectProject(project),
                        new Date(),
                      )),
                    );
                  return id.slice(1) in modules ? modules[id.slice(1)] : undefined;
                },
              },
            ],
          },
        });
      },
      // The gate (check/post-build.ts) starts on a worker thread here and runs beside
      // content sync, sharing the facts cache in Astro's cache folder; its report is
      // printed as soon as it is ready (before a schema error that sync may stop on).
      'astro:config:done': ({ logger, config }) => {
        cacheDir = fileURLToPath(config.cacheDir);
        if (command !== 'build') return;
        pending = startGate(project, cacheDir).then((found) => {
          gate = found;
          logger.info(
            `runbook check: ${gate.pages.length} page(s), ${gate.cached ?? 0} from the facts cache, on the ${gate.thread === 'worker' ? 'second core beside content sync' : 'main thread'}`,
          );
          if (gate.baseline) logger.info(gate.baseline);
          report(logger, gate.report, gate.pages.length);
          return found;
        });
        // Awaited at build:start; until then a failed gate must not be an unhandled rejection.
        pending.catch(() => undefined);
        shareGate(pending);
      },
      // Nothing renders before the gate passed: its errors stop the build here.
      'astro:build:start': async () => {
        if (!pending) return;
        const found = await pending;
        if (errorCount(found.report) > 0) throw gateError(errorCount(found.report));
      },
      // In the dev server the same rules run at start-up and on every save (check/dev.ts).
      // Only there: `astro build` may start a Vite server of its own (content sync), whose
      // findings the gate reports already.
      'astro:server:setup': ({ server, logger }) => {
        if (command === 'dev') checkInDevServer(server, logger, project, cacheDir);
      },
      'astro:build:done': async ({ dir, logger }) => {
        const dist = fileURLToPath(dir);
        // Starlight's hook (Pagefind) has run: ours comes after it in the config. First the
        // CSP pass, which the offline precache takes as final.
        const secured = secureBuiltSite(dist);
        logger.info(
          `csp: ${secured.pages} page(s), ${secured.distinct} distinct polic${secured.distinct === 1 ? 'y' : 'ies'}; the host files carry their union`,
        );
        fail(logger, checkAfterBuild(dist, project, gate, cacheDir), gate.pages.length);
        // The /r/<slug> redirect pages, written only now: Pagefind and the CSP pass never
        // read them, and their policy is one the `_headers` union already allows.
        const shortlinks = writeShortlinkPages(dist, gateShortlinks(gate.pages), {
          site,
          policy: inlineScriptPolicy(REDIRECT_SCRIPT),
        });
        logger.info(`shortlinks: ${shortlinks} redirect page(s) under r/`);
        // The service worker that keeps the whole site for offline reading (src/plugins/offline).
        await offlineAfterBuild(dir, logger);
        // Last: the hosts' files (_headers, _nginx.conf) name the files the steps above wrote.
        const hosts = writeHostConfig(dist, siteHeaders(secured.policy));
        logger.info(`deploy: _headers with ${hosts.rules} rule(s), _nginx.conf with ${hosts.redirects} shortlink(s)`);
        for (const skipped of hosts.skipped) logger.warn(`deploy: ${skipped}; nginx serves its /r/ page instead`);
      },
    },
  };
}

/** Prints the report (errors as errors, else warnings). */
function report(logger: AstroIntegrationLogger, diagnostics: Diagnostic[], files: number): void {
  if (diagnostics.length === 0) return;
  (errorCount(diagnostics) > 0 ? logger.error : logger.warn).call(logger, `\n${pretty({ diagnostics, files })}`);
}

/** Prints the report; throws a one-line error (no stack) when it holds errors. */
function fail(logger: AstroIntegrationLogger, diagnostics: Diagnostic[], files: number): void {
  report(logger, diagnostics, files);
  const errors = errorCount(diagnostics);
  if (errors > 0) throw gateError(errors);
}
