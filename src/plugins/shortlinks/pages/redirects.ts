// /_redirects: the same shortlinks as forced 301s for Netlify and Cloudflare Pages.
import { getCollection } from 'astro:content';
import { publishedShortlinks, redirectsFile } from '../publish.ts';
import { sitePages } from '../../runbook/page.ts';

export async function GET() {
  const links = publishedShortlinks(sitePages(await getCollection('docs')));
  return new Response(redirectsFile(links), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}
