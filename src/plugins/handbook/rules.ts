import { parseMeta } from '../runbook/meta.ts';
import { isRunBlock } from '../runbook/run-meta.ts';
import type { BlockFact, DirectiveFact, Place, RunbookFacts } from '../runbook/facts.ts';
import type { Finding, Rule } from '../runbook/rule.ts';
import { ATTRIBUTES, formatTarget, parseTarget, scanTemplate } from './syntax.ts';
import { runbook } from '../runbook/examples.ts';

type Name = keyof typeof ATTRIBUTES;
const OURS = Object.keys(ATTRIBUTES) as Name[];

/** Our container directives of a page, and the leaf forms (`::checklist`) that cannot hold anything. */
const ours = (f: RunbookFacts, name: Name, kind: DirectiveFact['kind'] = 'container') =>
  f.directives.filter((d) => d.name === name && d.kind === kind);

const at = (f: RunbookFacts, place: Place, message: string, hint?: string): Finding => ({
  file: f.file,
  line: place.line,
  column: place.column,
  message,
  hint,
});

/** Where `offset` of a code block's text is in the file. */
function placeInCode(block: BlockFact, offset: number): Place {
  const before = (block.value ?? '').slice(0, offset);
  const lines = before.split('\n');
  const line = (block.valueLine ?? block.line) + lines.length - 1;
  const column =
    lines.length === 1 ? (block.valueColumn ?? block.column) + before.length : lines[lines.length - 1].length + 1;
  return { line, column };
}

const codeBlocks = (d: DirectiveFact) => (d.blocks ?? []).filter((b) => b.type === 'code');

/** The rules of the handbook directives: every attribute and placeholder they read is checked. */
export const handbookRules = [
  {
    id: 'directive-attribute-unknown',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      'A `:::checklist` or `:::template` directive carries only the attributes it reads (`by` on a checklist, none on a template), so a misspelt one is not silently ignored.',
    hint: 'Remove the attribute, or fix its spelling: a checklist takes `{by=2m}`, a template takes a `[label]` only.',
    bad: { page: runbook([], ':::checklist{by=2m role=commander}\n- [ ] Acknowledge the page\n:::\n') },
    good: { page: runbook([], ':::checklist{by=2m}\n- [ ] Acknowledge the page\n:::\n') },
    check: (all) =>
      all.flatMap((f) =>
        OURS.flatMap((name) =>
          f.directives
            .filter((d) => d.name === name && d.kind !== 'text')
            .flatMap((d) =>
              Object.keys(d.attributes)
                .filter((a) => !ATTRIBUTES[name].includes(a))
                .map((a) => {
                  const what = a === 'id' ? '`#id`' : a === 'class' ? '`.class`' : `\`${a}\``;
                  const known = ATTRIBUTES[name].length
                    ? `it reads ${ATTRIBUTES[name].map((k) => `\`${k}\``).join(', ')} only`
                    : 'it takes no attributes, only a `[label]`';
                  return at(f, d, `Unknown attribute ${what} on :::${name}`, `Remove it: ${known}.`);
                }),
            ),
        ),
      ),
  },
  {
    id: 'checklist-time-invalid',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      'The `:::checklist` bands of a page are all timed or all untimed (a handoff list): a timed band has a target time `by=` (`90s`, `2m`, `1h30m`, at most a day), and the bands come in the order of their targets.',
    hint: 'Write the target as minutes after the incident started, e.g. `:::checklist{by=5m}`.',
    bad: { page: runbook([], ':::checklist{by=five}\n- [ ] Declare the incident\n:::\n') },
    good: { page: runbook([], ':::checklist{by=5m}\n- [ ] Declare the incident\n:::\n') },
    check: (all) =>
      all.flatMap((f) => {
        const out: Finding[] = [];
        let previous: number | undefined;
        const timed = ours(f, 'checklist').some((d) => d.attributes.by !== undefined);
        for (const d of ours(f, 'checklist')) {
          const value = d.attributes.by;
          // A page of untimed checklists (a handoff) is fine; a band left untimed among timed ones is a slip.
          if (value === undefined && !timed) continue;
          if (value === undefined) {
            out.push(
              at(
                f,
                d,
                ':::checklist has no target time, but other bands on this page have one',
                'Add `{by=…}`, the minutes after the start by which the band is done, e.g. `:::checklist{by=2m}`.',
              ),
            );
            continue;
          }
          const seconds = parseTarget(value);
          if (seconds === undefined) {
            out.push(
              at(
                f,
                d,
                `Target time by="${value}" is not a duration from 1 s to 24 h`,
                'Write it as `90s`, `2m`, `1h` or `1h30m`.',
              ),
            );
            continue;
          }
          if (previous !== undefined && seconds < previous) {
            out.push(
              at(
                f,
                d,
                `Target time ${formatTarget(seconds)} comes before the previous band's ${formatTarget(previous)}`,
                'Put the bands in the order they are due, or fix the time.',
              ),
            );
          }
          previous = Math.max(previous ?? 0, seconds);
        }
        return out;
      }),
  },
  {
    id: 'checklist-tasks-missing',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: 'A `:::checklist` holds a task list (`- [ ] …`): its items are what the page lets you tick.',
    hint: 'Write the steps as a task list inside the directive: `- [ ] Acknowledge the page`.',
    bad: { page: runbook([], ':::checklist{by=2m}\n- Acknowledge the page\n:::\n') },
    good: { page: runbook([], ':::checklist{by=2m}\n- [ ] Acknowledge the page\n:::\n') },
    check: (all) =>
      all.flatMap((f) => [
        ...ours(f, 'checklist', 'leaf').map((d) =>
          at(
            f,
            d,
            '::checklist is a leaf directive and holds nothing',
            'Use the container form: `:::checklist{by=2m}`, the task list, then `:::` on its own line.',
          ),
        ),
        ...ours(f, 'checklist')
          .filter((d) => !(d.blocks ?? []).some((b) => (b.tasks ?? 0) > 0))
          .map((d) =>
            at(
              f,
              d,
              ':::checklist has no task list',
              (d.blocks ?? []).some((b) => b.type === 'list')
                ? 'Make the list a task list: start each item with `- [ ] `.'
                : undefined,
            ),
          ),
      ]),
  },
  {
    id: 'template-code-missing',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: 'A `:::template` holds exactly one code block, the message whose `<PLACEHOLDER>`s become fill-in fields.',
    hint: 'Put the message in one fenced block (```` ```text ````) inside `:::template` … `:::`.',
    bad: { page: runbook([], ':::template[Kickoff]\nKestrel API incident declared - SEVERITY\n:::\n') },
    good: {
      page: runbook([], ':::template[Kickoff]\n```text\nKestrel API incident declared - <SEVERITY>\n```\n:::\n'),
    },
    check: (all) =>
      all.flatMap((f) => [
        ...ours(f, 'template', 'leaf').map((d) =>
          at(
            f,
            d,
            '::template is a leaf directive and holds nothing',
            'Use the container form: `:::template[Label]`, a fenced code block, then `:::`.',
          ),
        ),
        ...ours(f, 'template').flatMap((d) => {
          const n = codeBlocks(d).length;
          if (n === 0) return [at(f, d, ':::template has no code block')];
          if (n > 1)
            return [
              at(f, codeBlocks(d)[1], `:::template holds ${n} code blocks`, 'Give each message its own `:::template`.'),
            ];
          // A command in a template would be copied by the template's button, past the run block's safety class and confirm word.
          const run = codeBlocks(d).find((b) => isRunBlock(parseMeta(b.meta)));
          if (run)
            return [
              at(
                f,
                run,
                ":::template holds a run block: its Copy button would skip the block's safety class and confirm word",
                'A template is a message to post. Move the run block out of `:::template`; it keeps its own copy button and guards.',
              ),
            ];
          return [];
        }),
      ]),
  },
  {
    id: 'template-placeholder-invalid',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      'In a `:::template`, a `<` followed by a letter starts a placeholder: `<NAME>` or `<NAME: guidance>`, named in capitals and closed on its line, so every blank becomes a field.',
    hint: 'Name it in capitals, words joined by spaces: `<SHORT TITLE>`, or `<IMPACT: e.g. "failed API requests">` with guidance.',
    bad: { page: runbook([], ':::template[Channel]\n```text\n#inc-<short-name>\n```\n:::\n') },
    good: { page: runbook([], ':::template[Channel]\n```text\n#inc-<SHORT NAME>\n```\n:::\n') },
    check: (all) =>
      all.flatMap((f) =>
        ours(f, 'template').flatMap((d) =>
          codeBlocks(d).flatMap((b) =>
            scanTemplate(b.value ?? '').bad.map((p) =>
              at(f, placeInCode(b, p.offset), `Placeholder ${p.text} ${p.reason}`),
            ),
          ),
        ),
      ),
  },
  {
    id: 'template-placeholder-missing',
    severity: 'warning',
    phase: 'facts',
    baseline: true,
    summary:
      'A `:::template` has at least one `<PLACEHOLDER>`: a message with nothing to fill in is a plain code block.',
    hint: 'Mark what changes per incident as `<NAME>`, or drop the `:::template` around the block.',
    bad: { page: runbook([], ':::template[Kickoff]\n```text\nKestrel API incident declared\n```\n:::\n') },
    good: {
      page: runbook([], ':::template[Kickoff]\n```text\nKestrel API incident declared - <SEVERITY>\n```\n:::\n'),
    },
    check: (all) =>
      all.flatMap((f) =>
        ours(f, 'template').flatMap((d) => {
          const blocks = codeBlocks(d);
          return blocks.length === 1 &&
            scanTemplate(blocks[0].value ?? '').placeholders.length === 0 &&
            scanTemplate(blocks[0].value ?? '').bad.length === 0
            ? [at(f, blocks[0], ':::template has no <PLACEHOLDER> to fill in')]
            : [];
        }),
      ),
  },
] as const satisfies readonly Rule[];
