/**
 * The first floor's light reading of runbooks (pages, run blocks, snippets, encoders,
 * limits): the entry for the CLI's plumbing, and shared by ./reader.ts (which adds the run
 * room) and ./index.ts (which adds the checks), so `runbook check` loads none of the run room.
 */
export { collectFacts, readPage, type CodeFact, type RunbookFacts } from './runbook/facts.ts';
export { findMarkdown } from './runbook/files.ts';
export { isRunbook, runBlocks } from './runbook/page.ts';
export { CONTENT_DIR } from './runbook/paths.ts';
export { ownSlugs } from './shortlinks/entries.ts';
export { resolveRepoPath, scriptUses } from './snippets/scripts.ts';
export {
  codeUses,
  dbVariable,
  SAFETY,
  type Safety,
  type SnippetSource,
  sqlBoundNames,
  usedNames,
} from './snippets/snippet.ts';
export { isSqlLang, reservedInSql, sqlEscapes } from './snippets/sql.ts';
export { forTerminal, terminalSink, unsafeChars } from './encode/terminal.ts';
export { markdownCode, markdownText, markdownUnescaped } from './encode/markdown.ts';
export { toJsonText } from './encode/json.ts';
export { CONFIRM_WORD, matchesWithin, MAX_VALUE_LENGTH, TIMEOUT_SECONDS, VAR_NAME } from './runbook/patterns.ts';
export { LIMITS, scanLimits } from './runbook/limits.ts';
export { cutAt, nextIndex, trimBoth, trimEnd } from './runbook/text.ts';
