/**
 * One encoder per output format (src/plugins/encode/), each proved over generated hostile
 * text: every C0 and C1 control, escape sequences (CSI, OSC 52 clipboard, OSC 8 links,
 * titles), lone `\r`, `\r\n`, U+2028/9, bidi and invisible characters, Markdown and HTML
 * syntax. Then the CLI end to end: what `check`, `run --dry-run` and `list` print.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString } from 'mdast-util-to-string';
import { gfm } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { codeownersLine } from '../../src/plugins/encode/codeowners.ts';
import { workflowData, workflowProperty } from '../../src/plugins/encode/github.ts';
import { markdownCode, markdownText } from '../../src/plugins/encode/markdown.ts';
import { redirectsLine } from '../../src/plugins/encode/redirects.ts';
import { forTerminal, fromTerminal, terminalSink, unsafeChars } from '../../src/plugins/encode/terminal.ts';
import { toJsonText } from '../../src/plugins/encode/json.ts';
import { markdown } from '../../src/plugins/check/reporters.ts';
import { scratchSite } from '../build/helpers.ts';

/** Deterministic pseudo-random numbers, so the generated inputs are the same every run. */
function random(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));

/** Every control and invisible character, the escape sequences terminals obey, and Markdown/HTML syntax. */
const PIECES = [
  ...range(0x00, 0x1f),
  '\x7f',
  ...range(0x80, 0x9f),
  '\x1b[2J',
  '\x1b[1A\x1b[2K',
  '\x1b[8m',
  '\x1b[31m',
  '\x1b]52;c;cm0gLXJmIH4=\x07',
  '\x1b]52;c;cm0gLXJmIH4=\x1b\\',
  '\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\',
  '\x1b]0;title\x07',
  '\x9b2J',
  '\x9d52;c;eA==\x9c',
  '\x1bP+q\x1b\\',
  '\x1bc',
  '\r',
  '\r\n',
  '\n\r',
  '\u2028',
  '\u2029',
  '\u0085',
  ...range(0x200b, 0x200f),
  ...range(0x202a, 0x202e),
  ...range(0x2066, 0x2069),
  '\ufeff',
  '\u00ad',
  '\u3164',
  '\u{e0041}',
  '\u{e007f}',
  '\ud800',
  '\udfff',
  '\u00a0',
  '\u3000',
  '|',
  '\\|',
  '\\',
  '`',
  '```',
  '*',
  '**',
  '_',
  '~~',
  '$x$',
  '[x](https://evil.example)',
  '![i](x.png)',
  '[^1]',
  '<img src=x onerror=alert(1)>',
  '<!--',
  '-->',
  '<https://evil.example>',
  '# ',
  '## 0 errors',
  '- ',
  '+ ',
  '1. ',
  '2) ',
  '> ',
  '=',
  '---',
  '&amp;',
  '&#124;',
  '&#32;',
  'www.evil.example',
  'https://evil.example',
  'a@b.example',
  ':x:',
  '%',
  '%0A',
  '%25',
  '::',
  ',',
  ':',
  '=',
  'file=x',
  '#',
  ' ',
  '  ',
  '\t',
  '⟨',
  '⟩',
  '⟨ESC⟩',
  '⟨U+0041⟩',
  '⟨CR',
  'a',
  'Z',
  '0',
  'Ü',
  '日本',
  'e\u0301',
  '⚠️',
  '👩‍💻',
  'rm -rf ~',
  'echo ok',
];

/** Hostile strings: the pieces one by one, then `n` random concatenations. */
function hostile(seed: number, n: number): string[] {
  const next = random(seed);
  const pick = () => PIECES[Math.floor(next() * PIECES.length)];
  return [
    ...PIECES,
    ...Array.from({ length: n }, () => Array.from({ length: 1 + Math.floor(next() * 10) }, pick).join('')),
  ];
}

/** What a terminal may be sent: no C0 but `\n` and `\t`, no DEL or C1, no bidi, invisible or line-separator character, no lone surrogate. */
const FORBIDDEN =
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\udb40[\udc00-\udc7f]/;

const INPUTS = hostile(18, 600);

describe('the terminal guard', () => {
  it('sends no control, bidi or invisible character, and shows exactly the input (its visible form reads back), for every generated string', () => {
    for (const s of INPUTS) {
      const shown = forTerminal(s);
      expect(shown, JSON.stringify(s)).not.toMatch(FORBIDDEN);
      expect(fromTerminal(shown), JSON.stringify(s)).toBe(s);
      const line = forTerminal(s, { oneLine: true });
      expect(line).not.toMatch(/[\n\t]/);
      expect(line).not.toMatch(FORBIDDEN);
      expect(fromTerminal(line)).toBe(s);
      // In colour, the names are in inverse video and nothing else changes.
      const colored = forTerminal(s, { color: true });
      expect(colored.replace(/\x1b\[7m|\x1b\[27m/g, '')).toBe(shown);
      // The sink passes escaped text unchanged, and escapes raw text as completely.
      expect(terminalSink(shown, false)).toBe(shown);
      expect(terminalSink(s, false)).not.toMatch(FORBIDDEN);
      // With colour on, the sink lets through only our own SGR codes: no other escape sequence.
      expect(
        terminalSink(s, true).replace(
          /\x1b\[(?:(?:0|1|2|4|7|22|24|27|31|32|33|39)(?:;(?:0|1|2|4|7|22|24|27|31|32|33|39))*)?m/g,
          '',
        ),
      ).not.toMatch(FORBIDDEN);
    }
  });

  it('names what it escapes, and keeps text, tabs, line breaks and emoji as they are', () => {
    expect(forTerminal('echo ok\rrm -rf ~')).toBe('echo ok⟨CR⟩rm -rf ~');
    expect(forTerminal('\x1b]52;c;aGk=\x07')).toBe('⟨ESC⟩]52;c;aGk=⟨BEL⟩');
    expect(forTerminal('a\u202eb\u200bc\u0085\x7f')).toBe('a⟨U+202E⟩b⟨U+200B⟩c⟨U+0085⟩⟨DEL⟩');
    expect(forTerminal('if x;\n\tthen ⚠️ é 日本')).toBe('if x;\n\tthen ⚠️ é 日本');
    expect(forTerminal('a\tb\nc', { oneLine: true })).toBe('a⟨HT⟩b⟨LF⟩c');
    // The notation's own opener is escaped, so a runbook cannot imitate an escape.
    expect(forTerminal('⟨ESC⟩')).toBe('⟨U+27E8⟩ESC⟩');
    expect(unsafeChars('ok\x1b[2Jx\ry\u202e')).toEqual([
      { index: 2, shown: '⟨ESC⟩', name: 'U+001B (ESC)' },
      { index: 7, shown: '⟨CR⟩', name: 'U+000D (CR)' },
      { index: 9, shown: '⟨U+202E⟩', name: 'U+202E' },
    ]);
  });
});

describe('the JSON encoder (transcripts, --format json, list --json)', () => {
  it('writes one line of JSON with no control, bidi or invisible character that parses back to the value, for every generated string', () => {
    for (const s of INPUTS) {
      const value = { output: s, vars: { [s]: s }, list: [s, 1, null] };
      const line = toJsonText(value);
      expect(line, JSON.stringify(s)).not.toMatch(FORBIDDEN);
      expect(line).not.toMatch(/[\n\r\t]/);
      expect(JSON.parse(line)).toEqual(value);
      // Indented, as the CLI prints it: the sink then has nothing left to change.
      const pretty = toJsonText(value, 2);
      expect(terminalSink(pretty, false)).toBe(pretty);
      expect(JSON.parse(pretty)).toEqual(value);
    }
  });
});

/** The Markdown of `source`, parsed the way GitHub reads it (CommonMark + GFM). */
const parse = (source: string) => fromMarkdown(source, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });

/**
 * Whether a node is plain text: a text node, or a GFM literal autolink whose text is its
 * own address (a bare URL or e-mail address in the input; GFM links those whatever the
 * escaping, and the reader still sees exactly the text).
 */
const plain = (n: { type: string; url?: string }) =>
  n.type === 'text' ||
  (n.type === 'link' && [toString(n), `http://${toString(n)}`, `mailto:${toString(n)}`].includes(n.url!));

/** Every node under `node` (itself excluded), without looking into a literal autolink's own text. */
function descendants(node: { children?: unknown[] }): { type: string }[] {
  return ((node.children ?? []) as { type: string; children?: unknown[] }[]).flatMap((c) => [
    c,
    ...(c.type === 'link' ? [] : descendants(c)),
  ]);
}

describe('the Markdown encoder', () => {
  it("keeps a table row one row, with exactly the cell's text and no syntax, for every generated string", () => {
    for (const s of INPUTS) {
      const tree = parse(
        `| where | finding |\n| --- | --- |\n| ${markdownCode(s, { table: true })} | ${markdownText(s)} |\n`,
      );
      expect(
        tree.children.map((c) => c.type),
        JSON.stringify(s),
      ).toEqual(['table']);
      const table = tree.children[0] as { children: { children: { children: unknown[] }[] }[] };
      expect(table.children, JSON.stringify(s)).toHaveLength(2);
      const cells = table.children[1].children;
      expect(cells, JSON.stringify(s)).toHaveLength(2);
      expect(toString(cells[1]), JSON.stringify(s)).toBe(forTerminal(s, { oneLine: true }));
      const spans = descendants(cells[0]) as unknown as { type: string; value: string }[];
      if (forTerminal(s).includes('|'))
        expect(toString(cells[0]), JSON.stringify(s)).toBe(forTerminal(s, { oneLine: true }));
      else
        expect(
          spans.map((n) => [n.type, n.value]),
          JSON.stringify(s),
        ).toEqual([['inlineCode', forTerminal(s, { oneLine: true }) || ' ']]);
      expect(descendants(cells[1] as never).every(plain), JSON.stringify(s)).toBe(true);
    }
  });

  it('keeps a list item one item of plain text, and a code span literal, for every generated string', () => {
    for (const s of INPUTS) {
      const item = parse(`- ${markdownText(s)}\n- next\n`);
      expect(
        item.children.map((c) => c.type),
        JSON.stringify(s),
      ).toEqual(['list']);
      const list = item.children[0] as { children: { children: { type: string }[] }[] };
      expect(list.children, JSON.stringify(s)).toHaveLength(2);
      const visible = forTerminal(s, { oneLine: true });
      if (visible.trim() !== '') {
        expect(
          list.children[0].children.map((c) => c.type),
          JSON.stringify(s),
        ).toEqual(['paragraph']);
        expect(
          descendants(list.children[0] as never).every((n) => plain(n) || n.type === 'paragraph'),
          JSON.stringify(s),
        ).toBe(true);
        expect(toString(list.children[0]), JSON.stringify(s)).toBe(visible);
      }
      const code = parse(`- ${markdownCode(s)}\n`);
      const spans = descendants(code as never).filter((n) => n.type === 'inlineCode') as unknown as { value: string }[];
      expect(
        spans.map((n) => n.value),
        JSON.stringify(s),
      ).toEqual([visible === '' ? ' ' : visible]);
    }
  });

  it('turns the forged summary of the attack into one row of text', () => {
    const forged =
      'x |\r\r### runbook check: 1 file, 0 errors, 0 warnings\r\rAll clean: [details](https://evil.example)';
    const out = markdown({
      files: 1,
      diagnostics: [{ file: 'a.md', line: 1, column: 1, ruleId: 'r', severity: 'error', message: forged, hint: 'h' }],
    });
    expect(out.split(/\r\n|\r|\n/).filter((l) => l.startsWith('#'))).toEqual([
      '### runbook check: 1 file, 1 error, 0 warnings',
    ]);
    const tree = parse(out);
    expect(tree.children.map((c) => c.type)).toEqual(['heading', 'table']);
    expect(
      descendants(tree).filter(
        (n) => !plain(n) && !['heading', 'table', 'tableRow', 'tableCell', 'text', 'inlineCode'].includes(n.type),
      ),
    ).toEqual([]);
  });
});

/** GitHub's runner: a command is one line, `::name k=v,k=v::data`, with its unescaping. */
function parseCommand(line: string): { name: string; properties: Record<string, string>; data: string } | undefined {
  const m = /^::([a-z]+)(?: ([^:]*))?::(.*)$/s.exec(line);
  if (!m || /[\r\n]/.test(line)) return undefined;
  const unescape = (v: string) =>
    v.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const properties: Record<string, string> = {};
  for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1));
  }
  return { name: m[1], properties, data: m[3].replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%') };
}

describe('the GitHub workflow-command encoder', () => {
  it('keeps a command one line that GitHub reads back as the input, for every generated string', () => {
    const strings = INPUTS;
    for (const [i, s] of strings.entries()) {
      const file = strings[(i * 7 + 3) % strings.length];
      const line = `::error file=${workflowProperty(file)},line=3,title=${workflowProperty(s)}::${workflowData(s)}`;
      expect(line, JSON.stringify(s)).not.toMatch(/[\r\n]/);
      expect(parseCommand(line), JSON.stringify(s)).toEqual({
        name: 'error',
        properties: { file, line: '3', title: s },
        data: s,
      });
    }
  });
});

describe('the _redirects encoder', () => {
  it('writes a line only with exactly its fields, for every generated string', () => {
    const next = random(5);
    let written = 0;
    for (const s of [...INPUTS, '/r/db-down', 'https://status.example.com/x?y=1#z', '301!']) {
      const fields = [`/r/${s}`, next() < 0.5 ? '/ops/x/' : s, '301!'];
      const line = redirectsLine(fields);
      if (line === undefined) continue;
      written++;
      expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/);
      expect(line.split(' ')).toEqual(fields);
      expect(line.startsWith('#')).toBe(false);
    }
    expect(written).toBeGreaterThan(20);
    expect(redirectsLine(['/r/a', '/x/\n/r/b', '301!'])).toBeUndefined();
    expect(redirectsLine(['/r/a', '/x/\r/*', '301!'])).toBeUndefined();
    expect(redirectsLine(['/r/a', '/x/', '301!'])).toBe('/r/a /x/ 301!');
  });
});

/** GitHub's reading of a CODEOWNERS line: fields split at unescaped whitespace, `\x` read as `x`. */
const codeownersFields = (line: string) =>
  (line.match(/(?:\\.|[^\s\\])+/g) ?? []).map((f) => f.replace(/\\(.)/g, '$1'));

describe('the CODEOWNERS encoder', () => {
  it('writes one line of exactly path and owner, or nothing, for every generated string', () => {
    let written = 0;
    for (const s of [...INPUTS, 'docs/a b.md', 'src/content/runbooks/[x]/#1.md']) {
      const line = codeownersLine(`src/content/runbooks/${s}.md`, '@ops-team');
      if (line === undefined) continue;
      written++;
      expect(line.split(/\r\n|\r|\n|\u2028|\u2029|\u0085/), JSON.stringify(s)).toHaveLength(1);
      expect(codeownersFields(line), JSON.stringify(s)).toEqual([`/src/content/runbooks/${s}.md`, '@ops-team']);
    }
    expect(written).toBeGreaterThan(60);
    // The attack: a file name that ends the line and takes ownership of .github/ away.
    expect(codeownersLine('a\n/.github/', '@ops-team')).toBeUndefined();
    expect(codeownersLine('a\r/.github/', '@ops-team')).toBeUndefined();
    expect(codeownersLine('a.md', '@ops team')).toBeUndefined();
    expect(codeownersLine('a b#[1].md', '@ops-team')).toBe('/a\\ b\\#\\[1\\].md @ops-team');
  });
});

describe('the CLI, end to end with a hostile runbook', () => {
  const evilBlock = 'echo tidy\x1b]52;c;cm0gLXJmIH4=\x07\recho done\ntouch pwned';
  const site = scratchSite('basic', 'hostile-terminal', {
    'src/content/runbooks/ops/hostile.md': [
      '---',
      'title: "Evil\\e]52;c;aGk=\\a\\rAll clear"',
      'owner: "@ops-team"',
      'severity: P1',
      'shortlinks: [hostile]',
      'vars: { V: { description: "a value" } }',
      'review:',
      '  log:',
      '    - { date: 2026-11-01, reviewer: "@ana", change: "First" }',
      '---',
      '',
      '```bash run id=clean safety=read-only',
      'echo "$V"',
      '```',
      '',
      '```bash run id=evil safety=read-only',
      evilBlock,
      '```',
      '',
    ].join('\n'),
  });
  const cli = (args: string[]) => {
    const r = spawnSync('npm', ['run', '--silent', 'runbook', '--', ...args], {
      cwd: site,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: r.status, out: r.stdout, err: r.stderr, all: r.stdout + r.stderr };
  };
  const RAW = /[\x1b\r\x07\x9b]/;

  it('runbook check reports snippet-control-char at the exact line and column, and prints no control byte', () => {
    const r = cli(['check', '--format', 'json']);
    const found = JSON.parse(r.out).diagnostics.filter((d: { ruleId: string }) => d.ruleId === 'snippet-control-char');
    // Line 17 is the block's first line; the ESC is after `echo tidy`, the CR after the BEL.
    expect(
      found.map((d: { line: number; column: number; message: string }) => [
        d.line,
        d.column,
        /U\+\w+ \(\w+\)/.exec(d.message)?.[0],
      ]),
    ).toEqual([
      [17, 10, 'U+001B (ESC)'],
      [17, 29, 'U+0007 (BEL)'],
      [17, 30, 'U+000D (CR)'],
    ]);
    const pretty = cli(['check']);
    expect(pretty.code).toBe(1);
    expect(pretty.all).not.toMatch(RAW);
    expect(pretty.out).toContain('snippet-control-char');
    expect(pretty.out).toContain('the invisible or control character U+001B (ESC)');
  });

  it('runbook run refuses the block check reports, dry run or not, and runs nothing', () => {
    const dry = cli(['run', 'hostile#evil', '--dry-run']);
    expect(dry.code).toBe(2);
    expect(dry.all).not.toMatch(RAW);
    expect(dry.err).toContain('contains the control or invisible character U+001B (ESC)');
    const real = cli(['run', 'hostile#evil', '--yes']);
    expect(real.code).toBe(2);
    expect(real.all).not.toMatch(RAW);
    expect(existsSync(join(site, 'pwned'))).toBe(false);
    // A run of the page skips it and says why, visibly.
    const page = cli(['run', 'hostile', '--dry-run', '--var', 'V=x']);
    expect(page.all).not.toMatch(RAW);
    expect(page.out).toContain(
      '↷ hostile#evil is skipped: #evil contains the control or invisible character U+001B (ESC)',
    );
  });

  it('runbook run --dry-run shows a hostile value and title by name, sending no control byte', () => {
    const r = cli(['run', 'hostile#clean', '--dry-run', '--var', 'V=ok\x1b]52;c;cm0=\x07\r\x1b[2Kfine\u202e']);
    expect(r.code).toBe(0);
    expect(r.all).not.toMatch(RAW);
    expect(r.out).toContain('V=ok⟨ESC⟩]52;c;cm0=⟨BEL⟩⟨CR⟩⟨ESC⟩[2Kfine⟨U+202E⟩');
  });

  it('runbook list shows a hostile title on its own row, by name', () => {
    const r = cli(['list']);
    expect(r.code).toBe(0);
    expect(r.all).not.toMatch(RAW);
    const row = r.out.split('\n').find((l) => l.startsWith('hostile '));
    expect(row).toContain('Evil⟨ESC⟩]52;c;aGk=⟨BEL⟩⟨CR⟩All clear');
  });
});
