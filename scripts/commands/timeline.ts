import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Context } from '../cli/context.ts';
import { formatDuration, markdownText, readTranscript, type TranscriptEntry } from '../../src/plugins/reader.ts';

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

/** The Markdown table for `entries`, in time order. Times are UTC; the date shows when the entries span more than one day. */
export function renderTimeline(entries: readonly TranscriptEntry[]): string {
  const sorted = [...entries].sort((a, b) => String(a.ts).localeCompare(String(b.ts)));
  const days = new Set(sorted.map((e) => String(e.ts).slice(0, 10)));
  const time = (ts: string) => {
    const d = new Date(ts);
    if (Number.isNaN(d.getTime())) return ts;
    const iso = d.toISOString();
    return days.size > 1 ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : iso.slice(11, 19);
  };
  const incidents = [...new Set(sorted.flatMap((e) => (e.incident ? [String(e.incident)] : [])))];
  const rows = [
    ...(incidents.length ? [`Incident ${markdownText(incidents.join(', '))}`, ''] : []),
    '| Time (UTC) | Operator | Runbook step | Safety | Result | Duration |',
    '| --- | --- | --- | --- | --- | --- |',
    ...sorted.map(
      (e) =>
        `| ${[markdownText(time(String(e.ts))), markdownText(String(e.operator ?? '')), markdownText(`${e.runbook?.slug ?? '?'}#${e.block}`), markdownText(String(e.safety)), result(e), markdownText(duration(e))].join(' | ')} |`,
    ),
  ];
  return rows.join('\n');
}

/** What happened, in words; failures and unusual paths in bold so they stand out. */
function result(e: TranscriptEntry): string {
  const notes: string[] = [];
  if (e.forcedNeeds?.length)
    notes.push(
      `needs forced: ${(Array.isArray(e.forcedNeeds) ? e.forcedNeeds : [e.forcedNeeds]).map((n) => `#${n}`).join(', ')}`,
    );
  if (e.interactive) notes.push('interactive');
  if (e.database) notes.push(`on ${e.database}`);
  if (typeof e.rowsAffected === 'number') notes.push(`${e.rowsAffected} row${e.rowsAffected === 1 ? '' : 's'} changed`);
  // A transcript is a file anyone could have edited: every value in it is text, encoded.
  const extra = notes.length ? ` ${markdownText(`(${notes.join('; ')})`)}` : '';
  if (e.declined) return `**declined**, not run${extra}`;
  if (e.refused) return `**refused**: ${markdownText(String(e.refused))}${extra}`;
  if (e.timedOut) return `**timed out** ${markdownText(`(exit ${e.exitCode})`)}${extra}`;
  if (e.exitCode === 0) return `exit 0${extra}`;
  if (e.exitCode === 130) return `**interrupted** (exit 130)${extra}`;
  return `**${markdownText(`exit ${e.exitCode}`)}**${extra}`;
}

const duration = (e: TranscriptEntry) =>
  e.exitCode === null || e.exitCode === undefined ? '—' : formatDuration(e.durationMs ?? 0);
