/**
 * The validation core and the machine outputs, for the `runbook` CLI and other tools:
 * check a project, report findings, read settings, shortlinks and SLOs. The site's
 * entry is ./site/index.ts; `runbook run` uses the lighter ./reader.ts; the second floor's
 * rooms have their own entries (./runner.ts, ./importer.ts, ./differ.ts), so `runbook
 * check` loads no import or diff code.
 */
export * from './model-reader.ts';
export {
  checkFacts,
  checkProject,
  collectProject,
  type CheckOptions,
  projectCache,
  withReferrers,
} from './check/index.ts';
export { FORMATS, type Format, pretty, render, type Report } from './check/reporters.ts';
export { addConsequences, affectsEveryPage, changeTokens } from './check/scope.ts';
export {
  applyBaseline,
  BASELINE_FILE,
  baselineSummary,
  readBaseline,
  withBaseline,
  writeBaseline,
} from './check/baseline.ts';
export { acceptable, ruleIds, rules, type Rule, type RuleContext, type RuleId } from './check/rules.ts';
export { CONFIG_FILE, ConfigError, defaultConfig, loadProjectConfig, type ProjectConfig } from './runbook/config.ts';
export type { Diagnostic } from './runbook/diagnostic.ts';
export {
  computeCoverage,
  type CoverageReport,
  forTeam,
  gaps,
  projectCoverage,
  teamOfLabel,
} from './coverage/coverage.ts';
export {
  COVERAGE_FORMATS,
  type CoverageFormat,
  coverageGithub,
  coverageJson,
  coverageMarkdown,
  coveragePretty,
  headline,
  renderCoverage,
} from './coverage/render.ts';
export { didYouMean } from './runbook/did-you-mean.ts';
export { BROKEN_PROJECT_EXIT, loadFindings, loadProject, type Project } from './project/load.ts';
export { EDITOR_SCHEMAS, editorSchema, modeline, vscodeYamlSchemas } from './project/editor-schemas.ts';
export { pageInfo, readable, type PageInfo } from './runbook/page.ts';
export { LADDER_FILE, readRepoFile, RepoPathError, repoPath, SLO_DIR } from './runbook/paths.ts';
export { LOCK_FILE, LockError, readLock, planLock, lockText } from './shortlinks/lock.ts';
export { publishedShortlinks, type PublishedShortlink } from './shortlinks/publish.ts';
export { loadSlos } from './slos/load.ts';
export {
  CODEOWNERS_FILE,
  ownerLines,
  readCodeowners,
  withBlock,
  blockIsStale,
  planCodeowners,
  type CodeownersPlan,
} from './codeowners/block.ts';
export { entryUrl } from './runbook/facts.ts';
export { parseFrontmatter } from './runbook/frontmatter.ts';
export { HANDLE } from './runbook/patterns.ts';
export { refuseSvg, sanitizeSvg } from './html/policy.ts';
export { derivedFixes, type FixChange, pageFixes } from './check/fix.ts';
export { loadSqlRules } from './snippets/rules.ts';
export { folderOwner, freeShortlink, newPageText, newTarget, titleOf, urlTaken } from './scaffold/new-page.ts';
