import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CONTENT_DIR } from '../../src/plugins/check/paths.ts';
import type { Context } from '../context.ts';
import { loadRunbooks } from '../lib/runbooks.ts';

export const usage = `Usage: runbook list [--json]

Lists the runbooks: shortlinks (or the page path when there are none), title,
owner, severity and the number of run blocks. Either column-one value works with
runbook run.`;

/** `runbook list`: one line per runbook. */
export function list(args: string[], ctx: Pick<Context, 'cwd' | 'out' | 'err'>): number {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    ctx.err(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (parsed.values.help) {
    ctx.out(usage);
    return 0;
  }
  if (!existsSync(join(ctx.cwd, CONTENT_DIR))) {
    ctx.err(`No ${CONTENT_DIR}/ here (${ctx.cwd}). Run runbook list from the repository root.`);
    return 2;
  }
  const rows = loadRunbooks(ctx.cwd).map((r) => ({
    slugs: r.slugs, path: r.path, title: r.title, owner: r.owner ?? null, severity: r.severity, runBlocks: r.blocks.length,
  }));
  if (parsed.values.json) {
    ctx.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  const table = [
    ['SLUGS', 'TITLE', 'OWNER', 'SEVERITY', 'RUN BLOCKS'],
    ...rows.map((r) => [r.slugs.join(', ') || r.path, r.title, r.owner ?? '—', r.severity.join(', ') || '—', String(r.runBlocks)]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table) ctx.out(row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd());
  return 0;
}
