import type { StarlightRouteData } from '@astrojs/starlight/route-data';
import { folderAnchor } from '../catalog/folders.ts';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Group labels for folders whose title-cased name would read badly. */
const LABELS: Record<string, string> = { api: 'API', cli: 'CLI' };

function label(name: string): string {
  return LABELS[name] ?? name.replace(/[-_]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

type SidebarItem =
  | { autogenerate: { directory: string; collapsed?: boolean } }
  | { label: string; items: SidebarItem[]; collapsed?: boolean };

/**
 * Folders are sidebar groups. Starlight's `autogenerate` resolves directories
 * relative to `src/content/docs`, which our collection does not use, so each group
 * names its directory relative to the project root, the way Starlight sees file paths.
 */
export function sidebarFromFolders(root: string, contentDir: string): SidebarItem[] {
  const build = (dir: string): SidebarItem[] =>
    readdirSync(dir)
      .filter((name) => !name.startsWith('_') && !name.startsWith('.') && statSync(join(dir, name)).isDirectory())
      .sort()
      .map((name) => {
        const full = join(dir, name);
        const entries = readdirSync(full).filter((n) => !n.startsWith('_') && !n.startsWith('.'));
        const folders = entries.filter((n) => statSync(join(full, n)).isDirectory());
        const directory = relative(root, full).split('\\').join('/');
        // Only folders of folders get our labels; a mixed folder keeps Starlight's own nesting.
        return folders.length > 0 && folders.length === entries.length
          ? { label: label(name), items: build(full) }
          : { label: label(name), items: [{ autogenerate: { directory } }] };
      });
  const order = ['handbook'];
  const rank = (item: SidebarItem) => ('label' in item ? order.indexOf(item.label.toLowerCase()) : -1);
  return build(contentDir).sort((a, b) => {
    const ia = rank(a);
    const ib = rank(b);
    return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
  });
}

type Entry = StarlightRouteData['sidebar'][number];
type Link = Extract<Entry, { type: 'link' }>;

/** Neighbours kept on each side of the current page in its group. */
export const SIDEBAR_WINDOW = 5;
/** A group this small stays whole (collapsed) even when the page is elsewhere. */
const SMALL_GROUP = 8;

const links = (e: Entry): Link[] => (e.type === 'link' ? [e] : e.entries.flatMap(links));
const holdsCurrent = (e: Entry): boolean => links(e).some((l) => l.isCurrent);

/**
 * The sidebar of one page, bounded whatever the site's size: groups holding the page
 * open; a small group elsewhere kept whole; a big group elsewhere one link to its first
 * page, with its count as a badge; in the page's own group, the SIDEBAR_WINDOW
 * neighbours on each side and a link to the whole group on `indexHref`.
 */
export function trimSidebar(entries: readonly Entry[], indexHref: string, path: readonly string[] = []): Entry[] {
  const here = entries.findIndex((e) => e.type === 'link' && e.isCurrent);
  const out: Entry[] = [];
  entries.forEach((entry, i) => {
    if (entry.type === 'group') {
      const all = links(entry);
      if (holdsCurrent(entry))
        out.push({
          ...entry,
          collapsed: false,
          entries: trimSidebar(entry.entries, indexHref, [...path, entry.label]),
        });
      else if (all.length <= SMALL_GROUP) out.push(entry);
      else if (all[0])
        out.push({
          type: 'link',
          label: entry.label,
          href: all[0].href,
          isCurrent: false,
          badge: { text: String(all.length), variant: 'default' },
          attrs: {},
        });
      return;
    }
    if (here === -1 || Math.abs(i - here) <= SIDEBAR_WINDOW) out.push(entry);
  });
  const shown = out.filter((e) => e.type === 'link').length;
  const total = entries.filter((e) => e.type === 'link').length;
  if (here !== -1 && shown < total) {
    const label = path.at(-1) ?? 'this group';
    const current = entries[here] as Link;
    const pagePath = new URL(current.href, 'http://x').pathname.slice(indexHref.length - '/runbooks/'.length);
    out.push({
      type: 'link',
      label: `All ${total} in ${label}`,
      href: `${indexHref}#${folderAnchor(pagePath)}`,
      isCurrent: false,
      badge: undefined,
      attrs: { class: 'rb-sidebar-all' },
    });
  }
  return out;
}
