/** The project a command works on, read once; a broken project file stops the command with its findings. */
import type { Context } from './context.ts';
import { BROKEN_PROJECT_EXIT, loadFindings, loadProject, pretty, type Project } from '../../src/plugins/index.ts';

/**
 * The project at the command's root, or the exit code to stop with after printing why:
 * a broken runbooks.config.yaml or ladder is reported as findings (file:line:column, rule,
 * message, hint), and `refused` says what the command did not do ("shortlinks.lock not written").
 */
export function projectFor(refused: string, ctx: Pick<Context, 'cwd' | 'err'>): Project | number {
  const project = loadProject(ctx.cwd);
  const findings = loadFindings(project);
  if (findings.length === 0) return project;
  ctx.err(`${refused}: fix these first.\n\n${pretty({ diagnostics: findings, files: 0 })}`);
  return BROKEN_PROJECT_EXIT;
}
