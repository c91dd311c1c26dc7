// /shortlinks.json: every shortlink for other tools (alert `runbook_url`, chat bots).
import { siteShortlinks } from './site-shortlinks.ts';

export async function GET() {
  const links = await siteShortlinks();
  const body = links.map(({ slug, target, external, title, owner, file }) => ({
    slug,
    path: `/r/${slug}/`,
    target,
    external,
    title,
    owner: owner ?? null,
    file,
  }));
  return new Response(`${JSON.stringify({ version: 1, shortlinks: body }, null, 2)}\n`, {
    headers: { 'Content-Type': 'application/json' },
  });
}
