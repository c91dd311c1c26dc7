import type { CodeFact, RunbookFacts } from '../runbook/facts.ts';
import { SAFETY } from './snippet.ts';
import { didYouMean } from '../runbook/did-you-mean.ts';
import { positionOfKey } from '../runbook/frontmatter.ts';
import { placeInBlock, readable, runBlocks, runIds } from '../runbook/page.ts';
import { at as atValue, type Finding, type Rule } from '../runbook/rule.ts';
import { evaluatedUses, variableUses } from './snippet.ts';
import { patternVerdict } from './patterns.ts';
import { findingsOf } from '../runbook/schema-findings.ts';
import { CONFIRM_WORD, matchesWithin, TIMEOUT_SECONDS, VAR_NAME } from '../runbook/patterns.ts';

/** Snippet ids: kebab-case, so they work as URL anchors and CLI arguments. */
export const SNIPPET_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const at = (f: RunbookFacts, block: CodeFact, message: string, hint?: string): Finding => ({ file: f.file, line: block.line, column: block.column, message, hint });

/** Rules about executable snippets (fenced blocks with `run` in the meta). */
export const snippetRules: Rule[] = [
  {
    id: 'snippet-id-missing', severity: 'error',
    summary: 'Every run block has an `id`, so it can be linked (`/r/<slug>#id`) and run (`runbook run <slug>#id`).',
    hint: 'Add `id=<kebab-case-name>` to the fence line.',
    bad: '```bash run safety=read-only', good: '```bash run id=check-pool safety=read-only',
    check: (all) => all.flatMap((f) => runBlocks(f).filter((b) => !b.meta.values.has('id')).map((b) => at(f, b, 'The run block has no `id=`'))),
  },
  {
    id: 'snippet-id-invalid', severity: 'error',
    summary: 'Run block ids are kebab-case: lower-case words joined by dashes.',
    hint: 'Use lower-case letters, digits and single dashes, e.g. `id=check-pool`.',
    bad: '```bash run id=Check_Pool safety=read-only', good: '```bash run id=check-pool safety=read-only',
    check: (all) =>
      all.flatMap((f) =>
        runBlocks(f)
          .filter((b) => b.meta.values.has('id') && !SNIPPET_ID.test(b.meta.values.get('id') ?? ''))
          .map((b) => at(f, b, `Run block id "${b.meta.values.get('id')}" is not kebab-case`)),
      ),
  },
  {
    id: 'snippet-id-duplicate', severity: 'error',
    summary: 'Run block ids are unique within a page; an id names exactly one command.',
    hint: 'Rename one of the blocks.',
    bad: '```bash run id=check safety=read-only … ```bash run id=check safety=mutating', good: '```bash run id=check-pool … ```bash run id=drain-pool',
    check: (all) =>
      all.flatMap((f) => {
        const seen = new Map<string, CodeFact>();
        const out: Finding[] = [];
        for (const b of runBlocks(f)) {
          const id = b.meta.values.get('id');
          if (!id) continue;
          const first = seen.get(id);
          if (first) out.push(at(f, b, `Run block id "${id}" is already used on line ${first.line}`));
          else seen.set(id, b);
        }
        return out;
      }),
  },
  {
    id: 'snippet-safety', severity: 'error',
    summary: 'Every run block says how dangerous it is: `safety=read-only`, `mutating` or `destructive`. The CLI prompts by it and the page shows it.',
    hint: 'Add `safety=read-only`, `safety=mutating` or `safety=destructive` to the fence line.',
    bad: '```bash run id=drain-pool', good: '```bash run id=drain-pool safety=mutating',
    check: (all) =>
      all.flatMap((f) =>
        runBlocks(f).flatMap((b) => {
          const safety = b.meta.values.get('safety');
          if (safety === undefined) return [at(f, b, 'The run block has no `safety=`')];
          if ((SAFETY as readonly string[]).includes(safety)) return [];
          const guess = didYouMean(safety, SAFETY);
          return [at(f, b, `Unknown safety "${safety}"`, guess ? `Did you mean \`safety=${guess}\`?` : undefined)];
        }),
      ),
  },
  {
    id: 'snippet-meta-invalid', severity: 'error',
    summary: 'A run block\'s settings mean one thing: no key twice, `confirm=` a word an operator can type, `timeout=` whole seconds (at most a day), `errexit=` true or false.',
    hint: 'Fix the fence line: one `key=value` each, e.g. `confirm=drop-replica timeout=300`.',
    bad: '```bash run id=drop safety=destructive confirm=""', good: '```bash run id=drop safety=destructive confirm=drop-replica',
    check: (all) =>
      all.flatMap((f) =>
        runBlocks(f).flatMap((b) => {
          const problems = b.meta.duplicates.map((key) => `\`${key}\` is given more than once`);
          const confirm = b.meta.values.get('confirm') ?? (b.meta.flags.has('confirm') ? '' : undefined);
          if (confirm !== undefined && !CONFIRM_WORD.test(confirm)) problems.push(`confirm=${JSON.stringify(confirm)} is not a word to type (a bare Enter must never run a destructive block)`);
          const timeout = b.meta.values.get('timeout') ?? (b.meta.flags.has('timeout') ? '' : undefined);
          if (timeout !== undefined && (!TIMEOUT_SECONDS.test(timeout) || Number(timeout) > 86_400)) problems.push(`timeout=${JSON.stringify(timeout)} is not a whole number of seconds between 1 and 86400`);
          const errexit = b.meta.values.get('errexit');
          if (errexit !== undefined && errexit !== 'true' && errexit !== 'false') problems.push(`errexit=${JSON.stringify(errexit)} is neither true nor false`);
          return problems.map((p) => at(f, b, `The run block's ${p}`));
        }),
      ),
  },
  {
    id: 'snippet-needs-unknown', severity: 'error',
    summary: '`needs=<id>` names a run block on the same page, so steps run in a real order.',
    hint: 'Use the id of an earlier run block on this page.',
    bad: '```bash run id=restore safety=mutating needs=snapshott', good: '```bash run id=restore safety=mutating needs=snapshot',
    check: (all) =>
      all.flatMap((f) => {
        const ids = runIds(f);
        return runBlocks(f).flatMap((b) => {
          const needs = b.meta.values.get('needs');
          if (!needs) return [];
          return needs.split(',').filter((n) => !ids.includes(n)).map((n) => {
            const guess = didYouMean(n, ids);
            return at(f, b, `\`needs=${n}\` does not name a run block on this page`, guess ? `Did you mean \`needs=${guess}\`?` : undefined);
          });
        });
      }),
  },
  {
    id: 'output-for-unknown', severity: 'error',
    summary: 'An ```` ```output for=<id> ```` block is the expected output of a run block on the same page.',
    hint: 'Use the id of the run block whose output this is.',
    bad: '```output for=rollback-pln', good: '```output for=rollback-plan',
    check: (all) =>
      all.flatMap((f) => {
        const ids = runIds(f);
        return f.code
          .filter((b) => b.lang === 'output')
          .flatMap((b) => {
            const target = b.meta.values.get('for');
            if (target && ids.includes(target)) return [];
            const guess = target ? didYouMean(target, ids) : undefined;
            return [at(f, b, target ? `\`output for=${target}\` does not name a run block on this page` : 'The output block has no `for=<id>`', guess ? `Did you mean \`for=${guess}\`?` : undefined)];
          });
      }),
  },
  {
    id: 'var-name-invalid', severity: 'error',
    summary: 'Variable names are upper-case letters, digits and underscores, so `$NAME` in shell and `:\'NAME\'` in psql both read them.',
    hint: 'Rename the variable, e.g. `db-host` → `DB_HOST`, and its uses in the run blocks.',
    bad: 'vars:\n  db-host: { example: db1 }', good: 'vars:\n  DB_HOST: { example: db1 }',
    check: (all) => findingsOf(all, 'var-name-invalid'),
  },
  {
    id: 'var-pattern-invalid', severity: 'error',
    summary: 'A variable\'s `pattern` is a regular expression that compiles, so the page form and the CLI can check values against it.',
    hint: 'Fix the regular expression (JavaScript syntax); remember to double backslashes inside double quotes in YAML.',
    bad: 'pattern: "^[a-z+$"', good: 'pattern: "^[a-z]+$"',
    check: (all) => findingsOf(all, 'var-pattern-invalid'),
  },
  {
    id: 'var-pattern-unsafe', severity: 'error',
    summary: 'A variable\'s `pattern` matches in linear time: one that backtracks (`^(a+)+$`) can hang the CLI and the page form on a value a few dozen characters long.',
    hint: 'Remove the nested or overlapping repetition, e.g. `^(a+)+$` → `^a+$`, `^([a-z]+-?)+$` → `^[a-z]+(-[a-z]+)*$`.',
    bad: 'pattern: "^(a+)+$"', good: 'pattern: "^a+$"',
    check: (all) =>
      all.filter(readable).flatMap((f) =>
        declaredSpecs(f).flatMap(([name, spec]) => {
          if (typeof spec.pattern !== 'string') return [];
          const verdict = patternVerdict(spec.pattern);
          if (verdict.kind !== 'exponential' && verdict.kind !== 'polynomial') return [];
          const finding = atValue(f, ['vars', name, 'pattern'], `Pattern ${JSON.stringify(spec.pattern)} can take ${verdict.kind} time to match${verdict.attack ? `, e.g. on ${JSON.stringify(verdict.attack.slice(0, 60))}` : ''}`);
          return [verdict.kind === 'polynomial' ? { ...finding, severity: 'warning' as const } : finding];
        }),
      ),
  },
  {
    id: 'var-example-invalid', severity: 'error',
    summary: 'A variable\'s `example` is a value the variable accepts (its `pattern` and `enum`): doc tests run with it and the page shows it.',
    hint: 'Fix the example, or the pattern or enum it should match.',
    bad: 'RELEASE: { pattern: "^v[0-9]+$", example: "1.4" }', good: 'RELEASE: { pattern: "^v[0-9]+$", example: "v14" }',
    check: (all) => findingsOf(all, 'var-example-invalid'),
  },
  {
    id: 'var-evaluated', severity: 'error',
    summary: 'A variable that bash evaluates as code (arithmetic, `[[ $N -eq 1 ]]`, `eval`, `${!N}`) is confined to a number by its `pattern` or `enum`: there, a value like `a[$(reboot)]` would run.',
    hint: 'Give the variable a pattern that only numbers match, e.g. `pattern: "^[0-9]+$"`, or an enum.',
    bad: 'vars: { COUNT: { description: "How many" } }\n[[ "$COUNT" -gt 10 ]] && echo many', good: 'vars: { COUNT: { description: "How many", pattern: "^[0-9]+$" } }',
    check: (all) =>
      all.filter(readable).flatMap((f) => {
        const specs = new Map(declaredSpecs(f));
        return runBlocks(f).flatMap((block) =>
          evaluatedUses(block.value).flatMap((u) => {
            const spec = specs.get(u.name) as { pattern?: unknown; enum?: unknown } | undefined;
            if (!spec || Array.isArray(spec.enum)) return [];
            const confined = typeof spec.pattern === 'string' && PROBES.every((p) => matchesWithin(spec.pattern as string, p) === false);
            return confined ? [] : [{ file: f.file, ...placeInBlock(block, u.offset), message: `Variable ${u.name} is evaluated by bash here, and ${typeof spec.pattern === 'string' ? `its pattern ${spec.pattern} lets code through` : 'nothing confines it to a number'}` }];
          }),
        );
      }),
  },
  {
    id: 'var-undeclared', severity: 'error',
    summary: 'Every `$VAR` a run block uses is declared under `vars:`, so the page form and the CLI can ask for it.',
    hint: 'Declare it: `vars: { NAME: { description: "…", example: "…" } }`.',
    bad: '```bash run id=x safety=read-only\ncurl "$API_URL"\n```', good: 'vars:\n  API_URL: { description: "Health URL", example: "https://api.example.com/health" }',
    check: (all) =>
      all.filter(readable).flatMap((f) => {
        const declared = declaredVars(f);
        return runBlocks(f).flatMap((block) =>
          variableUses(block.value)
            // `${NAME:-default}` and the like read the operator's environment on purpose: a use only when declared.
            .filter((u) => !declared.has(u.name) && !u.expansion)
            .map((u) => {
              const place = placeInBlock(block, u.offset);
              return { file: f.file, ...place, message: `Variable $${u.name} is not declared under \`vars:\`` };
            }),
        );
      }),
  },
  {
    id: 'var-unused', severity: 'warning',
    summary: 'A declared variable that no run block uses is dead weight in the form and the prompts.',
    hint: 'Remove it from `vars:`, or use it in a run block.',
    bad: 'vars: { OLD_HOST: { … } } (used nowhere)', good: 'vars: {} ',
    check: (all) =>
      all.filter(readable).flatMap((f) => {
        const used = new Set(runBlocks(f).flatMap((b) => variableUses(b.value).map((u) => u.name)));
        return [...declaredVars(f)].filter((name) => !used.has(name) && VAR_NAME.test(name)).map((name) => ({ ...atValue(f, ['vars', name], `Variable ${name} is declared but no run block uses it`), ...positionOfKey(f.frontmatter, name, ['vars']) }));
      }),
  },
];

function declaredVars(f: RunbookFacts): Set<string> {
  const vars = f.frontmatter.data.vars;
  return new Set(vars && typeof vars === 'object' && !Array.isArray(vars) ? Object.keys(vars) : []);
}


/** The `vars:` entries of a page, as written. */
function declaredSpecs(f: RunbookFacts): [string, { pattern?: unknown; enum?: unknown }][] {
  const vars = f.frontmatter.data.vars;
  if (!vars || typeof vars !== 'object' || Array.isArray(vars)) return [];
  return Object.entries(vars as Record<string, unknown>).flatMap(([name, spec]) => (spec && typeof spec === 'object' && !Array.isArray(spec) ? [[name, spec as { pattern?: unknown }]] : []));
}

/** Values that must not pass a pattern guarding an evaluated variable: each would run a command. */
const PROBES = ['a[$(id)]', '$(id)', '`id`', 'x[`id`]'];
