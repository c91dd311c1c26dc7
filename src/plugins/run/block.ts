/**
 * A run block as the CLI runs it: a fenced block with `run` in its meta, its meta read
 * into typed fields once, here.
 */
import type { CodeFact } from '../runbook/facts.ts';
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

/** Reads one `run` block's meta into a {@link RunBlock}; `outputs` maps a block id to its ```output for=<id>``` block. */
export function toBlock(code: CodeFact, outputs: Map<string, CodeFact>): RunBlock {
  const { flags, values } = code.meta;
  const id = values.get('id') ?? `line-${code.line}`;
  const safety = values.get('safety');
  return {
    id,
    lang: code.lang,
    safety: (SAFETY as readonly string[]).includes(safety ?? '') ? (safety as Safety) : undefined,
    title: values.get('title'),
    text: code.value,
    db: values.get('db'),
    line: code.line,
    timeout: values.get('timeout'),
    cwd: values.get('cwd'),
    needs: (values.get('needs') ?? '').split(',').map((n) => n.trim()).filter(Boolean),
    confirm: values.get('confirm') ?? (flags.has('confirm') ? '' : undefined),
    duplicates: code.meta.duplicates,
    errexit: values.get('errexit') !== 'false',
    interactive: flags.has('interactive') || values.get('interactive') === 'true',
    test: flags.has('test'),
    expected: outputs.get(id)?.value,
  };
}

