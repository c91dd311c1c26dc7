// /quickjump.json: the quick-jump index (its shape: ../format.ts).
import { getCollection } from 'astro:content';
import ladder from 'virtual:runbooks/ladder';
import project from 'virtual:runbooks/project';
import { sitePages } from '../../runbook/page.ts';
import { buildQuickjumpIndex } from '../build-index.ts';

export async function GET() {
  const pages = sitePages(await getCollection('docs'));
  // Alerts land as the header card reads them (runbooks.config.yaml); the origin is the site's.
  const index = {
    ...buildQuickjumpIndex(
      project.root,
      pages,
      project.config,
      ladder.levels.map((l) => l.id),
    ),
    site: project.site || project.config.site || null,
  };
  return new Response(JSON.stringify(index), { headers: { 'Content-Type': 'application/json' } });
}
