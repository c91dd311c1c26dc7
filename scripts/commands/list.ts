import type { Context } from '../cli/context.ts';
import { commandArgs } from '../cli/args.ts';
import { forTerminal, loadRunbooks, toJsonText } from '../../src/plugins/reader.ts';

export const usage = `Usage: npx runbook list [--json]

Lists the runbooks: shortlinks (or the page path when there are none), title,
owner, severity and the number of run blocks. Either column-one value works with
npx runbook run.`;

/** `runbook list`: one line per runbook. */
export function list(
  args: string[],
  ctx: Pick<Context, 'cwd' | 'out' | 'err'> & Partial<Pick<Context, 'color'>>,
): number {
  const parsed = commandArgs('list', args, { json: { type: 'boolean', default: false } }, usage, ctx);
  if (typeof parsed === 'number') return parsed;
  const rows = loadRunbooks(ctx.cwd).map((r) => ({
    slugs: r.slugs,
    path: r.path,
    title: r.title,
    owner: r.owner ?? null,
    severity: r.severity,
    runBlocks: r.blocks.length,
  }));
  if (parsed.values.json) {
    ctx.out(toJsonText(rows, 2));
    return 0;
  }
  const table = [
    ['SLUGS', 'TITLE', 'OWNER', 'SEVERITY', 'RUN BLOCKS'],
    ...rows.map((r) => [
      r.slugs.join(', ') || r.path,
      r.title,
      r.owner ?? '—',
      r.severity.join(', ') || '—',
      String(r.runBlocks),
    ]),
  ].map((row) => row.map((c) => forTerminal(c, { oneLine: true }))); // one line per runbook: a title cannot forge a row

  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table)
    ctx.out(
      row
        .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    );
  return 0;
}
