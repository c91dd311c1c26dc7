import type { CodeFact, RunbookFacts } from '../runbook/facts.ts';
import { SAFETY } from './snippet.ts';
import { didYouMean } from '../runbook/did-you-mean.ts';
import { positionOfKey } from '../runbook/frontmatter.ts';
import { placeInBlock, readable, runBlocks, runIds } from '../runbook/page.ts';
import { at as atValue, type Finding, type Rule } from '../runbook/rule.ts';
import { evaluatedUses, type SnippetSource, usedNames, variableUses } from './snippet.ts';
import { DEFAULT_DB, isSqlLang, reservedInSql, sqlEscapes, sqlVariableUses } from './sql.ts';
import { loadPostgresParser, readSql, type SqlFinding, type SqlReading } from './sql-read-only.ts';
import { patternVerdict } from './patterns.ts';
import { findingsOf } from '../runbook/schema-findings.ts';
import { CONFIRM_WORD, matchesWithin, VAR_NAME } from '../runbook/patterns.ts';
import { outputFor, parseTimeout, runMeta } from '../runbook/run-meta.ts';
import { unsafeChars } from '../encode/terminal.ts';
import { runBlock, withBlocks } from '../runbook/examples.ts';

/** Findings per block for {@link unsafeChars}: a block full of them is one problem, not a thousand. */
const CONTROL_FINDINGS_PER_BLOCK = 20;

/** Snippet ids: kebab-case, so they work as URL anchors and CLI arguments. */
export const SNIPPET_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const at = (f: RunbookFacts, block: CodeFact, message: string, hint?: string): Finding => ({
  file: f.file,
  line: block.line,
  column: block.column,
  message,
  hint,
});

/** Rules about executable snippets (fenced blocks with `run` in the meta). */
// The rule examples' commands (each row's `bad` and `good`, run by tests/unit/rule-examples.test.ts).
const HEALTH = 'curl -fsS https://api.kestrel.example/health';
const READY = 'curl -fsS https://api.kestrel.example/ready';
const ROLL_BACK = 'ops/rollback.sh v41';
const OVER_LIMIT = runBlock('id=check-errors safety=read-only', '[[ "$LIMIT" -gt 10 ]] && echo "over the limit"');
const COUNT_STUCK = "SELECT count(*) FROM jobs WHERE state = 'stuck';";
const UNSTICK = "UPDATE jobs SET state = 'queued' WHERE state = 'stuck';";
/** A page rolling back to `$RELEASE`, declared with `spec` (e.g. `example: v41`), or not at all. */
const rollBack = (spec?: string) =>
  withBlocks(
    spec === undefined ? [] : ['vars:', `  RELEASE: { description: "Release to roll back to", ${spec} }`],
    runBlock('id=roll-back safety=mutating', 'ops/rollback.sh "$RELEASE"'),
  );
/** A page with one SQL block on the jobs database (DATABASE_URL, a secret) and these other variables. */
const sqlCheck = (sql: string, vars: string[] = [], safety = 'read-only') =>
  withBlocks(
    ['vars:', '  DATABASE_URL: { description: "Jobs database", secret: true }', ...vars],
    runBlock(`id=jobs safety=${safety}`, sql, 'sql'),
  );

export const snippetRules = [
  {
    id: 'snippet-control-char',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      'A run block holds visible text, tabs and line breaks only: a control character (an escape sequence, a carriage return) or an invisible one (a bidi override, a zero-width space) makes the page and the terminal show another command than the one bash runs. `runbook run` refuses such a block.',
    hint: "Delete the character; where the command needs one, let the shell make it (`printf '\\r'`, `$'\\e'`).",
    bad: withBlocks([], runBlock('id=list-logs safety=read-only', 'ls /var/log/kestrel\rrm -rf /var/log/kestrel')),
    good: withBlocks([], runBlock('id=list-logs safety=read-only', 'ls /var/log/kestrel')),
    check: (all) =>
      all.flatMap((f) =>
        runBlocks(f).flatMap((b) =>
          unsafeChars(b.value)
            .slice(0, CONTROL_FINDINGS_PER_BLOCK)
            .map((u) => ({
              file: f.file,
              ...placeInBlock(b, u.index),
              message: `The run block contains the invisible or control character ${u.name}: what the page and the terminal show is not what bash runs`,
              hint: `Delete ${u.name}; where the command needs it, let the shell make it (\`printf '\\r'\`, \`$'\\e'\`).`,
            })),
        ),
      ),
  },
  {
    id: 'snippet-id-missing',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: 'Every run block has an `id`, so it can be linked (`/r/<slug>#id`) and run (`npx runbook run <slug>#id`).',
    hint: 'Add `id=<kebab-case-name>` to the fence line.',
    bad: withBlocks([], runBlock('safety=read-only', HEALTH)),
    good: withBlocks([], runBlock('id=check-health safety=read-only', HEALTH)),
    check: (all) =>
      all.flatMap((f) =>
        runBlocks(f)
          .filter((b) => runMeta(b.meta).id === undefined)
          .map((b) => at(f, b, 'The run block has no `id=`')),
      ),
  },
  {
    id: 'snippet-id-invalid',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: 'Run block ids are kebab-case: lower-case words joined by dashes.',
    hint: 'Use lower-case letters, digits and single dashes, e.g. `id=check-pool`.',
    bad: withBlocks([], runBlock('id=Check_Health safety=read-only', HEALTH)),
    good: withBlocks([], runBlock('id=check-health safety=read-only', HEALTH)),
    check: (all) =>
      all.flatMap((f) =>
        runBlocks(f).flatMap((b) => {
          const { id } = runMeta(b.meta);
          return id !== undefined && !SNIPPET_ID.test(id) ? [at(f, b, `Run block id "${id}" is not kebab-case`)] : [];
        }),
      ),
  },
  {
    id: 'snippet-id-duplicate',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      'Run block ids are unique within a page: an id names exactly one command, and `/r/<slug>#id` lands on it. A heading may share it (`## Rollback` and `id=rollback`): the block keeps `#rollback`, the heading gets the next free anchor, `#rollback-1`.',
    hint: 'Rename one of the blocks.',
    bad: withBlocks(
      [],
      runBlock('id=check-health safety=read-only', HEALTH),
      runBlock('id=check-health safety=read-only', READY),
    ),
    good: withBlocks(
      [],
      runBlock('id=check-health safety=read-only', HEALTH),
      runBlock('id=check-ready safety=read-only', READY),
    ),
    check: (all) =>
      all.flatMap((f) => {
        const seen = new Map<string, CodeFact>();
        const out: Finding[] = [];
        for (const b of runBlocks(f)) {
          const { id } = runMeta(b.meta);
          if (!id) continue;
          const first = seen.get(id);
          // A heading with the same text is no clash: it takes the next free anchor (runbook/anchors.ts).
          if (first) out.push(at(f, b, `Run block id "${id}" is already used on line ${first.line}`));
          else seen.set(id, b);
          // An id written in HTML (`<h3 id="…">`, `<a name="…">`) keeps it as written: two elements would carry one anchor.
          if (!first && f.htmlIds.includes(id))
            out.push(
              at(
                f,
                b,
                `Run block id "${id}" is also the id of an HTML element on this page: #${id} would land on whichever comes first`,
                'Rename the block, or the id in the HTML.',
              ),
            );
        }
        return out;
      }),
  },
  {
    id: 'snippet-safety',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      'Every run block says how dangerous it is: `safety=read-only`, `mutating` or `destructive`. The CLI prompts by it and the page shows it.',
    hint: 'Add `safety=read-only`, `safety=mutating` or `safety=destructive` to the fence line.',
    bad: withBlocks([], runBlock('id=roll-back', ROLL_BACK)),
    good: withBlocks([], runBlock('id=roll-back safety=mutating', ROLL_BACK)),
    check: (all) =>
      all.flatMap((f) =>
        runBlocks(f).flatMap((b) => {
          const { safety } = runMeta(b.meta);
          if (safety === undefined) return [at(f, b, 'The run block has no `safety=`')];
          if ((SAFETY as readonly string[]).includes(safety)) return [];
          const guess = didYouMean(safety, SAFETY);
          return [at(f, b, `Unknown safety "${safety}"`, guess ? `Did you mean \`safety=${guess}\`?` : undefined)];
        }),
      ),
  },
  {
    id: 'snippet-meta-invalid',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      "A run block's settings mean one thing: no key twice, `confirm=` a word an operator can type, `timeout=` whole seconds (at most a day), `errexit=` true or false (shell blocks only; so is `interactive`).",
    hint: 'Fix the fence line: one `key=value` each, e.g. `confirm=drop-replica timeout=300`.',
    bad: withBlocks([], runBlock('id=roll-back safety=destructive confirm=""', ROLL_BACK)),
    good: withBlocks([], runBlock('id=roll-back safety=destructive confirm=roll-back', ROLL_BACK)),
    check: (all) =>
      all.flatMap((f) =>
        runBlocks(f).flatMap((b) => {
          const meta = runMeta(b.meta);
          const problems = meta.duplicates.map((key) => `\`${key}\` is given more than once`);
          const { confirm, errexit } = meta;
          if (confirm !== undefined && !CONFIRM_WORD.test(confirm))
            problems.push(
              `confirm=${JSON.stringify(confirm)} is not a word to type (a bare Enter must never run a destructive block)`,
            );
          // A bare `timeout` is an empty one: not whole seconds.
          const timeout = meta.timeout ?? (meta.written.has('timeout') ? '' : undefined);
          if (timeout !== undefined && parseTimeout(timeout) === undefined)
            problems.push(`timeout=${JSON.stringify(timeout)} is not a whole number of seconds between 1 and 86400`);
          if (errexit !== undefined && errexit !== 'true' && errexit !== 'false')
            problems.push(`errexit=${JSON.stringify(errexit)} is neither true nor false`);
          if (isSqlLang(b.lang)) {
            // psql reads the block on standard input and always stops at the first error.
            if (meta.written.has('interactive'))
              problems.push(
                '`interactive` does not apply to an SQL block: psql reads the block itself, not the keyboard',
              );
            if (errexit !== undefined)
              problems.push('`errexit=` does not apply to an SQL block: psql always stops at the first error');
          }
          return problems.map((p) => at(f, b, `The run block's ${p}`));
        }),
      ),
  },
  {
    id: 'snippet-needs-unknown',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: '`needs=<id>` names a run block on the same page, so steps run in a real order.',
    hint: 'Use the id of an earlier run block on this page.',
    bad: withBlocks(
      [],
      runBlock('id=check-health safety=read-only', HEALTH),
      runBlock('id=roll-back safety=mutating needs=check-helth', ROLL_BACK),
    ),
    good: withBlocks(
      [],
      runBlock('id=check-health safety=read-only', HEALTH),
      runBlock('id=roll-back safety=mutating needs=check-health', ROLL_BACK),
    ),
    check: (all) =>
      all.flatMap((f) => {
        const ids = runIds(f);
        return runBlocks(f).flatMap((b) => {
          const meta = runMeta(b.meta);
          return [...meta.needs.filter((n) => !ids.includes(n)), ...Array<string>(meta.emptyNeeds).fill('')].map(
            (n) => {
              const guess = didYouMean(n, ids);
              return at(
                f,
                b,
                `\`needs=${n}\` does not name a run block on this page`,
                guess ? `Did you mean \`needs=${guess}\`?` : undefined,
              );
            },
          );
        });
      }),
  },
  {
    id: 'output-for-unknown',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: 'An `output` code block with `for=<id>` is the expected output of a run block on the same page.',
    hint: 'Use the id of the run block whose output this is.',
    bad: withBlocks([], runBlock('id=check-health safety=read-only', HEALTH), '```output for=check-helth\nok\n```\n'),
    good: withBlocks([], runBlock('id=check-health safety=read-only', HEALTH), '```output for=check-health\nok\n```\n'),
    check: (all) =>
      all.flatMap((f) => {
        const ids = runIds(f);
        return f.code
          .filter((b) => b.lang === 'output')
          .flatMap((b) => {
            const target = outputFor(b.meta);
            if (target && ids.includes(target)) return [];
            const guess = target ? didYouMean(target, ids) : undefined;
            return [
              at(
                f,
                b,
                target
                  ? `\`output for=${target}\` does not name a run block on this page`
                  : 'The output block has no `for=<id>`',
                guess ? `Did you mean \`for=${guess}\`?` : undefined,
              ),
            ];
          });
      }),
  },
  {
    id: 'var-name-invalid',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      "Variable names are upper-case letters, digits and underscores, so `$NAME` in shell and `:'NAME'` in psql both read them.",
    hint: 'Rename the variable, e.g. `db-host` → `DB_HOST`, and its uses in the run blocks.',
    bad: withBlocks(
      ['vars:', '  release: { description: "Release to roll back to" }'],
      runBlock('id=roll-back safety=mutating', 'ops/rollback.sh "$release"'),
    ),
    good: rollBack('example: v41'),
    check: (all) => findingsOf(all, 'var-name-invalid'),
  },
  {
    id: 'var-pattern-invalid',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      "A variable's `pattern` is a regular expression that compiles, so the page form and the CLI can check values against it.",
    hint: 'Fix the regular expression (JavaScript syntax); remember to double backslashes inside double quotes in YAML.',
    bad: rollBack('pattern: "^v[0-9+$"'),
    good: rollBack('pattern: "^v[0-9]+$"'),
    check: (all) => findingsOf(all, 'var-pattern-invalid'),
  },
  {
    id: 'var-pattern-unsafe',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      "A variable's `pattern` matches in linear time: one that backtracks (`^(a+)+$`) can hang the CLI and the page form on a value a few dozen characters long.",
    hint: 'Remove the nested or overlapping repetition, e.g. `^(a+)+$` → `^a+$`, `^([a-z]+-?)+$` → `^[a-z]+(-[a-z]+)*$`.',
    bad: rollBack('pattern: "^(v?[0-9]+)+$"'),
    good: rollBack('pattern: "^v[0-9]+$"'),
    check: (all) =>
      all.filter(readable).flatMap((f) =>
        declaredSpecs(f).flatMap(([name, spec]) => {
          if (typeof spec.pattern !== 'string') return [];
          const verdict = patternVerdict(spec.pattern);
          if (verdict.kind !== 'exponential' && verdict.kind !== 'polynomial') return [];
          const finding = atValue(
            f,
            ['vars', name, 'pattern'],
            `Pattern ${JSON.stringify(spec.pattern)} can take ${verdict.kind} time to match${verdict.attack ? `, e.g. on ${JSON.stringify(verdict.attack.slice(0, 60))}` : ''}`,
          );
          return [verdict.kind === 'polynomial' ? { ...finding, severity: 'warning' as const } : finding];
        }),
      ),
  },
  {
    id: 'var-example-invalid',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      "A variable's `example` is a value the variable accepts (its `pattern` and `enum`): doc tests run with it and the page shows it.",
    hint: 'Fix the example, or the pattern or enum it should match.',
    bad: rollBack('pattern: "^v[0-9]+$", example: "41"'),
    good: rollBack('pattern: "^v[0-9]+$", example: "v41"'),
    check: (all) => findingsOf(all, 'var-example-invalid'),
  },
  {
    id: 'var-evaluated',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      'A variable that bash evaluates as code (arithmetic, `[[ $N -eq 1 ]]`, `eval`, `${!N}`) is confined to a number by its `pattern` or `enum`: there, a value like `a[$(reboot)]` would run.',
    hint: 'Give the variable a pattern that only numbers match, e.g. `pattern: "^[0-9]+$"`, or an enum.',
    bad: withBlocks(['vars:', '  LIMIT: { description: "Errors per second that page" }'], OVER_LIMIT),
    good: withBlocks(
      ['vars:', '  LIMIT: { description: "Errors per second that page", pattern: "^[0-9]+$" }'],
      OVER_LIMIT,
    ),
    check: (all) =>
      all.filter(readable).flatMap((f) => {
        const specs = new Map(declaredSpecs(f));
        return runBlocks(f)
          .filter((b) => !isSqlLang(b.lang))
          .flatMap((block) =>
            evaluatedUses(block.value).flatMap((u) => {
              const spec = specs.get(u.name);
              if (!spec || Array.isArray(spec.enum)) return [];
              const confined =
                typeof spec.pattern === 'string' &&
                PROBES.every((p) => matchesWithin(spec.pattern as string, p) === false);
              return confined
                ? []
                : [
                    {
                      file: f.file,
                      ...placeInBlock(block, u.offset),
                      message: `Variable ${u.name} is evaluated by bash here, and ${typeof spec.pattern === 'string' ? `its pattern ${spec.pattern} lets code through` : 'nothing confines it to a number'}`,
                    },
                  ];
            }),
          );
      }),
  },
  {
    id: 'var-undeclared',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      "Every `$VAR` a shell block uses, every `:'VAR'` an SQL block uses and every SQL block's database (`db=`, default `DATABASE_URL`) is declared under `vars:`, so the page form and the CLI can ask for it.",
    hint: 'Declare it: `vars: { NAME: { description: "…", example: "…" } }` (a database URL with `secret: true`).',
    bad: rollBack(),
    good: rollBack('example: v41'),
    check: (all) =>
      all.filter(readable).flatMap((f) => {
        const declared = declaredVars(f);
        return runBlocks(f).flatMap((block): Finding[] => {
          if (isSqlLang(block.lang)) {
            const given = runMeta(block.meta).db;
            const db = given ?? DEFAULT_DB;
            const dbFinding = declared.has(db)
              ? []
              : [
                  at(
                    f,
                    block,
                    `The SQL block connects with ${db}${given !== undefined ? ' (its `db=`)' : ' (the default when a block has no `db=`)'}, which is not declared under \`vars:\``,
                    `Declare it: \`vars: { ${db}: { description: "Connection URL of the … database", secret: true } }\`, or name the variable that holds the URL with \`db=\`.`,
                  ),
                ];
            // `:{?NAME}` asks whether a variable is set: a use only when declared.
            const uses = sqlVariableUses(block.value).filter(
              (u) => (u.form === 'literal' || u.form === 'identifier' || u.form === 'bare') && !declared.has(u.name),
            );
            return [
              ...dbFinding,
              ...uses.map((u) => ({
                file: f.file,
                ...placeInBlock(block, u.offset),
                message: `psql variable ${u.name} is not declared under \`vars:\``,
                hint: misspelt(u.name, declared, `:'${u.name}'`, (n) => `:'${n}'`),
              })),
            ];
          }
          return (
            variableUses(block.value)
              // `${NAME:-default}` and the like read the operator's environment on purpose: a use only when declared.
              .filter((u) => !declared.has(u.name) && !u.expansion)
              .map((u) => {
                const place = placeInBlock(block, u.offset);
                return {
                  file: f.file,
                  ...place,
                  message: `Variable $${u.name} is not declared under \`vars:\``,
                  hint: misspelt(u.name, declared, `$${u.name}`, (n) => `$${n}`),
                };
              })
          );
        });
      }),
  },
  {
    id: 'var-unused',
    severity: 'warning',
    phase: 'facts',
    baseline: true,
    summary: 'A declared variable that no run block uses is dead weight in the form and the prompts.',
    hint: 'Remove it from `vars:`, or use it in a run block.',
    bad: withBlocks(['vars:', '  OLD_HOST: { description: "The host before the move" }']),
    good: withBlocks([]),
    check: (all) =>
      all.filter(readable).flatMap((f) => {
        // A mistaken SQL form (`$NAME`, `':NAME'`) still shows what was meant: sql-var-form reports it, not this rule.
        const used = new Set(
          runBlocks(f).flatMap((b) => [
            ...usedNames(source(b)),
            ...(isSqlLang(b.lang) ? sqlVariableUses(b.value).map((u) => u.name) : []),
          ]),
        );
        return [...declaredVars(f)]
          .filter((name) => !used.has(name) && VAR_NAME.test(name))
          .map((name) => ({
            ...atValue(f, ['vars', name], `Variable ${name} is declared but no run block uses it`),
            ...positionOfKey(f.frontmatter, name, ['vars']),
          }));
      }),
  },
  {
    id: 'sql-var-form',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      'An SQL block reads variables the psql way: `:\'NAME\'` for a value, `:"NAME"` for an identifier. `$NAME` is shell syntax that reaches the database as written; `:NAME` inside quotes is never substituted; a bare `:NAME` pastes the value in as SQL, so its pattern must confine it to digits.',
    hint: 'Write `:\'NAME\'` (a quoted literal) or `:"NAME"` (a quoted identifier) outside any quotes; for a bare `:NAME`, give the variable `pattern: "^[0-9]+$"`.',
    bad: sqlCheck("SELECT state FROM jobs WHERE id = '$JOB_ID';", [
      '  JOB_ID: { description: "Stuck job", pattern: "^[0-9]+$" }',
    ]),
    good: sqlCheck("SELECT state FROM jobs WHERE id = :'JOB_ID';", [
      '  JOB_ID: { description: "Stuck job", pattern: "^[0-9]+$" }',
    ]),
    check: (all) =>
      all.filter(readable).flatMap((f) => {
        const specs = new Map(declaredSpecs(f));
        return runBlocks(f)
          .filter((b) => isSqlLang(b.lang))
          .flatMap((block) =>
            sqlVariableUses(block.value).flatMap((u) => {
              const place = { file: f.file, ...placeInBlock(block, u.offset) };
              const spec = specs.get(u.name);
              if (u.form === 'shell')
                return [
                  {
                    ...place,
                    message: `\`${block.value.slice(u.offset, u.offset + u.length)}\` is shell syntax: psql sends it to the database as written`,
                    hint: `Write \`:'${u.name}'\` for the value as a quoted literal, or \`:"${u.name}"\` for an identifier, and declare ${u.name} under \`vars:\`.`,
                  },
                ];
              if (u.form === 'quoted' && spec)
                return [
                  {
                    ...place,
                    message: `\`${block.value.slice(u.offset, u.offset + u.length)}\` sits inside quotes, where psql never substitutes a variable`,
                    hint: `Write \`:'${u.name}'\` outside the quotes, e.g. \`'prefix-' || :'${u.name}'\`.`,
                  },
                ];
              if (u.form !== 'bare' || !spec || digitsOnly(spec)) return [];
              return [
                {
                  ...place,
                  message: `\`:${u.name}\` pastes the value into the SQL unquoted, and ${typeof spec.pattern === 'string' ? `its pattern ${spec.pattern} lets more than digits through` : 'nothing confines it to digits'}`,
                  hint: `Write \`:'${u.name}'\` (a quoted literal), or give ${u.name} \`pattern: "^[0-9]+$"\`.`,
                },
              ];
            }),
          );
      }),
  },
  {
    id: 'sql-var-reserved',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      "A variable an SQL block binds is not one of psql's own (`ON_ERROR_STOP`, `AUTOCOMMIT`, `HOST`…) nor a `PG…`/`PSQL_…` name libpq reads from the environment: its value would change how psql connects or behaves.",
    hint: 'Rename the variable, e.g. `HOST` → `TARGET_HOST`, and its uses.',
    bad: sqlCheck("SELECT plan FROM accounts WHERE name = :'USER';", ['  USER: { description: "Account name" }']),
    good: sqlCheck("SELECT plan FROM accounts WHERE name = :'ACCOUNT_NAME';", [
      '  ACCOUNT_NAME: { description: "Account name" }',
    ]),
    check: (all) =>
      all.filter(readable).flatMap((f) =>
        runBlocks(f)
          .filter((b) => isSqlLang(b.lang))
          .flatMap((block) => {
            const seen = new Set<string>();
            return sqlVariableUses(block.value).flatMap((u) => {
              const why = reservedInSql(u.name);
              if (!why || seen.has(u.name) || u.form === 'shell' || u.form === 'quoted') return [];
              seen.add(u.name);
              return [
                {
                  file: f.file,
                  ...placeInBlock(block, u.offset),
                  message: `Variable ${u.name} cannot be bound in psql: ${why}`,
                },
              ];
            });
          }),
      ),
  },
  {
    id: 'sql-db',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      "An SQL block's `db=` names the variable holding its connection URL (default `DATABASE_URL`), a secret so the password stays out of prompts, pages and transcripts; `db=` means nothing on other blocks.",
    hint: 'Write `db=<VARIABLE_NAME>` on an SQL block, and declare that variable with `secret: true`.',
    bad: withBlocks(
      ['vars:', '  JOBS_DB_URL: { description: "Jobs database" }'],
      runBlock('id=count-stuck safety=read-only db=JOBS_DB_URL', COUNT_STUCK, 'sql'),
    ),
    good: withBlocks(
      ['vars:', '  JOBS_DB_URL: { description: "Jobs database", secret: true }'],
      runBlock('id=count-stuck safety=read-only db=JOBS_DB_URL', COUNT_STUCK, 'sql'),
    ),
    check: (all) =>
      all.filter(readable).flatMap((f) => {
        const specs = new Map(declaredSpecs(f));
        return runBlocks(f).flatMap((block): Finding[] => {
          // A bare `db` is an empty one: no variable name.
          const meta = runMeta(block.meta);
          const db = meta.db ?? (meta.written.has('db') ? '' : undefined);
          if (!isSqlLang(block.lang))
            return db === undefined
              ? []
              : [at(f, block, `\`db=\` only applies to SQL blocks; this is a \`${block.lang || 'plain'}\` block`)];
          if (db !== undefined && !VAR_NAME.test(db))
            return [
              at(
                f,
                block,
                `\`db=${db}\` is not the name of a variable`,
                'Put the URL in a variable declared under `vars:` (with `secret: true`) and write its name: `db=ORDERS_DB_URL`.',
              ),
            ];
          const name = db ?? DEFAULT_DB;
          const spec = specs.get(name) as { secret?: unknown } | undefined;
          if (!spec || spec.secret === true) return [];
          return [
            {
              ...at(
                f,
                block,
                `${name}, the database of this block, is not \`secret: true\`: a password in its URL would show in prompts and on the page`,
                `Add \`secret: true\` to ${name} under \`vars:\`.`,
              ),
              severity: 'warning' as const,
            },
          ];
        });
      }),
  },
  {
    id: 'sql-escape',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      'An SQL block stays SQL, on its own database: no psql shell escapes (`\\!`, `\\o |…`, `\\copy … program`, backquotes), no `\\connect`, no `\\i`, no `set_config()`, and nothing that changes its timeout or how psql reads strings.',
    hint: 'Move shell and file work to a `bash` block; psql meta-commands allowed are \\echo, \\qecho, \\warn, \\pset, \\x, \\a, \\t, \\timing, \\conninfo, \\d…, \\l, \\if/\\elif/\\else/\\endif, \\set, \\unset, \\g, \\gx and \\watch.',
    bad: sqlCheck(`\\! rm -rf /tmp/kestrel\n${UNSTICK}`, [], 'mutating'),
    good: sqlCheck(UNSTICK, [], 'mutating'),
    check: (all) =>
      all.flatMap((f) =>
        runBlocks(f)
          .filter((b) => isSqlLang(b.lang))
          .flatMap((block) =>
            sqlEscapes(block.value).map((e) => ({
              file: f.file,
              ...placeInBlock(block, e.offset),
              message: `${e.what[0].toUpperCase()}${e.what.slice(1)}`,
            })),
          ),
      ),
  },
  {
    id: 'sql-syntax',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      "An SQL block is SQL PostgreSQL can parse (read by the server's own parser, with psql's variables and meta-commands set aside), so what the check says about it is what the server will do.",
    hint: 'Fix the SQL at the position shown; try it in psql against a scratch database.',
    bad: sqlCheck(COUNT_STUCK.replace('FROM', 'FORM')),
    good: sqlCheck(COUNT_STUCK),
    check: (all) => sqlFindings(all, (f) => f.kind === 'syntax'),
  },
  {
    id: 'sql-read-only',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      "A read-only SQL block runs only statements that read (SELECT, VALUES, TABLE, EXPLAIN, SHOW, COPY … TO STDOUT; no INTO, FOR UPDATE or writing WITH) and calls no function PostgreSQL declares volatile beyond a short list of harmless ones (random(), clock_timestamp(), pg_sleep(), pg_relation_size()…): decided from PostgreSQL's own parse of the statement, not its words.",
    hint: 'Mark the block `safety=mutating` if it is meant to act; a read-only block only reads.',
    bad: sqlCheck("SELECT pg_logical_slot_get_changes('jobs', NULL, NULL);"),
    good: sqlCheck('SELECT slot_name, active FROM pg_replication_slots;'),
    check: (all) => sqlFindings(all, (f) => f.kind === 'statement' || f.kind === 'function'),
  },
  {
    id: 'sql-read-only-function',
    severity: 'warning',
    phase: 'facts',
    baseline: true,
    summary:
      "A read-only SQL block that calls a function which is not a built-in known to be harmless (the application's, an extension's, or a schema-qualified name) is checked again at run time: runbook run asks the database and refuses to run the block if the function is declared volatile.",
    hint: 'Declare the function STABLE or IMMUTABLE in the database if it only reads, or mark the block `safety=mutating`; a read-only database role is what guarantees it.',
    bad: sqlCheck('SELECT jobs.refresh_totals();'),
    good: sqlCheck('SELECT count(*) FROM jobs.totals;'),
    check: (all) => sqlFindings(all, (f) => f.kind === 'unknown-function'),
  },
] as const satisfies readonly Rule[];

/** Each block's parse, shared by the three rules that read it. */
const readings = new WeakMap<CodeFact, SqlReading>();
const sqlReading = (block: CodeFact): SqlReading => {
  let reading = readings.get(block);
  if (!reading) readings.set(block, (reading = readSql(block.value, runMeta(block.meta).safety === 'read-only')));
  return reading;
};

/** The SQL blocks the rules give PostgreSQL's parser: every run block in SQL. */
const sqlBlocks = (f: RunbookFacts) => runBlocks(f).filter((b) => isSqlLang(b.lang));

/** Loads PostgreSQL's parser when the rules will read an SQL block of `facts` (for a caller that deferred it). */
export async function loadSqlRules(facts: readonly RunbookFacts[]): Promise<void> {
  if (facts.some((f) => sqlBlocks(f).length > 0)) await loadPostgresParser();
}

/** Findings of PostgreSQL's parse of every SQL block (read-only rules for read-only blocks) that `pick` selects. */
function sqlFindings(all: readonly RunbookFacts[], pick: (f: SqlFinding) => boolean): Finding[] {
  return all.flatMap((f) =>
    sqlBlocks(f).flatMap((block) =>
      sqlReading(block)
        .findings.filter(pick)
        .map((e) => ({ file: f.file, ...placeInBlock(block, e.offset), message: e.message })),
    ),
  );
}

/** A run block's code fact as the snippet module reads it. */
const source = (b: CodeFact): SnippetSource => ({ lang: b.lang, text: b.value, db: runMeta(b.meta).db });

/** Whether a variable's enum or pattern lets only digits through (so psql's bare `:NAME` cannot carry SQL). */
function digitsOnly(spec: { pattern?: unknown; enum?: unknown }): boolean {
  if (Array.isArray(spec.enum)) return spec.enum.every((v) => /^[0-9]+$/.test(String(v)));
  return (
    typeof spec.pattern === 'string' && DIGIT_PROBES.every((p) => matchesWithin(spec.pattern as string, p) === false)
  );
}

/** Values a digits-only pattern must refuse: each carries SQL or is not digits (`-1` after a `-` starts a comment). */
const DIGIT_PROBES = [
  'a',
  '1 OR 1=1',
  "1'",
  '1;',
  '1--',
  '-1',
  '1.5',
  '1e3',
  '1\n',
  ' 1',
  '1 ',
  'x1',
  '1x',
  '(1)',
  '1/**/',
  '0x1',
];

/** The hint for an undeclared variable that is a typo of a declared one (`$QUEU` for `QUEUE`); undefined for the rule's own hint. */
function misspelt(name: string, declared: ReadonlySet<string>, used: string, write: (n: string) => string) {
  const guess = didYouMean(name, [...declared]);
  return guess === undefined
    ? undefined
    : `Did you mean ${write(guess)}? \`${guess}\` is declared under \`vars:\`; fix ${used}, or declare ${name} too.`;
}

function declaredVars(f: RunbookFacts): Set<string> {
  const vars = f.frontmatter.data.vars;
  return new Set(vars && typeof vars === 'object' && !Array.isArray(vars) ? Object.keys(vars) : []);
}

/** The `vars:` entries of a page, as written. */
function declaredSpecs(f: RunbookFacts): [string, { pattern?: unknown; enum?: unknown }][] {
  const vars = f.frontmatter.data.vars;
  if (!vars || typeof vars !== 'object' || Array.isArray(vars)) return [];
  return Object.entries(vars as Record<string, unknown>).flatMap(([name, spec]) =>
    spec && typeof spec === 'object' && !Array.isArray(spec) ? [[name, spec as { pattern?: unknown }]] : [],
  );
}

/** Values that must not pass a pattern guarding an evaluated variable: each would run a command. */
const PROBES = ['a[$(id)]', '$(id)', '`id`', 'x[`id`]'];
