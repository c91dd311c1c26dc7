import GithubSlugger from 'github-slugger';

// The anchors of a page, decided once for the check (facts.ts), both Markdown processors
// (site/heading-anchors.ts) and Starlight's "On this page": a run block's id is its anchor
// (`/r/<slug>#rollback` and `runbook run slug#rollback` name the block), and the headings
// take github-slugger's slugs in page order as Astro gives them, the block ids counted as
// already taken, so a heading "Rollback" next to `id=rollback` is `#rollback-1`.

/**
 * Heading anchors in page order, with `runIds` reserved: call the returned function with
 * each heading's text. Where no heading meets a block id this is exactly Astro's own
 * slugging; `differs` says whether any heading so far got another anchor than Astro
 * would give it alone (from there on the page must carry the ids itself).
 */
export function headingAnchors(runIds: Iterable<string>): { slug: (text: string) => string; differs: () => boolean } {
  const reserved = new GithubSlugger();
  for (const id of runIds) reserved.occurrences[id] = 0;
  const plain = new GithubSlugger();
  let differs = false;
  return {
    slug: (text) => {
      const anchor = reserved.slug(text);
      if (!differs && plain.slug(text) !== anchor) differs = true;
      return anchor;
    },
    differs: () => differs,
  };
}
