/**
 * The run transcript: one JSON line per attempt to run a block, appended as it
 * happens, so it survives a crash and becomes the incident timeline. Secrets are
 * masked before anything is written.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { toJsonText } from '../encode/json.ts';
import { formatDuration, type TimelineEntry } from '../incident/timeline.ts';

export { formatDuration };

/** One line of a transcript. */
export interface TranscriptEntry extends TimelineEntry {
  /** When the attempt started (ISO 8601, UTC). */
  ts: string;
  /** When it ended. */
  end: string;
  operator: string;
  /** The checkout's commit, or null outside git. */
  gitSha: string | null;
  runbook: { slug: string; file: string };
  block: string;
  safety: string;
  /** SHA-256 of the snippet text that ran (or would have run). */
  snippetSha256: string;
  /** The block's variables, secrets as `••••`. */
  vars: Record<string, string>;
  /** The process's exit code; null when nothing ran. */
  exitCode: number | null;
  durationMs: number;
  incident: string | null;
  /** stdout and stderr as they arrived, secrets masked, at most {@link MAX_OUTPUT} characters. */
  output: string;
  outputTruncated?: boolean;
  timedOut?: boolean;
  /** Needed blocks that had not succeeded, run anyway with `--force-needs`. */
  forcedNeeds?: string[];
  /** The operator answered No, or typed the wrong confirm word. */
  declined?: boolean;
  /** Why the CLI refused to run it (needs not met, no terminal to confirm in). */
  refused?: string;
  /** Ran with the terminal attached; its output was not captured. */
  interactive?: boolean;
  /** An SQL block's database: name and host, never user or password. */
  database?: string;
  /** Rows an SQL block changed, summed from psql's command tags (`UPDATE 3`), when it printed any. */
  rowsAffected?: number;
}

/** Captured output kept per entry. */
export const MAX_OUTPUT = 64 * 1024;

/** `.runbook/transcripts/<YYYY-MM-DD>-<slug>.jsonl` under `root`, dated in UTC. */
export function defaultTranscriptPath(root: string, slug: string, now: Date): string {
  return join(
    root,
    '.runbook',
    'transcripts',
    `${now.toISOString().slice(0, 10)}-${slug.replace(/[^A-Za-z0-9-]+/g, '-')}.jsonl`,
  );
}

/**
 * Puts a `.gitignore` of `*` in `<root>/.runbook/` (once): transcripts hold command output
 * and who ran what, which belongs in the incident's records, not in the repository.
 */
export function keepTranscriptsOutOfGit(root: string): void {
  const ignore = join(root, '.runbook', '.gitignore');
  if (existsSync(ignore)) return;
  mkdirSync(dirname(ignore), { recursive: true });
  writeFileSync(ignore, '# Written by `runbook run`: transcripts stay out of git.\n*\n');
}

/**
 * Appends one entry; creates the folder. The file is private to the user: it holds command
 * output. One line of JSON whatever the output held: JSON.stringify escapes C0 controls, and
 * toJsonText the rest (DEL, C1, U+2028/9, bidi), so `cat` or `tail -f` of a transcript shows text.
 */
export function appendEntry(path: string, entry: TranscriptEntry): void {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, `${toJsonText(entry)}\n`, { mode: 0o600 });
}

/** A line of a transcript that is not an entry. */
export interface TranscriptProblem {
  line: number;
  message: string;
}

const REQUIRED: (keyof TranscriptEntry)[] = ['ts', 'block', 'safety', 'runbook'];

/** Reads a transcript: its entries and the lines that are not valid entries. Throws when the file cannot be read. */
export function readTranscript(path: string): { entries: TranscriptEntry[]; problems: TranscriptProblem[] } {
  const entries: TranscriptEntry[] = [];
  const problems: TranscriptProblem[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (!text.trim()) return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        problems.push({ line: i + 1, message: `not valid JSON (${(error as Error).message})` });
        return;
      }
      const missing =
        value && typeof value === 'object' && !Array.isArray(value) ? REQUIRED.filter((k) => !(k in value)) : REQUIRED;
      if (missing.length)
        problems.push({ line: i + 1, message: `not a transcript entry: missing ${missing.join(', ')}` });
      else entries.push(value as TranscriptEntry);
    });
  return { entries, problems };
}

/** Whether `entry` is a successful run of `block` of the runbook in `file`. */
export const succeeded = (entry: TranscriptEntry, file: string, block: string) =>
  entry.runbook?.file === file && entry.block === block && entry.exitCode === 0 && !entry.declined && !entry.refused;

/** The last successful run of block `need` of page `file` in the transcript, if any. */
export function lastSuccess(file: string, need: string, transcript: string): TranscriptEntry | undefined {
  return existsSync(transcript)
    ? readTranscript(transcript).entries.findLast((e) => succeeded(e, file, need))
    : undefined;
}

/** The blocks of `needs` (of page `file`) that have not succeeded yet in the transcript. */
export const unmetNeeds = (file: string, needs: readonly string[], transcript: string): string[] =>
  needs.filter((n) => !lastSuccess(file, n, transcript));
