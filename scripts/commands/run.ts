import { relative, resolve } from 'node:path';
import { commandArgs } from '../cli/args.ts';
import { type Context, type Terminal, terminal } from '../cli/context.ts';
import {
  appendEntry,
  attemptEntry,
  bashArgs,
  blockCwd,
  blockSqlInvocation,
  dbVariable,
  defaultTranscriptPath,
  executionFields,
  formatDuration,
  forTerminal,
  keepTranscriptsOutOfGit,
  lastSuccess,
  loadRunbooks,
  mergedVarSpecs,
  NOT_FOUND,
  parseConnection,
  parseVarOptions,
  planRun,
  type PreparedBlock,
  prepareBlock,
  primarySlug,
  resolveTarget,
  type RunBlock,
  type Runbook,
  type RunPlan,
  type Target,
  sessionOptions,
  shown,
  targetWord,
  timeoutSeconds,
  type TranscriptEntry,
  unmetNeeds,
  usedVars,
  valueProblem,
  type VarSpec,
} from '../../src/plugins/reader.ts';

export const usage = `Usage: npx runbook run <slug>[#id] [options]

Runs a runbook's executable snippets from the terminal. <slug> is a shortlink
(db-down) or a page path (services/database/db-unreachable). With #id it runs that
block; without, it runs the page's blocks in order and skips destructive ones.

Options:
  --var NAME=VALUE     a variable's value (repeatable); otherwise it comes from the
                       environment, otherwise you are asked (only in a terminal)
  -y, --yes            answer yes to mutating blocks; destructive blocks still need
                       their confirm word typed
  --dry-run            show what would run (command, variables with secrets masked,
                       working directory, timeout) and run nothing
  --transcript <path>  the transcript to append to and to check needs= against
                       (default .runbook/transcripts/<YYYY-MM-DD>-<slug>.jsonl)
  --incident <id>      the incident id to record with each step
  --force-needs        run even though a needs= block has not succeeded yet (recorded)
  -h, --help           show this help

Safety: read-only blocks run at once; mutating blocks show the command and ask
(default No); destructive blocks ask you to type their confirm word, so they need
a terminal. Variables reach the snippet only as environment variables. A block
runs in its own process group: a timeout= or Ctrl-C stops everything it started,
and nothing it started in the background outlives it (use an interactive block).
Every run, declined prompt and refusal is appended to the transcript (secrets
masked); dry runs are not. .runbook/ gets a .gitignore, so transcripts stay local.
Exit code: the snippet's own (124 after a timeout), 1 refused or declined,
2 usage error.`;

/** Options after parsing. */
interface RunOptions {
  given: Map<string, string>;
  yes: boolean;
  dryRun: boolean;
  forceNeeds: boolean;
  incident: string | null;
  transcript: string;
  /** Whether `transcript` is the dated default under .runbook/. */
  defaultTranscript: boolean;
  /** The environment the CLI runs in (what libpq falls back to where a URL is silent). */
  env: NodeJS.ProcessEnv;
  /** Whether the terminal shows colour: escaped characters then show in inverse video. */
  color: boolean;
}

/** The command-line flags `run` reads into {@link RunOptions}. */
interface RunFlags {
  yes: boolean;
  'dry-run': boolean;
  'force-needs': boolean;
  incident?: string;
  transcript?: string;
}

/** The outcome of one block: its exit code and whether the operator said no. */
interface StepResult {
  code: number;
  declined?: boolean;
}

/** A per-run memo of who and what commit, asked of git only when a transcript entry is written. */
interface Session {
  who?: Promise<[string, string | null]>;
  recorded: boolean;
}

/** Writes one transcript entry for the attempt under way; `fields` say how it ended. */
type Record = (fields: Partial<TranscriptEntry>) => Promise<void>;

/** `runbook run <slug>[#id]`: runs run blocks with their safety prompts, and records each in the transcript. */
export async function run(args: string[], context: Context): Promise<number> {
  const parsed = commandArgs(
    'run',
    args,
    {
      var: { type: 'string', multiple: true, default: [] },
      yes: { type: 'boolean', short: 'y', default: false },
      'dry-run': { type: 'boolean', default: false },
      transcript: { type: 'string' },
      incident: { type: 'string' },
      'force-needs': { type: 'boolean', default: false },
    },
    usage,
    context,
    true,
  );
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length !== 1) {
    context.err(
      `${parsed.positionals.length ? 'Give one <slug>[#id].' : 'Which runbook? Give a <slug>[#id].'}\n\n${usage}`,
    );
    return 2;
  }
  const ctx = terminal(context);
  const target = findTarget(parsed.positionals[0], ctx);
  if (typeof target === 'number') return target;
  const given = givenValues(parsed.values.var, target.runbook, ctx);
  if (typeof given === 'number') return given;
  const plan = await planRun(target, ctx.cwd);
  if (plan.problem) {
    ctx.err(plan.problem);
    return 2;
  }
  const options = runOptions(parsed.values, given, primarySlug(target.runbook), ctx);
  const values = await resolveValues(mergedVarSpecs(plan.steps, target.runbook.vars), options, ctx);
  if (typeof values === 'number') return values;
  if (options.dryRun) return dryRun(target, plan, values, options, ctx);
  return runSteps(target, plan, values, options, ctx);
}

/** The runbook and block `spec` names, or the exit code to stop with. */
function findTarget(spec: string, ctx: Terminal): Target | number {
  const root = ctx.cwd;
  // Parse only the pages that mention the slug; should none of them be it (a page whose
  // URL differs from its file name), parse them all.
  let target = resolveTarget(loadRunbooks(root, targetWord(spec) || undefined), spec, root);
  if ('error' in target && target.error.startsWith(NOT_FOUND)) target = resolveTarget(loadRunbooks(root), spec, root);
  if ('error' in target) {
    ctx.err(target.error);
    return 2;
  }
  return target;
}

/** The `--var` values, each naming a variable the runbook declares; or the exit code to stop with. */
function givenValues(list: string[], runbook: Runbook, ctx: Terminal): Map<string, string> | number {
  const given = parseVarOptions(list);
  if ('error' in given) {
    ctx.err(given.error);
    return 2;
  }
  for (const name of given.keys()) {
    if (!runbook.vars.has(name)) {
      ctx.err(
        `--var ${name}: ${runbook.file} declares no variable ${name}. It declares: ${[...runbook.vars.keys()].join(', ') || 'none'}.`,
      );
      return 2;
    }
  }
  return given;
}

/** The options of a run, the transcript's path among them (dated by the slug and today when not given). */
function runOptions(flags: RunFlags, given: Map<string, string>, slug: string, ctx: Terminal): RunOptions {
  return {
    given,
    yes: flags.yes,
    dryRun: flags['dry-run'],
    forceNeeds: flags['force-needs'],
    incident: flags.incident ?? null,
    transcript: flags.transcript ? resolve(ctx.cwd, flags.transcript) : defaultTranscriptPath(ctx.cwd, slug, ctx.now()),
    defaultTranscript: !flags.transcript,
    env: ctx.env,
    color: ctx.color,
  };
}

/** `--dry-run`: prints what each block would run, or why it is skipped; runs nothing. */
function dryRun(
  target: Target,
  plan: RunPlan,
  values: ReadonlyMap<string, string>,
  options: RunOptions,
  ctx: Terminal,
): number {
  const { runbook } = target;
  const slug = primarySlug(runbook);
  ctx.out(
    `Dry run: nothing runs${target.section ? ` (the blocks under #${target.section.slug})` : ''}. Transcript: ${shownPath(ctx.cwd, options.transcript)}`,
  );
  for (const block of plan.scope) {
    const reason = plan.skipped.get(block);
    ctx.out(
      `\n${reason ? `↷ ${slug}#${block.id} is skipped: ${reason}` : planLines(runbook, block, values, ctx.cwd, options).join('\n')}`,
    );
  }
  return 0;
}

/** Runs the plan's blocks in order, skipping what it skips, until one fails; returns the exit code. */
async function runSteps(
  target: Target,
  plan: RunPlan,
  values: ReadonlyMap<string, string>,
  options: RunOptions,
  ctx: Terminal,
): Promise<number> {
  const { runbook } = target;
  const slug = primarySlug(runbook);
  const session: Session = { recorded: false };
  let code = 0;
  for (const [index, block] of plan.scope.entries()) {
    const reason = plan.skipped.get(block);
    if (reason) {
      ctx.err(`↷ Skipping ${slug}#${block.id}: ${reason}`);
      continue;
    }
    const result = await runStep(runbook, block, values, options, ctx, session);
    // Declining one step of a page run skips it; anything else that is not a success ends the run.
    if (result.code !== 0 && !(result.declined && !target.block)) {
      code = result.code;
      const rest = plan.scope.slice(index + 1).filter((b) => !plan.skipped.has(b));
      if (rest.length > 0) {
        ctx.err(
          `■ Stopped after ${slug}#${block.id}; not run: ${rest.map((b) => `#${b.id}`).join(', ')}. Run one with: npx runbook run ${slug}#<id>`,
        );
      }
      break;
    }
  }
  if (session.recorded) ctx.err(`Transcript: ${shownPath(ctx.cwd, options.transcript)}`);
  return code;
}

/** Values for `specs`: `--var`, else the environment, else a prompt; each checked. A number is the exit code to stop with. */
async function resolveValues(
  specs: VarSpec[],
  options: RunOptions,
  ctx: Terminal,
): Promise<Map<string, string> | number> {
  const values = new Map<string, string>();
  for (const spec of specs) {
    const fromOption = options.given.get(spec.name);
    const value = fromOption ?? ctx.env[spec.name];
    const about = spec.description ? ` (${spec.name}: ${spec.description})` : '';
    let got: string | number | undefined;
    if (value !== undefined) got = checkedValue(spec, value, fromOption !== undefined, about, options, ctx);
    else if (options.dryRun) continue;
    else if (ctx.isTTY) got = await askValue(spec, about, ctx);
    else {
      ctx.err(
        `Variable ${spec.name} has no value${about}. Pass --var ${spec.name}=…, set it in the environment, or run in a terminal to be asked.`,
      );
      return 2;
    }
    if (typeof got === 'number') return got;
    if (got !== undefined) values.set(spec.name, got);
  }
  return values;
}

/** A value from `--var` or the environment, checked (a secret given with --var gets a note); or the exit code to stop with. */
function checkedValue(
  spec: VarSpec,
  value: string,
  fromOption: boolean,
  about: string,
  options: RunOptions,
  ctx: Terminal,
): string | number {
  const problem = valueProblem(spec, value);
  if (problem) {
    const source = fromOption ? '--var' : 'the environment';
    ctx.err(
      `Variable ${spec.name} ${spec.secret ? '' : `= ${JSON.stringify(value)} `}from ${source} ${problem}${about}.`,
    );
    return 2;
  }
  if (spec.secret && fromOption && !options.dryRun) {
    ctx.err(
      `Note: ${spec.name} is secret, and a --var value stays in your shell history. Prefer the environment: read -rs ${spec.name} && export ${spec.name}`,
    );
  }
  return value;
}

/** Asks the operator for a value, checked; or the exit code to stop with (130 when cancelled). */
async function askValue(spec: VarSpec, about: string, ctx: Terminal): Promise<string | number> {
  const answer = await ctx.prompt.text({
    message: `${spec.name}${spec.description ? ` — ${spec.description}` : ''}`,
    secret: spec.secret,
    placeholder: spec.secret ? undefined : spec.example,
    validate: (v) => valueProblem(spec, v),
  });
  if (answer === undefined) {
    ctx.err('Cancelled: nothing ran.');
    return 130;
  }
  const problem = valueProblem(spec, answer);
  if (problem) {
    ctx.err(`Variable ${spec.name} ${problem}${about}.`);
    return 2;
  }
  return answer;
}

/** The lines that show what a block would run: what `--dry-run` prints and what a prompt shows first. */
function planLines(
  runbook: Runbook,
  block: RunBlock,
  values: ReadonlyMap<string, string>,
  root: string,
  options: RunOptions,
): string[] {
  // Everything here quotes the runbook or a value: shown through the terminal guard, so
  // what the operator reads is what bash or psql is given, byte for byte.
  const show = (text: string) => forTerminal(text, { oneLine: true, color: options.color });
  const lines = [`▶ ${show(primarySlug(runbook))}#${show(block.id)}${block.title ? ` — ${show(block.title)}` : ''}`];
  lines.push(
    `  safety:   ${block.safety}${block.safety === 'destructive' ? ` (type "${show(confirmWord(runbook, block))}" to run it)` : ''}${block.interactive ? ', interactive (runs attached to the terminal)' : ''}`,
  );
  lines.push(`  source:   ${show(runbook.file)}:${block.line}`);
  const cwd = blockCwd(root, block);
  lines.push(`  cwd:      ${show(typeof cwd === 'string' ? relative(root, cwd) || '.' : cwd.error)}`);
  const timeout = timeoutSeconds(block);
  lines.push(`  timeout:  ${timeout === undefined ? 'none' : `${timeout} s`}`);
  if (block.needs.length)
    lines.push(
      `  needs:    ${block.needs.map((n) => `${show(n)} (${needStatus(runbook, n, options.transcript)})`).join(', ')}`,
    );
  const db = dbVariable(block);
  const view = { runbook, block, db, values, show };
  lines.push(...invocationLines(view, options.env));
  // Line by line: `\t` shows as the tab it is; a `\r` or an escape sequence by its name.
  lines.push(
    `  ${db === undefined ? 'command' : 'sql'}:`,
    ...block.text.split('\n').map((l) => `    ${forTerminal(l, { color: options.color })}`),
  );
  lines.push(...variableLines(view));
  return lines;
}

/** What the steps of {@link planLines} show: the block, its page, its database variable, the values, the terminal guard. */
interface PlanView {
  runbook: Runbook;
  block: RunBlock;
  db: string | undefined;
  values: ReadonlyMap<string, string>;
  show: (text: string) => string;
}

/** How a block runs, for {@link planLines}: the database, psql's arguments and session settings; or bash's. */
function invocationLines({ runbook, block, db, values, show }: PlanView, env: NodeJS.ProcessEnv): string[] {
  if (db === undefined)
    return [`  shell:    bash --noprofile --norc ${bashArgs(block, '').slice(2, 4).join(' ')} -c <command>`];
  const lines: string[] = [];
  const url = values.get(db);
  const connection = url === undefined ? undefined : parseConnection(url, env);
  lines.push(
    `  database: ${connection && !('error' in connection) ? show(connection.label) : '(not set)'} — from ${show(db)}`,
  );
  lines.push(
    `  psql:     psql ${blockSqlInvocation(block, runbook, true)
      .args.map((a) => (/\s/.test(a) ? `'${a}'` : a))
      .join(' ')}`,
  );
  lines.push(
    '            (the SQL on standard input; the connection in PG* variables and values in the environment, never on the command line)',
  );
  const session = sessionOptions(block, timeoutSeconds(block)).map((o) => o.replace(/^-c /, ''));
  if (session.length) lines.push(`  session:  ${session.join(', ')}`);
  return lines;
}

/** The variables a block is given, for {@link planLines}: each by name, secrets masked, the unset ones said so. */
function variableLines({ runbook, block, db, values, show }: PlanView): string[] {
  const lines: string[] = [];
  const specs = usedVars(block, runbook.vars).filter((s) => s.name !== db);
  lines.push(
    `  ${db === undefined ? 'env:    ' : 'psql variables (\\getenv from the environment):'}${specs.length ? '' : `${db === undefined ? '  ' : ' '}(no variables)`}`,
  );
  for (const spec of specs) {
    const value = values.get(spec.name);
    lines.push(
      `    ${show(spec.name)}=${value === undefined ? '(not set: --var, the environment or a prompt gives it)' : show(shown(spec, value))}`,
    );
  }
  return lines;
}

/** A path relative to the root when it is inside it, absolute otherwise. */
function shownPath(root: string, path: string): string {
  const rel = relative(root, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

const confirmWord = (runbook: Runbook, block: RunBlock) => block.confirm ?? primarySlug(runbook);

function needStatus(runbook: Runbook, need: string, transcript: string): string {
  const hit = lastSuccess(runbook.file, need, transcript);
  return hit ? `succeeded at ${hit.ts}` : 'not yet succeeded in this transcript';
}

/** Runs one block through its gates (needs, terminal, safety prompt), then the process; records the attempt. */
async function runStep(
  runbook: Runbook,
  block: RunBlock,
  all: ReadonlyMap<string, string>,
  options: RunOptions,
  ctx: Terminal,
  session: Session,
): Promise<StepResult> {
  const name = `${primarySlug(runbook)}#${block.id}`;
  // `runbook run` runs in the checkout, with the operator's environment, no default timeout, and real secrets.
  const prepared = prepareBlock(block, runbook, all, {
    root: ctx.cwd,
    env: ctx.env,
    name,
    appName: `runbook ${name}`,
    secretValues: true,
  });
  if ('error' in prepared) throw new Error(`${name} was accepted although ${prepared.error}`); // cannotRun and resolveValues checked it
  const record = recorder(runbook, prepared, options, ctx, session);
  const unmet = unmetNeeds(runbook.file, block.needs, options.transcript);
  const gate = gateRefusal(runbook, block, unmet, options, ctx);
  if (gate) return refuse(name, gate, record, ctx);
  const answer = await confirmStep(runbook, prepared, options, ctx);
  if (answer === 'declined') {
    await record({ declined: true });
    return { code: 1, declined: true };
  }
  if (answer !== 'run') return refuse(name, answer, record, ctx);
  return executeStep(name, prepared, unmet, record, ctx);
}

/** Says why block `name` did not run (a reason and a hint), records the refusal, and ends the step with exit 1. */
async function refuse(
  name: string,
  [reason, hint]: [string, string],
  record: Record,
  ctx: Terminal,
): Promise<StepResult> {
  ctx.err(`✖ ${name} not run: ${reason}. ${hint}`);
  await record({ refused: reason });
  return { code: 1 };
}

/** A transcript writer for one attempt at `prepared`, started now; asks git who and what commit once per run. */
function recorder(
  runbook: Runbook,
  prepared: PreparedBlock,
  options: RunOptions,
  ctx: Terminal,
  session: Session,
): Record {
  const started = ctx.now();
  return async (fields) => {
    session.who ??= import('../../src/plugins/runner.ts').then(({ operator, gitSha }) =>
      Promise.all([operator(ctx.cwd, ctx.env), gitSha(ctx.cwd, ctx.env)]),
    );
    const [who, sha] = await session.who;
    const end = ctx.now();
    if (options.defaultTranscript) keepTranscriptsOutOfGit(ctx.cwd);
    const at = { started, end, operator: who, gitSha: sha, incident: options.incident };
    appendEntry(options.transcript, attemptEntry(runbook, prepared, at, fields));
    session.recorded = true;
  };
}

/** Why a block may not run before any prompt (needs not met, interactive without a terminal): a reason and a hint. */
function gateRefusal(
  runbook: Runbook,
  block: RunBlock,
  unmet: string[],
  options: RunOptions,
  ctx: Terminal,
): [string, string] | undefined {
  const name = `${primarySlug(runbook)}#${block.id}`;
  if (unmet.length && !options.forceNeeds) {
    return [
      `it needs ${unmet.map((n) => `#${n}`).join(', ')} to have succeeded first in ${shownPath(ctx.cwd, options.transcript)}`,
      `Run ${unmet.map((n) => `npx runbook run ${primarySlug(runbook)}#${n}`).join(', then ')} first, or pass --force-needs.`,
    ];
  }
  if (unmet.length)
    ctx.err(
      `! --force-needs: running ${name} although ${unmet.map((n) => `#${n}`).join(', ')} has not succeeded (recorded in the transcript).`,
    );
  if (block.interactive && !ctx.isTTY) return ['it is interactive and there is no terminal', 'Run it from a terminal.'];
  return undefined;
}

/** The safety prompt: `run`, `declined` (said so), or why it cannot be asked (a reason and a hint). */
async function confirmStep(
  runbook: Runbook,
  prepared: PreparedBlock,
  options: RunOptions,
  ctx: Terminal,
): Promise<'run' | 'declined' | [string, string]> {
  const { block, values } = prepared;
  const name = `${primarySlug(runbook)}#${block.id}`;
  const connection = prepared.sql?.connection;
  if (block.safety === 'read-only') {
    ctx.err(`▶ ${name} (read-only${connection ? `, in a read-only transaction on ${connection.label}` : ''})`);
    return 'run';
  }
  ctx.err(planLines(runbook, block, values, ctx.cwd, options).join('\n'));
  if (block.safety === 'mutating' && options.yes) {
    ctx.err('  --yes: running it.');
    return 'run';
  }
  if (!ctx.isTTY) {
    return block.safety === 'destructive'
      ? [
          'it is destructive and there is no terminal to type its confirm word in',
          '--yes does not skip that; run it from a terminal.',
        ]
      : ['it is mutating and there is no terminal to confirm in', 'Run it from a terminal, or pass --yes.'];
  }
  const ok =
    block.safety === 'destructive'
      ? (await ctx.prompt.text({
          message: `This is destructive. Type "${confirmWord(runbook, block)}" to run it`,
        })) === confirmWord(runbook, block)
      : await ctx.prompt.confirm('Run it?');
  if (ok) return 'run';
  ctx.err(
    `✖ ${name} not run: ${block.safety === 'destructive' ? 'the confirm word did not match' : 'you answered No'}.`,
  );
  return 'declined';
}

/** Runs the prepared block, records how it ended and says so. */
async function executeStep(
  name: string,
  prepared: PreparedBlock,
  unmet: string[],
  record: Record,
  ctx: Terminal,
): Promise<StepResult> {
  // Loaded here, not at the top: a dry run never starts a process and should not pay for the code that does.
  const { executeBlock } = await import('../../src/plugins/runner.ts');
  const result = await executeBlock(prepared, { write: ctx.write });
  if ('refused' in result)
    return refuse(
      name,
      [result.refused, 'Mark the block safety=mutating if it is meant to act; nothing ran'],
      record,
      ctx,
    );
  await record(executionFields(prepared, result, unmet));
  const took = formatDuration(result.durationMs);
  if (result.timedOut)
    ctx.err(
      `✖ ${name} timed out after ${prepared.timeout} s: stopped it and every process it started (exit ${result.exitCode}).`,
    );
  else ctx.err(`${result.exitCode === 0 ? '✔' : '✖'} ${name} exited ${result.exitCode} (${took}).`);
  return { code: result.exitCode };
}
