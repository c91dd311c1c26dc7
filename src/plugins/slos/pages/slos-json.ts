// /slos.json: exactly the documents of /slos.yaml, as a JSON array in the same order
// (Service documents first, then SLOs), for tools that would rather not parse YAML.
import { openSloDocuments } from '../openslo.ts';
import { toJson } from '../serialize.ts';
import { sloSite } from './slo-site.ts';

/** The OpenSLO documents as one JSON array. */
export async function GET() {
  const { slos, citations, origin } = await sloSite();
  return new Response(toJson(openSloDocuments(slos, citations, origin)), {
    headers: { 'Content-Type': 'application/json' },
  });
}
