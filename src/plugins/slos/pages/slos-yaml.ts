// /slos.yaml: the site's SLOs as OpenSLO v1, one `Service` document per service and
// then one `SLO` per file, for tools that import OpenSLO (oslo, Nobl9, converters).
import { openSloDocuments } from '../openslo.ts';
import { toYamlStream } from '../serialize.ts';
import { sloSite } from './slo-site.ts';

/** The OpenSLO stream, with a comment saying where it comes from. */
export async function GET() {
  const { slos, citations, origin } = await sloSite();
  const comment =
    ' OpenSLO v1, generated from src/content/slos/ by the runbook site. The same documents as JSON: /slos.json.';
  return new Response(toYamlStream(openSloDocuments(slos, citations, origin), comment), {
    headers: { 'Content-Type': 'application/yaml; charset=utf-8' },
  });
}
