import { LADDER_FILE, readRepoFile, refusedFile, RepoPathError } from '../runbook/paths.ts';
import { LineCounter, parseDocument } from 'yaml';
import { placeYamlError } from '../runbook/yaml-errors.ts';
import { ALIAS_BOMB, documentData, nodeAt } from '../runbook/yaml-node.ts';
import { z } from 'zod';
import type { Diagnostic } from '../runbook/diagnostic.ts';

/** Keys every ladder level understands; any other key becomes an extra column. */
const WELL_KNOWN = ['id', 'label', 'definition', 'examples', 'response', 'page', 'resolve', 'color'] as const;

const levelSchema = z
  .object({
    id: z.string().min(1).describe('The id runbooks write in `severity:` and `:severity[…]`, e.g. `SEV-1` or `P0`.'),
    label: z.string().min(1).describe('Short name shown next to the id, e.g. "Critical".'),
    definition: z.string().min(1).describe('What makes an incident this severe.'),
    examples: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .describe('Typical incidents at this level.'),
    response: z.string().optional().describe('How fast someone must respond.'),
    page: z.string().optional().describe('Who is paged.'),
    resolve: z.string().optional().describe('Resolve-by target.'),
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/, 'must be a hex colour like "#d92d20"')
      .optional()
      .describe('Badge colour, a CSS hex colour.'),
  })
  .catchall(z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]));

/** The one model of the ladder file: the loader parses with it, the editor schema is generated from it. */
export const ladderSchema = z.object({
  levels: z
    .array(levelSchema)
    .min(1)
    .describe('The levels, most severe first; any key besides the known ones is an extra column.'),
});

/** One rung of the ladder, with its extra keys kept in file order. */
export type SeverityLevel = z.infer<typeof levelSchema>;

/** The parsed ladder: levels in order and the extra column keys in first-seen order. */
export interface SeverityLadder {
  levels: SeverityLevel[];
  extraColumns: string[];
  byId: Map<string, SeverityLevel>;
}

/** The rule id of every ladder finding (its row is in ./rules.ts; check/rules.ts holds the two together). */
export const LADDER_RULE_ID = 'severity-ladder-invalid';

/** Thrown when the ladder file itself is wrong; carries positioned findings. */
export class LadderError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`).join('\n'));
    this.diagnostics = diagnostics;
  }
}

/** A ladder with no levels: what the site runs on while its real ladder is broken. */
export const EMPTY_LADDER: SeverityLadder = { levels: [], extraColumns: [], byId: new Map() };

/**
 * Reads and validates the project's ladder YAML (`file` from `root`), through the
 * repository's door: a link out of the repository is a finding, not a read, and so is a
 * missing ladder (every command and the build stop on it with the finding, not a stack trace).
 */
export function loadSeverityLadder(root: string, file = LADDER_FILE): SeverityLadder {
  const displayPath = file;
  const bytes = readRepoFile(root, file);
  if (bytes instanceof RepoPathError) {
    if (bytes.status === 'missing')
      throw new LadderError([
        {
          file,
          line: 1,
          column: 1,
          ruleId: LADDER_RULE_ID,
          severity: 'error',
          message: `There is no severity ladder: ${file} does not exist`,
          hint: `Create ${file} with the levels runbooks may name (see "The severity ladder" in the README).`,
        },
      ]);
    throw new LadderError([refusedFile(file, bytes)]);
  }
  const text = bytes.toString('utf8');
  // A run reads the ladder once (project/load.ts); a long-lived process (astro dev, the
  // tests) reads it again per load, so an unchanged text is parsed once.
  const key = `${displayPath}\0${text}`;
  const known = parsed.get(key);
  if (known) return known;
  const ladder = parseSeverityLadder(text, displayPath);
  parsed.clear();
  parsed.set(key, ladder);
  return ladder;
}

const parsed = new Map<string, SeverityLadder>();

/** Validates ladder YAML text; throws {@link LadderError} with file:line findings. */
export function parseSeverityLadder(text: string, file: string): SeverityLadder {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number) => lineCounter.linePos(offset);
  if (doc.errors.length > 0) {
    throw new LadderError(
      // The first YAML error only: one stray bracket otherwise reads as dozens of problems.
      doc.errors.slice(0, 1).map((error) => {
        const e = placeYamlError(doc, error);
        const { line, col } = at(e.offset);
        return {
          file,
          line,
          column: col,
          ruleId: LADDER_RULE_ID,
          severity: 'error' as const,
          message: `The severity ladder is not valid YAML: ${e.message}`,
          hint: 'Fix the YAML syntax; each level is a list item under `levels:`.',
        };
      }),
    );
  }
  const read = documentData(doc);
  if (!read) {
    throw new LadderError([
      {
        file,
        line: 1,
        column: 1,
        ruleId: LADDER_RULE_ID,
        severity: 'error',
        message: `The severity ladder: ${ALIAS_BOMB}`,
        hint: 'Write the levels out; use anchors only for small shared values.',
      },
    ]);
  }
  const result = ladderSchema.safeParse(read.data);
  if (!result.success) {
    throw new LadderError(
      result.error.issues.map((issue) => {
        const node = nodeAt(doc.contents, issue.path);
        const { line, col } = node?.range ? at(node.range[0]) : { line: 1, col: 1 };
        return {
          file,
          line,
          column: col,
          ruleId: LADDER_RULE_ID,
          severity: 'error' as const,
          message: `Severity ladder: ${issue.path.join('.') || '(root)'} ${/received undefined$/.test(issue.message) ? 'is required' : issue.message}`,
          hint: 'Each level needs `id`, `label` and `definition`; see the comment at the top of the file.',
        };
      }),
    );
  }
  const levels = result.data.levels;
  const byId = new Map<string, SeverityLevel>();
  const dupes: Diagnostic[] = [];
  levels.forEach((level, i) => {
    if (byId.has(level.id)) {
      const node = nodeAt(doc.contents, ['levels', i, 'id']);
      const { line, col } = node?.range ? at(node.range[0]) : { line: 1, col: 1 };
      dupes.push({
        file,
        line,
        column: col,
        ruleId: LADDER_RULE_ID,
        severity: 'error',
        message: `Severity ladder: id "${level.id}" is used twice`,
        hint: 'Give every level a unique id.',
      });
    }
    byId.set(level.id, level);
  });
  if (dupes.length > 0) throw new LadderError(dupes);
  const extraColumns: string[] = [];
  for (const level of levels) {
    for (const key of Object.keys(level)) {
      if (!(WELL_KNOWN as readonly string[]).includes(key) && !extraColumns.includes(key)) extraColumns.push(key);
    }
  }
  return { levels, extraColumns, byId };
}
