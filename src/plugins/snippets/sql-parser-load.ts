/**
 * When PostgreSQL's parser (WebAssembly, ~0.2 s of CPU to load) is loaded. By default when
 * ./sql-read-only.ts is first imported, so the rules that read SQL stay synchronous for
 * every caller. `runbook check` defers it ({@link deferSqlParser}, before it imports the
 * checker) and loads it only when a page has an SQL block (`loadPostgresParser`).
 */
let atImport = true;

/** Makes the next first import of ./sql-read-only.ts leave the parser unloaded: the caller loads it when a page needs it. */
export function deferSqlParser(): void {
  atImport = false;
}

/** Whether ./sql-read-only.ts loads the parser when it is imported. */
export const loadsAtImport = (): boolean => atImport;
