import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Diagnostic } from '../runbook/diagnostic.ts';
import { LadderError, loadSeverityLadder } from '../severity/ladder.ts';
import { collectFacts, readPage, type RunbookFacts } from '../runbook/facts.ts';
import { loadProjectConfig, type ProjectConfig } from '../runbook/config.ts';
import { CONTENT_DIR, SLO_DIR } from '../runbook/paths.ts';
import { rules, runRules } from './rules.ts';
import { shortlinkEntries } from '../shortlinks/entries.ts';
import { resolveLink } from '../links/rules.ts';

export { CONTENT_DIR, LADDER_FILE, SLO_DIR } from '../runbook/paths.ts';
export { findMarkdown } from '../runbook/files.ts';
import { findMarkdown } from '../runbook/files.ts';

/** Options for {@link checkProject}. */
export interface CheckOptions {
  /** Report only findings in these files (paths relative to the root); all files are still read for cross-page rules. */
  only?: string[];
  /** "Today" for review dates. */
  today?: Date;
  /** Settings; read from runbooks.config.yaml when absent. */
  config?: ProjectConfig;
}

/** One file to collect: absolute path, path from the root, path from the content folder. */
interface WorkItem {
  path: string;
  file: string;
  entry: string;
}

function workItems(root: string): WorkItem[] {
  const contentDir = join(root, CONTENT_DIR);
  return findMarkdown(contentDir, root).map((path) => ({
    path,
    file: relative(root, path).split('\\').join('/'),
    entry: relative(contentDir, path).split('\\').join('/'),
  }));
}

/** Collects the facts of every page of a project: the input of the rules. */
export function collectProject(root: string, config: ProjectConfig): RunbookFacts[] {
  // Headings with a :severity[ID] badge read as its id and label on the page, and are slugged so.
  let labels = new Map<string, string>();
  try {
    labels = new Map(loadSeverityLadder(root).levels.map((l) => [l.id, l.label]));
  } catch (error) {
    if (!(error instanceof LadderError)) throw error;
  }
  return workItems(root).map((it) => collectFacts(readPage(root, it.file), it.file, it.entry, { maxBytes: config.maxFileBytes, severityLabels: labels, mdxBindings: true }));
}

/** What cross-page rules look things up in: SLO ids, published pages by URL, shortlink owners. */
function siteIndex(root: string, facts: readonly RunbookFacts[]): { slos: Set<string>; pages: Map<string, RunbookFacts>; shortlinks: Map<string, RunbookFacts[]> } {
  let slos: string[] = [];
  try {
    slos = readdirSync(join(root, SLO_DIR)).filter((n) => /\.ya?ml$/.test(n)).map((n) => n.replace(/\.ya?ml$/, ''));
  } catch {
    // No SLO folder yet: every cited SLO is unknown, which the rule reports.
  }
  // Links resolve to published pages: a draft is left out of the site.
  const pages = new Map(facts.filter((f) => f.frontmatter.data.draft !== true).map((f) => [f.url, f]));
  const shortlinks = new Map<string, RunbookFacts[]>();
  for (const f of facts) {
    for (const e of shortlinkEntries(f.frontmatter.data)) {
      if (typeof e.slug !== 'string') continue;
      const owners = shortlinks.get(e.slug);
      if (owners) owners.push(f);
      else shortlinks.set(e.slug, [f]);
    }
  }
  return { slos: new Set(slos), pages, shortlinks };
}

/**
 * `files` and the pages whose links point into them (by URL, `/r/` slug or relative
 * `.md` path, resolved as the link rules resolve them): what `runbook check
 * --changed-since` reports on.
 */
export function withReferrers(root: string, facts: readonly RunbookFacts[], config: ProjectConfig, files: ReadonlySet<string>): Set<string> {
  const { slos, pages, shortlinks } = siteIndex(root, facts);
  const context = { root, config, pages, shortlinks, slos, ruleIds: new Set(rules.map((r) => r.id)) };
  const out = new Set(files);
  for (const f of facts) {
    if (out.has(f.file)) continue;
    if (f.links.some((l) => { const t = resolveLink(f, l.url, context); return t.kind === 'page' && files.has(t.page.file); })) out.add(f.file);
  }
  return out;
}

/** Runs the rules over already collected facts (the build and the CLI share this). */
export function checkFacts(root: string, facts: RunbookFacts[], options: CheckOptions & { config: ProjectConfig }): Diagnostic[] {
  let ladder;
  try {
    ladder = loadSeverityLadder(root);
  } catch (error) {
    // Without a ladder the severity rules would only add noise: report the ladder alone.
    if (error instanceof LadderError) return error.diagnostics;
    throw error;
  }
  const { slos, pages, shortlinks } = siteIndex(root, facts);
  const diagnostics = runRules(facts, {
    root, config: options.config, ladder, slos, pages, shortlinks,
    today: options.today ?? new Date(), ruleIds: new Set(rules.map((r) => r.id)),
  });
  if (!options.only) return diagnostics;
  const only = new Set(options.only);
  return diagnostics.filter((d) => only.has(d.file));
}

/** Checks a whole project without building it: the core behind the build and `runbook check`. */
export function checkProject(root: string, options: CheckOptions = {}): Diagnostic[] {
  const config = options.config ?? loadProjectConfig(root);
  return checkFacts(root, collectProject(root, config), { ...options, config });
}
