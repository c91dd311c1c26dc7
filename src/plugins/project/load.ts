/**
 * The project loader: what every command and the build read before any page, read once
 * per run. runbooks.config.yaml, the severity ladder and the SLO ids each decide what
 * many rules, pages and outputs say, so they are read here and handed on, never re-read.
 *
 * One policy for a broken file: its problems are findings (file, line, column, rule id,
 * message, hint: the `load` rows of the rule table, or the file refused by the repository's
 * door), the project carries them with the defaults standing in, and every command
 * stops on them with exit code 1 ({@link loadFindings}).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../runbook/diagnostic.ts';
import { ConfigError, defaultConfig, loadProjectConfig, type ProjectConfig } from '../runbook/config.ts';
import { SLO_DIR } from '../runbook/paths.ts';
import { EMPTY_LADDER, LadderError, loadSeverityLadder, type SeverityLadder } from '../severity/ladder.ts';

/** What a run knows about the project before reading its pages. */
export interface Project {
  /** Absolute project root. */
  root: string;
  /** runbooks.config.yaml; the defaults while it is broken (its findings say why). */
  config: ProjectConfig;
  /** The severity ladder; the empty ladder while it is broken (its findings say why). */
  ladder: SeverityLadder;
  /** Whether `ladder` is the project's own (not the stand-in for a broken one). */
  ladderRead: boolean;
  /** Ids of the files in src/content/slos/, valid or not (the SLO rules judge each file). */
  sloIds: ReadonlySet<string>;
  /** Problems with runbooks.config.yaml (the rule `config-invalid`, or the file refused). */
  configFindings: Diagnostic[];
  /** Problems with the ladder (`severity-ladder-invalid`, or the file refused). */
  ladderFindings: Diagnostic[];
  /**
   * Why the ladder could not be read at all (no ladder file): thrown by what needs the
   * ladder (the check, the build), so a command that does not (`runbook test`) still runs.
   */
  ladderFailure?: unknown;
}

/** The exit code of every command stopped by a broken project file. */
export const BROKEN_PROJECT_EXIT = 1;

/** The findings that stop every command (exit 1) and the build: a broken ladder or config. */
export const loadFindings = (project: Project): Diagnostic[] => [...project.ladderFindings, ...project.configFindings];

/** The SLO ids of the project at `root`: the names of its SLO files. */
function sloIdsOf(root: string): Set<string> {
  try {
    return new Set(
      readdirSync(join(root, SLO_DIR))
        .filter((n) => /\.ya?ml$/.test(n))
        .map((n) => n.replace(/\.ya?ml$/, '')),
    );
  } catch {
    // No SLO folder yet: every cited SLO is unknown, which the rule reports.
    return new Set();
  }
}

/**
 * Reads the project at `root`: its settings, ladder and SLO ids. `config` stands in for
 * runbooks.config.yaml when the caller already holds settings (a test, a benchmark).
 */
export function loadProject(root: string, config?: ProjectConfig): Project {
  const ladderFindings: Diagnostic[] = [];
  const configFindings: Diagnostic[] = [];
  let ladder = EMPTY_LADDER;
  let ladderRead = false;
  let ladderFailure: unknown;
  try {
    ladder = loadSeverityLadder(root);
    ladderRead = true;
  } catch (error) {
    if (error instanceof LadderError) ladderFindings.push(...error.diagnostics);
    else ladderFailure = error;
  }
  if (!config) {
    try {
      config = loadProjectConfig(root);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      configFindings.push(...error.diagnostics);
      config = defaultConfig();
    }
  }
  return {
    root,
    config,
    ladder,
    ladderRead,
    sloIds: sloIdsOf(root),
    configFindings,
    ladderFindings,
    ...(ladderFailure === undefined ? {} : { ladderFailure }),
  };
}

/** The project's ladder for what needs it: undefined while it is broken; throws when there is none. */
export function ladderOf(project: Project): SeverityLadder | undefined {
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows what reading the ladder threw, as it was
  if (project.ladderFailure !== undefined) throw project.ladderFailure;
  return project.ladderRead ? project.ladder : undefined;
}
