import { CONTENT_DIR } from '../plugins/check/paths.ts';
import { entryUrl } from '../plugins/check/collect.ts';
import type { PageInfo } from '../plugins/shortlinks.ts';

/** A docs collection entry, as far as the publishers read it. */
interface Entry {
  filePath?: string;
  data: Record<string, unknown>;
}

/** Collection entries as pages: the same file paths and URLs the validation core uses. */
export function sitePages(entries: readonly Entry[]): PageInfo[] {
  return entries.flatMap((e) => {
    if (!e.filePath) return [];
    const entry = e.filePath.replace(/\\/g, '/').replace(`${CONTENT_DIR}/`, '');
    // Astro plants a non-enumerable `slug` getter that logs an error when read: only
    // read a slug the frontmatter really set.
    const slug = Object.keys(e.data).includes('slug') ? e.data.slug : undefined;
    return [{ file: e.filePath, url: entryUrl(entry, slug), data: e.data }];
  });
}
