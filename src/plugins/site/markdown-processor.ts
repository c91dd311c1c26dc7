import { unified } from '@astrojs/markdown-remark';
import { satteri } from '@astrojs/markdown-satteri';
import { remarkRunbooks, settingsStamp, type RunbookMarkdownOptions } from './remark-runbooks.ts';
import { readAgain } from '../links/site-href.ts';
import { readAgainWith } from './render-reads.ts';
import { satteriLabels, satteriRunbooks } from './satteri-runbooks.ts';
import { rehypeLabels } from './labels.ts';
import { rehypeHeadingAnchors, satteriHeadingAnchors } from './heading-anchors.ts';
import { rehypeContextSections, satteriContextSections } from './context-sections.ts';

/** The Markdown processors a runbook site can render with. */
export type ProcessorName = 'unified' | 'satteri';

/**
 * What sites get unless they say otherwise. Sätteri: it renders our pages the same
 * (the fixture-build tests prove it on both) and a cold build of 500 runbooks takes
 * about 0.7× as long as on `unified()` (BENCHMARKS.md).
 */
export const DEFAULT_PROCESSOR: ProcessorName = 'satteri';

/**
 * The one place the Markdown processor is chosen.
 *
 * Both render our directives through the same `claimDirective`: `unified()` with the
 * runbook remark plugin, or Sätteri (Astro 7's default, a Rust parser) with the same
 * plugin as an mdast visitor. Starlight adds remark-directive / enables directives on
 * either by itself. BENCHMARKS.md (`npm run bench:build`) records what each costs.
 */
export function markdownProcessor(options: RunbookMarkdownOptions, name: ProcessorName = DEFAULT_PROCESSOR) {
  // The content layer renders a page again when what its last rendering read from other
  // files, or the settings, changed (./render-reads.ts).
  readAgainWith((key) => (key === 'settings' ? settingsStamp(options) : (readAgain(options.root, key) ?? '')));
  if (name === 'satteri')
    return satteri({
      mdastPlugins: [satteriRunbooks(options)],
      hastPlugins: [satteriLabels(), satteriHeadingAnchors(), satteriContextSections()],
    });
  return unified({
    remarkPlugins: [[remarkRunbooks, options]],
    rehypePlugins: [rehypeLabels, rehypeHeadingAnchors, rehypeContextSections],
  });
}
