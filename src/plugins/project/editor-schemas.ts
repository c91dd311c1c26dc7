/**
 * JSON Schemas for editors, generated from the one zod model of each project file the
 * loader reads (runbooks.config.yaml, the severity ladder, the SLO files), so the YAML
 * language server flags in the editor what the loader would report on the next check.
 * `npx node scripts/schemas.ts` writes them to schemas/; a test holds them to the model.
 *
 * They describe what authors write (zod's `io: 'input'`: a setting with a default is
 * optional). What JSON Schema cannot say stays with the loader: ids across files (an alert
 * severity must be a ladder level, the SLO id is the file name), a ladder id used twice, a
 * short window that must be shorter than the long one, and a Prometheus query's `{{window}}`.
 */
import { z } from 'zod';
import { CONFIG_FILE, configSchema } from '../runbook/config.ts';
import { LADDER_FILE, SLO_DIR } from '../runbook/paths.ts';
import { ladderSchema } from '../severity/ladder.ts';
import { sloFileSchema } from '../slos/schema.ts';

/** One generated schema: where it is committed, the files it describes, and the model it comes from. */
export interface EditorSchema {
  /** Path from the project root, e.g. `schemas/slo.schema.json`. */
  file: string;
  /** Globs from the project root of the files it validates (`.vscode/settings.json` `yaml.schemas`). */
  covers: string[];
  title: string;
  description: string;
  model: z.ZodType;
}

/** The project files editors validate, each with the zod model its loader parses with. */
export const EDITOR_SCHEMAS: readonly EditorSchema[] = [
  {
    file: 'schemas/runbooks-config.schema.json',
    covers: [CONFIG_FILE],
    title: 'Runbooks checker settings',
    description: `${CONFIG_FILE}: checker settings; every key is optional.`,
    model: configSchema,
  },
  {
    file: 'schemas/severity.schema.json',
    covers: [LADDER_FILE],
    title: 'Runbooks severity ladder',
    description: 'The severity ladder: each level needs id, label and definition; any other key is an extra column.',
    model: ladderSchema,
  },
  {
    file: 'schemas/slo.schema.json',
    covers: [`${SLO_DIR}/*.yaml`, `${SLO_DIR}/*.yml`],
    title: 'Runbooks SLO file',
    description: 'One SLO: service, description, objective, window, indicator, owner and burn-rate alerts.',
    // Without a ladder: which severities exist is another file's business (the loader checks it).
    model: sloFileSchema(undefined),
  },
];

/** Whether a string schema trims its value before its length checks (zod's `.trim()`). */
function trims(schema: z.core.$ZodType): boolean {
  const checks = (schema._zod.def as { checks?: z.core.$ZodCheck[] }).checks ?? [];
  return checks.some((c) => {
    const def = c._zod.def as { check: string; tx?: (v: string) => string };
    return def.check === 'overwrite' && def.tx?.(' a ') === 'a';
  });
}

/**
 * The JSON Schema of `entry`, as an object. Draft-07, the draft every YAML language server
 * knows. Two overrides, each saying in JSON Schema what zod checks in code: a trimmed string
 * with a minimum length (`.trim().min(1)`, a transform) has a non-space character; a URL
 * (`.url()`, WHATWG parsing) starts with a scheme, which the YAML language server does not
 * check for `format: uri` (it reads `runbooks.example` as a file path).
 */
export function editorSchema(entry: EditorSchema): Record<string, unknown> {
  const schema = z.toJSONSchema(entry.model, {
    io: 'input',
    target: 'draft-07',
    override: (ctx) => {
      const json = ctx.jsonSchema as { type?: string; minLength?: number; pattern?: string; format?: string };
      if (json.type !== 'string' || json.pattern !== undefined) return;
      if ((json.minLength ?? 0) > 0 && trims(ctx.zodSchema)) json.pattern = '\\S';
      if (json.format === 'uri') json.pattern = '^[A-Za-z][A-Za-z0-9+.-]*:';
    },
  });
  const { $schema, ...rest } = schema;
  return { $schema, title: entry.title, description: entry.description, ...rest };
}

/** The first line that ties `file` (a path from the project root) to its schema in any editor running the YAML language server. */
export function modeline(entry: EditorSchema, file: string): string {
  const up = '../'.repeat(file.split('/').length - 1);
  return `# yaml-language-server: $schema=${up}${entry.file}`;
}

/** VS Code's `yaml.schemas` setting: each schema with the globs of the files it validates. */
export const vscodeYamlSchemas = (): Record<string, string[]> =>
  Object.fromEntries(EDITOR_SCHEMAS.map((e) => [`./${e.file}`, e.covers]));
