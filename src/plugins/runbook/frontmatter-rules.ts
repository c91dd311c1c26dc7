import { isPlain, positionOfKey, valueAt } from './frontmatter.ts';
import { z } from 'zod';
import type { RunbookFacts } from './facts.ts';
import { didYouMean } from './did-you-mean.ts';
import { isRunbook } from './page.ts';
import { at, type Rule } from './rule.ts';

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

const runbooks = (all: readonly RunbookFacts[]) => all.filter(isRunbook);

/** Rules about runbook metadata. */
export const frontmatterRules: Rule<{ config: { teams?: string[] } }>[] = [
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
];

