import { describe, expect, it } from 'vitest';
import { SIDEBAR_WINDOW, trimSidebar } from '../../src/plugins/site/sidebar.ts';

type Entry = Parameters<typeof trimSidebar>[0][number];
const link = (href: string, current = false): Entry => ({
  type: 'link',
  label: href,
  href,
  isCurrent: current,
  badge: undefined,
  attrs: {},
});
const group = (label: string, entries: Entry[]): Entry => ({
  type: 'group',
  label,
  entries,
  collapsed: true,
  badge: undefined,
});

/** A site of `folders` folders under Services with `perFolder` pages each; the page `current` is current. */
function site(folders: number, perFolder: number, current: [number, number]): Entry[] {
  return [
    group('Handbook', [link('/handbook/a/'), link('/handbook/b/')]),
    group(
      'Services',
      Array.from({ length: folders }, (_, f) =>
        group(
          `S${f}`,
          Array.from({ length: perFolder }, (_, p) =>
            link(`/services/s${f}/p${p}/`, f === current[0] && p === current[1]),
          ),
        ),
      ),
    ),
  ];
}
const count = (entries: Entry[]): number =>
  entries.reduce((n, e) => n + 1 + (e.type === 'group' ? count(e.entries) : 0), 0);
const flat = (entries: Entry[]): Entry[] =>
  entries.flatMap((e) => (e.type === 'group' ? [e, ...flat(e.entries)] : [e]));

describe('a page carries a bounded sidebar', () => {
  it('is the same size at 10 or 2,000 pages per folder, for every position of the current page (property)', () => {
    const sizes = new Set<number>();
    for (const perFolder of [12, 50, 400, 2000]) {
      for (const p of [0, 1, SIDEBAR_WINDOW, Math.floor(perFolder / 2), perFolder - 1]) {
        const trimmed = trimSidebar(site(10, perFolder, [3, p]), '/runbooks/');
        sizes.add(count(trimmed));
        const entries = flat(trimmed);
        // The current page is always there, with its nearest neighbours, and a way to the rest.
        expect(entries.some((e) => e.type === 'link' && e.isCurrent)).toBe(true);
        expect(
          entries.filter((e) => e.type === 'link' && e.href.startsWith('/services/s3/p')).length,
        ).toBeLessThanOrEqual(2 * SIDEBAR_WINDOW + 1);
        expect(entries.find((e) => e.type === 'link' && e.label.startsWith('All '))).toMatchObject({
          label: `All ${perFolder} in S3`,
          href: '/runbooks/#services/s3',
        });
      }
    }
    // Only the window's clipping at the ends changes the count: never the size of the site.
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(SIDEBAR_WINDOW);
  });

  it('keeps a small group whole, turns a big one elsewhere into one link to its first page with its count', () => {
    const trimmed = trimSidebar(site(3, 20, [0, 4]), '/runbooks/');
    expect(trimmed[0]).toMatchObject({ type: 'group', label: 'Handbook', collapsed: true });
    const services = trimmed[1] as Extract<Entry, { type: 'group' }>;
    expect(services.collapsed).toBe(false);
    expect(services.entries[1]).toMatchObject({
      type: 'link',
      label: 'S1',
      href: '/services/s1/p0/',
      badge: { text: '20' },
    });
  });

  it('leaves a page outside every group (the home page) with whole small groups and links for big ones', () => {
    const trimmed = trimSidebar(site(2, 30, [-1, -1]), '/runbooks/');
    expect(flat(trimmed).filter((e) => e.type === 'link' && e.label.startsWith('All '))).toEqual([]);
    expect(trimmed[1]).toMatchObject({ type: 'link', label: 'Services', badge: { text: '60' } });
  });
});
