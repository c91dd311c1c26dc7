import type { RunbookFacts } from './facts.ts';
import { positionOf, positionOfKey } from './frontmatter.ts';
import { takenBySite, urlKey } from './paths.ts';
import { didYouMean } from './did-you-mean.ts';
import { isRunbook } from './page.ts';
import { at, type Rule } from './rule.ts';
import { knownKeys } from './schema.ts';
import { findingsOf, schemaFindings } from './schema-findings.ts';
import { trimEnd } from './text.ts';
import { OWNER, page, REVIEW, runbook, TITLE } from './examples.ts';

let known: string[] | undefined;
/** A URL with its combining marks spelled out (`cafe\u0301`), so two forms that look alike read apart. */
const shown = (url: string) => url.replace(/\p{M}/gu, (m) => `\\u${m.codePointAt(0)!.toString(16).padStart(4, '0')}`);

/** Every key the page schema knows, Starlight's and ours. */
// `slug` is Astro's own (the glob loader takes it out of the data before the schema sees it).
const KNOWN_KEYS = () => (known ??= [...knownKeys(), 'slug']);

const runbooks = (all: readonly RunbookFacts[]) => all.filter(isRunbook);

/** Rules about runbook metadata. */
export const frontmatterRules = [
  {
    id: 'frontmatter-type',
    severity: 'error',
    phase: 'facts',
    baseline: false,
    summary: 'Each frontmatter field has the type the site and the tools expect.',
    hint: 'Give the field the type shown in the message; see "Writing a runbook" in the README.',
    bad: { page: page([TITLE, 'owner: ["@platform-team", "@sre-team"]', ...REVIEW]) },
    good: { page: runbook(['escalation: ["@sre-team"]']) },
    check: (all) => findingsOf(all, 'frontmatter-type'),
  },
  {
    id: 'frontmatter-unknown-key',
    severity: 'warning',
    phase: 'facts',
    baseline: true,
    summary: 'Unknown frontmatter keys are usually typos of a field that then silently does nothing.',
    hint: 'Rename the key to a known field, or remove it.',
    bad: { page: runbook(['severty: SEV-1']) },
    good: { page: runbook(['severity: SEV-1']) },
    check: (all) =>
      all.flatMap((f) =>
        Object.keys(f.frontmatter.data)
          .filter((key) => !KNOWN_KEYS().includes(key))
          .map((key) => {
            const guess = didYouMean(key, KNOWN_KEYS());
            return {
              ...at(f, [key], `Unknown frontmatter key \`${key}\`${guess ? `; did you mean \`${guess}\`?` : ''}`),
              ...positionOfKey(f.frontmatter, key),
              hint: guess ? `Rename it to \`${guess}\`.` : undefined,
            };
          }),
      ),
  },
  {
    id: 'owner-missing',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: 'Every runbook names an owning team, so there is someone to ask and to page.',
    hint: 'Add `owner: "@your-team"` to the frontmatter.',
    bad: { page: page([TITLE, ...REVIEW]) },
    good: { page: runbook() },
    check: (all) => findingsOf(all, 'owner-missing'),
  },
  {
    id: 'owner-invalid',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: 'An owner is a handle (`@team`), and one of the configured teams when a list is set.',
    hint: 'Write the owner as a quoted handle, e.g. `owner: "@db-team"`.',
    bad: { page: page([TITLE, 'owner: platform team', ...REVIEW]) },
    good: { page: runbook() },
    check: (all, { config }) => {
      const teams = config.teams;
      // Any page's owner must be a handle (the schema says so); the teams list applies to runbooks.
      const notTeams = !teams
        ? []
        : runbooks(all).flatMap((f) => {
            const owner = f.frontmatter.data.owner;
            if (
              typeof owner !== 'string' ||
              teams.includes(owner) ||
              schemaFindings(f).some((s) => s.rule === 'owner-invalid')
            )
              return [];
            const guess = didYouMean(owner, teams);
            return [
              at(
                f,
                ['owner'],
                `Owner "${owner}" is not in the teams list`,
                guess
                  ? `Did you mean "${guess}"? Teams are listed in runbooks.config.yaml.`
                  : 'Use a team from `teams:` in runbooks.config.yaml, or add it there.',
              ),
            ];
          });
      return [...findingsOf(all, 'owner-invalid'), ...notTeams];
    },
  },
  {
    id: 'page-url-conflict',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      'Every page has a URL of its own: two pages on one URL, or a page on a path the site uses itself (/r/, /rules/, /slos/, …), means Astro silently drops one of them.',
    hint: 'Rename the file or change its `slug:` so the page gets a URL of its own.',
    bad: { page: runbook(), files: { 'src/content/runbooks/api/api down.md': runbook() } },
    good: {
      page: runbook(),
      files: { 'src/content/runbooks/api/api-slow.md': page(['title: API slow', OWNER, ...REVIEW]) },
    },
    check: (all, context) => {
      const seen = new Map<string, RunbookFacts>();
      return all.flatMap((f) => {
        const slug = f.frontmatter.data.slug;
        const at = slug === undefined ? { line: 1, column: 1 } : positionOf(f.frontmatter, ['slug']);
        if (slug !== undefined && typeof slug !== 'string' && typeof slug !== 'number')
          return [
            {
              file: f.file,
              ...at,
              message: `\`slug\` must be text, not ${JSON.stringify(slug)}`,
              hint: 'Quote it: slug: "…"',
            },
          ];
        // The URL goes into redirects, links and HTML as it is: one clean path, no slash at either end (Astro keeps them, and the page 404s),
        // no `.` or `..` segment (a browser resolves them away, and Astro's build stops on `slug: ../x` with NoMatchingStaticPathFound).
        if (
          typeof slug === 'string' &&
          (!/^[^\s\x00-\x1f\x7f"'<>\\`#?%/][^\s\x00-\x1f\x7f"'<>\\`#?%]*$/.test(slug) ||
            slug.split('/').some((s) => s === '.' || s === '..'))
        )
          return [
            {
              file: f.file,
              ...at,
              message: `\`slug\` ${JSON.stringify(slug)} is not a clean URL path`,
              hint: 'Use letters, digits, dashes and inner slashes, e.g. slug: guides/queue-stuck',
            },
          ];
        if (typeof slug === 'string' && slug.endsWith('/'))
          return [
            {
              file: f.file,
              ...at,
              message: `\`slug\` ${JSON.stringify(slug)} ends with a slash`,
              hint: `Write it without: slug: ${trimEnd(slug, '/')}`,
            },
          ];
        // Astro cannot read a file whose name holds # or ? (it reads up to that character) and drops the page.
        if (/[#?]/.test(f.entry))
          return [
            {
              file: f.file,
              line: 1,
              column: 1,
              message: 'The file name holds `#` or `?`: Astro cannot read the file and leaves the page out',
              hint: 'Rename the file with letters, digits and dashes.',
            },
          ];
        if (takenBySite(f.url, context))
          return [
            {
              file: f.file,
              ...at,
              message: `The page's URL ${f.url} belongs to the site's own pages`,
              hint: 'Pick another `slug:` or file name; the site publishes /r/…, /rules/<rule>/, /slos/<slo>/ and its JSON and YAML files itself.',
            },
          ];
        const first = seen.get(urlKey(f.url));
        if (!first) {
          seen.set(urlKey(f.url), f);
          return [];
        }
        // Two file names that look the same: one in NFD (as macOS writes it), one in NFC.
        if (first.url === f.url && first.file !== f.file && first.file.normalize('NFC') === f.file.normalize('NFC')) {
          return [
            {
              file: f.file,
              ...at,
              message: `The page's URL ${f.url} is already ${shown(first.file)}'s: the two file names differ only in Unicode form (${shown(f.file)} and ${shown(first.file)}), and Astro publishes both as one URL`,
              hint: 'Delete one of the two files (keep the one written in NFC), or merge them.',
            },
          ];
        }
        if (first.url === f.url)
          return [
            {
              file: f.file,
              ...at,
              message: `The page's URL ${f.url} is already ${first.file}'s; Astro would publish only one of them`,
            },
          ];
        return [
          {
            file: f.file,
            ...at,
            message: `The page's URL ${f.url} is ${first.file}'s URL ${first.url} but for letter case; a case-insensitive file system or host (a macOS or Windows checkout) keeps only one of them`,
          },
        ];
      });
    },
  },
] as const satisfies readonly Rule<{ config: { teams?: string[] }; ruleIds: Set<string>; slos: Set<string> }>[];
