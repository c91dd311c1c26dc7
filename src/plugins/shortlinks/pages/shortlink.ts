// /r/<slug> in the dev server only: the build writes these pages as files after Astro
// is done (../redirect-page.ts, from site/integration.ts), so `astro dev` serves the same
// page from here, as the build writes it (without the policy <meta>: the dev server sets
// no Content-Security-Policy).
import type { APIRoute } from 'astro';
import project from 'virtual:runbooks/project';
import type { PublishedShortlink } from '../publish.ts';
import { redirectPage } from '../redirect-page.ts';
import { siteShortlinks } from './site-shortlinks.ts';

export async function getStaticPaths() {
  const links = await siteShortlinks();
  return links.map((link) => ({ params: { slug: link.slug }, props: { link } }));
}

export const GET: APIRoute = ({ props }) =>
  new Response(redirectPage((props as { link: PublishedShortlink }).link, project.site), {
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
  });
