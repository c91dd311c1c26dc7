import type { Link, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { SKIP, visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { claimDirective } from '../severity/directives.ts';
import { claimHandbookDirective } from '../handbook/render.ts';
import { createHash } from 'node:crypto';
import { siteHref, type LinkContext } from '../links/site-href.ts';
import { noteRead } from './render-reads.ts';
import { cliName, frameOutputBlock, wrapRunBlock } from '../snippets/render.ts';
import type { SeverityLadder } from '../severity/ladder.ts';

/** Options for the runbook Markdown plugins. */
export interface RunbookMarkdownOptions {
  /** The loaded severity ladder. */
  ladder: SeverityLadder;
  /** Only files under these absolute directories (with a trailing slash) are runbooks. */
  contentDirs: string[];
  /** The project root and repository browser, for links to files. */
  root: string;
  repoUrl?: string;
  /**
   * A digest of the other files a page's HTML depends on that Astro's config digest does
   * not cover (Starlight's UI strings, Expressive Code's config): a change renders every page again.
   */
  inputs?: string;
}

const stamps = new WeakMap<RunbookMarkdownOptions, string>();

/** A digest of the settings a rendering depends on (ladder, folders, repository browser). */
export function settingsStamp(options: RunbookMarkdownOptions): string {
  let stamp = stamps.get(options);
  if (stamp === undefined) {
    const { ladder, contentDirs, root, repoUrl, inputs } = options;
    const settings = JSON.stringify({
      levels: ladder.levels,
      extra: ladder.extraColumns,
      contentDirs,
      root,
      repoUrl,
      inputs,
    });
    stamps.set(options, (stamp = createHash('sha256').update(settings).digest('base64url')));
  }
  return stamp;
}

/**
 * Where the links of the page at `path` (in content folder `dir`) resolve, with every value
 * they read from other files noted for the content layer (./render-reads.ts), and the
 * settings the page renders with.
 */
export function pageLinks(options: RunbookMarkdownOptions, path: string, dir: string): LinkContext {
  noteRead(path, 'settings', settingsStamp(options));
  return {
    root: options.root,
    contentDir: dir,
    repoUrl: options.repoUrl,
    onRead: (key, value) => noteRead(path, key, value),
  };
}

/**
 * The runbook remark plugin, for sites on `unified()`: renders the directives we own
 * (`::severity-table`, `:severity[ID]`, `:::checklist`, `:::template`), claiming them so Starlight leaves them be,
 * and frames each `run` block with its id, title, safety badge and CLI command.
 */
export function remarkRunbooks(options: RunbookMarkdownOptions) {
  const { ladder, contentDirs } = options;
  return function transformer(tree: Root, file: VFile) {
    const path = file.path;
    if (!path || !contentDirs.some((dir) => path.startsWith(dir))) return;
    const dir = contentDirs.find((d) => path.startsWith(d)) ?? '';
    const links = pageLinks(options, path, dir);
    let page: string | undefined;
    visit(tree, (node, index, parent) => {
      if (node.type === 'link' || node.type === 'definition') {
        const href = siteHref((node as Link).url, path, links);
        if (href) (node as Link).url = href;
        return;
      }
      if (node.type === 'code' && parent && index !== undefined) {
        const wrapper = frameOutputBlock(node) ?? wrapRunBlock(node, (page ??= cliName(path, dir)));
        if (!wrapper) return;
        parent.children[index] = wrapper;
        return [SKIP, index + 1];
      }
      if (node.type === 'containerDirective') {
        // Rendered in place, so the visit goes on into the new children (links in tasks).
        const claimed = claimHandbookDirective(node);
        if (claimed) Object.assign(node, claimed);
        return;
      }
      if (node.type !== 'leafDirective' && node.type !== 'textDirective') return;
      const data = claimDirective(node, toString(node), ladder);
      if (data) node.data = data;
    });
  };
}
