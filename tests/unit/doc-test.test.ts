/**
 * `runbook test`: doc tests run in a scratch copy of the script roots, with example
 * values, and compare stdout with the page's ```output block (`<...>` wildcards).
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffLines, lineMatches, outputLines, outputMatches } from '../../src/plugins/run/expected-output.ts';
import { cli, fixtureProject, ROOT, runbookMd } from '../fixtures/run/project.ts';

const passing = runbookMd({
  title: 'Passing doc tests',
  shortlinks: '[passing]',
  vars: [
    'RELEASE: { description: "Release tag", pattern: "^v\\\\d+\\\\.\\\\d+\\\\.\\\\d+$", example: v1.4.2 }',
    'TOKEN: { description: "API token", secret: true }',
  ],
  body: `
\`\`\`bash run id=plan safety=read-only test
ops/plan.sh "$RELEASE" --dry-run
\`\`\`

\`\`\`output for=plan
plan: roll back to v1.4.2
+ started at <...>
+ in <...>/repo
dry run: <...>
\`\`\`

\`\`\`bash run id=sandbox safety=read-only test
touch made-by-test
test -x ops/plan.sh && echo "home=$HOME" | grep -q /home && echo "token=$TOKEN tz=$TZ"
\`\`\`

\`\`\`output for=sandbox
token=test-secret tz=UTC
\`\`\`

\`\`\`bash run id=in-ops safety=read-only test cwd=ops
ls plan.sh
\`\`\`

\`\`\`bash run id=not-a-test safety=read-only
exit 1
\`\`\`
`,
});

const failing = runbookMd({
  title: 'Failing doc tests',
  shortlinks: '[failing]',
  body: `
\`\`\`bash run id=wrong-output safety=read-only test
printf 'one\\ntwo\\nthree\\n'
\`\`\`

\`\`\`output for=wrong-output
one
2
three
\`\`\`

\`\`\`bash run id=bad-exit safety=read-only test
echo out; echo "went wrong" >&2; exit 4
\`\`\`

\`\`\`bash run id=risky safety=mutating test
echo should not run
\`\`\`
`,
});

let root: string;
beforeAll(() => {
  root = fixtureProject({
    'src/content/runbooks/svc/passing.md': passing,
    'src/content/runbooks/svc/failing.md': failing,
    'ops/plan.sh':
      '#!/usr/bin/env bash\necho "plan: roll back to $1"\necho "+ started at $(date -u +%FT%TZ)"\necho "+ in $PWD"\necho "dry run: nothing was changed"\n',
  });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('runbook test', () => {
  it('passes a runbook whose test blocks match, in a scratch copy, never in the checkout', async () => {
    const before = readdirSync(root).sort();
    const r = await cli(['test', 'src/content/runbooks/svc/passing.md'], root);
    expect(r.out.split('\n')).toEqual([
      '✔ svc/passing#plan',
      '✔ svc/passing#sandbox',
      '✔ svc/passing#in-ops',
      '3 passed, 0 failed',
    ]);
    expect(r.code).toBe(0);
    expect(existsSync(join(root, 'made-by-test'))).toBe(false);
    expect(readdirSync(root).sort()).toEqual(before);
  });

  it('fails with a diff, the exit code and the output, and refuses non-read-only tests', async () => {
    const r = await cli(['test', 'src/content/runbooks/svc/failing.md'], root);
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines.at(-1)).toBe('0 passed, 3 failed');
    expect(r.out).toContain('✖ svc/failing#wrong-output');
    expect(r.out).toContain(
      [
        '    --- expected (output for=wrong-output)',
        '    +++ actual (stdout)',
        '     one',
        '    -2',
        '    +two',
        '     three',
      ].join('\n'),
    );
    expect(r.out).toContain('✖ svc/failing#bad-exit');
    expect(r.out).toContain('exited 4, expected 0');
    expect(r.out).toContain('went wrong');
    expect(r.out).toContain('✖ svc/failing#risky');
    expect(r.out).toContain('only read-only blocks can be doc tests');
    expect(r.out).not.toContain('should not run');
  });

  it('runs every runbook by default and exits 2 for a path that does not exist', async () => {
    const r = await cli(['test'], root);
    expect(r.out.split('\n').at(-1)).toBe('3 passed, 3 failed');
    expect((await cli(['test', 'nowhere.md'], root)).code).toBe(2);
  });

  it("passes on the repository's own example runbooks", async () => {
    const r = await cli(['test'], ROOT);
    expect(r.out.split('\n').filter((l) => l.startsWith('✔'))).toHaveLength(10);
    expect(r.out.split('\n').at(-1)).toBe('10 passed, 0 failed');
    expect(r.code).toBe(0);
  });
});

describe('expected output matching', () => {
  it('matches lines exactly, with <...> standing for any text on the line', () => {
    expect(lineMatches('rolled back to <...>', 'rolled back to v1.2.3')).toBe(true);
    expect(lineMatches('rolled back to <...>', 'rolled back to ')).toBe(true);
    expect(lineMatches('<...> took <...> s', 'step 3 took 12 s')).toBe(true);
    expect(lineMatches('rolled back to <...>!', 'rolled back to v1.2.3')).toBe(false);
    expect(lineMatches('a.c (x)', 'abc (x)')).toBe(false);
    expect(lineMatches('exact', 'exact ')).toBe(false);
  });

  it('ignores spaces at line ends and blank lines at the end (psql prints both; editors strip them), nothing else', () => {
    expect(outputLines('a\nb\n')).toEqual(['a', 'b']);
    expect(outputLines('a\nb\n\n \n')).toEqual(['a', 'b']);
    expect(outputLines(' key | v \n-----+---\n\n(1 row)\n\n')).toEqual([' key | v', '-----+---', '', '(1 row)']);
    expect(outputLines('\ta\t\r\n')).toEqual(['\ta']);
    expect(outputLines('')).toEqual([]);
    expect(outputMatches(['a'], outputLines('a\n\n'))).toBe(true);
    expect(outputMatches(['a'], outputLines('a\n\nb'))).toBe(false);
    expect(outputMatches([' a'], outputLines('a'))).toBe(false);
  });

  it('diffs expected against actual, expected lines first', () => {
    expect(diffLines(['a', 'b <...>', 'c'], ['a', 'b 1', 'x', 'c', 'd'])).toEqual([
      { op: ' ', text: 'a' },
      { op: ' ', text: 'b 1' },
      { op: '+', text: 'x' },
      { op: ' ', text: 'c' },
      { op: '+', text: 'd' },
    ]);
    expect(diffLines(['a', 'b'], ['a', 'c'])).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: '+', text: 'c' },
    ]);
  });
});
