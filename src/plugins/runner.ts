/**
 * The run room's process side, apart from ./reader.ts: spawning a block with its limits,
 * executing it with redaction, running a block prepareBlock made ready (the same for
 * `run` and `test`), and who ran it. `runbook run` imports it only when a
 * block really runs, so `--dry-run` and `list` stay light.
 */
export { execute, type Execution, type Invocation } from './run/execute.ts';
export { spawnProcess, type SpawnResult } from './run/spawn.ts';
export { gitSha, operator } from './run/git.ts';
export { executeBlock } from './run/execute-block.ts';
