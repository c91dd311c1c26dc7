import { positionOf } from '../runbook/frontmatter.ts';
import type { RunbookFacts } from '../runbook/facts.ts';
import { at } from '../runbook/rule.ts';
import { didYouMean } from '../runbook/did-you-mean.ts';
import { pageAnchors, readable } from '../runbook/page.ts';
import type { Finding, Rule } from '../runbook/rule.ts';
import { externalProblem, reservedSlugs, shortlinkEntries, SLUG, type ShortlinkEntry } from './entries.ts';
import { LOCK_FILE, LockError, lockLine, readLock } from './lock.ts';
import { refusedFile, RepoPathError } from '../runbook/paths.ts';
import { findingsOf, schemaFindings } from '../runbook/schema-findings.ts';
import { OWNER, page, REVIEW, runbook } from '../runbook/examples.ts';

/** Rules about `/r/<slug>` shortlinks: valid, unique, not reserved, landing somewhere real, never silently gone. */
/** The examples' page section a shortlink may point at: its anchor is `roll-back`. */
const ROLL_BACK = '## Roll back\n\nRoll kestrel-api back to the last good release.\n';

/** The shortlink rules whose error on a page means its slugs are not settled yet: the lock waits for them. */
const UNLOCKED_CAUSES: readonly string[] = [
  'shortlink-invalid',
  'shortlink-reserved',
  'shortlink-duplicate',
  'shortlink-anchor-missing',
  'shortlink-destination',
];

export const shortlinkRules = [
  {
    id: 'shortlink-invalid',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      'Shortlink slugs are lower-case letters, digits and dashes (`^[a-z0-9][a-z0-9-]{0,62}$`), so /r/<slug> is one clean path segment.',
    hint: 'Use lower-case letters, digits and dashes only, e.g. `db-down`.',
    bad: { page: runbook(['shortlinks: [API/Down]']) },
    good: { page: runbook(['shortlinks: [api-down]']) },
    check: (all) => findingsOf(all, 'shortlink-invalid'),
  },
  {
    id: 'shortlink-reserved',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: 'Some slugs belong to the site itself and can never be shortlinks.',
    hint: 'Pick a more specific slug, e.g. `api-down` instead of `api`.',
    bad: { page: runbook(['shortlinks: [rules]']) },
    good: { page: runbook(['shortlinks: [api-rules-down]']) },
    check: (all, { config }) => {
      const reserved = reservedSlugs(config.shortlinks.reserved);
      return all.flatMap((f) =>
        shortlinkEntries(f.frontmatter.data)
          .filter((e) => typeof e.slug === 'string' && reserved.has(e.slug))
          .map((e) => at(f, e.path, `Shortlink "${String(e.slug)}" is reserved`)),
      );
    },
  },
  {
    id: 'shortlink-duplicate',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: 'A shortlink leads to exactly one runbook, site-wide.',
    hint: 'Keep the slug on one runbook and give the other a different one.',
    bad: {
      page: runbook(['shortlinks: [api-down]']),
      files: {
        ['src/content/runbooks/api/api-slow.md']: page(['title: API slow', OWNER, ...REVIEW, 'shortlinks: [api-down]']),
      },
    },
    good: {
      page: runbook(['shortlinks: [api-down]']),
      files: {
        ['src/content/runbooks/api/api-slow.md']: page(['title: API slow', OWNER, ...REVIEW, 'shortlinks: [api-slow]']),
      },
    },
    check: (all) => {
      const seen = new Map<string, { f: RunbookFacts; path: (string | number)[] }>();
      const out: Finding[] = [];
      for (const f of all) {
        for (const e of shortlinkEntries(f.frontmatter.data)) {
          if (typeof e.slug !== 'string') continue;
          const first = seen.get(e.slug);
          if (!first) seen.set(e.slug, { f, path: e.path });
          else {
            const where = `${first.f.file}:${positionOf(first.f.frontmatter, first.path).line}`;
            out.push(at(f, e.path, `Shortlink "${e.slug}" is already used by ${where}`));
          }
        }
      }
      return out;
    },
  },
  {
    id: 'shortlink-anchor-missing',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: 'A shortlink that points at a heading or a run block lands on something that exists.',
    hint: 'Use the anchor of a heading on this page (as in its URL) or a run block id.',
    bad: { page: runbook(['shortlinks: [{ slug: api-rollback, anchor: roll-bak }]'], ROLL_BACK) },
    good: { page: runbook(['shortlinks: [{ slug: api-rollback, anchor: roll-back }]'], ROLL_BACK) },
    check: (all) =>
      all.flatMap((f) =>
        shortlinkEntries(f.frontmatter.data)
          .filter((e) => e.anchor !== undefined)
          .flatMap((e) => {
            const anchors = pageAnchors(f);
            const anchor = String(e.anchor).replace(/^#/, '');
            if (anchors.has(anchor)) return [];
            const guess = didYouMean(anchor, [...anchors]);
            return [
              at(
                f,
                [e.path[0], e.path[1], 'anchor'],
                `Shortlink anchor "#${anchor}" is not a heading or run block on this page`,
                guess ? `Did you mean "${guess}"?` : undefined,
              ),
            ];
          }),
      ),
  },
  {
    id: 'shortlink-destination',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      'A shortlink leads to one of our pages, or to an https host on the allow-list; never `//host`, `javascript:` or `data:`.',
    hint: 'Point the shortlink at a runbook (a plain slug), or add the host to `shortlinks.allowHosts` in runbooks.config.yaml.',
    bad: { page: runbook(['shortlinks: [{ slug: status, url: "javascript:alert(1)" }]']) },
    good: {
      page: runbook(['shortlinks: [{ slug: status, url: "https://status.kestrel.example/" }]']),
      files: { 'runbooks.config.yaml': 'shortlinks:\n  allowHosts: [status.kestrel.example]\n' },
    },
    check: (all, { config }) =>
      all.flatMap((f) =>
        shortlinkEntries(f.frontmatter.data).flatMap((e) => {
          // A draft is left out of the published site: a shortlink to it would 404.
          if (e.url === undefined)
            return f.frontmatter.data.draft === true
              ? [
                  at(
                    f,
                    e.path,
                    `Shortlink "${String(e.slug)}" leads to this page, which is a draft and not published`,
                    'Publish the page (remove `draft: true`) or move the shortlink to a published page.',
                  ),
                ]
              : [];
          const problem =
            typeof e.url === 'string' ? externalProblem(e.url, config.shortlinks.allowHosts) : 'it is not text';
          return problem
            ? [
                at(
                  f,
                  [e.path[0], e.path[1], 'url'],
                  `Shortlink "${String(e.slug)}" cannot lead to ${JSON.stringify(e.url)}: ${problem}`,
                ),
              ]
            : [];
        }),
      ),
  },
  {
    id: 'shortlink-removed',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      'A published shortlink never silently 404s: a slug in shortlinks.lock must stay on some page (moved, or on a tombstone page that says where it went).',
    hint: 'Put the slug back on the runbook that replaced it (or on a short page explaining where it went); to drop it for good, run `npx runbook lock --drop <slug>` so the removal shows in review.',
    bad: {
      page: runbook(['shortlinks: [api-down]']),
      files: {
        [LOCK_FILE]:
          '{\n  "version": 1,\n  "slugs": {\n    "api-down": "/api/api-down/",\n    "api-outage": "/api/api-down/"\n  }\n}\n',
      },
    },
    good: {
      page: runbook(['shortlinks: [api-down, api-outage]']),
      files: {
        [LOCK_FILE]:
          '{\n  "version": 1,\n  "slugs": {\n    "api-down": "/api/api-down/",\n    "api-outage": "/api/api-down/"\n  }\n}\n',
      },
    },
    check: (all, { root, shortlinks }) => {
      let lock: Map<string, string> | undefined;
      try {
        lock = readLock(root);
      } catch (error) {
        if (error instanceof RepoPathError) return [refusedFile(LOCK_FILE, error)];
        if (error instanceof LockError) return []; // shortlink-lock-invalid reports it.
        throw error;
      }
      // While some page's frontmatter cannot be read, its slugs are unknown: say nothing
      // rather than report every slug it holds as removed.
      if (!lock || !all.every(readable)) return [];
      return [...lock.entries()]
        .filter(([slug]) => !shortlinks.has(slug))
        .map(([slug, target]) => ({
          file: LOCK_FILE,
          line: lockLine(root, slug),
          column: 3,
          message: `Published shortlink /r/${slug} (was ${target}) is no longer on any page`,
        }));
    },
  },
  {
    id: 'shortlink-unlocked',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: 'Every shortlink is recorded in shortlinks.lock, so a later removal is caught.',
    hint: 'Run `npx runbook fix` (or `npx runbook lock`) and commit shortlinks.lock.',
    followsFrom: UNLOCKED_CAUSES,
    bad: {
      page: runbook(['shortlinks: [api-down, api-outage]']),
      files: { [LOCK_FILE]: '{\n  "version": 1,\n  "slugs": {\n    "api-down": "/api/api-down/"\n  }\n}\n' },
    },
    good: {
      page: runbook(['shortlinks: [api-down, api-outage]']),
      files: {
        [LOCK_FILE]:
          '{\n  "version": 1,\n  "slugs": {\n    "api-down": "/api/api-down/",\n    "api-outage": "/api/api-down/"\n  }\n}\n',
      },
    },
    check: (all, { root, config, shortlinks }) => {
      let lock: Map<string, string> | undefined;
      try {
        lock = readLock(root);
      } catch (error) {
        if (error instanceof RepoPathError || error instanceof LockError) return []; // shortlink-removed or -lock-invalid reports it.
        throw error;
      }
      if (!lock) return [];
      const reserved = reservedSlugs(config.shortlinks.reserved);
      // A slug on two pages is shortlink-duplicate's finding; the lock takes it once it is on one.
      const once = (slug: string) => (shortlinks.get(slug)?.length ?? 0) <= 1;
      return all.flatMap((f) =>
        shortlinkEntries(f.frontmatter.data)
          .filter(
            (e) =>
              typeof e.slug === 'string' &&
              SLUG.test(e.slug) &&
              !reserved.has(e.slug) &&
              !lock.has(e.slug) &&
              once(e.slug) &&
              !misreadSlug(f, e),
          )
          .map((e) => at(f, e.path, `Shortlink "${String(e.slug)}" is not in shortlinks.lock`)),
      );
    },
  },
  {
    id: 'shortlink-lock-invalid',
    severity: 'error',
    phase: 'facts',
    baseline: false,
    summary:
      'shortlinks.lock is the file `npx runbook lock` writes (JSON: "slugs" mapping each published slug to its page), so removals can be checked against it.',
    hint: "Restore shortlinks.lock from git (`git checkout -- shortlinks.lock`), resolve a merge by keeping both sides' slugs, or run `npx runbook lock` to write it again.",
    bad: {
      page: runbook(['shortlinks: [api-down]']),
      files: { [LOCK_FILE]: '{\n  "version": 1,\n  "slugs": {\n    "api-down": "/api/api-down/",\n  }\n}\n' },
    },
    good: {
      page: runbook(['shortlinks: [api-down]']),
      files: { [LOCK_FILE]: '{\n  "version": 1,\n  "slugs": {\n    "api-down": "/api/api-down/"\n  }\n}\n' },
    },
    check: (_all, { root }) => {
      try {
        readLock(root);
        return [];
      } catch (error) {
        if (error instanceof LockError) return [{ file: LOCK_FILE, line: 1, column: 1, message: error.message }];
        return []; // A refused lock is shortlink-removed's finding.
      }
    },
  },
] as const satisfies readonly Rule<{
  root: string;
  config: { shortlinks: { reserved: string[]; allowHosts: string[] } };
  shortlinks: Map<string, RunbookFacts[]>;
}>[];

/**
 * Whether YAML misread a shortlink's slug (`010` read as 10): the page schema reports it
 * (frontmatter-type), and the slug is not the one written, so it is neither reported as
 * unlocked nor locked (`runbook fix` quotes it first; the lock is for good).
 */
export function misreadSlug(f: RunbookFacts, e: ShortlinkEntry): boolean {
  const { line, column } = positionOf(f.frontmatter, e.path);
  return schemaFindings(f).some((s) => s.rule === 'frontmatter-type' && s.line === line && s.column === column);
}

/**
 * The pages whose shortlinks have a finding of their own (an error of a rule
 * shortlink-unlocked follows from): `runbook fix` keeps their slugs as the lock has them,
 * and the table does not also report their slugs as unlocked.
 */
export function shortlinksHeld(
  diagnostics: readonly { ruleId: string; severity: string; file: string }[],
): Set<string> {
  return new Set(
    diagnostics.filter((d) => d.severity === 'error' && UNLOCKED_CAUSES.includes(d.ruleId)).map((d) => d.file),
  );
}
