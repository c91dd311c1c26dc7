import { runbookLink, sloPageLink, type RunbookRef } from './citations.ts';
import { WINDOW_PLACEHOLDER, type Slo } from './schema.ts';

/** One Sloth alert (page or ticket): its routing labels, or disabled. */
export interface SlothAlert {
  disable?: true;
  labels?: Record<string, string>;
}

/** One SLO in a Sloth spec. */
export interface SlothSlo {
  name: string;
  objective: number;
  description: string;
  labels?: Record<string, string>;
  sli: { events: { error_query: string; total_query: string } };
  alerting: { name: string; annotations: { runbook: string }; page_alert: SlothAlert; ticket_alert: SlothAlert };
}

/** A Sloth `prometheus/v1` spec: one file per service. */
export interface SlothSpec {
  version: 'prometheus/v1';
  service: string;
  labels?: Record<string, string>;
  slos: SlothSlo[];
}

/** Our `{{window}}` placeholder in Sloth's Go-template spelling. */
export const slothQuery = (query: string) => query.replace(WINDOW_PLACEHOLDER, '{{.window}}');

/**
 * Sloth counts bad events, our files count good ones: bad = total − good. Both sides
 * are parenthesised so any aggregation in the user's queries keeps its meaning.
 */
export const errorQuery = (slo: Slo) =>
  `(${slothQuery(slo.indicator.ratio.total)}) - (${slothQuery(slo.indicator.ratio.good)})`;

/** `api-availability` → `ApiAvailabilityBudgetBurn`: a valid Prometheus alert name. */
export const alertName = (id: string) =>
  `${id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')}BudgetBurn`;

/**
 * Sloth has two alerts per SLO, page (fast burn) and ticket (slow burn), and picks
 * their burn rates and windows itself; our files list any number of alerts, each
 * with a ladder severity. So the most severe level among an SLO's alerts becomes the
 * page alert's `severity` label and the next one down the ticket alert's; an alert
 * with no level left over is disabled.
 */
function alertLevels(slo: Slo, ladderOrder: readonly string[]): { page: SlothAlert; ticket: SlothAlert } {
  const rank = (id: string) => (ladderOrder.includes(id) ? ladderOrder.indexOf(id) : ladderOrder.length);
  const levels = [...new Set(slo.alerts.map((a) => a.severity))].sort((a, b) => rank(a) - rank(b));
  const alert = (level: string | undefined): SlothAlert =>
    level ? { labels: { severity: level } } : { disable: true };
  return { page: alert(levels[0]), ticket: alert(levels[1]) };
}

/**
 * One Sloth spec per service that has Prometheus SLOs (Sloth reads nothing else),
 * sorted by service, SLOs by id. Each alert's `runbook` annotation is the `/r/` link
 * of the first runbook citing the SLO, or the SLO's page when none does.
 * `ladderOrder` lists ladder ids most severe first.
 */
export function slothSpecs(
  slos: readonly Slo[],
  citations: ReadonlyMap<string, readonly RunbookRef[]>,
  origin: string,
  ladderOrder: readonly string[],
): SlothSpec[] {
  const prometheus = slos.filter((s) => s.indicator.source === 'prometheus').sort((a, b) => (a.id < b.id ? -1 : 1));
  const services = [...new Set(prometheus.map((s) => s.service))].sort();
  return services.map((service) => {
    const own = prometheus.filter((s) => s.service === service);
    const owners = [...new Set(own.map((s) => s.owner))];
    // Labels go on every rule Sloth generates; the owner routes alerts to the team.
    // One owner for the service: set once at the top; several: per SLO.
    const shared = owners.length === 1;
    return {
      version: 'prometheus/v1',
      service,
      ...(shared ? { labels: { owner: owners[0] } } : {}),
      slos: own.map((slo): SlothSlo => {
        const first = citations.get(slo.id)?.[0];
        const { page, ticket } = alertLevels(slo, ladderOrder);
        return {
          name: slo.id,
          objective: slo.objective,
          description: slo.description,
          ...(shared ? {} : { labels: { owner: slo.owner } }),
          sli: { events: { error_query: errorQuery(slo), total_query: slothQuery(slo.indicator.ratio.total) } },
          alerting: {
            name: alertName(slo.id),
            annotations: { runbook: first ? runbookLink(first, origin) : sloPageLink(slo.id, origin) },
            page_alert: page,
            ticket_alert: ticket,
          },
        };
      }),
    };
  });
}

/**
 * The comment on top of a Sloth file: where it comes from, and the SLO period to
 * run Sloth with, since prometheus/v1 has no window field (Sloth's default is 30d).
 */
export function slothComment(spec: SlothSpec, slos: readonly Slo[]): string {
  const windows = [...new Set(slos.filter((s) => spec.slos.some((x) => x.name === s.id)).map((s) => s.window))].sort();
  const lines = [
    ` Sloth spec for ${spec.service}, generated from src/content/slos/ by the runbook site; edit those files, not this one.`,
  ];
  if (windows.length === 1)
    lines.push(` These SLOs use a ${windows[0]} window: run \`sloth generate --default-slo-period=${windows[0]}\`.`);
  else
    lines.push(
      ` These SLOs use different windows (${windows.join(', ')}); Sloth applies one period per run, so generate them separately.`,
    );
  return lines.join('\n');
}
