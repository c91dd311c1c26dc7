/** The project's settings for a command that writes a file from the content: a broken config stops it, with the findings. */
import type { Context } from './context.ts';
import { ConfigError, loadProjectConfig, pretty, type ProjectConfig } from '../../src/plugins/index.ts';

/** runbooks.config.yaml for a command about to write `output`; undefined (after saying why) when the config is broken. */
export function configForWriting(output: string, ctx: Pick<Context, 'cwd' | 'err'>): ProjectConfig | undefined {
  try {
    return loadProjectConfig(ctx.cwd);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    ctx.err(`${output} not written: fix these first.\n\n${pretty({ diagnostics: error.diagnostics, files: 0 })}`);
    return undefined;
  }
}
