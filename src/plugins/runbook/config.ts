import { readRepoFile, refusedFile, RepoPathError } from './paths.ts';
import { LineCounter, parseDocument } from 'yaml';
import { placeYamlError } from './yaml-errors.ts';
import type { Diagnostic } from './diagnostic.ts';
import { ALIAS_BOMB, documentData, keyNodeAt, nodeAt } from './yaml-node.ts';
import { z } from 'zod';
import { HANDLE } from './patterns.ts';

/** A folder from the repository root: relative, no `..` step, forward slashes. */
const REPO_FOLDER = /^(?![/\\])(?!.*(^|\/)\.\.(\/|$))[^\\\x00-\x1f]+$/;

/** A host name as the URL parser writes it (what a shortlink's URL is compared with): lower case, no scheme, port or path. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** The one model of runbooks.config.yaml: the loader parses with it, the editor schema is generated from it. */
export const configSchema = z.strictObject({
  teams: z
    .array(z.string().regex(HANDLE, 'must be a handle such as "@db-team" or "@org/team"'))
    .min(1, 'must list at least one team (or leave `teams` out)')
    .optional()
    .describe('Allowed owner handles; when set, `owner` must be one of them.'),
  review: z
    .strictObject({
      every: z
        .number()
        .int()
        .positive()
        .default(90)
        .describe('Default days between reviews when a runbook does not say.'),
      overdue: z.enum(['warning', 'error']).default('warning').describe('How an overdue review is reported.'),
      soon: z
        .number()
        .int()
        .nonnegative()
        .default(14)
        .describe('A review due within this many days counts as due soon (coverage).'),
    })
    .default({ every: 90, overdue: 'warning', soon: 14 })
    .describe('How often runbooks are reviewed, and how an overdue review is reported.'),
  scriptRoots: z
    .array(
      z.string().regex(REPO_FOLDER, 'must be a folder inside the repository, such as "ops" (no `..`, not absolute)'),
    )
    .default(['ops', 'bin', 'scripts'])
    .describe('Folders whose files runbooks may run or link to.'),
  shortlinks: z
    .strictObject({
      reserved: z.array(z.string()).default([]).describe('Extra slugs nobody may claim, on top of the built-in ones.'),
      allowHosts: z
        .array(
          z
            .string()
            .regex(
              HOST_NAME,
              'must be a host name in lower case, such as "status.example.com" (no scheme, port or path)',
            ),
        )
        .default([])
        .describe('Hosts a shortlink may lead to with `{ slug, url }` (https only).'),
    })
    .default({ reserved: [], allowHosts: [] })
    .describe('Shortlink settings: reserved slugs and the hosts a shortlink may lead to.'),
  repoUrl: z
    .string()
    .optional()
    .describe('Where repository files outside the site are browsed, e.g. `https://github.com/org/repo/blob/main/`.'),
  site: z
    .string()
    .url()
    .optional()
    .describe(
      "The published site's origin, e.g. `https://runbooks.example.com`: alert `runbook_url`s on it must land on a page.",
    ),
  alerts: z
    .strictObject({
      files: z
        // Read from the project root: an absolute glob's matches were looked for inside it and silently not found.
        .array(
          z
            .string()
            .regex(
              REPO_FOLDER,
              'must be a glob inside the repository, such as "alerts/**/*.yaml" (no `..`, not absolute)',
            ),
        )
        .default(['alerts/**/*.yml', 'alerts/**/*.yaml', 'alerts/**/*.json'])
        .describe('Globs of the alert rule files, from the project root.'),
      templates: z
        .array(z.string())
        .default([])
        .describe(
          'Templated runbook_urls the repository vouches for, e.g. `https://runbooks.example.com/r/{{ $labels.service }}-down`.',
        ),
      paging: z
        .array(z.string())
        .optional()
        .describe(
          'The alert severities that page someone (ladder ids such as `SEV-1`); coverage counts these. Unset: every alert pages.',
        ),
    })
    .default({ files: ['alerts/**/*.yml', 'alerts/**/*.yaml', 'alerts/**/*.json'], templates: [] })
    .describe(
      'Alert files (Prometheus rule groups, Grafana alert-rule exports, Datadog monitors as JSON) whose runbook links must land on this site.',
    ),
  maxFileBytes: z
    .number()
    .int()
    .positive()
    .default(1_000_000)
    .describe('Files larger than this many bytes get a warning.'),
  allowUnsafeHtml: z
    .boolean()
    .default(false)
    .describe(
      'Let runbook bodies carry script (event handlers, <script>, <iframe>, javascript: URLs): only for a repository whose every author is trusted.',
    ),
  allowMdxCode: z
    .boolean()
    .default(false)
    .describe(
      'Let .mdx pages run code of their own at build time (calls, functions, any import): only for a repository whose every author is trusted.',
    ),
});

/** The project's checker settings (`runbooks.config.yaml`, all optional). */
export type ProjectConfig = z.infer<typeof configSchema>;

/** The rule id of every config finding (its row is in ./file-rules.ts; check/rules.ts holds the two together). */
export const CONFIG_RULE_ID = 'config-invalid';

/** The config file name, at the project root. */
export const CONFIG_FILE = 'runbooks.config.yaml';

/** The settings of a project without runbooks.config.yaml. */
export const defaultConfig = (): ProjectConfig => configSchema.parse({});

/** Thrown when runbooks.config.yaml is wrong: every problem, positioned. */
export class ConfigError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`).join('\n'));
    this.diagnostics = [...diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
  }
}

/** `schema` without the optional and default wrappers around it. */
const bare = (schema: z.ZodType): z.ZodType =>
  schema instanceof z.ZodOptional || schema instanceof z.ZodDefault ? bare(schema.unwrap() as z.ZodType) : schema;

/** The settings the schema knows at `path` (the top level for `[]`): what an unknown setting is compared with. */
function knownKeys(path: readonly (string | number)[]): string[] {
  let schema: z.ZodType | undefined = configSchema;
  for (const key of path)
    schema = schema && bare(schema) instanceof z.ZodObject ? (bare(schema) as z.ZodObject).shape[key] : undefined;
  return schema && bare(schema) instanceof z.ZodObject ? Object.keys((bare(schema) as z.ZodObject).shape) : [];
}

/** Reads `runbooks.config.yaml` if present; defaults otherwise. Throws {@link ConfigError} with every problem. */
export function loadProjectConfig(root: string): ProjectConfig {
  const bytes = readRepoFile(root, CONFIG_FILE);
  if (bytes instanceof RepoPathError) {
    if (bytes.status === 'missing') return defaultConfig();
    throw new ConfigError([refusedFile(CONFIG_FILE, bytes)]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(bytes.toString('utf8'), { lineCounter, prettyErrors: false });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const finding = (
    place: { line: number; column: number },
    message: string,
    hint = 'Fix the setting named; every key is optional (see the README).',
  ): Diagnostic => ({
    file: CONFIG_FILE,
    ...place,
    ruleId: CONFIG_RULE_ID,
    severity: 'error',
    message,
    hint,
  });
  if (doc.errors.length > 0) {
    const e = placeYamlError(doc, doc.errors[0]);
    throw new ConfigError([finding(at(e.offset), `${CONFIG_FILE} is not valid YAML: ${e.message}`)]);
  }
  const read = documentData(doc);
  if (!read) throw new ConfigError([finding({ line: 1, column: 1 }, `${CONFIG_FILE}: ${ALIAS_BOMB}`)]);
  const result = configSchema.safeParse(read.data ?? {});
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.flatMap((issue) => {
      const path = issue.path as (string | number)[];
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => {
          const node = keyNodeAt(doc.contents, path, key);
          const known = knownKeys(path);
          const guess = known.find((k) => k.toLowerCase().startsWith(key.toLowerCase().slice(0, 3)));
          return finding(
            node?.range ? at(node.range[0]) : { line: 1, column: 1 },
            `Unknown setting \`${[...path, key].join('.')}\`${guess ? `; did you mean \`${guess}\`?` : ''}`,
            `Known settings here: ${known.join(', ')}.`,
          );
        });
      }
      const node = nodeAt(doc.contents, path);
      return [
        finding(
          node?.range ? at(node.range[0]) : { line: 1, column: 1 },
          `${CONFIG_FILE}: ${path.join('.') || '(root)'} ${issue.message}`,
        ),
      ];
    }),
  );
}
