import { docsSchema } from '@astrojs/starlight/schema';
import { z } from 'astro/zod';
import { asText, isMisreadScalar } from './coerce.ts';
import { parseDay } from './dates.ts';
import { HANDLE, isRunbookData, matchesWithin, SLUG, VAR_NAME } from './patterns.ts';

/*
 * The one definition of runbook frontmatter. Astro's content collection uses
 * `pageSchema` as it is; `runbook check` applies the very same schema to the same YAML
 * reading (js-yaml's default schema, as Astro's loader uses), so whatever the build
 * would reject, the check reports first, at the value's line. Issues that belong to a
 * named rule carry it as `params.rule`; the rest are `frontmatter-type`.
 *
 * A field that holds text takes what YAML read as a date, a number or a boolean as the
 * text {@link asText} gives back (`example: 2026-04-18T15:10:00Z` is that text on the
 * page), because the author wrote text. The check's schema also marks each such value
 * (`params.text`): the check accepts it only when that text is exactly what was written
 * (`1.10` read as 1.1 is a finding: quote it). Other fields take scalars as YAML reads them.
 */

/** Tags an issue with the rule that reports it. */
const rule = (id: string, message: string) => ({ message, params: { rule: id } });

/**
 * Text: a string, or a date, number or boolean YAML read from what was written, turned
 * back into text by {@link asText}. `checked` (the check's schema) marks each one turned
 * back with a non-aborting issue carrying that text, so the check can compare it with
 * what was written while the rest of the page (enum, pattern, unions) is still judged.
 */
const text = (checked: boolean) =>
  z.unknown().transform((v, ctx) => {
    if (typeof v === 'string') return v;
    const shown = isMisreadScalar(v) ? asText(v) : undefined;
    if (shown === undefined) {
      ctx.addIssue({ code: 'invalid_type', expected: 'string', input: v, message: 'Invalid input: expected string' });
      return z.NEVER;
    }
    if (checked)
      ctx.addIssue({ code: 'custom', message: 'read as text', params: { text: shown }, input: v, continue: true });
    return shown;
  });

/** A team or person handle, e.g. `@db-team`. */
const handle = (ruleId = 'frontmatter-type') =>
  z.string().refine((s) => HANDLE.test(s), rule(ruleId, 'must be a handle like "@db-team"'));

/**
 * A calendar day written YYYY-MM-DD: unquoted, YAML reads it as a date; quoted, as
 * text. Anything else (a time of day, `2026-13-01`, `last tuesday`) is refused.
 */
const day = z
  .unknown()
  .refine((v) => parseDay(v) !== undefined, rule('review-date-invalid', 'must be a date written YYYY-MM-DD'))
  .transform((v) => parseDay(v) as Date);

/**
 * Runbook frontmatter on top of Starlight's; `checked` for the check's copy (see {@link text}).
 * Context-free rules live here (types, handles, slugs, dates, variable names and patterns,
 * what a runbook page must have); rules that need the rest of the site (the ladder, SLO
 * files, unique slugs, anchors, the teams list, today) are rows of the rule table.
 */
function fieldsFor(checked: boolean) {
  /** One review that happened. */
  const reviewEntry = z.object({
    /** When the review happened (YYYY-MM-DD). */
    date: day,
    /** Who reviewed, as a handle. */
    reviewer: text(checked),
    /** What changed or was confirmed. */
    change: text(checked),
  });

  /** A regular expression a variable's value must match; it must compile. */
  const pattern = text(checked).refine(
    (source) => {
      try {
        new RegExp(source);
        return true;
      } catch {
        return false;
      }
    },
    rule('var-pattern-invalid', 'is not a valid regular expression'),
  );

  /** A snippet input declared under `vars:`; its example is a value it accepts. */
  const variable = z
    .object({
      /** What the value is, shown in the variables form and CLI prompt. */
      description: text(checked).optional(),
      /** A safe example value; doc tests run with it. */
      example: text(checked).optional(),
      /** A regular expression the value must match. */
      pattern: pattern.optional(),
      /** The allowed values. */
      enum: z.array(text(checked)).optional(),
      /** Secrets are never shown, stored, logged or put in copied text. */
      secret: z.boolean().optional(),
    })
    .superRefine((v, ctx) => {
      if (v.example === undefined) return;
      if (v.enum && !v.enum.includes(v.example))
        ctx.addIssue({
          code: 'custom',
          path: ['example'],
          ...rule('var-example-invalid', 'is not one of the enum values'),
        });
      // A pattern that backtracks on the example gives `timeout`: var-pattern-unsafe says why.
      else if (v.pattern !== undefined && matchesWithin(v.pattern, v.example) === false)
        ctx.addIssue({
          code: 'custom',
          path: ['example'],
          ...rule('var-example-invalid', `does not match the pattern ${v.pattern}`),
        });
    });

  /** A `/r/<slug>` slug. */
  const slug = text(checked).refine(
    (s) => SLUG.test(s),
    rule('shortlink-invalid', 'must be lower-case letters, digits and dashes, e.g. `db-down`'),
  );

  return z
    .object({
      /** `false` for pages that are not runbooks (the home page). */
      runbook: z.boolean().default(true),
      /** Owning team handle; required on runbook pages. */
      owner: handle('owner-invalid').optional(),
      /** Services this runbook covers. */
      services: z.array(text(checked)).default([]),
      /** One ladder id, or several when the scenario spans levels. */
      severity: z.union([text(checked), z.array(text(checked))]).optional(),
      /** Slugs published as `/r/<slug>`: a slug, `{ slug, anchor }` (a heading or run block), or `{ slug, url }` (an allow-listed https host). */
      shortlinks: z
        .array(
          z.union([
            slug,
            z.object({
              /** The slug. */
              slug,
              /** A heading anchor or run block id on this page. */
              anchor: text(checked).optional(),
              /** An https URL on an allow-listed host, instead of this page. */
              url: text(checked).optional(),
            }),
          ]),
        )
        .default([]),
      /** Ids of files in `src/content/slos/`. */
      slos: z.array(text(checked)).default([]),
      /** Who to escalate to, in order: a handle, or a contact with a note. */
      escalation: z
        .array(
          z.union([
            handle(),
            z.object({
              /** A handle, a rota or a phone line. */
              who: text(checked),
              /** When to go to them. */
              note: text(checked).optional(),
            }),
          ]),
        )
        .default([]),
      /** Review cadence and log. */
      review: z
        .object({
          /** Days between reviews; `review.every` in runbooks.config.yaml when absent. */
          every: z.number().int().positive().optional(),
          /** A planned review; shown, never counted as one. */
          next: day.optional(),
          /** Reviews that happened, oldest first. */
          log: z.array(reviewEntry).default([]),
        })
        .optional(),
      /** Inputs of the executable snippets, by name (`[A-Z_][A-Z0-9_]*`). */
      vars: z
        .record(
          z
            .string()
            .refine(
              (name) => VAR_NAME.test(name),
              rule('var-name-invalid', 'must be upper-case letters, digits and underscores'),
            ),
          variable,
        )
        .default({}),
    })
    .superRefine((data, ctx) => {
      // What makes a page a runbook: someone owns it and someone has reviewed it.
      if (!isRunbookData(data)) return;
      if (data.owner === undefined)
        ctx.addIssue({ code: 'custom', path: [], ...rule('owner-missing', 'The runbook has no `owner`') });
      if (!data.review || data.review.log.length === 0)
        ctx.addIssue({
          code: 'custom',
          path: data.review ? ['review', 'log'] : data.review === undefined ? [] : ['review'],
          ...rule('review-missing', 'The runbook has no review log entry'),
        });
    });
}

/** Runbook frontmatter on top of Starlight's, as the site reads it (see {@link fieldsFor}). */
export const runbookFields = fieldsFor(false);

/** What the build checks a page's frontmatter with: Starlight's fields plus {@link runbookFields}. */
export const pageSchema = docsSchema({ extend: runbookFields });

/** The parsed runbook frontmatter fields. */
export type RunbookFields = z.infer<typeof runbookFields>;

let checking: ReturnType<ReturnType<typeof docsSchema<ReturnType<typeof fieldsFor>>>> | undefined;
/** The page schema as `runbook check` applies it, built once: images are checked as links (links/), not imported. */
export const checkSchema = () =>
  (checking ??= docsSchema({ extend: fieldsFor(true) })({ image: () => z.string() as never }));

/** The frontmatter keys a page may have: Starlight's and ours, read off the schema itself. */
export const knownKeys = (): string[] =>
  Object.keys((checkSchema() as unknown as { shape: Record<string, unknown> }).shape);
