import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { i18nLoader } from '@astrojs/starlight/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { runbookFields } from './plugins/runbook/schema.ts';

export const collections = {
  // Starlight's `docs` collection, read from src/content/runbooks (see DESIGN.md).
  docs: defineCollection({
    loader: glob({ base: './src/content/runbooks', pattern: '**/[^_]*.{md,mdx}' }),
    schema: docsSchema({ extend: runbookFields }),
  }),
  // UI strings we word for incidents ("Search runbooks").
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema() }),
};
