// /runbooks.json: the catalog of runbooks and their metadata (see README "Machine outputs").
import { getCollection } from 'astro:content';
import project from 'virtual:runbooks/project';
import { buildCatalog } from '../catalog.ts';
import { sitePages } from '../../runbook/page.ts';

export async function GET() {
  const runbooks = buildCatalog(project.root, sitePages(await getCollection('docs')), project.config);
  return new Response(`${JSON.stringify({ version: 1, site: project.site || null, runbooks }, null, 2)}\n`, {
    headers: { 'Content-Type': 'application/json' },
  });
}
