import { parseDay } from './dates.ts';
import type { RunbookFacts } from './facts.ts';
import { plainScalarPaths, plainSource, positionOf, positionOfKey, valueAt } from './frontmatter.ts';
import { readable } from './page.ts';
import type { Finding } from './rule.ts';
import { checkSchema } from './schema.ts';
import { trimBoth } from './text.ts';

/** A finding of the page schema, with the rule it belongs to. */
export interface SchemaFinding extends Finding {
  rule: string;
  /** For a value the field means as text that YAML read by its look: the text as written, which quoting keeps. */
  quote?: string;
}

/** How a value YAML read reads in a message. */
function describe(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (v instanceof Date) return v.getTime() % 86_400_000 === 0 ? 'a date' : 'a timestamp';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  return `the text ${JSON.stringify(v)}`;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  array: 'a list',
  object: 'a mapping',
  number: 'a number',
  boolean: 'true or false',
  int: 'a whole number',
  date: 'a date',
};

/** The wording of each rule's findings, from the value at fault and its path. */
const WORDING: Record<
  string,
  (value: unknown, path: string, written: string | undefined) => { message: string; hint?: string }
> = {
  'owner-invalid': (v) => ({ message: `Owner ${JSON.stringify(v)} is not a handle like "@db-team"` }),
  'review-date-invalid': (v, path, written) => {
    const shown = written ?? (v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : JSON.stringify(v));
    return {
      message:
        v === undefined
          ? 'The review entry has no `date`'
          : path === 'review.next'
            ? `\`review.next\` ${JSON.stringify(shown)} is not a YYYY-MM-DD date`
            : `Review date ${JSON.stringify(shown)} is not a YYYY-MM-DD date`,
    };
  },
  'shortlink-invalid': (v) => ({
    message: `Shortlink ${JSON.stringify(v)} is not a valid slug`,
    hint:
      typeof v === 'string'
        ? `Try \`${trimBoth(v.toLowerCase().replace(/[^a-z0-9-]+/g, '-'), '-').slice(0, 63) || 'a-slug'}\`.`
        : undefined,
  }),
  'var-name-invalid': (_v, path) => ({
    message: `Variable name \`${path.split('.').slice(1).join('.')}\` is not upper-case letters, digits and underscores`,
  }),
  'var-pattern-invalid': (v) => {
    let reason = '';
    try {
      new RegExp(String(v));
    } catch (error) {
      reason = `: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`;
    }
    return { message: `Pattern ${JSON.stringify(v)} is not a valid regular expression${reason}` };
  },
};

/** Issue shapes of zod 4, as far as findings need them. */
interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  /** `rule`: the rule that reports it; `text`: the text the schema turned a date, number or boolean into (schema.ts). */
  params?: { rule?: string; text?: string };
  errors?: Issue[][];
}

/** The issues under a union that did not match: the branch that got furthest, or the union itself. */
function unionIssues(issue: Issue, data: unknown): Issue[] {
  const value = valueAt(data, issue.path);
  const branches = (issue.errors ?? []).filter((b) => b.length > 0);
  // A mapping fails the text branch at its root; report what is wrong inside it instead.
  const deeper = branches.find((b) => b.every((i) => i.path.length > 0 || i.params?.rule));
  if (deeper && value !== null && typeof value === 'object' && !(value instanceof Date))
    return deeper.map((i) => ({ ...i, path: [...issue.path, ...i.path] }));
  const ruled = branches.find((b) => b.length === 1 && b[0].path.length === 0 && b[0].params?.rule);
  if (ruled && typeof value === 'string') return [{ ...ruled[0], path: issue.path }];
  return [issue];
}

const cache = new WeakMap<RunbookFacts, SchemaFinding[]>();

/**
 * The page schema applied to a page's frontmatter as the build applies it, each issue
 * a positioned finding tagged with its rule; plus the one thing YAML's reading hides
 * from the schema: an unquoted date that is no real day (`2026-02-30` reads as March 2nd).
 */
export function schemaFindings(f: RunbookFacts): SchemaFinding[] {
  let found = cache.get(f);
  if (found) return found;
  found = [];
  if (readable(f)) {
    const data = f.frontmatter.data;
    const result = checkSchema().safeParse(data);
    const issues = result.success
      ? []
      : (result.error.issues as unknown as Issue[]).flatMap((i) =>
          i.code === 'invalid_union' ? unionIssues(i, data) : [i],
        );
    const impossible = impossibleDates(f);
    const rolled = new Set(impossible.map((i) => `${i.line}:${i.column}`));
    // A variable whose example, pattern or enum YAML misread is judged again once quoted:
    // its example's finding would be a second finding of the one misread (`example: 1.10`
    // read as 1.1 fails `pattern: ^\d\.\d\d$`; quoted, it matches).
    const misreads = new Map(
      issues.flatMap((i) => (i.params?.text === undefined ? [] : [[i, misreadText(f, i, i.params.text)] as const])),
    );
    const misreadVars = new Set(
      [...misreads].filter(([i, m]) => m && i.path[0] === 'vars').map(([i]) => String(i.path[1])),
    );
    for (const issue of issues) {
      if (issue.params?.rule === 'var-example-invalid' && misreadVars.has(String(issue.path[1]))) continue;
      if (issue.params?.text === undefined) found.push(toFinding(f, issue));
      else {
        const misread = misreads.get(issue);
        // A day that does not exist (`2026-02-30`) has its own finding below.
        if (misread && !rolled.has(`${misread.line}:${misread.column}`)) found.push(misread);
      }
    }
    found.push(...impossible);
  }
  cache.set(f, found);
  return found;
}

/**
 * A value in a text field that YAML read as a date, number or boolean and the schema
 * turned back into `shown` (coerce.ts's asText, what the site shows): nothing when that
 * is exactly what was written (`example: 2026-04-18T15:10:00Z`, `42`, `true`), else a
 * finding (`1.10` would show as "1.1"). Unknown writing (TOML, an explicit tag) is a finding too.
 */
function misreadText(f: RunbookFacts, issue: Issue, shown: string): SchemaFinding | undefined {
  const path = issue.path.map((k) => (typeof k === 'number' ? k : String(k)));
  const written = plainSource(f.frontmatter, path);
  if (written === shown) return undefined;
  const value = valueAt(f.frontmatter.data, path);
  const place = { file: f.file, ...positionOf(f.frontmatter, path), rule: 'frontmatter-type' };
  const dotted = path.join('.');
  if (written === undefined)
    return {
      ...place,
      message: `\`${dotted}\` must be a string, not ${describe(value)}`,
      hint: 'Write it as a quoted string.',
    };
  const key = typeof path.at(-1) === 'number' ? '' : `${String(path.at(-1))}: `;
  return {
    ...place,
    message: `\`${dotted}\` is text, but YAML reads unquoted ${written} as ${describe(value)}, shown as ${JSON.stringify(shown)}`,
    hint: `Quote it to keep what you wrote: ${key}${JSON.stringify(written)} (\`npx runbook fix\` does it for you).`,
    quote: written,
  };
}

function toFinding(f: RunbookFacts, issue: Issue): SchemaFinding {
  const path = issue.path.map((k) => (typeof k === 'number' ? k : String(k)));
  const dotted = path.join('.');
  const value = valueAt(f.frontmatter.data, path);
  const rule = issue.params?.rule ?? 'frontmatter-type';
  // A record key (a variable name) is reported at the key, not at its value.
  const place =
    issue.code === 'invalid_key'
      ? positionOfKey(f.frontmatter, String(path.at(-1)), path.slice(0, -1))
      : positionOf(f.frontmatter, path);
  const base = { file: f.file, ...place, rule };
  if (issue.code === 'invalid_key')
    return { ...base, rule: 'var-name-invalid', ...WORDING['var-name-invalid'](value, dotted, undefined) };
  const written =
    value instanceof Date || typeof value === 'number' || typeof value === 'boolean'
      ? plainSource(f.frontmatter, path)
      : undefined;
  if (WORDING[rule]) return { ...base, ...WORDING[rule](value, dotted, written) };
  if (issue.params?.rule) return { ...base, message: path.length ? `\`${dotted}\` ${issue.message}` : issue.message };
  if (value === undefined) return { ...base, message: `\`${dotted}\` is required` };
  // YAML read an unquoted value by its look: say so, and show the quoted form.
  const hint =
    written !== undefined && issue.expected === 'string'
      ? `YAML reads unquoted ${written} as ${describe(value)}; quote it: ${typeof path.at(-1) === 'number' ? '' : `${String(path.at(-1))}: `}"${written}"`
      : undefined;
  if (issue.code === 'invalid_type' || issue.code === 'invalid_union' || issue.code === 'invalid_value') {
    const expected =
      issue.code === 'invalid_type'
        ? (EXPECTED[issue.expected ?? ''] ?? issue.expected)
        : issue.code === 'invalid_union'
          ? 'another type'
          : issue.message.replace(/^Invalid (input|option): expected /, '');
    return {
      ...base,
      message: `\`${dotted}\` must be ${expected}, not ${describe(value)}`,
      hint,
      ...(hint !== undefined && written !== undefined ? { quote: written } : {}),
    };
  }
  // Range, length and format checks (Starlight's too): their own words, and the value.
  const what = issue.message.replace(/^Invalid (string|input|number): /i, '');
  return {
    ...base,
    message: `\`${dotted}\` is not valid: ${what.charAt(0).toLowerCase()}${what.slice(1)} (it is ${describe(value)})`,
    hint: hint ?? 'Change the value to one the message allows.',
  };
}

const DATE_TOKEN = /(?<![\w.:-])\d{4}-\d\d-\d\d(?![\w:.-])/g;

/** Unquoted YYYY-MM-DD values that name no real day; YAML would roll them into the next month. */
function impossibleDates(f: RunbookFacts): SchemaFinding[] {
  const tokens = new Set([...f.frontmatter.yamlText.matchAll(DATE_TOKEN)].map((m) => m[0]).filter((t) => !parseDay(t)));
  return [...tokens].flatMap((token) =>
    plainScalarPaths(f.frontmatter, token).map((path) => ({
      file: f.file,
      ...positionOf(f.frontmatter, path),
      rule: path[0] === 'review' ? 'review-date-invalid' : 'frontmatter-type',
      message:
        path[0] === 'review'
          ? `Review date "${token}" is not a YYYY-MM-DD date`
          : `\`${path.join('.')}\` ${token} is not a real date`,
      hint: `There is no such day; YAML would silently read it as ${(valueAt(f.frontmatter.data, path) as Date | undefined)?.toISOString?.().slice(0, 10) ?? 'another day'}. Write the date you mean.`,
    })),
  );
}

/** The schema findings of `rule` across pages. */
export const findingsOf = (all: readonly RunbookFacts[], rule: string): Finding[] =>
  all.flatMap((f) =>
    schemaFindings(f)
      .filter((s) => s.rule === rule)
      .map((s) => ({ file: s.file, line: s.line, column: s.column, message: s.message, hint: s.hint })),
  );

/**
 * The fix for a value YAML misread: `text` (the page's file) with each unquoted value the
 * schema wants as text but YAML read as a date, number or boolean put in double quotes,
 * exactly as written; nothing else changes. `quoted` lists what was quoted, where.
 */
export function quoteMisreads(
  f: RunbookFacts,
  text: string,
): { text: string; quoted: { line: number; column: number; written: string }[] } {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const places = schemaFindings(f)
    .flatMap((s) => (s.quote === undefined ? [] : [{ line: s.line, column: s.column, written: s.quote }]))
    // A value written with a quote or a backslash would need escaping: left to the author.
    .filter((q) => !/["\\]/.test(q.written))
    .map((q) => ({ ...q, offset: (lineStarts[q.line - 1] ?? NaN) + q.column - 1 }))
    .filter((q) => text.startsWith(q.written, q.offset))
    .sort((a, b) => b.offset - a.offset);
  let out = text;
  for (const q of places) out = `${out.slice(0, q.offset)}"${q.written}"${out.slice(q.offset + q.written.length)}`;
  return { text: out, quoted: places.reverse().map(({ line, column, written }) => ({ line, column, written })) };
}
