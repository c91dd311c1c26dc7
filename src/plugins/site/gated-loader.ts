/**
 * The docs collection's loader behind the build's gate, and the gate's error. A module of
 * its own, light (Astro's error class and types only), because `src/content.config.ts`
 * imports it: content sync loads that file, and the build bundles it into the server code,
 * so it must not pull in the site config or the checker.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Loader } from 'astro/loaders';
import { AstroError } from 'astro/errors';
import type { Diagnostic } from '../runbook/diagnostic.ts';
import type { Gate } from '../check/post-build.ts';
import { readsChanged, readsKnown, takeReads, type RenderReads } from './render-reads.ts';
import { apartDir, apartNames, apartStale, putApart, sweepApart } from './rendered-apart.ts';

/**
 * Where the running build's gate is found by the content loader ({@link gatedLoader}):
 * Astro loads the content config in a module graph of its own, so the two share it
 * through the process.
 */
const GATE = Symbol.for('runbooks.gate');
const shared = globalThis as { [GATE]?: Promise<Gate> };

/** Makes the running build's gate the one {@link gatedLoader} waits for. */
export function shareGate(pending: Promise<Gate>): void {
  shared[GATE] = pending;
}

/** How many of the findings are errors. */
export const errorCount = (diagnostics: readonly Diagnostic[]) =>
  diagnostics.filter((d) => d.severity === 'error').length;

/** The one-line error (no stack) that stops the build after a report with `errors` errors. */
export function gateError(errors: number): AstroError {
  const error = new AstroError(
    `${errors} runbook error(s); the report is above.`,
    'Fix each finding at the file:line shown, then build again.',
  );
  error.stack = '';
  return error;
}

/** Where an entry's rendering keeps what it read besides the page's own bytes. */
type WithReads = { rendered?: { metadata?: { runbookReads?: RenderReads } } };

/**
 * The docs collection's loader, with the gate standing before Astro's schema errors: when
 * an entry fails the schema during content sync, the build waits for the gate and stops
 * with its report (which names that page too) instead of Astro's raw error. Entries that
 * pass never wait: the gate and content sync run side by side.
 *
 * It also renders a page again whose bytes are unchanged but whose last rendering read
 * something that changed since (another page's `slug:`, a repository file that now exists,
 * the ladder: ./render-reads.ts). The glob loader keeps a rendering while the file's digest
 * matches the stored one, and the store ignores a write with the same digest: the stored
 * entry is shown to the loader without its digest, and dropped before the new one is written.
 */
export function gatedLoader(loader: Loader): Loader {
  return {
    ...loader,
    load: (context) => {
      const { store, config, watcher } = context;
      const stale = new Set<string>();
      // The entry's path is a plain relative path (a `%` in a file name is a `%`), not a URL.
      const fileOf = (entry: { filePath?: string }) => join(fileURLToPath(config.root), entry.filePath ?? '');
      // Under `astro dev` the glob loader syncs only the file that changed: a page whose
      // rendering read that file (a link to it) is synced too, as though it had changed.
      watcher?.on('all', (event, path) => {
        if (event !== 'add' && event !== 'change' && event !== 'unlink') return;
        for (const entry of store.values()) {
          const reads = (entry as WithReads).rendered?.metadata?.runbookReads;
          if (!reads || !entry.filePath || !(`slug:${path}` in reads || `file:${path}` in reads)) continue;
          if (readsChanged(reads)) watcher.emit('change', fileOf(entry));
        }
      });
      const loaded = loader.load({
        ...context,
        store: {
          ...store,
          get: <T extends Record<string, unknown>>(id: string) => {
            const entry = store.get<T>(id);
            if (!entry) return entry;
            const reads = (entry as WithReads).rendered?.metadata?.runbookReads;
            // With our processor rendering, every rendering has its reads: an entry without
            // (its rendering failed, or it is older than this code) is rendered again.
            const unknown = !reads && !entry.deferredRender && readsKnown();
            if (!unknown && !(reads && readsChanged(reads)) && !apartStale(entry, apartDir())) return entry;
            stale.add(id);
            return { ...entry, digest: undefined };
          },
          set: (entry) => {
            if (stale.delete(entry.id)) store.delete(entry.id);
            const metadata = (entry as WithReads).rendered?.metadata;
            if (metadata && entry.filePath) {
              const reads = takeReads(fileOf(entry));
              if (reads) metadata.runbookReads = reads;
            }
            const dir = apartDir();
            if (dir) putApart(entry, dir);
            return store.set(entry);
          },
        },
        parseData: async (props) => {
          try {
            return await context.parseData(props);
          } catch (error) {
            const pending = shared[GATE];
            if (!pending) throw error;
            const errors = errorCount((await pending).report);
            throw errors > 0 ? gateError(errors) : error;
          }
        },
      });
      // Renderings kept apart that no entry names any more are deleted once the sync is done.
      return loaded.then(() => {
        const dir = apartDir();
        if (dir) sweepApart(dir, apartNames(store.values()));
      });
    },
  };
}
