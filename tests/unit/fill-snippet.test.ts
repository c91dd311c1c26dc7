import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  commandLines,
  evaluatedUses,
  fillSnippet,
  shellQuote,
  variableUses,
} from '../../src/plugins/snippets/snippet.ts';

const HOSTILE = [
  '; touch pwned',
  '$(touch pwned)',
  '`touch pwned`',
  'a\nb; touch pwned',
  `it's "quoted"`,
  "'; touch pwned; '",
  '\\',
  '$HOME',
  '',
];

/** Runs `script` in bash in an empty temp dir; returns stdout and what the dir holds afterwards. */
function bash(script: string) {
  const dir = mkdtempSync(join(tmpdir(), 'runbooks-fill-'));
  const out = execFileSync('bash', ['--noprofile', '--norc', '-c', script], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: '/nonexistent' },
  });
  return { out, files: readdirSync(dir) };
}

describe('fillSnippet: values become quoted data, never shell syntax', () => {
  it.each(HOSTILE.filter(Boolean))('%j as a whole argument', (value) => {
    const { out, files } = bash(fillSnippet(`printf '%s' "$VALUE"`, { VALUE: value }));
    expect(out).toBe(value);
    expect(files).toEqual([]);
  });

  it.each(HOSTILE.filter(Boolean))('%j inside a longer double-quoted string', (value) => {
    const { out, files } = bash(fillSnippet(`printf '%s|' "pre-$VALUE-post" "\${VALUE}x"`, { VALUE: value }));
    expect(out).toBe(`pre-${value}-post|${value}x|`);
    expect(files).toEqual([]);
  });

  it('exports the values before the unchanged snippet where a use is unquoted (the shell splits it, as `runbook run` would)', () => {
    expect(fillSnippet('echo $VALUE', { VALUE: "it's" })).toBe(`export VALUE='it'\\''s'\necho $VALUE`);
  });

  it('keeps secrets and unfilled variables as $NAME for the shell', () => {
    expect(
      fillSnippet(
        'curl -H "Authorization: $API_KEY" "$URL" "$OTHER"',
        { API_KEY: 'sekrit', URL: 'https://x' },
        new Set(['API_KEY']),
      ),
    ).toBe(`curl -H "Authorization: $API_KEY" 'https://x' "$OTHER"`);
  });

  it('leaves single-quoted text, $$ and $1 alone, and counts ${#X} as a use', () => {
    const text = `echo '$X' $$ \${#X} $1 "$X"`;
    expect(variableUses(text).map((u) => [u.name, u.expansion])).toEqual([
      ['X', true],
      ['X', false],
    ]);
    // An expansion cannot take a quoted value in its place: the value is exported before the unchanged snippet.
    expect(fillSnippet(text, { X: 'v' })).toBe(`export X='v'\n${text}`);
    expect(fillSnippet(`echo '$X' $$ $1 "$X"`, { X: 'v' })).toBe(`echo '$X' $$ $1 'v'`);
  });

  it('quotes the POSIX way', () => {
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
  });
});

/** The names the lexer finds, in order. */
const names = (text: string) => variableUses(text).map((u) => u.name);

describe('variableUses: where bash disagreed with the lexer (tests/hostile/shell-parsers.test.ts found each)', () => {
  it('reads the whole name bash reads: $HOST_name and $HOSTx are other variables, not HOST', () => {
    expect(names('echo $HOST_name $HOSTx ${HOST_name} $HOST.x')).toEqual(['HOST']);
  });

  it('joins a backslash-newline inside a name, as bash does before reading it', () => {
    const text = 'echo "$HOST\\\nNAME" $A\\\nB';
    expect(variableUses(text).map((u) => [u.name, text.slice(u.offset, u.offset + u.length)])).toEqual([
      ['HOSTNAME', '$HOST\\\nNAME'],
      ['AB', '$A\\\nB'],
    ]);
  });

  it('keeps here-documents literal whatever quotes their delimiter: <<\\EOF, <<E\\OF, <<"EOF"', () => {
    for (const open of ['<<\\EOF', '<<E\\OF', '<<"EOF"', '<<E"O"F', "<<-'EOF'"])
      expect(names(`cat ${open}\n$X\nEOF\necho $Y`), open).toEqual(['Y']);
  });

  it('does not take a here-string for a here-document', () => {
    expect(names('cat <<<"$A"\necho $B\nB\necho $C')).toEqual(['A', 'B', 'C']);
  });

  it('reads arithmetic and command substitutions in a here-document body', () => {
    const text = "cat <<EOF\n$(( COUNT + 1 )) $(printf '%s' '$LITERAL' \"$QUOTED\")\nEOF";
    expect(names(text)).toEqual(['COUNT', 'QUOTED']);
    expect(evaluatedUses(text).map((u) => u.name)).toEqual(['COUNT']);
  });

  it('starts quoting anew inside $(…) and backquotes within a string', () => {
    expect(names(`echo "$(echo '$A')" "\`echo '$B'\`" "$(case x in x) echo '$C';; esac) $D"`)).toEqual(['D']);
    expect(variableUses(`echo "$(echo $A) $B"`).map((u) => [u.name, u.inDoubleQuotes])).toEqual([
      ['A', false],
      ['B', true],
    ]);
  });

  it('reads a string nested in ${…} inside a string: "${A:+"it\'s"} $B" uses B, in double quotes', () => {
    expect(variableUses(`echo "\${A:+"it's"} $B"`).map((u) => [u.name, u.inDoubleQuotes])).toEqual([
      ['A', true],
      ['B', true],
    ]);
  });

  it('does not count ${#NAME} in arithmetic as code: a length is a number', () => {
    expect(evaluatedUses('echo $(( ${#NAME} * 2 )) $(( COUNT ))').map((u) => u.name)).toEqual(['COUNT']);
  });
});

describe('commandLines: a command as one string per line, the page wraps each under itself', () => {
  it('gives back the command exactly and one entry per line, on 300 generated commands (property)', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const alphabet = ['a', ' ', '\n', '\r', '\t', '"', "'", '\\', '$', 'é', '\n\n'];
    for (let n = 0; n < 300; n++) {
      const command = Array.from(
        { length: Math.floor(rnd() * 40) },
        () => alphabet[Math.floor(rnd() * alphabet.length)],
      ).join('');
      const lines = commandLines(command);
      expect(lines.join('')).toBe(command);
      expect(lines).toHaveLength(command.split('\n').length);
      expect(lines.slice(0, -1).every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    }
  });
});
