/**
 * The CLI's front door: what loads before any command, so it stays light (no parser, no
 * rule): the terminal guard every printed line passes, and `runbook check`'s replayed
 * report, printed when nothing it depends on changed, before ./index.ts is loaded (and
 * the switch that lets the check load PostgreSQL's parser only for a page with SQL).
 */
export { terminalSink } from './encode/terminal.ts';
export {
  codeFingerprint,
  findReplay,
  fingerprint,
  replayKey,
  saveReplay,
  type Fingerprint,
  type Replay,
} from './check/replay.ts';
export { projectCacheDir } from './check/cache.ts';
export { BASELINE_FILE, CONTENT_DIR } from './runbook/paths.ts';
export { isoDate } from './review/status.ts';
export { deferSqlParser } from './snippets/sql-parser-load.ts';
