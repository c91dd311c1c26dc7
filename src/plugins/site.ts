import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sitemap from '@astrojs/sitemap';
import starlight from '@astrojs/starlight';
import type { AstroUserConfig } from 'astro';
import { CONTENT_DIR, LADDER_FILE } from './check/index.ts';
import { loadProjectConfig } from './check/config.ts';
import { runbooksIntegration } from './integration.ts';
import { markdownProcessor, type ProcessorName } from './markdown-processor.ts';
import type { Diagnostic } from './diagnostic.ts';
import { EMPTY_LADDER, LadderError, loadSeverityLadder } from './severity-ladder.ts';
import { sidebarFromFolders } from './sidebar.ts';

/** What a runbook site sets about itself; everything else follows from the layout. */
export interface RunbooksSiteOptions {
  /** The project root, usually `new URL('.', import.meta.url)` in astro.config.mjs. */
  root: URL;
  title: string;
  description?: string;
  /** The deployed origin, used for canonical links. */
  site?: string;
  /** The page that shows the ladder; header-card badges link to it. */
  severityPage?: string;
  /** Markdown processor; leave unset for the measured default. */
  processor?: ProcessorName;
}

/** `repoUrl` from runbooks.config.yaml; a broken config is reported by the integration, not here. */
function repoUrlOf(root: string): string | undefined {
  try {
    return loadProjectConfig(root).repoUrl;
  } catch {
    return undefined;
  }
}

const own = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The whole Astro config of a runbook site, so the example site and every test
 * fixture are built the same way: Starlight over `src/content/runbooks`, our
 * Markdown processor and header card, and the validation gate.
 */
export function runbooksConfig(options: RunbooksSiteOptions): AstroUserConfig {
  const root = fileURLToPath(options.root);
  const contentDir = join(root, CONTENT_DIR);
  // A broken ladder is reported by the integration as a diagnostic, not thrown here
  // (Astro prints config-time errors with a stack trace).
  let ladder = EMPTY_LADDER;
  let ladderErrors: Diagnostic[] = [];
  try {
    ladder = loadSeverityLadder(join(root, LADDER_FILE), LADDER_FILE);
  } catch (error) {
    if (!(error instanceof LadderError)) throw error;
    ladderErrors = error.diagnostics;
  }
  return {
    root,
    site: options.site,
    markdown: { processor: markdownProcessor({ ladder, contentDirs: [contentDir + '/'], root, repoUrl: repoUrlOf(root) }, options.processor) },
    integrations: [
      // Our own sitemap (Starlight then adds none): /r/<slug> pages are redirects, not content.
      sitemap({ filter: (page) => !/\/r\/[^/]+\/$/.test(new URL(page).pathname) }),
      runbooksIntegration({ ladder, ladderErrors, severityPage: options.severityPage ?? '/handbook/severity/' }),
      starlight({
        title: options.title,
        description: options.description,
        // Asides, heading anchors and code tweaks must run on our folder, not src/content/docs.
        markdown: { processedDirs: [`./${CONTENT_DIR}`] },
        sidebar: [
          ...sidebarFromFolders(root, contentDir),
          { label: 'Reference', items: [{ label: 'Shortlinks', link: '/r/' }, { label: 'SLOs', link: '/slos/' }, { label: 'Validation rules', link: '/rules/' }] },
        ],
        // `output for=<id>` blocks hold a command's expected output: plain text.
        expressiveCode: { shiki: { langAlias: { output: 'txt' } } },
        components: { PageTitle: own('../components/PageTitle.astro') },
        customCss: [own('../styles/runbooks.css')],
      }),
    ],
  };
}
