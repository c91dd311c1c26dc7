import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

/** Slugs that can never be shortlinks: they would shadow the site's own routes. */
export const BUILTIN_RESERVED_SLUGS = ['r', 'api', 'rules', 'slos', 'runbooks', 'shortlinks', 'search', 'assets', '_astro', 'pagefind', 'index', 'new', '404'];

const configSchema = z.object({
  /** Allowed owner handles; when set, `owner` must be one of them. */
  teams: z.array(z.string()).optional(),
  review: z
    .object({
      /** Default days between reviews when a runbook does not say. */
      every: z.number().int().positive().default(90),
      /** How an overdue review is reported. */
      overdue: z.enum(['warning', 'error']).default('warning'),
    })
    .default({ every: 90, overdue: 'warning' }),
  /** Folders whose files runbooks may run or link to. */
  scriptRoots: z.array(z.string()).default(['ops', 'bin', 'scripts']),
  shortlinks: z
    .object({
      /** Extra slugs nobody may claim, on top of the built-in ones. */
      reserved: z.array(z.string()).default([]),
      /** Hosts a shortlink may lead to with `{ slug, url }` (https only). */
      allowHosts: z.array(z.string()).default([]),
    })
    .default({ reserved: [], allowHosts: [] }),
  /** Where repository files outside the site are browsed, e.g. `https://github.com/org/repo/blob/main/`. */
  repoUrl: z.string().optional(),
  /** Files larger than this many bytes get a warning. */
  maxFileBytes: z.number().int().positive().default(1_000_000),
});

/** The project's checker settings (`runbooks.config.yaml`, all optional). */
export type ProjectConfig = z.infer<typeof configSchema>;

/** The config file name, at the project root. */
export const CONFIG_FILE = 'runbooks.config.yaml';

/** Reads `runbooks.config.yaml` if present; defaults otherwise. Throws with the file's problem. */
export function loadProjectConfig(root: string): ProjectConfig {
  const path = join(root, CONFIG_FILE);
  let raw: unknown = {};
  try {
    raw = existsSync(path) ? parse(readFileSync(path, 'utf8')) ?? {} : {};
  } catch (error) {
    throw new Error(`${CONFIG_FILE} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${CONFIG_FILE}: ${issue.path.join('.') || '(root)'} ${issue.message}`);
  }
  return result.data;
}
