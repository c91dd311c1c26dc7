// @ts-check
import { defineConfig } from 'astro/config';
import { runbooksConfig } from './src/plugins/site/index.ts';

export default defineConfig(
  runbooksConfig({
    root: new URL('.', import.meta.url),
    title: 'Kestrel runbooks',
    description: 'Incident runbooks and the incident-response handbook for the Kestrel platform.',
  }),
);
