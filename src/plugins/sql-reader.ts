/**
 * PostgreSQL's parser for the CLI, apart from ./reader.ts: it loads WebAssembly, so
 * `runbook run` imports it only when it runs SQL, and shell runs stay light.
 */
export {
  functionVerdict,
  HARMLESS_VOLATILE,
  readSql,
  type SqlFinding,
  type SqlName,
  type SqlReading,
} from './snippets/sql-read-only.ts';
export { roleWrites, volatileRefusal } from './run/sql-guard.ts';
