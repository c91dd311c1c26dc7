// /_redirects: the same shortlinks as forced 301s for Netlify and Cloudflare Pages.
import { redirectsFile } from '../publish.ts';
import { siteShortlinks } from './site-shortlinks.ts';

export async function GET() {
  const links = await siteShortlinks();
  return new Response(redirectsFile(links), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}
