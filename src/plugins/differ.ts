/**
 * The diff room's entry, for `runbook diff` alone: what a change does to the project,
 * against a git revision. Apart from ./index.ts so other commands never load it.
 */
export { diffWithBase, failsReview, resolveBase, type BaseRevision } from './diff/base.ts';
export { diffSnapshots, snapshot } from './diff/project.ts';
export { renderMarkdown, renderPretty } from './diff/render.ts';
