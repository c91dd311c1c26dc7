/**
 * Which changed files change every page's findings (`runbook check --changed-since`):
 * the files every page is checked against. The list is made of the constants that name
 * them, so renaming one of those files cannot leave it stale.
 */
import { matchesGlob } from 'node:path';
import { CONFIG_FILE, type ProjectConfig } from '../runbook/config.ts';
import { LADDER_FILE, SLO_DIR } from '../runbook/paths.ts';
import { LOCK_FILE } from '../shortlinks/lock.ts';
import { CODEOWNERS_FILE } from '../codeowners/block.ts';
import { BASELINE_FILE } from './baseline.ts';

/** The files every page is checked against: the settings, the baseline, the shortlink lock, the ladder, CODEOWNERS. */
export const PROJECT_WIDE_FILES: readonly string[] = [
  CONFIG_FILE,
  BASELINE_FILE,
  LOCK_FILE,
  LADDER_FILE,
  CODEOWNERS_FILE,
];

/** The folders whose every file every page is checked against: the SLOs. */
export const PROJECT_WIDE_DIRS: readonly string[] = [SLO_DIR];

/** Whether `file` (from the root) is one every page is checked against, by name. */
const projectWide = (file: string) =>
  PROJECT_WIDE_FILES.includes(file) || PROJECT_WIDE_DIRS.some((dir) => file.startsWith(`${dir}/`));

/**
 * The first of `changed` that affects every page, or undefined: a project-wide file by
 * name first, else an alert rule file (the config's `alerts.files` globs).
 */
export function affectsEveryPage(changed: Iterable<string>, config: ProjectConfig): string | undefined {
  const files = [...changed];
  return files.find(projectWide) ?? files.find((f) => config.alerts.files.some((glob) => matchesGlob(f, glob)));
}
