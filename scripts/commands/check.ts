import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkFacts, collectProject, CONTENT_DIR } from '../../src/plugins/check/index.ts';
import { loadProjectConfig } from '../../src/plugins/check/config.ts';
import { FORMATS, type Format, render } from '../../src/plugins/check/reporters/index.ts';
import type { Context } from '../context.ts';

export const usage = `Usage: runbook check [paths…] [--format pretty|github|json]

Checks runbooks without building the site: frontmatter, severities, SLOs,
shortlinks, snippets, referenced scripts and links. With paths, reports only
findings in those files or folders (every runbook is still read, for the
cross-page rules). Exit code: 0 clean (warnings allowed), 1 errors, 2 usage.`;

/** `runbook check`: the validation core without a site build. */
export function check(args: string[], ctx: Pick<Context, 'cwd' | 'out' | 'err' | 'color'>): number {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', short: 'f', default: 'pretty' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    ctx.err(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (parsed.values.help) {
    ctx.out(usage);
    return 0;
  }
  const format = parsed.values.format as Format;
  if (!FORMATS.includes(format)) {
    ctx.err(`Unknown format "${format}": use pretty, github or json.\n\n${usage}`);
    return 2;
  }
  const root = ctx.cwd;
  if (!existsSync(join(root, CONTENT_DIR))) {
    ctx.err(`No ${CONTENT_DIR}/ here (${root}). Run runbook check from the repository root.`);
    return 2;
  }
  const only: string[] = [];
  for (const p of parsed.positionals) {
    const abs = resolve(root, p);
    if (!existsSync(abs)) {
      ctx.err(`No such file or folder: ${p}`);
      return 2;
    }
    only.push(relative(root, abs).split('\\').join('/'));
  }
  let config;
  try {
    config = loadProjectConfig(root);
  } catch (error) {
    ctx.err((error as Error).message);
    return 2;
  }
  const facts = collectProject(root, config);
  const inScope = (file: string) => only.length === 0 || only.some((o) => file === o || file.startsWith(`${o.replace(/\/$/, '')}/`) || (o === '.' || o === ''));
  const selected = facts.filter((f) => inScope(f.file));
  const diagnostics = checkFacts(root, facts, { config }).filter((d) => inScope(d.file));
  const output = render(format, { diagnostics, files: selected.length }, ctx.color);
  if (output) ctx.out(output);
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

