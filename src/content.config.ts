import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { i18nLoader } from '@astrojs/starlight/loaders';
import { i18nSchema } from '@astrojs/starlight/schema';
// From the schema's own module, not site/index.ts: that one is the whole Astro config
// (Starlight's integration, ours, every rule), which content sync would load and the
// build would bundle only to reach this schema.
import { pageSchema } from './plugins/runbook/schema.ts';
import { gatedLoader } from './plugins/site/gated-loader.ts';

export const collections = {
  // Starlight's `docs` collection, read from src/content/runbooks (README "Layout"), with
  // the one runbook model that `runbook check` also applies.
  docs: defineCollection({
    // Behind the build's gate: a page the schema refuses stops the build with the check's
    // report. No `body`: nothing reads a page's source from the collection (the check reads
    // the files), and Astro bundles every entry into the build's server code, so the source
    // would only make that bundle bigger and slower to build.
    loader: gatedLoader(glob({ base: './src/content/runbooks', pattern: '**/[^_]*.{md,mdx}', retainBody: false })),
    schema: pageSchema,
  }),
  // UI strings we word for incidents ("Search runbooks").
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema() }),
};
