import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from './mulberry32.ts';

/** Every run generates the same files. */
const random = mulberry32;

/** The services generated runbooks belong to (the quick-jump benchmark queries them). */
export const SERVICES = [
  'billing',
  'search',
  'gateway',
  'ledger',
  'notifier',
  'ingest',
  'reports',
  'sessions',
  'exports',
  'webhooks',
];
const TEAMS = ['@core-team', '@data-team', '@edge-team', '@growth-team', '@infra-team'];
const VERBS = ['drain', 'restart', 'inspect', 'scale', 'pause', 'resume', 'rotate', 'flush'];
const WORDS =
  'queue latency replica shard cache token worker pool budget alert deploy rollback region quota lease backlog disk memory socket probe'.split(
    ' ',
  );

/**
 * Review dates relative to today, so the set stays as fresh as a maintained repo
 * whenever the benchmark runs: one runbook in 25 is overdue, the rest were reviewed
 * in the last 80 days.
 */
function reviewDate(i: number): string {
  const daysAgo = i % 25 === 0 ? 120 + (i % 50) : i % 80;
  return new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Writes `count` realistic runbooks (about 8 KB each: frontmatter, sections, lists,
 * asides, links and several fenced commands) into `dir`, grouped by service.
 */
export function generateRunbooks(dir: string, count: number, seed = 42): string[] {
  const rnd = random(seed);
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)];
  const sentence = (n: number) => {
    const words = Array.from({ length: n }, () => pick(WORDS));
    return `${words.join(' ').replace(/^\w/, (c) => c.toUpperCase())}.`;
  };
  const paragraph = () =>
    Array.from({ length: 4 + Math.floor(rnd() * 4) }, () => sentence(8 + Math.floor(rnd() * 10))).join(' ');
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const service = SERVICES[i % SERVICES.length];
    const slug = `${service}-incident-${i}`;
    const lines = [
      '---',
      `title: ${service} ${pick(WORDS)} ${pick(WORDS)} (${i})`,
      `description: ${sentence(10)}`,
      `owner: "${pick(TEAMS)}"`,
      `services: [${service}]`,
      `severity: SEV-${1 + (i % 4)}`,
      `shortlinks: [${slug}]`,
      'review:',
      '  every: 90',
      '  log:',
      `    - { date: ${reviewDate(i)}, reviewer: "@rev${i % 7}", change: "Reviewed" }`,
      'vars:',
      '  TARGET: { description: "Host to act on", example: "db-1.internal" }',
      '---',
      '',
      `## When to use this`,
      '',
      paragraph(),
      '',
      ':::caution',
      sentence(12),
      ':::',
      '',
    ];
    for (let s = 0; s < 6; s++) {
      lines.push(`## Step ${s + 1}: ${pick(VERBS)} the ${pick(WORDS)}`, '', paragraph(), '');
      lines.push(
        `- ${sentence(6)}`,
        `- ${sentence(7)}`,
        `- See [the ${pick(WORDS)} runbook](/${SERVICES[(i + s) % SERVICES.length]}/${SERVICES[(i + s) % SERVICES.length]}-incident-${(i + s) % count}/).`,
        '',
      );
      lines.push(
        `\`\`\`bash run id=step-${s + 1} safety=${s < 3 ? 'read-only' : 'mutating'} title="${pick(VERBS)} ${pick(WORDS)}"`,
        `kubectl -n ${service} get pods -l app=${service} -o wide`,
        `curl --fail --max-time 5 "https://$TARGET/healthz"`,
        '```',
        '',
      );
    }
    const rel = join(service, `${slug}.md`);
    mkdirSync(join(dir, service), { recursive: true });
    writeFileSync(join(dir, rel), lines.join('\n'));
    files.push(rel);
  }
  return files;
}
