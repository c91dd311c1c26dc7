import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Context } from '../cli/context.ts';
import { readTranscript, renderTimeline, type TranscriptEntry } from '../../src/plugins/reader.ts';

export const usage = `Usage: npx runbook timeline <transcript.jsonl>

Prints a run transcript as the Markdown timeline table of the postmortem template:
one row per attempt, with declined prompts, refusals, forced needs and timeouts
visible. Secrets are already masked in the transcript; output is left out.
Exit code: 0 ok, 1 the file has lines that are not entries (the others are still
printed), 2 the file cannot be read or usage error.`;

/** `runbook timeline <transcript.jsonl>`: the transcript as a Markdown table. */
export function timeline(args: string[], ctx: Pick<Context, 'out' | 'err' | 'cwd'>): number {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    ctx.err(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (parsed.values.help) {
    ctx.out(usage);
    return 0;
  }
  if (parsed.positionals.length === 0) {
    ctx.err(`Give one or more transcript files.\n\n${usage}`);
    return 2;
  }
  // Transcripts are per runbook and day: an incident that used several gives several files.
  const entries: TranscriptEntry[] = [];
  let problems = 0;
  for (const file of parsed.positionals) {
    let transcript;
    try {
      transcript = readTranscript(resolve(ctx.cwd, file));
    } catch (error) {
      ctx.err(
        `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      );
      return 2;
    }
    for (const p of transcript.problems) ctx.err(`${file}:${p.line}: ${p.message}`);
    problems += transcript.problems.length;
    entries.push(...transcript.entries);
  }
  ctx.out(renderTimeline(entries));
  return problems ? 1 : 0;
}
