import { getCollection } from 'astro:content';
import { sitePages } from '../../runbook/page.ts';
import { publishedShortlinks, type PublishedShortlink } from '../publish.ts';

/** Every shortlink the site publishes: the one list the /r/ pages, the index, `_redirects` and `shortlinks.json` share. */
export const siteShortlinks = async (): Promise<PublishedShortlink[]> =>
  publishedShortlinks(sitePages(await getCollection('docs')));
