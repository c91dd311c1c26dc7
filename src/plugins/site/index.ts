import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sitemap from '@astrojs/sitemap';
import starlight from '@astrojs/starlight';
import type { AstroUserConfig } from 'astro';
import { CONTENT_DIR } from '../check/index.ts';
import { readRepoFile } from '../runbook/paths.ts';
import { ladderOf, loadProject } from '../project/load.ts';
import { runbooksIntegration } from './integration.ts';
import { markdownProcessor, type ProcessorName } from './markdown-processor.ts';
import { sidebarFromFolders } from './sidebar.ts';
import { siteCsp } from './csp.ts';
import { REDIRECT_SCRIPT } from '../shortlinks/redirect-page.ts';
import { NOT_SAVED_PAGE } from '../offline/routes.ts';

/**
 * The docs collection's schema. A content.config.ts imports it from runbook/schema.ts
 * instead: importing this module would load the whole config (Starlight's integration,
 * ours, every rule) into content sync and the build's server bundle.
 */
export { pageSchema } from '../runbook/schema.ts';
export { gatedLoader } from './gated-loader.ts';

/** What a runbook site sets about itself; everything else follows from the layout. */
export interface RunbooksSiteOptions {
  /** The project root, usually `new URL('.', import.meta.url)` in astro.config.mjs. */
  root: URL;
  title: string;
  description?: string;
  /** The deployed origin, used for canonical links; defaults to `site` in runbooks.config.yaml, where the check reads it too. */
  site?: string;
  /** The page that shows the ladder; header-card badges link to it. */
  severityPage?: string;
  /** Markdown processor; leave unset for the measured default. */
  processor?: ProcessorName;
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
  // The project, read once for the Markdown plugins, the integration and the gate. A
  // broken ladder or config is not thrown here (Astro prints config-time errors with a
  // stack trace): the defaults stand in and the integration fails the build with its findings.
  const project = loadProject(root);
  ladderOf(project); // A ladder that could not be read for another reason than its findings still throws here.
  const { ladder, config: settings } = project;
  return {
    root,
    site: options.site ?? settings.site,
    // The page's Content-Security-Policy (./csp.ts): hashes for every script Astro bundles
    // and for the inline ones in Starlight's components and ours (the /r/ pages' one
    // included: they are written after the build); nothing else runs.
    security: {
      csp: siteCsp(
        [fileURLToPath(new URL('.', import.meta.resolve('@astrojs/starlight'))), own('../')],
        [REDIRECT_SCRIPT],
      ),
    },
    // A warm build renders again only the runbook pages whose inputs changed: Astro keeps
    // each page it rendered in its cache folder (./incremental-pages.ts says what a page's
    // inputs are).
    experimental: { incrementalBuild: true },
    markdown: {
      processor: markdownProcessor(
        { ladder, contentDirs: [contentDir + '/'], root, repoUrl: settings.repoUrl, inputs: renderInputs(root) },
        options.processor,
      ),
    },
    integrations: [
      // Our own sitemap (Starlight then adds none): /r/<slug> pages are redirects, not content.
      // Nor is the page the offline service worker shows for an address it has not saved.
      sitemap({
        filter: (page) => !/\/r\/[^/]+\/$/.test(new URL(page).pathname) && !page.endsWith(NOT_SAVED_PAGE),
      }),
      starlight({
        title: options.title,
        description: options.description,
        // Asides, heading anchors and code tweaks must run on our folder, not src/content/docs.
        markdown: { processedDirs: [`./${CONTENT_DIR}`] },
        sidebar: [
          ...sidebarFromFolders(root, contentDir),
          {
            label: 'Reference',
            items: [
              { label: 'Incident log', link: '/incident/' },
              { label: 'Shortlinks', link: '/r/' },
              { label: 'SLOs', link: '/slos/' },
              { label: 'Coverage', link: '/coverage/' },
              { label: 'Validation rules', link: '/rules/' },
            ],
          },
        ],
        // `output for=<id>` blocks hold a command's expected output: plain text.
        // Long lines wrap instead of scrolling sideways (the continuation mark is in runbooks.css).
        expressiveCode: {
          shiki: { langAlias: { output: 'txt' } },
          defaultProps: { wrap: true, preserveIndent: true, hangingIndent: 2 },
        },
        routeMiddleware: own('./sidebar-route.ts'),
        components: {
          PageTitle: own('./components/PageTitle.astro'),
          Head: own('./components/Head.astro'),
          Search: own('../quickjump/components/Search.astro'),
          Header: own('../offline/components/Header.astro'),
        },
        customCss: [
          own('./styles/runbooks.css'),
          own('../offline/offline.css'),
          own('../handbook/handbook.css'),
          own('../quickjump/quickjump.css'),
          own('../incident/incident.css'),
        ],
      }),
      // After Starlight (and the integrations it adds), so its astro:build:done hook sees
      // Pagefind's index: the offline service worker precaches it.
      runbooksIntegration({ project, severityPage: options.severityPage ?? '/handbook/severity/' }),
    ],
  };
}

/**
 * The files Starlight reads when the config loads and writes into a page's rendered HTML
 * (its UI strings: aside titles, heading-anchor labels; Expressive Code's config: the copy
 * button), as one digest. Astro's config digest leaves them out, so the content layer
 * would keep renderings made with the old ones (./render-reads.ts).
 */
export function renderInputs(root: string): string {
  const hasher = createHash('sha256');
  const files = [
    ...(() => {
      try {
        return readdirSync(join(root, 'src/content/i18n'), { recursive: true }).map((f) =>
          join('src/content/i18n', String(f)),
        );
      } catch {
        return [];
      }
    })(),
    ...['ec.config.mjs', 'ec.config.js', 'ec.config.ts', 'ec.config.mts', 'ec.config.cjs'],
  ].sort();
  for (const file of files) {
    // Through the repository's one door: a link out of the repository or a FIFO is never read.
    const read = readRepoFile(root, file);
    const bytes = read instanceof Error ? `-${read.code}` : read;
    hasher.update(`${file}\0${bytes.length}\0`).update(bytes);
  }
  return hasher.digest('base64url');
}
