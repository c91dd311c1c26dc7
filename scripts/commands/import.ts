import { existsSync, realpathSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Context } from '../cli/context.ts';
import { commandArgs } from '../cli/args.ts';
import { CONTENT_DIR, HANDLE } from '../../src/plugins/index.ts';
import {
  defaultInto,
  detectSource,
  importFolder,
  isContentFolder,
  SOURCE_KINDS,
  type SourceKind,
} from '../../src/plugins/importer.ts';

export const usage = `Usage: npx runbook import <dir> [--owner @team] [--into ${CONTENT_DIR}/<group>] [--from plain|gitlab|hugo]

Brings a tree of Markdown runbooks into the site without hand edits: plain Markdown
(a GitHub repository of runbooks), a GitLab repository ([[_TOC_]], repository-root
links, GitLab's heading anchors) or a Hugo site (its content/ folder, _index.md, ref and
param shortcodes, weight, aliases, TOML frontmatter); detected, or given with --from. Each page gets frontmatter (the title from its
first top-level heading, which leaves the body, or from the file name; --owner; a review
log entry "Imported from <path>"; a shortlink from its file name, so the old name keeps a
short address), README.md becomes the folder's index page, and the images and files the
pages link to come along. Bodies are kept byte for byte except where a change is needed:
a <placeholder> HTML would swallow is escaped, an unclosed code fence is closed, links
follow renamed pages. Every change is listed in .runbook/import-report.md (file:line,
before → after). A page that already exists at its target is left as it is, so
importing the same tree twice changes nothing the second time.
Then: npx runbook check --update-baseline to accept what is left, and build.`;

/** `runbook import <dir>`: copies and converts a tree of Markdown runbooks. */
export function importTree(
  args: string[],
  ctx: Pick<Context, 'cwd' | 'out' | 'err'> & Partial<Pick<Context, 'now'>>,
): number {
  const parsed = commandArgs(
    'import',
    args,
    { owner: { type: 'string' }, into: { type: 'string' }, from: { type: 'string' } },
    usage,
    ctx,
    true,
  );
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length !== 1) {
    ctx.err(`Give one folder to import.\n\n${usage}`);
    return 2;
  }
  const given = resolve(ctx.cwd, parsed.positionals[0]);
  if (!existsSync(given) || !statSync(given).isDirectory()) {
    ctx.err(`${parsed.positionals[0]} is not a folder.`);
    return 2;
  }
  // The folder named is taken as it really is; below it, no symbolic link is ever followed.
  const folder = realpathSync(given);
  const from = (parsed.values.from ?? detectSource(folder)) as SourceKind;
  if (!SOURCE_KINDS.includes(from)) {
    ctx.err(`--from ${from}: use plain, gitlab or hugo.`);
    return 2;
  }
  const owner = parsed.values.owner;
  if (owner !== undefined && !HANDLE.test(owner)) {
    ctx.err(`--owner ${owner} is not a handle like @team or @org/team.`);
    return 2;
  }
  const into = parsed.values.into ?? defaultInto(given);
  if (!isContentFolder(into)) {
    ctx.err(`--into must be a folder under ${CONTENT_DIR}/, e.g. ${CONTENT_DIR}/imported.`);
    return 2;
  }
  const today = (ctx.now?.() ?? new Date()).toISOString().slice(0, 10);
  const done = importFolder({ cwd: ctx.cwd, folder, given: parsed.positionals[0], from, into, owner, today });
  if ('reportLink' in done) {
    ctx.err(`${relative(ctx.cwd, done.reportLink)} is a symbolic link: the import report is not written through it.`);
    return 1;
  }
  const { written, kept, assets, refused } = done;
  ctx.out(
    `Imported ${written} page${written === 1 ? '' : 's'} (${from}) into ${into} (${kept} already there, left as they are), ${assets} linked file${assets === 1 ? '' : 's'} copied${refused ? `, ${refused} not imported (symbolic links, special files; listed in the report)` : ''}. Every change: ${done.report}.`,
  );
  ctx.out('Next: npx runbook check --update-baseline (accept what is left), then npm run build.');
  return 0;
}
