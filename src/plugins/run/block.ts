/**
 * A run block as the CLI runs it: a fenced block with `run` in its meta, read by the one
 * reader of run-block meta (runbook/run-meta.ts), its safety class checked.
 */
import type { CodeFact } from '../runbook/facts.ts';
import { runMeta } from '../runbook/run-meta.ts';
import { SAFETY, type Safety } from '../snippets/snippet.ts';

/** A fenced block with `run` in its meta, its meta read into fields. */
export interface RunBlock {
  id: string;
  lang: string;
  /** Undefined when the block has no (known) `safety=`: such a block never runs. */
  safety: Safety | undefined;
  title?: string;
  /** The snippet text, exactly as written. */
  text: string;
  /** `db=` as written (SQL blocks: the variable holding the connection URL; see dbVariable). */
  db?: string;
  /** 1-based line of the fence in the file. */
  line: number;
  /** `timeout=<s>` as written; see {@link timeoutSeconds}. */
  timeout?: string;
  cwd?: string;
  needs: string[];
  confirm?: string;
  /** Meta keys given more than once: such a block never runs. */
  duplicates: string[];
  /** False when the block says `errexit=false`. */
  errexit: boolean;
  interactive: boolean;
  test: boolean;
  /** The lines of its ```` ```output for=<id> ```` block, when it has one. */
  expected?: string;
}

/** A `run` block as the CLI runs it, from its meta's one reader (runbook/run-meta.ts); `outputs` maps a block id to its ```output for=<id>``` block. */
export function toBlock(code: CodeFact, outputs: Map<string, CodeFact>): RunBlock {
  const meta = runMeta(code.meta);
  const id = meta.id ?? `line-${code.line}`;
  return {
    id,
    lang: code.lang,
    safety: (SAFETY as readonly string[]).includes(meta.safety ?? '') ? (meta.safety as Safety) : undefined,
    title: meta.title,
    text: code.value,
    db: meta.db,
    line: code.line,
    timeout: meta.timeout,
    cwd: meta.cwd,
    needs: meta.needs,
    confirm: meta.confirm,
    duplicates: meta.duplicates,
    errexit: meta.errexit !== 'false',
    interactive: meta.interactive,
    test: meta.test,
    expected: outputs.get(id)?.value,
  };
}
