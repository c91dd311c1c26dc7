/**
 * Writes the editors' JSON Schemas (schemas/*.json) from the zod models of
 * runbooks.config.yaml, the severity ladder and the SLO files, and the `yaml.schemas`
 * globs of .vscode/settings.json. Run after changing a model: `npx node scripts/schemas.ts`
 * (tests/unit/editor-schemas.test.ts fails while a committed schema is out of date).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { EDITOR_SCHEMAS, editorSchema, vscodeYamlSchemas } from '../src/plugins/index.ts';

const root = join(import.meta.dirname, '..');

/** Writes `value` as JSON the way Prettier leaves it, so `prettier --check` and this script agree. */
async function writeJson(file: string, value: unknown): Promise<void> {
  const path = join(root, file);
  const options = (await resolveConfig(path)) ?? {};
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, await format(JSON.stringify(value), { ...options, filepath: path }));
  console.log(`wrote ${file}`);
}

for (const entry of EDITOR_SCHEMAS) await writeJson(entry.file, editorSchema(entry));

const SETTINGS = '.vscode/settings.json';
let settings: Record<string, unknown> = {};
try {
  settings = JSON.parse(readFileSync(join(root, SETTINGS), 'utf8')) as Record<string, unknown>;
} catch {
  // No settings yet: this writes the first.
}
await writeJson(SETTINGS, { ...settings, 'yaml.schemas': vscodeYamlSchemas() });
