/**
 * `runbook import`'s library: a source folder made into pages of the site, page by page
 * (convert, then write), then the files the pages link to, then the report. Every write
 * refuses a symbolic link on its way and never overwrites, so importing twice changes
 * nothing the second time.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { convertPage } from './convert.ts';
import { planImport } from './plan.ts';
import { keptSection, pageSection, refusedSection, reportTitle } from './report.ts';
import { hugoParams, pagesRoot, readSourceFile, resolveRelative, walkSource, type SourceKind } from './source.ts';
import { IMPORT_REPORT, linkOnTheWay, writeAsset, writeNew, writeReport } from './write.ts';

/** What to import, and where. */
export interface ImportRequest {
  /** The project root. */
  cwd: string;
  /** The source folder's real path (the folder named is taken as it is; below it, no link is followed). */
  folder: string;
  /** The folder as the user named it, for the report. */
  given: string;
  from: SourceKind;
  /** The destination folder, from the project root (under the content folder). */
  into: string;
  owner?: string;
  /** `YYYY-MM-DD`. */
  today: string;
}

/** What an import did, or the symbolic link that kept it from writing its report. */
export type ImportOutcome =
  { written: number; kept: number; assets: number; refused: number; report: string } | { reportLink: string };

/** Imports a folder of Markdown runbooks into the site (see the `runbook import` usage). */
export function importFolder(request: ImportRequest): ImportOutcome {
  const { cwd, from, into, owner, today } = request;
  // A Hugo site's pages are its content/ folder; their URLs do not include it.
  const source = pagesRoot(request.folder, from);
  const params = from === 'hugo' ? hugoParams(request.folder) : {};
  // Regular files only, found without following a link.
  const tree = walkSource(source);
  const plan = planImport(cwd, source, tree);
  const report = reportTitle(request.given, from, into, today);
  let written = 0;
  let kept = 0;
  const refused = [...tree.skipped];
  const notThroughLink = (path: string, link: string) =>
    refused.push({ path, why: `not written: ${relative(cwd, link)} is a symbolic link in the destination` });
  const assets = new Set<string>();
  for (const page of plan.pages) {
    const target = join(cwd, into, plan.renamed.get(page)!);
    const link = linkOnTheWay(cwd, target);
    if (link) {
      notThroughLink(page, link);
      continue;
    }
    const input = plan.text(page);
    if (input === undefined) {
      refused.push({
        path: page,
        why: 'not imported: it changed since it was listed (no longer a regular file of the folder)',
      });
      continue;
    }
    if (existsSync(target)) {
      kept++;
      report.push(...keptSection(relative(cwd, target)));
      continue;
    }
    const slug = plan.takeSlug(page);
    const converted = convertPage(input, {
      source: page,
      owner,
      today,
      slug,
      renamed: plan.renamed,
      exists: plan.exists,
      from,
      pages: plan.pages,
      params,
      headingsOf: plan.headingsOf,
    });
    writeNew(target, converted.text);
    written++;
    for (const t of converted.relativeTargets) {
      const path = resolveRelative(page, decodeURIComponent(t));
      if (!/\.mdx?$/i.test(path) && plan.exists(path)) assets.add(path);
    }
    report.push(...pageSection(relative(cwd, target), page, converted.changes));
  }
  for (const asset of assets) {
    const target = join(cwd, into, asset);
    const link = linkOnTheWay(cwd, target);
    if (link) {
      notThroughLink(asset, link);
      continue;
    }
    if (existsSync(target)) continue;
    // The bytes checked are the bytes written: a copy by path (cpSync) would copy whatever
    // the name holds by then, a symbolic link swapped in after the check included.
    const bytes = readSourceFile(source, asset);
    if (bytes === undefined) continue;
    const note = writeAsset(bytes, target, asset, join(source, asset));
    if (note) report.push(note, '');
  }
  report.push(...refusedSection(refused));
  const reportLink = writeReport(cwd, `${report.join('\n')}\n`);
  if (reportLink) return { reportLink };
  return { written, kept, assets: assets.size, refused: refused.length, report: IMPORT_REPORT };
}
