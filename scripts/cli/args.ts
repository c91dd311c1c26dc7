import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Context } from './context.ts';
import { CONTENT_DIR } from '../../src/plugins/front-door.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's arguments the way every command does: `--help` prints `usage`
 * (exit 0), a bad option prints the error and `usage` (exit 2), and the command must
 * run from a project root. Returns the parsed values, or the exit code to stop with.
 */
export function commandArgs<O extends Options>(
  name: string,
  args: string[],
  options: O,
  usage: string,
  ctx: Pick<Context, 'cwd' | 'out' | 'err'>,
  allowPositionals = false,
) {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals, options: { ...options, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    ctx.err(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    ctx.out(usage);
    return 0;
  }
  if (!existsSync(join(ctx.cwd, CONTENT_DIR))) {
    ctx.err(`No ${CONTENT_DIR}/ here (${ctx.cwd}). Run npx runbook ${name} from the repository root.`);
    return 2;
  }
  return parsed;
}

/** Positional paths as project-relative paths; undefined (after saying which) when one does not exist or is outside the project. */
export function projectPaths(positionals: string[], ctx: Pick<Context, 'cwd' | 'err'>): string[] | undefined {
  const out: string[] = [];
  for (const p of positionals) {
    const abs = resolve(ctx.cwd, p);
    if (!existsSync(abs)) {
      ctx.err(`No such file or folder: ${p}`);
      return undefined;
    }
    const rel = relative(ctx.cwd, abs).split('\\').join('/');
    // A path outside the project names no runbook: saying "nothing to fix" there would mislead.
    if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) {
      ctx.err(`Not inside this project: ${p} (name a file or folder of the repository)`);
      return undefined;
    }
    out.push(rel);
  }
  return out;
}

/** Whether `file` is one of the project-relative `paths` or inside one (no paths: everything). */
export const inPaths = (file: string, paths: readonly string[]) =>
  paths.length === 0 || paths.some((p) => p === '' || file === p || file.startsWith(`${p.replace(/\/$/, '')}/`));
