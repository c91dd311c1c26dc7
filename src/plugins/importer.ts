/**
 * The import room's entry, for `runbook import` alone: converting another tool's Markdown
 * (plain, GitLab, Hugo) into runbooks. Apart from ./index.ts so other commands never load it.
 */
export { convertPage, type ConvertedPage } from './import/convert.ts';
export { importFolder, type ImportOutcome, type ImportRequest } from './import/folder.ts';
export type { ConvertOptions, ImportChange } from './import/page.ts';
export { defaultInto, isContentFolder } from './import/plan.ts';
export { detectSource, SOURCE_KINDS, type SourceKind } from './import/source.ts';
