import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { commandArgs } from '../cli/args.ts';
import { type Context, type Terminal, terminal } from '../cli/context.ts';
import {
  appendEntry,
  bashArgs,
  blockCwd,
  blockSqlInvocation,
  dbVariable,
  defaultTranscriptPath,
  formatDuration,
  forTerminal,
  keepTranscriptsOutOfGit,
  loadRunbooks,
  loadSqlParser,
  NOT_FOUND,
  parseConnection,
  parseVarOptions,
  prepareBlock,
  primarySlug,
  readTranscript,
  resolveTarget,
  rowsAffected,
  type RunBlock,
  type Runbook,
  sessionOptions,
  shown,
  snippetSha256,
  succeeded,
  targetWord,
  timeoutSeconds,
  type TranscriptEntry,
  unrunnable,
  usedVars,
  valueProblem,
  type VarSpec,
} from '../../src/plugins/reader.ts';

export const usage = `Usage: runbook run <slug>[#id] [options]

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
  const root = ctx.cwd;
  // Parse only the pages that mention the slug; should none of them be it (a page whose
  // URL differs from its file name), parse them all.
  const spec = parsed.positionals[0];
  let target = resolveTarget(loadRunbooks(root, targetWord(spec) || undefined), spec, root);
  if ('error' in target && target.error.startsWith(NOT_FOUND)) target = resolveTarget(loadRunbooks(root), spec, root);
  if ('error' in target) {
    ctx.err(target.error);
    return 2;
  }
  const { runbook } = target;
  const given = parseVarOptions(parsed.values.var);
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

  // An explicitly named block runs whatever its class (after its prompt). A run of a page,
  // or of the section a shortlink points at, leaves out destructive blocks and blocks the
  // CLI cannot run, and says so.
  const slug = primarySlug(runbook);
  const scope = target.block ? [target.block] : (target.section?.blocks ?? runbook.blocks);
  const skipped = new Map<RunBlock, string>();
  await loadSqlParser(scope);
  if (!target.block) {
    for (const b of scope) {
      const reason =
        b.safety === 'destructive'
          ? `destructive blocks run only by name: runbook run ${slug}#${b.id}`
          : cannotRun(root, runbook, b);
      if (reason) skipped.set(b, reason);
    }
  }
  const steps = scope.filter((b) => !skipped.has(b));
  const problem = steps.map((b) => cannotRun(root, runbook, b)).find(Boolean);
  if (problem) {
    ctx.err(problem);
    return 2;
  }
  const options: RunOptions = {
    given,
    yes: parsed.values.yes,
    dryRun: parsed.values['dry-run'],
    forceNeeds: parsed.values['force-needs'],
    incident: parsed.values.incident ?? null,
    transcript: parsed.values.transcript
      ? resolve(root, parsed.values.transcript)
      : defaultTranscriptPath(root, slug, ctx.now()),
    defaultTranscript: !parsed.values.transcript,
    env: ctx.env,
    color: ctx.color,
  };
  // One spec per variable; a variable used as code in any step is checked as code.
  const merged = new Map<string, VarSpec>();
  for (const spec of steps.flatMap((b) => usedVars(b, runbook.vars))) {
    const seen = merged.get(spec.name);
    merged.set(
      spec.name,
      seen
        ? {
            ...seen,
            evaluated:
              seen.evaluated === 'psql' || spec.evaluated === 'psql' ? 'psql' : (seen.evaluated ?? spec.evaluated),
            database: seen.database || spec.database,
          }
        : spec,
    );
  }
  const specs = [...merged.values()];
  const values = await resolveValues(specs, options, ctx);
  if (typeof values === 'number') return values;

  if (options.dryRun) {
    ctx.out(
      `Dry run: nothing runs${target.section ? ` (the blocks under #${target.section.slug})` : ''}. Transcript: ${shownPath(root, options.transcript)}`,
    );
    for (const block of scope) {
      const reason = skipped.get(block);
      ctx.out(
        `\n${reason ? `↷ ${slug}#${block.id} is skipped: ${reason}` : planLines(runbook, block, values, root, options).join('\n')}`,
      );
    }
    return 0;
  }

  const session: Session = { recorded: false };
  let code = 0;
  for (const [index, block] of scope.entries()) {
    const reason = skipped.get(block);
    if (reason) {
      ctx.err(`↷ Skipping ${slug}#${block.id}: ${reason}`);
      continue;
    }
    const result = await runStep(runbook, block, values, options, ctx, session);
    // Declining one step of a page run skips it; anything else that is not a success ends the run.
    if (result.code !== 0 && !(result.declined && !target.block)) {
      code = result.code;
      const rest = scope.slice(index + 1).filter((b) => !skipped.has(b));
      if (rest.length > 0) {
        ctx.err(
          `■ Stopped after ${slug}#${block.id}; not run: ${rest.map((b) => `#${b.id}`).join(', ')}. Run one with: runbook run ${slug}#<id>`,
        );
      }
      break;
    }
  }
  if (session.recorded) ctx.err(`Transcript: ${shownPath(root, options.transcript)}`);
  return code;
}

/** Why a block cannot run here at all (language, safety, timeout, cwd, an undeclared database), or undefined. */
function cannotRun(root: string, runbook: Runbook, block: RunBlock): string | undefined {
  const cwd = blockCwd(root, block);
  const db = dbVariable(block);
  if (db !== undefined && !runbook.vars.has(db))
    return `#${block.id} runs against ${db}, which ${runbook.file} does not declare under vars:; runbook check reports it.`;
  return unrunnable(block) ?? (typeof cwd === 'string' ? undefined : cwd.error);
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
    if (value !== undefined) {
      const problem = valueProblem(spec, value);
      if (problem) {
        const source = fromOption !== undefined ? '--var' : 'the environment';
        ctx.err(
          `Variable ${spec.name} ${spec.secret ? '' : `= ${JSON.stringify(value)} `}from ${source} ${problem}${about}.`,
        );
        return 2;
      }
      if (spec.secret && fromOption !== undefined && !options.dryRun) {
        ctx.err(
          `Note: ${spec.name} is secret, and a --var value stays in your shell history. Prefer the environment: read -rs ${spec.name} && export ${spec.name}`,
        );
      }
      values.set(spec.name, value);
    } else if (options.dryRun) {
      continue;
    } else if (ctx.isTTY) {
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
      values.set(spec.name, answer);
    } else {
      ctx.err(
        `Variable ${spec.name} has no value${about}. Pass --var ${spec.name}=…, set it in the environment, or run in a terminal to be asked.`,
      );
      return 2;
    }
  }
  return values;
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
  if (db !== undefined) {
    const url = values.get(db);
    const connection = url === undefined ? undefined : parseConnection(url, options.env);
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
  } else {
    lines.push(`  shell:    bash --noprofile --norc ${bashArgs(block, '').slice(2, 4).join(' ')} -c <command>`);
  }
  // Line by line: `\t` shows as the tab it is; a `\r` or an escape sequence by its name.
  lines.push(
    `  ${db === undefined ? 'command' : 'sql'}:`,
    ...block.text.split('\n').map((l) => `    ${forTerminal(l, { color: options.color })}`),
  );
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

/** The last successful run of block `need` in the transcript, if any. */
function lastSuccess(runbook: Runbook, need: string, transcript: string): TranscriptEntry | undefined {
  return existsSync(transcript)
    ? readTranscript(transcript).entries.findLast((e) => succeeded(e, runbook.file, need))
    : undefined;
}

function needStatus(runbook: Runbook, need: string, transcript: string): string {
  const hit = lastSuccess(runbook, need, transcript);
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
  const specs = usedVars(block, runbook.vars);
  // `runbook run` runs in the checkout, with the operator's environment, no default timeout, and real secrets.
  const prepared = prepareBlock(block, runbook, all, {
    root: ctx.cwd,
    env: ctx.env,
    name,
    appName: `runbook ${name}`,
    secretValues: true,
  });
  if ('error' in prepared) throw new Error(`${name} was accepted although ${prepared.error}`); // cannotRun and resolveValues checked it
  const { values } = prepared;
  const db = dbVariable(block);
  const connection = prepared.sql?.connection;
  const started = ctx.now();
  const record = async (fields: Partial<TranscriptEntry>) => {
    session.who ??= import('../../src/plugins/runner.ts').then(({ operator, gitSha }) =>
      Promise.all([operator(ctx.cwd, ctx.env), gitSha(ctx.cwd, ctx.env)]),
    );
    const [who, sha] = await session.who;
    const end = ctx.now();
    if (options.defaultTranscript) keepTranscriptsOutOfGit(ctx.cwd);
    appendEntry(options.transcript, {
      ts: started.toISOString(),
      end: end.toISOString(),
      operator: who,
      gitSha: sha,
      runbook: { slug: primarySlug(runbook), file: runbook.file },
      block: block.id,
      safety: block.safety ?? 'unknown',
      snippetSha256: snippetSha256(block),
      vars: Object.fromEntries(
        specs.map((s) => [
          s.name,
          s.name === db && connection
            ? s.secret
              ? shown(s, '')
              : connection.shown
            : shown(s, values.get(s.name) ?? ''),
        ]),
      ),
      ...(connection ? { database: connection.label } : {}),
      exitCode: null,
      durationMs: 0,
      incident: options.incident,
      output: '',
      ...fields,
    });
    session.recorded = true;
  };
  const refuse = async (reason: string, hint: string): Promise<StepResult> => {
    ctx.err(`✖ ${name} not run: ${reason}. ${hint}`);
    await record({ refused: reason });
    return { code: 1 };
  };

  const unmet = block.needs.filter((n) => !lastSuccess(runbook, n, options.transcript));
  if (unmet.length && !options.forceNeeds) {
    return refuse(
      `it needs ${unmet.map((n) => `#${n}`).join(', ')} to have succeeded first in ${shownPath(ctx.cwd, options.transcript)}`,
      `Run ${unmet.map((n) => `runbook run ${primarySlug(runbook)}#${n}`).join(', then ')} first, or pass --force-needs.`,
    );
  }
  if (unmet.length)
    ctx.err(
      `! --force-needs: running ${name} although ${unmet.map((n) => `#${n}`).join(', ')} has not succeeded (recorded in the transcript).`,
    );
  if (block.interactive && !ctx.isTTY)
    return refuse('it is interactive and there is no terminal', 'Run it from a terminal.');

  if (block.safety === 'read-only') {
    ctx.err(`▶ ${name} (read-only${connection ? `, in a read-only transaction on ${connection.label}` : ''})`);
  } else {
    ctx.err(planLines(runbook, block, values, ctx.cwd, options).join('\n'));
    if (block.safety === 'mutating' && options.yes) {
      ctx.err('  --yes: running it.');
    } else if (!ctx.isTTY) {
      return block.safety === 'destructive'
        ? refuse(
            'it is destructive and there is no terminal to type its confirm word in',
            '--yes does not skip that; run it from a terminal.',
          )
        : refuse('it is mutating and there is no terminal to confirm in', 'Run it from a terminal, or pass --yes.');
    } else {
      const ok =
        block.safety === 'destructive'
          ? (await ctx.prompt.text({
              message: `This is destructive. Type "${confirmWord(runbook, block)}" to run it`,
            })) === confirmWord(runbook, block)
          : await ctx.prompt.confirm('Run it?');
      if (!ok) {
        ctx.err(
          `✖ ${name} not run: ${block.safety === 'destructive' ? 'the confirm word did not match' : 'you answered No'}.`,
        );
        await record({ declined: true });
        return { code: 1, declined: true };
      }
    }
  }

  // Loaded here, not at the top: a dry run never starts a process and should not pay for the code that does.
  const { executeBlock } = await import('../../src/plugins/runner.ts');
  const result = await executeBlock(prepared, { write: ctx.write });
  if ('refused' in result)
    return refuse(result.refused, 'Mark the block safety=mutating if it is meant to act; nothing ran');
  const rows = connection ? rowsAffected(result.stdout) : undefined;
  await record({
    ...(rows === undefined ? {} : { rowsAffected: rows }),
    exitCode: result.exitCode,
    durationMs: result.durationMs,
    output: block.interactive ? '' : result.output,
    ...(result.outputTruncated ? { outputTruncated: true } : {}),
    ...(result.timedOut ? { timedOut: true } : {}),
    ...(unmet.length ? { forcedNeeds: unmet } : {}),
    ...(block.interactive ? { interactive: true } : {}),
  });
  const took = formatDuration(result.durationMs);
  if (result.timedOut)
    ctx.err(
      `✖ ${name} timed out after ${prepared.timeout} s: stopped it and every process it started (exit ${result.exitCode}).`,
    );
  else ctx.err(`${result.exitCode === 0 ? '✔' : '✖'} ${name} exited ${result.exitCode} (${took}).`);
  return { code: result.exitCode };
}
