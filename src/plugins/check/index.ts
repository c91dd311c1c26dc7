import { join, relative } from 'node:path';
import type { Diagnostic } from '../runbook/diagnostic.ts';
import { collectFacts, readPage, type RunbookFacts } from '../runbook/facts.ts';
import { loadProjectConfig, type ProjectConfig } from '../runbook/config.ts';
import { CONTENT_DIR } from '../runbook/paths.ts';
import { ladderOf, loadProject, type Project } from '../project/load.ts';
import { ruleIds, runRules, type RuleContext } from './rules.ts';
import type { SeverityLadder } from '../severity/ladder.ts';
import { shortlinkEntries } from '../shortlinks/entries.ts';
import { type FactsCache, type FactsSettings, openFactsCache } from './cache.ts';
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

/** The pages of a project: paths from the root, forward slashes. */
export const pageFiles = (root: string): string[] =>
  findMarkdown(join(root, CONTENT_DIR), root).map((path) => relative(root, path).split('\\').join('/'));

/**
 * Collects the facts of every page of a project: the input of the rules. `texts` (file →
 * text) stands in for files on disk: `runbook fix --dry-run` judges the pages as fixed.
 * With `cache` ({@link projectCache}) unchanged pages come from the facts cache, which is
 * then saved.
 */
export function collectProject(
  project: Project,
  texts?: ReadonlyMap<string, string>,
  cache?: FactsCache,
): RunbookFacts[] {
  const collect = pageCollector(project, texts, cache);
  const facts = pageFiles(project.root).map(collect);
  cache?.save();
  return facts;
}

/** The settings that shape every page's facts in `project`. */
function factsSettings(project: Project): FactsSettings {
  // Headings with a :severity[ID] badge read as its id and label on the page, and are slugged so.
  const severityLabels = new Map((ladderOf(project)?.levels ?? []).map((l) => [l.id, l.label]));
  return { maxBytes: project.config.maxFileBytes, severityLabels, mdxBindings: true };
}

/** The facts cache of `project` in `cacheDir` (absolute), for {@link pageCollector}. */
export const projectCache = (project: Project, cacheDir: string): FactsCache =>
  openFactsCache(cacheDir, factsSettings(project));

/**
 * Reads one page's facts as {@link collectProject} reads each (the dev server re-reads a
 * saved page with it): `file` is the path from the root, inside the content folder. With
 * `cache`, a page whose bytes it holds is not parsed again, and a page read is recorded.
 */
export function pageCollector(
  project: Project,
  texts?: ReadonlyMap<string, string>,
  cache?: FactsCache,
): (file: string) => RunbookFacts {
  const settings = factsSettings(project);
  return (file) => {
    const text = texts?.get(file);
    const bytes = text !== undefined ? Buffer.from(text) : readPage(project.root, file);
    // A page that cannot be read has nothing to hash: its facts are the refusal, found anew.
    const cached = cache && !(bytes instanceof Error) ? cache.get(file, bytes) : undefined;
    if (cached) return cached;
    const facts = collectFacts(bytes, file, file.slice(CONTENT_DIR.length + 1), settings);
    if (cache && !(bytes instanceof Error)) cache.put(file, bytes, facts);
    return facts;
  };
}

/** What cross-page rules look things up in: published pages by URL, shortlink owners. */
function siteIndex(facts: readonly RunbookFacts[]): {
  pages: Map<string, RunbookFacts>;
  shortlinks: Map<string, RunbookFacts[]>;
} {
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
  return { pages, shortlinks };
}

/** What the rules consult besides the facts, built from every page's facts (the ladder as loaded). */
export function ruleContext(
  project: Project,
  ladder: SeverityLadder,
  facts: readonly RunbookFacts[],
  today = new Date(),
): RuleContext {
  return {
    root: project.root,
    config: project.config,
    ladder,
    slos: new Set(project.sloIds),
    ...siteIndex(facts),
    today,
    ruleIds: ruleIds(),
  };
}

/**
 * `files` and the pages whose links point into them (by URL, `/r/` slug or relative
 * `.md` path, resolved as the link rules resolve them): what `runbook check
 * --changed-since` reports on.
 */
export function withReferrers(
  project: Project,
  facts: readonly RunbookFacts[],
  files: ReadonlySet<string>,
): Set<string> {
  const context = {
    root: project.root,
    config: project.config,
    slos: new Set(project.sloIds),
    ...siteIndex(facts),
    ruleIds: ruleIds(),
  };
  const out = new Set(files);
  for (const f of facts) {
    if (out.has(f.file)) continue;
    if (
      f.links.some((l) => {
        const t = resolveLink(f, l.url, context);
        return t.kind === 'page' && files.has(t.page.file);
      })
    )
      out.add(f.file);
  }
  return out;
}

/**
 * Runs the rules over already collected facts (the build and the CLI share this): of the
 * project as loaded, or of the one at a root with the settings given.
 */
export function checkFacts(
  from: Project | string,
  facts: RunbookFacts[],
  options: CheckOptions & { config?: ProjectConfig } = {},
): Diagnostic[] {
  const project = typeof from === 'string' ? loadProject(from, options.config ?? loadProjectConfig(from)) : from;
  // Without a ladder the severity rules would only add noise: report the ladder alone.
  const ladder = ladderOf(project);
  if (!ladder) return project.ladderFindings;
  const diagnostics = runRules(facts, ruleContext(project, ladder, facts, options.today));
  if (!options.only) return diagnostics;
  const only = new Set(options.only);
  return diagnostics.filter((d) => only.has(d.file));
}

/** Checks a whole project without building it: the core behind the build and `runbook check`. Throws `ConfigError` on a broken config. */
export function checkProject(root: string, options: CheckOptions = {}): Diagnostic[] {
  const project = loadProject(root, options.config ?? loadProjectConfig(root));
  return checkFacts(project, collectProject(project), options);
}
