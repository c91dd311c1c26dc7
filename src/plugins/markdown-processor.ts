import { unified } from '@astrojs/markdown-remark';
import { remarkRunbooks, type RemarkRunbooksOptions } from './remark-runbooks.ts';

/**
 * The one place the Markdown processor is chosen.
 *
 * Astro 7's default processor (Sätteri) runs no remark plugins, and the runbook
 * plugin is a remark plugin, so the site builds on `unified()`. Starlight adds
 * remark-directive to it by itself. The measured cost of this choice is in
 * BENCHMARKS.md (`npm run bench:build`).
 */
export function markdownProcessor(options: RemarkRunbooksOptions) {
  return unified({ remarkPlugins: [[remarkRunbooks, options]] });
}
