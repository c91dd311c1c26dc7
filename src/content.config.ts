import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { i18nLoader } from '@astrojs/starlight/loaders';
import { i18nSchema } from '@astrojs/starlight/schema';
import { gatedLoader, pageSchema } from './plugins/site/index.ts';

export const collections = {
  // Starlight's `docs` collection, read from src/content/runbooks (README "Layout"), with
  // the one runbook model that `runbook check` also applies.
  docs: defineCollection({
    // Behind the build's gate: a page the schema refuses stops the build with the check's report.
    loader: gatedLoader(glob({ base: './src/content/runbooks', pattern: '**/[^_]*.{md,mdx}' })),
    schema: pageSchema,
  }),
  // UI strings we word for incidents ("Search runbooks").
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema() }),
};
