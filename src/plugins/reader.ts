/**
 * Reading runbooks without the rule table: the light entry point for `runbook run`,
 * `list` and `test`, which must start in a quarter of a second (no zod, no `yaml`).
 * Everything else goes through ./index.ts.
 */
export * from './model-reader.ts';

// The run room's reading side: runbooks as run targets, variables, invocations, transcripts.
export {
  cannotRun,
  loadRunbooks,
  NOT_FOUND,
  planRun,
  primarySlug,
  resolveTarget,
  targetWord,
  type RunBlock,
  type Runbook,
  type RunPlan,
  type Target,
} from './run/runbooks.ts';
export { mergedVarSpecs, parseVarOptions, shown, usedVars, valueProblem, type VarSpec } from './run/vars.ts';
export {
  bashArgs,
  blockCwd,
  loadSqlParser,
  shellInvocation,
  snippetEnv,
  snippetSha256,
  timeoutSeconds,
  unrunnable,
} from './run/shell.ts';
export {
  echoedForms,
  endSession,
  parseConnection,
  psqlArgs,
  psqlEnv,
  rowsAffected,
  sessionOptions,
  sessionTag,
  sqlInvocation,
  statementTimedOut,
} from './run/psql.ts';
export {
  appendEntry,
  defaultTranscriptPath,
  formatDuration,
  keepTranscriptsOutOfGit,
  lastSuccess,
  readTranscript,
  succeeded,
  unmetNeeds,
  type TranscriptEntry,
} from './run/transcript.ts';
export { renderTimeline, type TimelineEntry } from './incident/timeline.ts';
export {
  DEFAULT_TEST_TIMEOUT_S,
  diffLines,
  judgeTest,
  notTestable,
  outputLines,
  outputMatches,
  TEST_SECRET,
  testEnv,
  testValues,
  type Verdict,
} from './run/expected-output.ts';
export {
  attemptEntry,
  type AttemptContext,
  blockSqlInvocation,
  executionFields,
  prepareBlock,
  type PrepareOptions,
  type PreparedBlock,
} from './run/prepare.ts';
