// /sloth/<service>.yaml: one Sloth prometheus/v1 spec per service with Prometheus
// SLOs (Sloth cannot read OpenSLO v1, and reads no other metric source).
import { toYaml } from '../serialize.ts';
import { slothComment, slothSpecs, type SlothSpec } from '../sloth.ts';
import { sloSite } from './slo-site.ts';

/** One path per service that has a Sloth spec. */
export async function getStaticPaths() {
  const { slos, citations, origin, ladderOrder } = await sloSite();
  return slothSpecs(slos, citations, origin, ladderOrder).map((spec) => ({
    params: { service: spec.service },
    props: { spec, comment: slothComment(spec, slos) },
  }));
}

/** The spec of one service. */
export function GET({ props }: { props: { spec: SlothSpec; comment: string } }) {
  return new Response(toYaml(props.spec, props.comment), {
    headers: { 'Content-Type': 'application/yaml; charset=utf-8' },
  });
}
