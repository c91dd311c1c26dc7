import { z } from 'astro/zod';

/** A team or person handle, e.g. `@db-team`. */
const handle = z.string().regex(/^@[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9._-]+)?$/, 'must be a handle like "@db-team"');

/** One review that happened. */
const reviewEntry = z.object({
  /** When the review happened (YYYY-MM-DD). */
  date: z.coerce.date(),
  /** Who reviewed, as a handle. */
  reviewer: z.string(),
  /** What changed or was confirmed. */
  change: z.string(),
});

/** A snippet input declared under `vars:`. */
const variable = z.object({
  /** What the value is, shown in the variables form and CLI prompt. */
  description: z.string().optional(),
  /** A safe example value; doc tests run with it. */
  example: z.string().optional(),
  /** A regular expression the value must match. */
  pattern: z.string().optional(),
  /** The allowed values. */
  enum: z.array(z.string()).optional(),
  /** Secrets are never shown, stored, logged or put in copied text. */
  secret: z.boolean().optional(),
});

/**
 * Runbook frontmatter on top of Starlight's. The shape is checked here; the rules that
 * need positions and the whole site (owner required, ladder ids, unique shortlinks…)
 * live in the validation core so that findings carry file:line.
 */
export const runbookFields = z.object({
  /** `false` for pages that are not runbooks (the home page). */
  runbook: z.boolean().default(true),
  /** Owning team handle. */
  owner: handle.optional(),
  /** Services this runbook covers. */
  services: z.array(z.string()).default([]),
  /** One ladder id, or several when the scenario spans levels. */
  severity: z.union([z.string(), z.array(z.string())]).optional(),
  /** Slugs published as `/r/<slug>`, optionally pointing at a heading. */
  shortlinks: z.array(z.union([z.string(), z.object({ slug: z.string(), anchor: z.string().optional(), url: z.string().optional() })])).default([]),
  /** Ids of files in `src/content/slos/`. */
  slos: z.array(z.string()).default([]),
  /** Who to escalate to, in order. */
  escalation: z.array(z.union([handle, z.object({ who: z.string(), note: z.string().optional() })])).default([]),
  /** Review cadence and log. */
  review: z
    .object({
      /** Days between reviews. */
      every: z.number().int().positive().default(90),
      /** A planned review; shown, never counted as one. */
      next: z.coerce.date().optional(),
      /** Reviews that happened, oldest first. */
      log: z.array(reviewEntry).default([]),
    })
    .optional(),
  /** Inputs of the executable snippets. */
  vars: z.record(z.string(), variable).default({}),
});

/** The parsed runbook frontmatter fields. */
export type RunbookFields = z.infer<typeof runbookFields>;
