import { fileURLToPath } from 'node:url';
import type { AstroIntegration, AstroIntegrationLogger } from 'astro';
import { AstroError } from 'astro/errors';
import { type Diagnostic, formatReport } from './diagnostic.ts';
import { checkProject } from './check/index.ts';
import type { SeverityLadder } from './severity-ladder.ts';

const LADDER_MODULE = 'virtual:runbooks/ladder';

/**
 * Wires the runbook pieces into Astro: the ladder as a virtual module for the
 * components, and the validation gate before the build renders anything.
 */
export function runbooksIntegration(options: { ladder: SeverityLadder; ladderErrors?: Diagnostic[]; severityPage: string }): AstroIntegration {
  const { ladder, ladderErrors = [], severityPage } = options;
  let command = 'build';
  return {
    name: 'runbooks',
    hooks: {
      'astro:config:setup': ({ updateConfig, logger, command: cmd }) => {
        command = cmd;
        if (ladderErrors.length > 0) fail(logger, ladderErrors);
        // Components read the project's ladder, not a path baked into our package.
        const source = `export default ${JSON.stringify({ levels: ladder.levels, extraColumns: ladder.extraColumns, page: severityPage })};`;
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'runbooks:ladder',
                resolveId: (id: string) => (id === LADDER_MODULE ? `\0${LADDER_MODULE}` : undefined),
                load: (id: string) => (id === `\0${LADDER_MODULE}` ? source : undefined),
              },
            ],
          },
        });
      },
      // The gate runs the same rules as `runbook check`, before content sync, so the
      // report comes before any schema error, and it reads the sources itself, so
      // Astro's content cache (which skips unchanged files) can never hide a finding.
      'astro:config:done': ({ config, logger }) => {
        if (command !== 'build') return;
        fail(logger, checkProject(fileURLToPath(config.root)));
      },
    },
  };
}

/** Prints the report; throws a one-line error (no stack) when it holds errors. */
function fail(logger: AstroIntegrationLogger, diagnostics: Diagnostic[]): void {
  if (diagnostics.length === 0) return;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  (errors > 0 ? logger.error : logger.warn).call(logger, `\n${formatReport(diagnostics)}`);
  if (errors === 0) return;
  const error = new AstroError(`${errors} runbook error(s); the report is above.`, 'Fix each finding at the file:line shown, then build again.');
  error.stack = '';
  throw error;
}
