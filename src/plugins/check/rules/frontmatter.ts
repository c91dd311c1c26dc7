import { isPlain, positionOf, positionOfKey } from '../../frontmatter.ts';
import { z } from 'zod';
import type { RunbookFacts } from '../collect.ts';
import { placeInBlock, runBlocks, runIds, isRunbook, type Finding, type Rule } from './types.ts';
import { variableUses } from '../snippet.ts';

/** Frontmatter keys Starlight understands. */
const STARLIGHT_KEYS = ['title', 'description', 'slug', 'editUrl', 'head', 'tableOfContents', 'template', 'hero', 'banner', 'lastUpdated', 'prev', 'next', 'pagefind', 'draft', 'sidebar'];
/** Frontmatter keys runbooks add. */
const RUNBOOK_KEYS = ['runbook', 'owner', 'services', 'severity', 'shortlinks', 'slos', 'escalation', 'review', 'vars'];
const KNOWN_KEYS = [...STARLIGHT_KEYS, ...RUNBOOK_KEYS];

/** What YAML 1.1 (js-yaml's default, so Astro's) resolves as a timestamp. */
const YAML_TIMESTAMP = /^\d{4}-\d\d?-\d\d?([Tt ]|$)/;
const HANDLE = /^@[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9._-]+)?$/;

/** The shape of runbook frontmatter, for type errors with a path (dates are checked by the review rules). */
const shape = z.object({
  title: z.string(),
  description: z.string().optional(),
  runbook: z.boolean().optional(),
  owner: z.string().optional(),
  services: z.array(z.string()).optional(),
  severity: z.union([z.string(), z.array(z.string())]).optional(),
  shortlinks: z.array(z.union([z.string(), z.object({ slug: z.string(), anchor: z.string().optional(), url: z.string().optional() })])).optional(),
  slos: z.array(z.string()).optional(),
  escalation: z.array(z.union([z.string(), z.object({ who: z.string(), note: z.string().optional() })])).optional(),
  review: z.object({ every: z.number().int().positive().optional(), next: z.unknown().optional(), log: z.array(z.object({ date: z.unknown(), reviewer: z.string(), change: z.string() })).optional() }).optional(),
  vars: z.record(z.string(), z.object({ description: z.string().optional(), example: z.string().optional(), pattern: z.string().optional(), enum: z.array(z.string()).optional(), secret: z.boolean().optional() })).optional(),
});

const TYPE_NAMES: Record<string, string> = { string: 'a string', array: 'a list', object: 'a mapping', number: 'a number', boolean: 'true or false', int: 'a whole number' };
const describeValue = (v: unknown) => (Array.isArray(v) ? 'a list' : v === null ? 'empty' : typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`);

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** Edit distance, for did-you-mean suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** The closest known word to `word`, if it is close enough to be a typo. */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(word.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

/** A valid calendar date written YYYY-MM-DD, as UTC midnight; undefined otherwise. */
export function parseDay(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value) ? d : undefined;
}

/** A finding at a frontmatter value. */
export const at = (f: RunbookFacts, path: readonly (string | number)[], message: string, hint?: string): Finding => ({ file: f.file, ...positionOf(f.frontmatter, path), message, hint });
const runbooks = (all: readonly RunbookFacts[]) => all.filter(isRunbook);

/** Rules about runbook metadata. */
export const frontmatterRules: Rule[] = [
  {
    id: 'frontmatter-type', severity: 'error',
    summary: 'Each frontmatter field has the type the site and the tools expect.',
    hint: 'Give the field the type shown in the message; see "Writing a runbook" in the README.',
    bad: 'owner: ["@db-team", "@sre-team"]', good: 'owner: "@db-team"\nescalation: ["@sre-team"]',
    check: (all) =>
      all.filter((f) => f.problems.length === 0 && f.frontmatter.errors.length === 0).flatMap((f) => {
        // Astro reads unquoted dates as dates; the checker keeps them as text, so catch
        // the text fields a date would break here.
        const dated = ['title', 'description', 'owner'].filter(
          (key) => typeof f.frontmatter.data[key] === 'string' && YAML_TIMESTAMP.test(f.frontmatter.data[key] as string) && isPlain(f.frontmatter, [key]),
        );
        const asDates = dated.map((key) => at(f, [key], `\`${key}\` is read as a date, not text`, `Quote it: ${key}: "${String(f.frontmatter.data[key])}"`));
        const result = shape.safeParse(f.frontmatter.data);
        if (result.success) return asDates;
        return asDates.concat(result.error.issues
          .filter((issue) => issue.code !== 'unrecognized_keys')
          .map((issue) => {
            const path = issue.path as (string | number)[];
            const got = valueAt(f.frontmatter.data, path);
            const expected = issue.code === 'invalid_type' ? TYPE_NAMES[issue.expected] ?? issue.expected : issue.code === 'invalid_union' ? 'another type' : issue.message;
            return at(f, path, got === undefined ? `\`${path.join('.')}\` is required` : `\`${path.join('.')}\` must be ${expected}, not ${describeValue(got)}`);
          }));
      }),
  },
  {
    id: 'frontmatter-unknown-key', severity: 'warning',
    summary: 'Unknown frontmatter keys are usually typos of a field that then silently does nothing.',
    hint: 'Rename the key to a known field, or remove it.',
    bad: 'severty: SEV-1', good: 'severity: SEV-1',
    check: (all) =>
      all.flatMap((f) =>
        Object.keys(f.frontmatter.data)
          .filter((key) => !KNOWN_KEYS.includes(key))
          .map((key) => {
            const guess = didYouMean(key, KNOWN_KEYS);
            return { ...at(f, [key], `Unknown frontmatter key \`${key}\`${guess ? `; did you mean \`${guess}\`?` : ''}`), ...positionOfKey(f.frontmatter, key), hint: guess ? `Rename it to \`${guess}\`.` : undefined };
          }),
      ),
  },
  {
    id: 'owner-missing', severity: 'error',
    summary: 'Every runbook names an owning team, so there is someone to ask and to page.',
    hint: 'Add `owner: "@your-team"` to the frontmatter.',
    bad: 'title: Disk full', good: 'title: Disk full\nowner: "@infra-team"',
    check: (all) => runbooks(all).filter((f) => f.frontmatter.data.owner === undefined).map((f) => at(f, [], 'The runbook has no `owner`')),
  },
  {
    id: 'owner-invalid', severity: 'error',
    summary: 'An owner is a handle (`@team`), and one of the configured teams when a list is set.',
    hint: 'Write the owner as a quoted handle, e.g. `owner: "@db-team"`.',
    bad: 'owner: db team', good: 'owner: "@db-team"',
    check: (all, { config }) =>
      runbooks(all).flatMap((f) => {
        const owner = f.frontmatter.data.owner;
        if (typeof owner !== 'string') return [];
        if (!HANDLE.test(owner)) return [at(f, ['owner'], `Owner "${owner}" is not a handle like "@db-team"`)];
        if (config.teams && !config.teams.includes(owner)) {
          const guess = didYouMean(owner, config.teams);
          return [at(f, ['owner'], `Owner "${owner}" is not in the teams list`, guess ? `Did you mean "${guess}"? Teams are listed in runbooks.config.yaml.` : 'Use a team from `teams:` in runbooks.config.yaml, or add it there.')];
        }
        return [];
      }),
  },
  {
    id: 'review-missing', severity: 'error',
    summary: 'Every runbook records at least one review, so readers know it was checked by someone.',
    hint: 'Add `review: { log: [{ date: YYYY-MM-DD, reviewer: "@you", change: "Initial runbook" }] }`.',
    bad: 'review:\n  every: 90', good: 'review:\n  every: 90\n  log:\n    - { date: 2026-06-18, reviewer: "@alice", change: "Initial runbook" }',
    check: (all) =>
      runbooks(all).flatMap((f) => {
        const log = valueAt(f.frontmatter.data, ['review', 'log']);
        if (Array.isArray(log) && log.length > 0) return [];
        return [at(f, log === undefined ? (f.frontmatter.data.review === undefined ? [] : ['review']) : ['review', 'log'], 'The runbook has no review log entry')];
      }),
  },
  {
    id: 'review-date-invalid', severity: 'error',
    summary: 'Review dates are real calendar dates written YYYY-MM-DD.',
    hint: 'Write the date as YYYY-MM-DD, e.g. `2026-06-18`.',
    bad: '- { date: last tuesday, reviewer: "@alice", change: "…" }', good: '- { date: 2026-06-18, reviewer: "@alice", change: "…" }',
    check: (all) =>
      runbooks(all).flatMap((f) => {
        const out: Finding[] = [];
        const log = valueAt(f.frontmatter.data, ['review', 'log']);
        if (Array.isArray(log)) log.forEach((entry, i) => {
          const date = (entry as { date?: unknown })?.date;
          if (!parseDay(date)) out.push(at(f, ['review', 'log', i, 'date'], date === undefined ? 'The review entry has no `date`' : `Review date ${JSON.stringify(date)} is not a YYYY-MM-DD date`));
        });
        const next = valueAt(f.frontmatter.data, ['review', 'next']);
        if (next !== undefined && !parseDay(next)) out.push(at(f, ['review', 'next'], `\`review.next\` ${JSON.stringify(next)} is not a YYYY-MM-DD date`));
        return out;
      }),
  },
  {
    id: 'review-date-future', severity: 'error',
    summary: 'The review log holds reviews that happened; a planned review goes in `review.next`.',
    hint: 'Fix the date, or move the planned review to `review.next`.',
    bad: 'log:\n  - { date: 2099-01-01, … }', good: 'next: 2099-01-01',
    check: (all, { today }) =>
      runbooks(all).flatMap((f) => {
        const log = valueAt(f.frontmatter.data, ['review', 'log']);
        if (!Array.isArray(log)) return [];
        return log.flatMap((entry, i) => {
          const d = parseDay((entry as { date?: unknown })?.date);
          return d && d.getTime() > today.getTime() ? [at(f, ['review', 'log', i, 'date'], `Review date ${d.toISOString().slice(0, 10)} is in the future`)] : [];
        });
      }),
  },
  {
    id: 'review-overdue', severity: 'warning',
    summary: 'A runbook whose last review is older than `review.every` days may no longer be true.',
    hint: 'Walk through the runbook, fix what changed, and add a review log entry.',
    bad: 'every: 90, last review 200 days ago', good: 'a review log entry from this quarter',
    check: (all, { today, config }) =>
      runbooks(all).flatMap((f) => {
        const log = valueAt(f.frontmatter.data, ['review', 'log']);
        if (!Array.isArray(log)) return [];
        const dates = log.map((e) => parseDay((e as { date?: unknown })?.date)).filter((d): d is Date => Boolean(d));
        if (dates.length === 0) return [];
        const every = valueAt(f.frontmatter.data, ['review', 'every']);
        const days = typeof every === 'number' && every > 0 ? every : config.review.every;
        const last = Math.max(...dates.map((d) => d.getTime()));
        const age = Math.floor((today.getTime() - last) / 86_400_000);
        if (age <= days) return [];
        const index = dates.findIndex((d) => d.getTime() === last);
        return [{ ...at(f, ['review', 'log', index, 'date'], `Last review was ${age} days ago; reviews are due every ${days} days`), severity: config.review.overdue }];
      }),
  },
  {
    id: 'slo-unknown', severity: 'error',
    summary: 'Every SLO a runbook cites has its file in src/content/slos/.',
    hint: 'Fix the id, or add src/content/slos/<id>.yaml.',
    bad: 'slos: [api-availabilty]', good: 'slos: [api-availability]',
    check: (all, { slos }) =>
      all.flatMap((f) => {
        const list = f.frontmatter.data.slos;
        if (!Array.isArray(list)) return [];
        return list.flatMap((id, i) => {
          if (typeof id !== 'string' || slos.has(id)) return [];
          const guess = didYouMean(id, [...slos]);
          return [at(f, ['slos', i], `Unknown SLO "${id}"`, guess ? `Did you mean "${guess}"?` : `Add src/content/slos/${id}.yaml, or use one of: ${[...slos].join(', ') || '(none yet)'}.`)];
        });
      }),
  },
  {
    id: 'var-undeclared', severity: 'error',
    summary: 'Every `$VAR` a run block uses is declared under `vars:`, so the page form and the CLI can ask for it.',
    hint: 'Declare it: `vars: { NAME: { description: "…", example: "…" } }`.',
    bad: '```bash run id=x safety=read-only\ncurl "$API_URL"\n```', good: 'vars:\n  API_URL: { description: "Health URL", example: "https://api.example.com/health" }',
    check: (all) =>
      all.filter(readable).flatMap((f) => {
        const declared = declaredVars(f);
        return runBlocks(f).flatMap((block) =>
          variableUses(block.value)
            .filter((u) => !declared.has(u.name))
            .map((u) => {
              const place = placeInBlock(block, u.offset);
              return { file: f.file, ...place, message: `Variable $${u.name} is not declared under \`vars:\`` };
            }),
        );
      }),
  },
  {
    id: 'var-unused', severity: 'warning',
    summary: 'A declared variable that no run block uses is dead weight in the form and the prompts.',
    hint: 'Remove it from `vars:`, or use it in a run block.',
    bad: 'vars: { OLD_HOST: { … } } (used nowhere)', good: 'vars: {} ',
    check: (all) =>
      all.filter(readable).flatMap((f) => {
        const used = new Set(runBlocks(f).flatMap((b) => variableUses(b.value).map((u) => u.name)));
        return [...declaredVars(f)].filter((name) => !used.has(name)).map((name) => ({ ...at(f, ['vars', name], `Variable ${name} is declared but no run block uses it`), ...positionOfKey(f.frontmatter, name, ['vars']) }));
      }),
  },
];

/** Pages whose frontmatter could be read: the rules that need its values skip the rest (one YAML error, not a cascade). */
export const readable = (f: RunbookFacts) => f.frontmatter.errors.length === 0 && f.problems.every((p) => p.kind === 'too-large');

function declaredVars(f: RunbookFacts): Set<string> {
  const vars = f.frontmatter.data.vars;
  return new Set(vars && typeof vars === 'object' && !Array.isArray(vars) ? Object.keys(vars) : []);
}

/** Anchors a page offers: heading slugs, run block ids, and Starlight's `_top`. */
export function pageAnchors(f: RunbookFacts): Set<string> {
  return new Set(['_top', ...f.headings.map((h) => h.slug), ...runIds(f)]);
}
