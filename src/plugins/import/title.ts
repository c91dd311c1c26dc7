/**
 * Names an imported page gets: its title from a heading or from its file name, and a
 * shortlink slug from its file name (so the old name keeps a short address).
 */
import { trimBoth } from '../runbook/text.ts';
import { linksAsText, splitCapitalRuns, withoutClosingHashes, withoutTags } from './scan.ts';

/** Markdown inline syntax out of a heading, for a plain-text title. */
export function plainTitle(heading: string): string {
  return withoutTags(
    linksAsText(withoutClosingHashes(heading))
      .replace(/`([^`]*)`/g, '$1')
      .replace(/(\*\*|__)(.+?)\1/g, '$2')
      .replace(/(\*|_)(.+?)\1/g, '$2'),
  ).trim();
}

/** A title from a file name: `etcd_high-commit` → `Etcd high commit`; README/index use the folder's name. */
export function titleFromPath(path: string): string {
  const parts = path.split('/');
  let name = parts.at(-1)!.replace(/\.mdx?$/i, '');
  if (/^(readme|index|_index)$/i.test(name)) name = parts.at(-2) ?? 'Home';
  const words = name
    .replace(/[-_]+/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();
  return words ? words[0].toUpperCase() + words.slice(1) : 'Untitled';
}

/** A shortlink slug from a path's file name: `KubeAPIDown.md` → `kube-api-down`; undefined when none fits. */
export function slugFromPath(path: string): string | undefined {
  const name = path
    .split('/')
    .at(-1)!
    .replace(/\.mdx?$/i, '');
  if (/^(readme|index|_index)$/i.test(name)) return undefined;
  const slug = trimBoth(
    splitCapitalRuns(name.replace(/([a-z0-9])([A-Z])/g, '$1-$2'))
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-'),
    '-',
  );
  return /^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) && slug.length <= 60 ? slug : undefined;
}
