// The one reader of a run block's meta (```` ```bash run id=… safety=… ```` ): what each key
// means is decided here, once, for the rules that judge it, the page that shows it, the
// catalog and the diff that list it, and the CLI that runs by it (run/block.ts).
import type { Meta } from './meta.ts';
import { TIMEOUT_SECONDS } from './patterns.ts';

/** The keys a run block's fence line may give. */
export type RunKey =
  'id' | 'safety' | 'title' | 'db' | 'timeout' | 'cwd' | 'needs' | 'confirm' | 'errexit' | 'interactive' | 'test';
const RUN_KEYS: readonly RunKey[] = [
  'id',
  'safety',
  'title',
  'db',
  'timeout',
  'cwd',
  'needs',
  'confirm',
  'errexit',
  'interactive',
  'test',
];

/** A run block's meta read into fields. Strings are as written: the rules judge them, the readers trust only judged ones. */
export interface RunMeta {
  id?: string;
  /** `safety=` as written; snippets' SAFETY lists the classes that exist. */
  safety?: string;
  title?: string;
  /** `db=`: an SQL block's variable holding its connection URL (see dbVariable for the default). */
  db?: string;
  /** `timeout=` as written; {@link parseTimeout} reads it. */
  timeout?: string;
  cwd?: string;
  /** The ids in `needs=a,b` (trimmed; empty entries left out). */
  needs: string[];
  /** How many entries of `needs=` are empty (`needs=,`): each names no block, which the check reports. */
  emptyNeeds: number;
  /** `confirm=`; empty when `confirm` stands without a word (no word to type: the check reports it, the CLI refuses). */
  confirm?: string;
  /** `errexit=` as written (`false` turns bash's -e off). */
  errexit?: string;
  /** `interactive`, or `interactive=true`: the block runs attached to the terminal. */
  interactive: boolean;
  /** `test`: a doc test for `runbook test`. */
  test: boolean;
  /** Keys given more than once: such a block never runs. */
  duplicates: string[];
  /** The keys the fence line writes, with a value or without: the check reports a key where it does not apply, or without its value. */
  written: ReadonlySet<RunKey>;
}

const cache = new WeakMap<Meta, RunMeta>();

/** Whether a fenced block is a run block (`run` among its flags). */
export const isRunBlock = (meta: Meta) => meta.flags.has('run');

/** The block id an ```` ```output for=<id> ```` block gives the expected output of. */
export const outputFor = (meta: Meta) => meta.values.get('for');

/** Reads a run block's meta into a {@link RunMeta}; kept, as many rules ask about the same block. */
export function runMeta(meta: Meta): RunMeta {
  let read = cache.get(meta);
  if (read) return read;
  const { flags, values } = meta;
  read = {
    id: values.get('id'),
    safety: values.get('safety'),
    title: values.get('title'),
    db: values.get('db'),
    timeout: values.get('timeout'),
    cwd: values.get('cwd'),
    needs: (values.get('needs') ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean),
    // `needs=` with no value asks for nothing; `needs=a,,b` or `needs=,` has entries that name nothing.
    emptyNeeds: values.get('needs')
      ? values
          .get('needs')!
          .split(',')
          .filter((n) => n.trim() === '').length
      : 0,
    confirm: values.get('confirm') ?? (flags.has('confirm') ? '' : undefined),
    errexit: values.get('errexit'),
    interactive: flags.has('interactive') || values.get('interactive') === 'true',
    test: flags.has('test'),
    duplicates: meta.duplicates,
    written: new Set(RUN_KEYS.filter((k) => flags.has(k) || values.has(k))),
  };
  cache.set(meta, read);
  return read;
}

/** The longest `timeout=`: a day. */
export const MAX_TIMEOUT_S = 86_400;

/** A `timeout=` in seconds, or undefined when there is none or it is not whole seconds from 1 to {@link MAX_TIMEOUT_S}. */
export const parseTimeout = (timeout: string | undefined): number | undefined =>
  timeout !== undefined && TIMEOUT_SECONDS.test(timeout) && Number(timeout) <= MAX_TIMEOUT_S
    ? Number(timeout)
    : undefined;
