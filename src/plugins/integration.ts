import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { AstroError } from 'astro/errors';
import { formatReport } from './diagnostic.ts';
import { checkProject } from './check/index.ts';
import { LadderError, type SeverityLadder } from './severity-ladder.ts';

const LADDER_MODULE = 'virtual:runbooks/ladder';

/**
 * Wires the runbook pieces into Astro: the ladder as a virtual module for the
 * components, and the validation gate before the build renders anything.
 */
export function runbooksIntegration({ ladder }: { ladder: SeverityLadder }): AstroIntegration {
  let root = process.cwd();
  return {
    name: 'runbooks',
    hooks: {
      'astro:config:setup': ({ updateConfig }) => {
        // Components read the project's ladder, not a path baked into our package.
        const source = `export default ${JSON.stringify({ levels: ladder.levels, extraColumns: ladder.extraColumns })};`;
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
      'astro:config:done': ({ config }) => {
        root = fileURLToPath(config.root);
      },
      // The gate reads the sources itself, so Astro's content cache (which skips
      // unchanged files) can never hide a finding.
      'astro:build:start': ({ logger }) => {
        let diagnostics;
        try {
          diagnostics = checkProject(root);
        } catch (error) {
          if (error instanceof LadderError) diagnostics = error.diagnostics;
          else throw error;
        }
        if (diagnostics.length === 0) return;
        const errors = diagnostics.filter((d) => d.severity === 'error').length;
        (errors > 0 ? logger.error : logger.warn).call(logger, `\n${formatReport(diagnostics)}`);
        if (errors > 0) {
          const error = new AstroError(`${errors} runbook error(s); the report is above.`, 'Fix each finding at the file:line shown, then build again.');
          error.stack = '';
          throw error;
        }
      },
    },
  };
}
