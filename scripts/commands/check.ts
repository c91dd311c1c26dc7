import type { Context } from '../context.ts';
import { commandArgs, inPaths, projectPaths } from '../lib/args.ts';
import { checkFacts, collectProject, ConfigError, loadProjectConfig, FORMATS, type Format, render } from '../../src/plugins/index.ts';

export const usage = `Usage: runbook check [paths…] [--format pretty|github|json]

Checks runbooks without building the site: frontmatter, severities, SLOs,
shortlinks, snippets, referenced scripts and links. With paths, reports only
findings in those files or folders (every runbook is still read, for the
cross-page rules). Exit code: 0 clean (warnings allowed), 1 errors, 2 usage.`;

/** `runbook check`: the validation core without a site build. */
export function check(args: string[], ctx: Pick<Context, 'cwd' | 'out' | 'err' | 'color'>): number {
  const parsed = commandArgs('check', args, { format: { type: 'string', short: 'f', default: 'pretty' } }, usage, ctx, true);
  if (typeof parsed === 'number') return parsed;
  const format = parsed.values.format as Format;
  if (!FORMATS.includes(format)) {
    ctx.err(`Unknown format "${format}": use pretty, github or json.\n\n${usage}`);
    return 2;
  }
  const root = ctx.cwd;
  const only = projectPaths(parsed.positionals, ctx);
  if (!only) return 2;
  let config;
  try {
    config = loadProjectConfig(root);
  } catch (error) {
    // A broken config is a finding like any other, in the format asked for.
    if (!(error instanceof ConfigError)) throw error;
    ctx.out(render(format, { diagnostics: error.diagnostics, files: 0 }, ctx.color));
    return 1;
  }
  const facts = collectProject(root, config);
  const inScope = (file: string) => inPaths(file, only);
  const selected = facts.filter((f) => inScope(f.file));
  const diagnostics = checkFacts(root, facts, { config }).filter((d) => inScope(d.file));
  const output = render(format, { diagnostics, files: selected.length }, ctx.color);
  if (output) ctx.out(output);
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

