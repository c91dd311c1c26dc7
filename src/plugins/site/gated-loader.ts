/**
 * The docs collection's loader behind the build's gate, and the gate's error. A module of
 * its own, light (Astro's error class and types only), because `src/content.config.ts`
 * imports it: content sync loads that file, and the build bundles it into the server code,
 * so it must not pull in the site config or the checker.
 */
import type { Loader } from 'astro/loaders';
import { AstroError } from 'astro/errors';
import type { Diagnostic } from '../runbook/diagnostic.ts';
import type { Gate } from '../check/post-build.ts';

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

/**
 * The docs collection's loader, with the gate standing before Astro's schema errors: when
 * an entry fails the schema during content sync, the build waits for the gate and stops
 * with its report (which names that page too) instead of Astro's raw error. Entries that
 * pass never wait: the gate and content sync run side by side.
 */
export function gatedLoader(loader: Loader): Loader {
  return {
    ...loader,
    load: (context) =>
      loader.load({
        ...context,
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
      }),
  };
}
