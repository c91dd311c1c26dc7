/**
 * Snippet variables: what a runbook declares under `vars:`, which of them a block
 * uses, and whether a value is acceptable. Values only ever reach a process as
 * environment variables; nothing here builds command text.
 */
import { parseConnection } from './psql.ts';
import { MASK } from './redact.ts';
import { codeUses, dbVariable, type SnippetSource, usedNames } from '../snippets/snippet.ts';
import { matchesWithin, MAX_VALUE_LENGTH } from '../runbook/patterns.ts';
import { asText } from '../runbook/coerce.ts';

/** One entry of a runbook's `vars:`. */
export interface VarSpec {
  name: string;
  description?: string;
  example?: string;
  pattern?: string;
  enum?: string[];
  secret: boolean;
  /** Used where it becomes code, not data (bash arithmetic or eval, psql's bare `:NAME`): only a number passes. */
  evaluated?: 'bash' | 'psql';
  /** An SQL block's database: the value must be a connection URL psql can be given without its command line. */
  database?: boolean;
}

/** The `vars:` of a runbook's frontmatter data, tolerating the shapes `runbook check` reports. */
export function declaredVars(data: Record<string, unknown>): Map<string, VarSpec> {
  const out = new Map<string, VarSpec>();
  const vars = data.vars;
  if (!vars || typeof vars !== 'object' || Array.isArray(vars)) return out;
  for (const [name, raw] of Object.entries(vars as Record<string, unknown>)) {
    const spec = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    out.set(name, {
      name,
      description: asText(spec.description),
      example: asText(spec.example),
      pattern: asText(spec.pattern),
      enum: Array.isArray(spec.enum) ? spec.enum.map((v) => asText(v) ?? String(v)) : undefined,
      secret: spec.secret === true,
    });
  }
  return out;
}

/** The declared variables a block uses, in order of first use (see usedNames: the checker asks the same). */
export function usedVars(block: SnippetSource, declared: ReadonlyMap<string, VarSpec>): VarSpec[] {
  const names = usedNames(block);
  const evaluated = new Set(codeUses(block).map((u) => u.name));
  const db = dbVariable(block);
  return names.flatMap((n) => {
    const spec = declared.get(n);
    return spec
      ? [
          {
            ...spec,
            ...(evaluated.has(n) ? { evaluated: db === undefined ? ('bash' as const) : ('psql' as const) } : {}),
            ...(n === db ? { database: true } : {}),
          },
        ]
      : [];
  });
}

/** Why `value` is not acceptable for `spec` (the rule it broke), or undefined when it is. */
export function valueProblem(spec: VarSpec, value: string): string | undefined {
  if (spec.database) {
    const connection = parseConnection(value);
    if ('error' in connection) return connection.error;
  }
  if (spec.enum && !spec.enum.includes(value)) return `must be one of ${spec.enum.join(', ')}`;
  // psql pastes a bare :NAME into the SQL as it is: only digits, whatever the pattern says
  // (a sign could meet a `-` before it and start a comment).
  if (spec.evaluated === 'psql' && !/^[0-9]+$/.test(value))
    return `is pasted into the SQL unquoted (:${spec.name}), so it must be digits only (write :'${spec.name}' in the runbook to take any value)`;
  // For bash, a pattern or enum has been judged by the check (var-evaluated); without one, only a number passes.
  if (spec.evaluated === 'bash' && !spec.enum && spec.pattern === undefined && !/^-?[0-9]+$/.test(value))
    return 'is used where bash evaluates it as code, so it must be a plain number (give the variable a pattern in the runbook)';
  if (spec.pattern !== undefined) {
    // Time-limited: a pattern that backtracks cannot hang the operator's terminal.
    const match = matchesWithin(spec.pattern, value);
    if (match === 'invalid')
      return `has a pattern that is not a valid regular expression (${spec.pattern}); fix it in the runbook`;
    if (match === 'timeout')
      return `could not be checked: the pattern ${spec.pattern} backtracks on it for too long; fix the pattern in the runbook`;
    if (match === 'too-long') return `is longer than ${MAX_VALUE_LENGTH} characters`;
    if (!match) return `must match the pattern ${spec.pattern}`;
  }
  return undefined;
}

/** A value as it may be shown or stored: secrets masked. */
export const shown = (spec: VarSpec, value: string) => (spec.secret ? MASK : value);

/** Parses repeated `--var NAME=VALUE` options; the value may contain anything, `=` included. */
export function parseVarOptions(list: readonly string[]): Map<string, string> | { error: string } {
  const out = new Map<string, string>();
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) return { error: `--var needs NAME=VALUE, got "${item}"` };
    out.set(item.slice(0, eq), item.slice(eq + 1));
  }
  return out;
}

/** One spec per variable the steps use; a variable used as code in any step is checked as code. */
export function mergedVarSpecs(steps: readonly SnippetSource[], declared: ReadonlyMap<string, VarSpec>): VarSpec[] {
  const merged = new Map<string, VarSpec>();
  for (const spec of steps.flatMap((b) => usedVars(b, declared))) {
    const seen = merged.get(spec.name);
    merged.set(
      spec.name,
      seen
        ? {
            ...seen,
            evaluated:
              seen.evaluated === 'psql' || spec.evaluated === 'psql' ? 'psql' : (seen.evaluated ?? spec.evaluated),
            database: seen.database || spec.database,
          }
        : spec,
    );
  }
  return [...merged.values()];
}
