/**
 * What a runbook's rendering read besides its own bytes: another page's `slug:` (a relative
 * `.md` link), whether a repository file exists (a link to the repository browser), and the
 * processor's settings (the ladder's labels for `:severity[..]`, `repoUrl`). Astro's content
 * layer keeps a page's rendered Markdown while the page's own bytes are unchanged; the
 * loader (./gated-loader.ts) asks here whether what the last rendering read still holds, and
 * renders the page again when it does not.
 *
 * Light on purpose (no imports): the loader's module is bundled into the server code. The
 * Markdown plugins note each read through {@link noteRead}; the module that knows how to read
 * a value again (links/site-href.ts, through ./markdown-processor.ts) registers it with
 * {@link readAgainWith}. The two meet through the process, as the gate does: Astro loads the
 * site config and the content config in module graphs of their own.
 */

/** A rendering's reads: key (`slug:<file>`, `file:<file>`, `settings`) → the value it read. */
export type RenderReads = Record<string, string>;

interface Shared {
  /** Reads noted per page file (absolute path) since the loader last took them. */
  pending: Map<string, RenderReads>;
  /** The value a key has now, from the processor that noted it. */
  readAgain?: (key: string) => string;
}

const SHARED = Symbol.for('runbooks.render-reads');
const shared = globalThis as { [SHARED]?: Shared };
const state = (): Shared => (shared[SHARED] ??= { pending: new Map() });

/** Notes that rendering `page` (absolute path) read `value` under `key`. */
export function noteRead(page: string, key: string, value: string): void {
  const { pending } = state();
  let reads = pending.get(page);
  if (!reads) pending.set(page, (reads = {}));
  reads[key] = value;
}

/** How the running processor reads a key's value again (the last one registered wins). */
export function readAgainWith(readAgain: (key: string) => string): void {
  state().readAgain = readAgain;
}

/** The reads noted for `page` since the last take, and forgets them. */
export function takeReads(page: string): RenderReads | undefined {
  const { pending } = state();
  const reads = pending.get(page);
  pending.delete(page);
  return reads;
}

/** Whether a processor of ours renders in this process (then every rendering notes its reads). */
export const readsKnown = (): boolean => state().readAgain !== undefined;

/**
 * Whether a rendering that read `reads` would read something else now. False when no
 * processor of ours is registered: then nothing was noted either.
 */
export function readsChanged(reads: RenderReads): boolean {
  const { readAgain } = state();
  if (!readAgain) return false;
  for (const [key, value] of Object.entries(reads)) if (readAgain(key) !== value) return true;
  return false;
}
