import { afterAll, describe, expect, it } from 'vitest';
import { checkProject } from '../../src/plugins/check/index.ts';
import {
  fillTemplate,
  filledText,
  formatClock,
  formatTarget,
  parseTarget,
  scanTemplate,
  taskKey,
} from '../../src/plugins/handbook/syntax.ts';
import {
  blanksOf,
  blanksWarning,
  migrateChecklist,
  oldChecklistKey,
  parseFiredAt,
  SKEW_MS,
} from '../../src/plugins/handbook/incident-clock.ts';
import { MAX_AGE_MS, newIncident, utcHhmm } from '../../src/plugins/incident/store.ts';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';
import { TODAY } from '../fixtures/bad-input.ts';
import { project, removeProjects } from '../fixtures/check-project.ts';

afterAll(removeProjects);

const FILE = 'src/content/runbooks/t/handbook.md';
/** A page with the frontmatter on lines 1–7: the body starts on line 8. */
const page = (body: string) => `---
title: Handbook page
owner: "@ops-team"
review:
  log:
    - { date: 2026-10-01, reviewer: "@ana", change: "First version" }
---
${body}`;

/** `[ruleId, line, column, message, hint]` of every finding of a project with one handbook page. */
function findings(body: string) {
  return checkProject(project({ [FILE]: page(body) }), { today: TODAY })
    .filter((d) => d.file === FILE)
    .map((d) => [d.ruleId, d.line, d.column, d.message, d.hint]);
}

describe('the handbook syntax', () => {
  it('reads target times as durations up to a day', () => {
    expect(parseTarget('2m')).toBe(120);
    expect(parseTarget('90s')).toBe(90);
    expect(parseTarget('1h30m')).toBe(5400);
    expect(parseTarget('24h')).toBe(86_400);
    for (const bad of ['', '0m', '2', 'two', '2 m', '25h', 'm', '-1m', '2m1h'])
      expect(parseTarget(bad), bad).toBeUndefined();
    expect(formatTarget(5400)).toBe('1 h 30 min');
    expect(formatTarget(90)).toBe('1 min 30 s');
    expect(formatClock(65)).toBe('1:05');
    expect(formatClock(3725)).toBe('1:02:05');
    expect(formatClock(-3)).toBe('0:00');
  });

  it('finds placeholders with guidance, and what only looks like one', () => {
    const { placeholders, bad } = scanTemplate(
      'Hi <NAME>, <IMPACT: e.g. "API fails"> a < b <3 <-\n#inc-<short-name> <OPEN\n<x>',
    );
    expect(placeholders.map((p) => [p.name, p.hint])).toEqual([
      ['NAME', ''],
      ['IMPACT', 'e.g. "API fails"'],
    ]);
    expect(bad.map((b) => b.text)).toEqual(['<short-name>', '<OPEN', '<x>']);
  });

  it('fills values in; an empty value leaves <NAME> showing', () => {
    const pieces = fillTemplate('<SEVERITY> - <TITLE: short>, <SEVERITY>!', { SEVERITY: 'SEV-2', TITLE: '' });
    expect(filledText(pieces)).toBe('SEV-2 - <TITLE>, SEV-2!');
    expect(taskKey('a')).not.toBe(taskKey('b'));
  });
});

describe('the handbook rules', () => {
  it('finds nothing in a clean checklist and template', () => {
    expect(
      findings(
        ':::checklist[Acknowledge]{by=2m}\n- [ ] Acknowledge the page\n:::\n\n:::checklist{by=5m}\n- [ ] Declare\n:::\n\n:::template[Kickoff]\n```text\nIncident - <SEVERITY: e.g. SEV-2> on <SERVICE>\n```\n:::\n',
      ),
    ).toEqual([]);
  });

  it('checklist-time-invalid: missing, unreadable and out-of-order targets', () => {
    expect(
      findings(
        ':::checklist\n- [ ] a\n:::\n\n:::checklist{by=five}\n- [ ] b\n:::\n\n:::checklist{by=8m}\n- [ ] c\n:::\n\n:::checklist{by=5m}\n- [ ] d\n:::\n',
      ),
    ).toEqual([
      [
        'checklist-time-invalid',
        8,
        1,
        ':::checklist has no target time, but other bands on this page have one',
        'Add `{by=…}`, the minutes after the start by which the band is done, e.g. `:::checklist{by=2m}`.',
      ],
      [
        'checklist-time-invalid',
        12,
        1,
        'Target time by="five" is not a duration from 1 s to 24 h',
        'Write it as `90s`, `2m`, `1h` or `1h30m`.',
      ],
      [
        'checklist-time-invalid',
        20,
        1,
        "Target time 5 min comes before the previous band's 8 min",
        'Put the bands in the order they are due, or fix the time.',
      ],
    ]);
  });

  it('checklist-time-invalid: a page of untimed checklists (a handoff) is fine', () => {
    expect(findings(':::checklist[Outgoing]\n- [ ] a\n:::\n\n:::checklist[Incoming]\n- [ ] b\n:::\n')).toEqual([]);
  });

  it('checklist-tasks-missing: no list, a plain list, the leaf form', () => {
    expect(
      findings(
        ':::checklist{by=2m}\nJust text.\n:::\n\n:::checklist{by=3m}\n- not a task\n:::\n\n::checklist{by=4m}\n',
      ),
    ).toEqual([
      [
        'checklist-tasks-missing',
        8,
        1,
        ':::checklist has no task list',
        'Write the steps as a task list inside the directive: `- [ ] Acknowledge the page`.',
      ],
      [
        'checklist-tasks-missing',
        12,
        1,
        ':::checklist has no task list',
        'Make the list a task list: start each item with `- [ ] `.',
      ],
      [
        'checklist-tasks-missing',
        16,
        1,
        '::checklist is a leaf directive and holds nothing',
        'Use the container form: `:::checklist{by=2m}`, the task list, then `:::` on its own line.',
      ],
    ]);
  });

  it('directive-attribute-unknown: on either directive, #id and .class included', () => {
    expect(
      findings(':::checklist{by=2m due=3m}\n- [ ] a\n:::\n\n:::template{#kick title=x}\n```text\n<A>\n```\n:::\n'),
    ).toEqual([
      [
        'directive-attribute-unknown',
        8,
        1,
        'Unknown attribute `due` on :::checklist',
        'Remove it: it reads `by` only.',
      ],
      [
        'directive-attribute-unknown',
        12,
        1,
        'Unknown attribute `title` on :::template',
        'Remove it: it takes no attributes, only a `[label]`.',
      ],
      [
        'directive-attribute-unknown',
        12,
        1,
        'Unknown attribute `#id` on :::template',
        'Remove it: it takes no attributes, only a `[label]`.',
      ],
    ]);
  });

  it('template-code-missing: a run block is never a template (its Copy would skip the confirm word)', () => {
    expect(
      findings(
        ':::template[Wipe]\n```bash run id=wipe safety=destructive confirm=wipe-it\nrm -rf /srv/data # <HOST>\n```\n:::\n',
      ).filter((r) => r[0] === 'template-code-missing'),
    ).toEqual([
      [
        'template-code-missing',
        9,
        1,
        ":::template holds a run block: its Copy button would skip the block's safety class and confirm word",
        'A template is a message to post. Move the run block out of `:::template`; it keeps its own copy button and guards.',
      ],
    ]);
  });

  it('template-code-missing: no code block, two code blocks, the leaf form', () => {
    expect(
      findings(
        ':::template\nIncident <A>\n:::\n\n:::template\n```text\n<A>\n```\n\n```text\n<B>\n```\n:::\n\n::template\n',
      ),
    ).toEqual([
      [
        'template-code-missing',
        8,
        1,
        ':::template has no code block',
        'Put the message in one fenced block (```` ```text ````) inside `:::template` … `:::`.',
      ],
      ['template-code-missing', 17, 1, ':::template holds 2 code blocks', 'Give each message its own `:::template`.'],
      [
        'template-code-missing',
        22,
        1,
        '::template is a leaf directive and holds nothing',
        'Use the container form: `:::template[Label]`, a fenced code block, then `:::`.',
      ],
    ]);
  });

  it('template-placeholder-invalid at the placeholder; template-placeholder-missing on a block with none', () => {
    expect(
      findings(
        ':::template\n```text\nChannel: #inc-<short-name>\nNow: <IMPACT, getting worse\n  <OK> <Name>\n```\n:::\n\n:::template\n```text\nNothing to fill\n```\n:::\n',
      ),
    ).toEqual([
      [
        'template-placeholder-invalid',
        10,
        15,
        'Placeholder <short-name> is not a placeholder name in capitals',
        'Name it in capitals, words joined by spaces: `<SHORT TITLE>`, or `<IMPACT: e.g. "failed API requests">` with guidance.',
      ],
      [
        'template-placeholder-invalid',
        11,
        6,
        'Placeholder <IMPACT, getting worse is not closed with `>` on its line',
        'Name it in capitals, words joined by spaces: `<SHORT TITLE>`, or `<IMPACT: e.g. "failed API requests">` with guidance.',
      ],
      [
        'template-placeholder-invalid',
        12,
        8,
        'Placeholder <Name> is not a placeholder name in capitals',
        'Name it in capitals, words joined by spaces: `<SHORT TITLE>`, or `<IMPACT: e.g. "failed API requests">` with guidance.',
      ],
      [
        'template-placeholder-missing',
        17,
        1,
        ':::template has no <PLACEHOLDER> to fill in',
        'Mark what changes per incident as `<NAME>`, or drop the `:::template` around the block.',
      ],
    ]);
  });

  it('never crashes on odd input: empty directives, nesting, attributes without values', () => {
    expect(() =>
      findings(
        ':::checklist{by}\n:::\n\n:::template\n:::\n\n:::note\n:::checklist{by=1m}\n- [ ] nested\n:::\n:::\n\n:::template[]\n```\n<\n```\n:::\n',
      ),
    ).not.toThrow();
  });
});

describe('the checklist on the site incident', () => {
  const at = (iso: string) => Date.parse(iso);

  it('reads when the page fired: today, or yesterday when that time has not come yet', () => {
    const now = at('2026-12-07T00:10:30Z');
    expect(parseFiredAt('00:06', now)).toBe(at('2026-12-07T00:06:00Z'));
    expect(parseFiredAt('0006', now)).toBe(at('2026-12-07T00:06:00Z'));
    expect(parseFiredAt(' 0:06 ', now)).toBe(at('2026-12-07T00:06:00Z'));
    expect(parseFiredAt('03:58', now)).toBe(at('2026-12-06T03:58:00Z'));
    expect(parseFiredAt('23:59', now)).toBe(at('2026-12-06T23:59:00Z'));
    // A minute or two ahead is the paging tool's clock against the phone's: now.
    expect(parseFiredAt('00:12', now)).toBe(now);
    expect(parseFiredAt('00:10', now)).toBe(at('2026-12-07T00:10:00Z'));
    for (const bad of ['', '24:00', '12:60', '3', '3:5', 'abc', '12:00:00', '-1:00', '1200 UTC'])
      expect(parseFiredAt(bad, now), bad).toBeUndefined();
    expect(utcHhmm(at('2026-12-07T03:58:41Z'))).toBe('03:58');
  });

  it('never reads a fired time in the future or more than a day back, and keeps the time typed (generated)', () => {
    const random = mulberry32(22);
    for (let i = 0; i < 500; i++) {
      const now = at('2026-01-01T00:00:00Z') + Math.floor(random() * 365 * 86_400_000);
      const h = Math.floor(random() * 24);
      const m = Math.floor(random() * 60);
      const typed = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
      const fired = parseFiredAt(typed, now);
      expect(fired, typed).toBeDefined();
      expect(fired!).toBeLessThanOrEqual(now);
      expect(fired!).toBeGreaterThan(now - MAX_AGE_MS + SKEW_MS - 60_000);
      // The typed time, unless it was within the skew ahead of now (then it is now).
      if (fired !== now) expect(utcHhmm(fired!)).toBe(typed);
      // What a started incident keeps: the store does not move it.
      expect(newIncident(fired, now).started).toBe(fired);
    }
  });

  it("moves a page's own incident into the store once: opens one, or joins the open one", () => {
    const now = at('2026-12-07T03:10:00Z');
    const path = '/handbook/first-15-minutes/';
    expect(oldChecklistKey(path)).toBe('rb-checklist:/handbook/first-15-minutes/');
    const old = { id: 'x', started: now - 5 * 60_000, ticks: ['0.abc', '1.def', 7] };
    // None open: one opens from the old start, with the old ticks on this page.
    const opened = migrateChecklist(old, undefined, path, now)!;
    expect(opened.started).toBe(now - 5 * 60_000);
    expect(opened.ticks).toEqual({ [path]: ['0.abc', '1.def'] });
    // One open (started elsewhere): its start stays, the ticks join it.
    const open = { ...newIncident(now - 2 * 60_000, now), ticks: { [path]: ['0.abc', '2.ghi'], '/other/': ['0.x'] } };
    const joined = migrateChecklist(old, open, path, now)!;
    expect(joined.started).toBe(open.started);
    expect(joined.id).toBe(open.id);
    expect(joined.ticks).toEqual({ [path]: ['0.abc', '2.ghi', '1.def'], '/other/': ['0.x'] });
    // Unreadable or stale (older than a day): nothing moves.
    for (const bad of [
      null,
      'text',
      { started: 'x', ticks: [] },
      { started: now, ticks: 'a' },
      { ...old, started: now - MAX_AGE_MS - 1 },
    ]) {
      expect(migrateChecklist(bad, undefined, path, now)).toBeUndefined();
      expect(migrateChecklist(bad, open, path, now)).toBe(open);
    }
  });

  it('names the blanks a template copy would leave', () => {
    expect(blanksOf(['A', 'B', 'A', 'C'], { A: 'x', B: '' })).toEqual(['B', 'C']);
    expect(blanksWarning(['SEVERITY'])).toBe('1 field still blank: SEVERITY');
    expect(blanksWarning(['A', 'B', 'C'])).toBe('3 fields still blank: A, B, C');
    expect(blanksWarning(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'])).toBe(
      '8 fields still blank: A, B, C, D, E, F and 2 more',
    );
  });
});
