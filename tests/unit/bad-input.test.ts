import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/plugins/runbook/diagnostic.ts';
import { checkProject } from '../../src/plugins/check/index.ts';

const TODAY = new Date('2026-11-23T12:00:00Z');

/** The one clean runbook of the base project. Its shortlink `queue-stuck` is on line 6. */
const BASE = 'src/content/runbooks/ops/queue-stuck.md';
const BASE_RUNBOOK = `---
title: Queue stuck
owner: "@ops-team"
severity: SEV-1
services: [queue]
shortlinks: [queue-stuck]
slos: [queue-latency]
review:
  every: 90
  log:
    - { date: 2026-10-01, reviewer: "@ana", change: "First version" }
vars:
  HOST: { description: "Host", example: "q1.internal" }
---

## Check the queue

\`\`\`bash run id=queue-depth safety=read-only title="Show queue depth"
ops/queue-depth.sh "$HOST"
\`\`\`
`;

const LADDER = `levels:
  - { id: SEV-1, label: Critical, definition: Customers cannot use a core path. }
  - { id: SEV-2, label: Major, definition: A core path is degraded. }
  - { id: SEV-3, label: Minor, definition: A small part is degraded. }
`;

/** What a case writes: text, raw bytes, or a file with a mode or a symlink target. */
type FileSpec = string | Buffer | { content?: string | Buffer; mode?: number; symlink?: string };

interface Case {
  name: string;
  /** Paths relative to the project root, written over the base layout. */
  files: Record<string, FileSpec>;
  /** Text of runbooks.config.yaml, when the case needs settings. */
  config?: string;
  /** Every finding of the whole project, as `[ruleId, file, line, column]`, in report order. */
  expected: [string, string, number, number][];
  /** Severity of each expected finding, when the case is about severity. */
  severities?: Diagnostic['severity'][];
  /** A substring of each expected finding's `message + "\n" + hint`, when the wording matters. */
  messages?: string[];
}

/** The default case file and a second one for cross-file cases. */
const C = 'src/content/runbooks/t/case.md';
const C2 = 'src/content/runbooks/t/second.md';

const REVIEWED = ['review:', '  log:', '    - { date: 2026-10-01, reviewer: "@ana", change: "First version" }'];
/** A page: `---`, the frontmatter lines, `---`, a blank line, then the body. */
const doc = (frontmatter: string[], body = '') => ['---', ...frontmatter, '---', '', body].join('\n');
/**
 * A valid runbook page: frontmatter lines 1–6 (title, owner, a review from 2026-10-01),
 * `extra` frontmatter lines from line 7, then the body, which starts on line 9 + extra.length.
 */
const page = (extra: string[] = [], body = '') => doc(['title: Case', 'owner: "@ops-team"', ...REVIEWED, ...extra], body);
/** A fenced run block (bash). */
const run = (meta: string, code: string) => `\`\`\`bash run ${meta}\n${code}\n\`\`\`\n`;
/** A runbook reviewed on `date` (without `every`, the date value is at line 6, column 15). */
const reviewedOn = (date: string, every?: number) =>
  doc(['title: Case', 'owner: "@ops-team"', 'review:', ...(every ? [`  every: ${every}`] : []), '  log:', `    - { date: ${date}, reviewer: "@ana", change: "First version" }`]);

/** A big but valid runbook: ~5 MB of prose after a valid header. */
const HUGE = page([], 'Logs from the incident follow.\n\n' + 'The queue worker retried the job and the broker acknowledged it.\n\n'.repeat(78_000));

// The table. Each case is written over a fresh copy of the base project (ladder SEV-1..SEV-3,
// SLO queue-latency, executable ops/queue-depth.sh, the clean runbook BASE), then the whole
// project is checked with today = 2026-11-23. `expected` lists every finding of the project as
// [ruleId, file, line, column] (1-based), so a missing or an extra finding fails the case.
// Most pages are built with `page(extra, body)`: frontmatter lines 1–6 are valid, `extra` starts
// at line 7, and the body starts at line 9 + extra.length (line 9 with no extra, 10 with one).
const cases: Case[] = [
  // --- The file itself ---
  { name: 'empty file', files: { [C]: '' }, expected: [['file-empty', C, 1, 1]] },
  { name: 'whitespace-only file', files: { [C]: '  \n\n\t \r\n' }, expected: [['file-empty', C, 1, 1]] },
  {
    name: 'binary file with a .md name (PNG header with NUL bytes)',
    files: { [C]: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00]) },
    expected: [['file-binary', C, 1, 1]],
  },
  {
    name: 'Latin-1 byte 0xe9 is reported at the bad byte',
    // body line 9 "Line one.", 10 blank, 11 "Caf\xe9 au lait." → the byte is at 11:4
    files: { [C]: Buffer.concat([Buffer.from(page([], 'Line one.\n\nCaf')), Buffer.from([0xe9]), Buffer.from(' au lait.\n')]) },
    expected: [['file-encoding', C, 11, 4]],
  },
  {
    name: 'Latin-1 byte after a legitimate U+FFFD character is still reported at the bad byte',
    // line 9 holds a real (valid UTF-8) U+FFFD; the invalid byte 0xe9 is at 11:4
    files: { [C]: Buffer.concat([Buffer.from(page([], 'Garbled \uFFFD in the log.\n\nCaf')), Buffer.from([0xe9]), Buffer.from('\n')]) },
    expected: [['file-encoding', C, 11, 4]],
  },
  {
    name: '5 MB runbook is a warning, not a crash',
    files: { [C]: HUGE },
    expected: [['file-too-large', C, 1, 1]],
    severities: ['warning'],
    messages: ['The file is 5027 KB'],
  },
  {
    name: 'maxFileBytes from runbooks.config.yaml',
    config: 'maxFileBytes: 100\n',
    files: { [C]: page() },
    // the base runbook is over 100 bytes too
    expected: [
      ['file-too-large', BASE, 1, 1],
      ['file-too-large', C, 1, 1],
    ],
    severities: ['warning', 'warning'],
  },
  {
    name: 'UTF-8 BOM before the frontmatter is clean',
    files: { [C]: `\uFEFF${page([], '## Steps\n\nSee [steps](#steps).\n')}` },
    expected: [],
  },
  {
    name: 'UTF-8 BOM keeps frontmatter and body positions',
    files: { [C]: `\uFEFF${page(['severity: SEV-9'], 'Escalate as :severity[SEV-8] now.\n')}` },
    expected: [
      ['severity-unknown', C, 7, 11],
      ['severity-unknown', C, 10, 13],
    ],
  },
  {
    name: 'CRLF line endings are clean',
    files: { [C]: page(['severity: SEV-2', 'vars:', '  HOST: { description: "Host" }'], `## Steps\n\n${run('id=depth safety=read-only', 'ops/queue-depth.sh "$HOST"')}\nSee [steps](#steps).\n`).replace(/\n/g, '\r\n') },
    expected: [],
  },
  {
    name: 'CRLF line endings keep line/column of findings',
    // 7: severity SEV-9; body: 10 badge, 11 blank, 12 fence, 13 `echo "$TARGET"`
    files: { [C]: page(['severity: SEV-9'], `Escalate as :severity[SEV-8] now.\n\n${run('id=show safety=read-only', 'echo "$TARGET"')}`).replace(/\n/g, '\r\n') },
    expected: [
      ['severity-unknown', C, 7, 11],
      ['severity-unknown', C, 10, 13],
      ['var-undeclared', C, 13, 7],
    ],
  },
  {
    name: 'underscore-prefixed files are skipped, however broken',
    files: { 'src/content/runbooks/t/_draft.md': '' },
    expected: [],
  },

  // --- Frontmatter fences and YAML ---
  { name: 'file without frontmatter', files: { [C]: '# Queue stuck\n\nRestart it.\n' }, expected: [['frontmatter-missing', C, 1, 1]] },
  { name: 'blank line before the frontmatter', files: { [C]: `\n${page()}` }, expected: [['frontmatter-missing', C, 1, 1]] },
  {
    name: 'frontmatter never closed',
    files: { [C]: '---\ntitle: Case\nowner: "@ops-team"\n\n## Steps\n\nRestart it.\n' },
    expected: [['frontmatter-unclosed', C, 1, 1]],
  },
  {
    name: 'malformed YAML (unquoted @handle) is one finding, not a cascade',
    files: { [C]: doc(['title: Case', 'owner: @ops-team', ...REVIEWED]) },
    expected: [['frontmatter-yaml', C, 3, 8]],
    messages: ['Frontmatter is not valid YAML'],
  },
  {
    name: 'malformed YAML (duplicate key)',
    files: { [C]: page(['owner: "@db-team"']) },
    expected: [['frontmatter-yaml', C, 7, 1]],
  },
  {
    name: 'frontmatter that is a YAML list, not a mapping',
    files: { [C]: doc(['- title: Case', '- owner: "@ops-team"']) },
    expected: [['frontmatter-yaml', C, 2, 1]],
  },
  {
    name: 'title that YAML reads as a date',
    files: { [C]: doc(['title: 2026-01-01', 'owner: "@ops-team"', ...REVIEWED]) },
    expected: [['frontmatter-type', C, 2, 8]],
  },
  {
    name: 'frontmatter title missing',
    files: { [C]: doc(['owner: "@ops-team"', ...REVIEWED]) },
    expected: [['frontmatter-type', C, 2, 1]],
    messages: ['`title` is required'],
  },
  {
    name: 'unknown frontmatter key with did-you-mean',
    files: { [C]: page(['severty: SEV-1']) },
    expected: [['frontmatter-unknown-key', C, 7, 1]],
    severities: ['warning'],
    messages: ['Unknown frontmatter key `severty`; did you mean `severity`?'],
  },
  {
    name: 'page with runbook: false needs no owner or review',
    files: { [C]: doc(['title: About', 'runbook: false'], 'Just prose.\n') },
    expected: [],
  },

  {
    name: 'a variable example that YAML reads as a timestamp',
    files: { [C]: page(['vars: { RESOLVED_AT: { example: 2026-04-18T15:10:00Z } }'], run('id=show safety=read-only', 'echo "$RESOLVED_AT"')) },
    expected: [['frontmatter-type', C, 7, 33]],
    messages: ['`vars.RESOLVED_AT.example` must be a string, not a timestamp\nYAML reads unquoted 2026-04-18T15:10:00Z as a timestamp; quote it: example: "2026-04-18T15:10:00Z"'],
  },
  {
    name: 'a number where text is expected',
    files: { [C]: page(['services: [queue, 5432]']) },
    expected: [['frontmatter-type', C, 7, 19]],
    messages: ['`services.1` must be a string, not the number 5432\nYAML reads unquoted 5432 as the number 5432; quote it: "5432"'],
  },
  {
    name: 'a page with runbook: false still needs a handle as owner (the build checks it)',
    files: { [C]: doc(['title: About', 'runbook: false', 'owner: db team'], 'Prose.\n') },
    expected: [['owner-invalid', C, 4, 8]],
    messages: ['Owner "db team" is not a handle'],
  },
  {
    name: 'a Starlight field with a value Starlight refuses',
    files: { [C]: page(['template: wide']) },
    expected: [['frontmatter-type', C, 7, 11]],
    messages: ['`template` must be one of "doc"|"splash", not the text "wide"'],
  },
  {
    name: 'an escalation entry that is neither a handle nor a contact',
    files: { [C]: page(['escalation: ["db team", { who: "@dba", note: 5 }]']) },
    expected: [['frontmatter-type', C, 7, 14], ['frontmatter-type', C, 7, 46]],
    messages: ['`escalation.0` must be a handle like "@db-team"', '`escalation.1.note` must be a string, not the number 5'],
  },
  {
    name: 'review.every that is not a whole number of days',
    files: { [C]: doc(['title: Case', 'owner: "@ops-team"', 'review:', '  every: 1.5', '  log:', '    - { date: 2026-10-01, reviewer: "@ana", change: "x" }']) },
    expected: [['frontmatter-type', C, 5, 10]],
  },
  {
    name: 'a review date with a time of day',
    files: { [C]: reviewedOn('2026-10-01T09:30:00Z') },
    expected: [['review-date-invalid', C, 6, 15]],
    messages: ['Review date "2026-10-01T09:30:00Z" is not a YYYY-MM-DD date'],
  },
  {
    name: 'an impossible date outside the review log',
    files: { [C]: page(['lastUpdated: 2026-02-30']) },
    expected: [['frontmatter-type', C, 7, 14]],
    messages: ['`lastUpdated` 2026-02-30 is not a real date\nThere is no such day; YAML would silently read it as 2026-03-02'],
  },

  // --- Owner ---
  {
    name: 'owner as a list',
    files: { [C]: doc(['title: Case', 'owner: ["@ops-team", "@db-team"]', ...REVIEWED]) },
    expected: [['frontmatter-type', C, 3, 8]],
    messages: ['`owner` must be a string, not a list'],
  },
  { name: 'owner missing', files: { [C]: doc(['title: Case', ...REVIEWED]) }, expected: [['owner-missing', C, 2, 1]] },
  {
    name: 'owner not a handle',
    files: { [C]: doc(['title: Case', 'owner: ops team', ...REVIEWED]) },
    expected: [['owner-invalid', C, 3, 8]],
    messages: ['Owner "ops team" is not a handle'],
  },
  {
    name: 'owner not in the configured teams',
    config: 'teams: ["@ops-team"]\n',
    files: { [C]: doc(['title: Case', 'owner: "@ops-teams"', ...REVIEWED]) },
    expected: [['owner-invalid', C, 3, 8]],
    messages: ['Owner "@ops-teams" is not in the teams list\nDid you mean "@ops-team"?'],
  },

  // --- Review ---
  { name: 'review block missing', files: { [C]: doc(['title: Case', 'owner: "@ops-team"']) }, expected: [['review-missing', C, 2, 1]] },
  {
    name: 'review log missing',
    files: { [C]: doc(['title: Case', 'owner: "@ops-team"', 'review:', '  every: 30']) },
    expected: [['review-missing', C, 5, 3]],
  },
  {
    name: 'review log is an empty list',
    files: { [C]: doc(['title: Case', 'owner: "@ops-team"', 'review:', '  log: []']) },
    expected: [['review-missing', C, 5, 8]],
  },
  {
    name: 'review date as text',
    files: { [C]: reviewedOn('last tuesday') },
    expected: [['review-date-invalid', C, 6, 15]],
    messages: ['Review date "last tuesday" is not a YYYY-MM-DD date'],
  },
  { name: 'impossible review date 2026-02-30', files: { [C]: reviewedOn('2026-02-30') }, expected: [['review-date-invalid', C, 6, 15]] },
  {
    name: 'review.next that is not a date',
    files: { [C]: doc(['title: Case', 'owner: "@ops-team"', 'review:', '  next: soon', '  log:', '    - { date: 2026-10-01, reviewer: "@ana", change: "x" }']) },
    expected: [['review-date-invalid', C, 5, 9]],
  },
  {
    name: 'review date in the future',
    files: { [C]: reviewedOn('2026-12-01') },
    expected: [['review-date-future', C, 6, 15]],
    messages: ['Review date 2026-12-01 is in the future'],
  },
  {
    name: 'overdue review is a warning by default',
    files: { [C]: reviewedOn('2026-01-01') },
    expected: [['review-overdue', C, 6, 15]],
    severities: ['warning'],
    messages: ['Last review was 326 days ago; reviews are due every 90 days'],
  },
  {
    name: 'overdue review configured as error',
    config: 'review:\n  overdue: error\n',
    files: { [C]: reviewedOn('2026-01-01') },
    expected: [['review-overdue', C, 6, 15]],
    severities: ['error'],
  },
  { name: 'review.every in the page beats the default', files: { [C]: reviewedOn('2026-01-01', 400) }, expected: [] },

  // --- Shortlinks ---
  {
    name: 'shortlink duplicated from another runbook',
    files: { [C]: page(['shortlinks: [queue-stuck]']) },
    expected: [['shortlink-duplicate', C, 7, 14]],
    messages: [`Shortlink "queue-stuck" is already used by ${BASE}:6`],
  },
  {
    name: 'shortlink duplicated across two new files: reported on the second',
    files: { [C]: page(['shortlinks: [db-down]']), [C2]: page(['services: [db]', 'shortlinks:', '  - db-down']) },
    expected: [['shortlink-duplicate', C2, 9, 5]],
    messages: [`already used by ${C}:7`],
  },
  {
    name: 'shortlink with upper case',
    files: { [C]: page(['shortlinks: [DB-Down]']) },
    expected: [['shortlink-invalid', C, 7, 14]],
    messages: ['Try `db-down`'],
  },
  { name: 'shortlink with a slash', files: { [C]: page(['shortlinks: [db/down]']) }, expected: [['shortlink-invalid', C, 7, 14]] },
  { name: 'shortlink with ..', files: { [C]: page(['shortlinks: [".."]']) }, expected: [['shortlink-invalid', C, 7, 14]] },
  { name: 'reserved shortlink (rules)', files: { [C]: page(['shortlinks: [rules]']) }, expected: [['shortlink-reserved', C, 7, 14]] },
  {
    name: 'shortlink reserved in runbooks.config.yaml',
    config: 'shortlinks:\n  reserved: [status]\n',
    files: { [C]: page(['shortlinks: [status]']) },
    expected: [['shortlink-reserved', C, 7, 14]],
  },
  {
    name: 'shortlink object whose anchor is missing',
    files: { [C]: page(['shortlinks: [{ slug: queue-drain, anchor: drai }]'], '## Drain\n\nDrain it.\n') },
    expected: [['shortlink-anchor-missing', C, 7, 43]],
    messages: ['Shortlink anchor "#drai" is not a heading or run block on this page\nDid you mean "drain"?'],
  },
  {
    name: 'shortlink objects anchored at a heading and a run block are clean',
    files: { [C]: page(['shortlinks: [{ slug: queue-drain, anchor: drain-it }, { slug: queue-show, anchor: "#show" }]'], `## Drain it\n\n${run('id=show safety=read-only', 'echo ok')}`) },
    expected: [],
  },

  // --- Severity ---
  { name: 'unknown severity (string)', files: { [C]: page(['severity: SEV-9']) }, expected: [['severity-unknown', C, 7, 11]] },
  { name: 'unknown severity in a list', files: { [C]: page(['severity: [SEV-1, SEV-9]']) }, expected: [['severity-unknown', C, 7, 19]] },
  {
    name: 'unknown inline :severity[SEV-9]',
    files: { [C]: page([], 'Escalate as :severity[SEV-9] now, or :severity[SEV-2].\n') },
    expected: [['severity-unknown', C, 9, 13]],
    messages: ['Unknown severity "SEV-9" in :severity[…]'],
  },
  {
    name: 'times and ratios in prose are not directives',
    files: { [C]: page([], 'At 09:00 UTC, then 3:1 and 12:30:45; ratio a:b.\n') },
    expected: [],
  },

  // --- SLOs ---
  {
    name: 'unknown SLO',
    files: { [C]: page(['slos: [queue-latency, queue-latncy]']) },
    expected: [['slo-unknown', C, 7, 23]],
    messages: ['Unknown SLO "queue-latncy"\nDid you mean "queue-latency"?'],
  },

  // --- Variables ---
  {
    name: 'undeclared variables in a run block',
    // body: 9 fence, 10 `echo "$TARGET"`, 11 `curl ${OTHER}`
    files: { [C]: page([], run('id=show safety=read-only', 'echo "$TARGET"\ncurl ${OTHER}')) },
    expected: [
      ['var-undeclared', C, 10, 7],
      ['var-undeclared', C, 11, 6],
    ],
  },
  {
    name: 'undeclared variables in a run block indented in a list item',
    // body: 9 "1. Check:", 10 blank, 11 fence at column 4, 12 and 13 `   echo "$X"` → `$` at column 10
    files: { [C]: page([], '1. Check:\n\n   ```bash run id=show safety=read-only\n   echo "$FIRST"\n   echo "$SECOND"\n   ```\n') },
    expected: [
      ['var-undeclared', C, 12, 10],
      ['var-undeclared', C, 13, 10],
    ],
  },
  {
    name: 'script on a later line of a run block indented in a list item',
    // body: 9 "1. Step:", 10 blank, 11 fence at column 4, 12 `   echo hi`, 13 `   ops/nope.sh` → column 4
    files: { [C]: page([], '1. Step:\n\n   ```bash run id=step safety=read-only\n   echo hi\n   ops/nope.sh\n   ```\n') },
    expected: [['script-missing', C, 13, 4]],
  },
  {
    name: 'declared but unused variable is a warning at its key',
    files: { [C]: page(['vars:', '  UNUSED: { description: "Never used" }']) },
    expected: [['var-unused', C, 8, 3]],
    severities: ['warning'],
  },
  {
    name: 'shell syntax that is not a variable',
    files: { [C]: page([], run('id=show safety=read-only', "echo $$ ${#X} $1 $(date) '$SINGLE' \\$ESCAPED $lower ${X:-d}\npsql -c 'SELECT $$ body $$'")) },
    expected: [],
  },
  {
    name: 'variables outside run blocks are not checked',
    files: { [C]: page([], '```bash\necho "$NOT_A_RUN_BLOCK"\n```\n\nProse mentions $DOLLAR too.\n') },
    expected: [],
  },

  {
    name: 'a variable name that is not upper-case',
    files: { [C]: page(['vars: { db-host: { example: db1 } }']) },
    expected: [['var-name-invalid', C, 7, 9]],
    messages: ['Variable name `db-host` is not upper-case letters, digits and underscores'],
  },
  {
    name: 'a variable pattern that does not compile',
    files: { [C]: page(['vars: { HOST: { pattern: "^[a-z+$" } }'], run('id=show safety=read-only', 'echo "$HOST"')) },
    expected: [['var-pattern-invalid', C, 7, 26]],
    messages: ['Pattern "^[a-z+$" is not a valid regular expression: /^[a-z+$/: Unterminated character class'],
  },

  // --- Snippets ---
  {
    name: 'duplicate snippet ids',
    // blocks at lines 9 and 13
    files: { [C]: page([], `${run('id=check safety=read-only', 'echo 1')}\n${run('id=check safety=read-only', 'echo 2')}`) },
    expected: [['snippet-id-duplicate', C, 13, 1]],
    messages: ['Run block id "check" is already used on line 9'],
  },
  { name: 'run block without safety', files: { [C]: page([], run('id=check', 'echo 1')) }, expected: [['snippet-safety', C, 9, 1]] },
  {
    name: 'invalid safety with did-you-mean',
    files: { [C]: page([], run('id=check safety=readonly', 'echo 1')) },
    expected: [['snippet-safety', C, 9, 1]],
    messages: ['Unknown safety "readonly"\nDid you mean `safety=read-only`?'],
  },
  { name: 'snippet id not kebab-case', files: { [C]: page([], run('id=Check_Pool safety=read-only', 'echo 1')) }, expected: [['snippet-id-invalid', C, 9, 1]] },
  { name: 'run block without id', files: { [C]: page([], run('safety=read-only', 'echo 1')) }, expected: [['snippet-id-missing', C, 9, 1]] },
  {
    name: 'needs= names no run block',
    files: { [C]: page([], `${run('id=snapshot safety=read-only', 'echo 1')}\n${run('id=restore safety=mutating needs=snapshott', 'echo 2')}`) },
    expected: [['snippet-needs-unknown', C, 13, 1]],
    messages: ['`needs=snapshott` does not name a run block on this page\nDid you mean `needs=snapshot`?'],
  },
  {
    name: 'output for= names no run block',
    files: { [C]: page([], `${run('id=show safety=read-only', 'echo 1')}\n\`\`\`output for=shw\n1\n\`\`\`\n`) },
    expected: [['output-for-unknown', C, 13, 1]],
    messages: ['Did you mean `for=show`?'],
  },

  // --- Scripts ---
  {
    name: 'script path escaping with ../',
    files: { [C]: page([], run('id=peek safety=read-only', 'cat ops/../../etc/passwd')) },
    expected: [['script-outside-repo', C, 10, 5]],
  },
  {
    name: 'symlink in ops/ pointing outside the project',
    files: { 'ops/escape.sh': { symlink: '/etc/hostname' }, [C]: page([], run('id=escape safety=read-only', 'ops/escape.sh')) },
    expected: [['script-outside-repo', C, 10, 1]],
  },
  {
    name: '::script with an absolute path',
    files: { [C]: page([], '::script{path=/etc/passwd}\n') },
    expected: [['script-outside-repo', C, 9, 1]],
  },
  {
    name: 'non-executable script invoked directly',
    files: { 'ops/slow.sh': { content: '#!/bin/sh\necho slow\n', mode: 0o644 }, [C]: page([], run('id=slow safety=read-only', 'ops/slow.sh --now')) },
    expected: [['script-not-executable', C, 10, 1]],
  },
  {
    name: 'non-executable script invoked through sudo ./',
    files: { 'ops/slow.sh': { content: '#!/bin/sh\necho slow\n', mode: 0o644 }, [C]: page([], run('id=slow safety=mutating', 'sudo ./ops/slow.sh')) },
    expected: [['script-not-executable', C, 10, 6]],
  },
  {
    name: 'non-executable script run as `bash ops/x.sh`',
    files: { 'ops/slow.sh': { content: '#!/bin/sh\necho slow\n', mode: 0o644 }, [C]: page([], run('id=slow safety=read-only', 'bash ops/slow.sh')) },
    expected: [],
  },
  {
    name: 'missing script',
    files: { [C]: page([], run('id=nope safety=read-only', 'echo start\n  ops/nope.sh --now')) },
    expected: [['script-missing', C, 11, 3]],
    messages: ['Script ops/nope.sh does not exist'],
  },
  { name: '::script directive naming a missing file', files: { [C]: page([], '::script{path=ops/nope.sh}\n') }, expected: [['script-missing', C, 9, 1]] },
  {
    name: '::script directive without a path',
    files: { [C]: page([], 'Intro.\n\n::script\n') },
    expected: [['script-missing', C, 11, 1]],
    messages: ['`::script` needs a `path` attribute'],
  },

  // --- Links ---
  {
    name: 'broken same-page anchor',
    files: { [C]: page([], '## Drain\n\nSee [x](#nope).\n') },
    expected: [['link-anchor-broken', C, 11, 5]],
    messages: ['Anchor #nope is not a heading or run block on this page'],
  },
  {
    name: 'same-page anchors to a heading, a repeated heading and a run block id',
    files: { [C]: page([], `## Drain the queue\n\n## Drain the queue\n\n${run('id=drain safety=mutating', 'echo drain')}\n[a](#drain-the-queue) [b](#drain-the-queue-1) [c](#drain) [d](#_top)\n`) },
    expected: [],
  },
  {
    name: 'cross-page anchor that does not exist',
    files: { [C]: page([], 'See [x](/ops/queue-stuck/#nope).\n') },
    expected: [['link-anchor-broken', C, 9, 5]],
    messages: ['Anchor #nope is not a heading or run block on ../ops/queue-stuck.md'],
  },
  {
    name: 'anchor with a malformed %-escape is reported, not a crash',
    files: { [C]: page([], '[a](#100%) [b](/ops/queue-stuck/#%E0%A4%A)\n') },
    expected: [
      ['link-anchor-broken', C, 9, 1],
      ['link-anchor-broken', C, 9, 12],
    ],
  },
  {
    name: 'cross-page anchors that exist',
    files: { [C]: page([], '[a](/ops/queue-stuck/#check-the-queue) [b](/ops/queue-stuck#queue-depth) [c](../../ops/queue-stuck/)\n') },
    expected: [],
  },
  { name: 'link to a missing page', files: { [C]: page([], 'See [x](/ops/nope/).\n') }, expected: [['link-broken', C, 9, 5]] },
  {
    name: 'reference-style link definition to a missing page',
    files: { [C]: page([], 'See [x][q].\n\n[q]: /ops/nope/\n') },
    expected: [['link-broken', C, 11, 1]],
  },
  {
    name: 'relative .md link to a missing file',
    files: { [C]: page([], 'See [x](./nope.md).\n') },
    expected: [['link-broken', C, 9, 5]],
    messages: ['Link to a missing page ./nope.md'],
  },
  {
    name: 'relative .md links to an existing page (with and without anchor)',
    files: { [C]: page([], '[a](../ops/queue-stuck.md) [b](../ops/queue-stuck.md#check-the-queue)\n') },
    expected: [],
  },
  {
    name: 'relative .md link to an existing page with a bad anchor',
    files: { [C]: page([], '[a](../ops/queue-stuck.md#nope)\n') },
    expected: [['link-anchor-broken', C, 9, 1]],
  },
  {
    name: 'link to an unknown shortlink',
    files: { [C]: page([], 'See [x](/r/unknown-slug).\n') },
    expected: [['link-broken', C, 9, 5]],
    messages: ['Link to a missing shortlink /r/unknown-slug'],
  },
  { name: 'links to a known shortlink', files: { [C]: page([], '[a](/r/queue-stuck) [b](/r/queue-stuck/#queue-depth)\n') }, expected: [] },
  { name: 'link to an unknown rule page', files: { [C]: page([], 'See [x](/rules/no-such-rule/).\n') }, expected: [['link-broken', C, 9, 5]] },
  {
    name: 'link to a repository file that exists, with repoUrl set',
    config: 'repoUrl: https://github.com/example/runbooks/blob/main/\n',
    files: { [C]: page([], 'See [script](../../../../ops/queue-depth.sh).\n') },
    expected: [],
  },
  {
    name: 'link to a repository file without repoUrl cannot work on the site',
    files: { [C]: page([], 'See [script](../../../../ops/queue-depth.sh).\n') },
    expected: [['link-broken', C, 9, 5]],
    messages: ['Link to repository file ops/queue-depth.sh works on GitHub but not on the site: `repoUrl` is not set'],
  },
  {
    name: 'link to a repository file that does not exist',
    files: { [C]: page([], 'See [script](../../../../ops/nope.sh).\n') },
    expected: [['link-broken', C, 9, 5]],
  },
  {
    name: 'external links are not checked',
    files: { [C]: page([], '[a](https://example.com/x) [b](mailto:ops@example.com) [c](//cdn.example.com/x) <https://example.com/y>\n') },
    expected: [],
  },

  // --- MDX ---
  {
    name: '.mdx file is checked the same way',
    // one extra frontmatter line, so the body starts at line 10: 10 import, 11 blank, 12 badge,
    // 13 blank, 14–16 run block without safety, 17 blank, 18 broken anchor
    files: {
      'src/content/runbooks/t/case.mdx': page(['severity: SEV-1'], `import { Aside } from '@astrojs/starlight/components';\n\nEscalate as :severity[SEV-9] now.\n\n${run('id=show', 'echo ok')}\n[x](#nope)\n`),
    },
    expected: [
      ['severity-unknown', 'src/content/runbooks/t/case.mdx', 12, 13],
      ['snippet-safety', 'src/content/runbooks/t/case.mdx', 14, 1],
      ['link-anchor-broken', 'src/content/runbooks/t/case.mdx', 18, 1],
    ],
  },

  {
    name: 'upper-case .MD extension is checked too',
    files: { 'src/content/runbooks/t/CASE.MD': page(['severity: SEV-9']) },
    expected: [['severity-unknown', 'src/content/runbooks/t/CASE.MD', 7, 11]],
  },

  // --- Project files ---
  {
    name: 'broken severity ladder is reported alone',
    files: { 'src/content/severity.yaml': 'levels:\n  - { id: SEV-1, label: Critical }\n' },
    expected: [['severity-ladder-invalid', 'src/content/severity.yaml', 2, 5]],
  },
  // Shortlink destinations: our pages, or https hosts on the allow-list; nothing else.
  {
    name: 'shortlink to javascript: is refused',
    files: { [C]: page(['shortlinks: [{ slug: x-js, url: "javascript:alert(1)" }]']) },
    expected: [['shortlink-destination', C, 7, 33]],
    messages: ['`javascript:` URLs are never allowed'],
  },
  {
    name: 'shortlink to data: is refused',
    files: { [C]: page(['shortlinks: [{ slug: x-data, url: "data:text/html,hi" }]']) },
    expected: [['shortlink-destination', C, 7, 35]],
    messages: ['`data:` URLs are never allowed'],
  },
  {
    name: 'shortlink to a protocol-relative //host is refused',
    files: { [C]: page(['shortlinks: [{ slug: x-rel, url: "//evil.example/x" }]']) },
    expected: [['shortlink-destination', C, 7, 34]],
    messages: ['protocol-relative'],
  },
  {
    name: 'shortlink to a host not on the allow-list is refused',
    config: 'shortlinks: { allowHosts: [status.example.com] }\n',
    files: { [C]: page(['shortlinks: [{ slug: x-off, url: "https://evil.example/" }]']) },
    expected: [['shortlink-destination', C, 7, 34]],
    messages: ['evil.example is not on the allow-list'],
  },
  {
    name: 'shortlink over plain http to an allowed host is refused',
    config: 'shortlinks: { allowHosts: [status.example.com] }\n',
    files: { [C]: page(['shortlinks: [{ slug: x-http, url: "http://status.example.com/" }]']) },
    expected: [['shortlink-destination', C, 7, 35]],
    messages: ['`http:` URLs are never allowed; use an https URL (allowHosts cannot change this)'],
  },
  {
    name: 'shortlink to an allow-listed https host is clean',
    config: 'shortlinks: { allowHosts: [status.example.com] }\n',
    files: { [C]: page(['shortlinks: [{ slug: status-page, url: "https://status.example.com/" }]']) },
    expected: [],
  },
  // The lock: a published slug never disappears silently, and every slug is recorded.
  {
    name: 'locked slug removed from the content fails at its lock line',
    files: { 'shortlinks.lock': '{\n  "version": 1,\n  "slugs": {\n    "db-down": "/ops/db/",\n    "queue-stuck": "/ops/queue-stuck/"\n  }\n}\n' },
    expected: [['shortlink-removed', 'shortlinks.lock', 4, 3]],
    messages: ['Published shortlink /r/db-down (was /ops/db/) is no longer on any page'],
  },
  {
    name: 'new slug missing from the lock',
    files: {
      'shortlinks.lock': '{\n  "version": 1,\n  "slugs": {\n    "queue-stuck": "/ops/queue-stuck/"\n  }\n}\n',
      [C]: page(['shortlinks: [queue-new]']),
    },
    expected: [['shortlink-unlocked', C, 7, 14]],
    messages: ['Shortlink "queue-new" is not in shortlinks.lock\nRun `npm run runbook -- lock`'],
  },
  {
    name: 'a locked slug moved to another page is clean',
    files: {
      'shortlinks.lock': '{\n  "version": 1,\n  "slugs": {\n    "queue-stuck": "/ops/queue-stuck/",\n    "old-queue": "/ops/old/"\n  }\n}\n',
      [C]: page(['shortlinks: [old-queue]']),
    },
    expected: [],
  },
  // MDX is parsed as MDX: what would stop the build is a finding instead.
  {
    name: 'an .mdx page with an unclosed tag',
    files: { 'src/content/runbooks/t/case.mdx': page([], 'Restart the <service> first.\n') },
    expected: [['mdx-syntax', 'src/content/runbooks/t/case.mdx', 9, 13]],
    messages: ['Not valid MDX: Expected a closing tag for `<service>`'],
  },
  {
    name: 'an .mdx page with an unclosed brace',
    files: { 'src/content/runbooks/t/case.mdx': page([], 'Set {retries to 3.\n') },
    expected: [['mdx-syntax', 'src/content/runbooks/t/case.mdx', 9, 5]],
  },
  {
    name: 'an .mdx page importing a component that does not exist',
    files: { 'src/content/runbooks/t/case.mdx': page([], "import Checklist from './Checklst.astro';\n\n<Checklist />\n") },
    expected: [['mdx-import-missing', 'src/content/runbooks/t/case.mdx', 9, 1]],
    messages: ['Import ./Checklst.astro does not exist'],
  },
  {
    name: 'an .mdx page with a good relative import and JSX is clean',
    files: { 'src/content/runbooks/t/Box.astro': '<div><slot /></div>\n', 'src/content/runbooks/t/case.mdx': page([], "import Box from './Box.astro';\n\n<Box>Hello</Box>\n") },
    expected: [],
  },
];

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function write(dir: string, path: string, spec: FileSpec) {
  const full = join(dir, path);
  mkdirSync(dirname(full), { recursive: true });
  rmSync(full, { force: true });
  if (typeof spec === 'string' || Buffer.isBuffer(spec)) return writeFileSync(full, spec);
  if (spec.symlink !== undefined) return symlinkSync(spec.symlink, full);
  writeFileSync(full, spec.content ?? '');
  if (spec.mode !== undefined) chmodSync(full, spec.mode);
}

/** A fresh base project, with the case's files and config written over it. */
function project(files: Record<string, FileSpec> = {}, config?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbooks-bad-'));
  dirs.push(dir);
  write(dir, 'src/content/severity.yaml', LADDER);
  write(dir, 'src/content/slos/queue-latency.yaml', 'service: queue\ndescription: Jobs picked up within a minute\nobjective: 99.9\nwindow: 28d\nindicator: { ratio: { good: "sum(rate(ok[{{window}}]))", total: "sum(rate(all[{{window}}]))" } }\nowner: "@ops-team"\n');
  write(dir, 'ops/queue-depth.sh', { content: '#!/bin/sh\necho 0\n', mode: 0o755 });
  write(dir, BASE, BASE_RUNBOOK);
  if (config !== undefined) write(dir, 'runbooks.config.yaml', config);
  for (const [path, spec] of Object.entries(files)) write(dir, path, spec);
  return dir;
}

function check(dir: string): Diagnostic[] {
  let found: Diagnostic[] | undefined;
  expect(() => {
    found = checkProject(dir, { today: TODAY });
  }).not.toThrow();
  return found ?? [];
}

describe('checkProject on bad input', () => {
  it('has at least 45 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it('finds nothing in the clean base project', () => {
    expect(check(project())).toEqual([]);
  });

  it.each(cases)('$name', ({ files, config, expected, severities, messages }) => {
    const found = check(project(files, config));
    expect(found.map((d) => [d.ruleId, d.file, d.line, d.column])).toEqual(expected);
    if (severities) expect(found.map((d) => d.severity)).toEqual(severities);
    if (messages) messages.forEach((m, i) => expect(`${found[i]?.message}\n${found[i]?.hint}`).toContain(m));
  });
});
