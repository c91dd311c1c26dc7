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
