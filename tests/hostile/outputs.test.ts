/**
 * What the site writes from values a pull request controls: `_redirects` gains no line
 * we did not write, the copy-with-values text runs no value, whatever the values.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { publishedShortlinks, redirectsFile } from '../../src/plugins/shortlinks/publish.ts';
import { fillSnippet } from '../../src/plugins/snippets/snippet.ts';
import { scriptInBody } from '../../src/plugins/html/rendered.ts';
import { netlifyRedirects } from '../fixtures/netlify.ts';

/** Deterministic pseudo-random numbers, so the generated inputs are the same every run. */
function random(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

const PIECES = [
  '\n',
  '\r',
  '\t',
  ' ',
  '\u2028',
  '\u0000',
  '"',
  "'",
  '>',
  '<',
  '#',
  '?',
  '%0a',
  '/* ',
  'https://evil.example/:splat',
  ' 301!',
  '//evil.example',
  'javascript:',
  'a',
  'db-down',
  'Ü',
  '\\',
  '`',
  '$(',
  ')',
];

describe('_redirects', () => {
  it('holds only the lines we write, for 500 generated hostile shortlink sets', async () => {
    const files: string[] = [];
    const next = random(7);
    const pick = () =>
      Array.from({ length: 1 + Math.floor(next() * 6) }, () => PIECES[Math.floor(next() * PIECES.length)]).join('');
    const LINE =
      /^\/r\/[a-z0-9][a-z0-9-]{0,62}\/? \/[^\s"'<>\\`]*|^\/r\/[a-z0-9][a-z0-9-]{0,62}\/? https:\/\/[^\s"'<>\\`]+ 301!$/;
    let written = 0;
    for (let i = 0; i < 500; i++) {
      const data = {
        title: pick(),
        shortlinks: [
          pick(),
          `ok-${i}`,
          { slug: `anchored-${i}`, anchor: pick() },
          { slug: `out-${i}`, url: `https://status.example.com/${pick()}` },
          { slug: pick(), url: pick() },
        ],
      };
      const file = redirectsFile(
        publishedShortlinks([{ file: 'x.md', url: i % 7 === 0 ? `/${pick()}/` : '/ops/x/', data }]),
      );
      files.push(file);
      const lines = file.split('\n');
      expect(lines.at(-1)).toBe('');
      for (const line of lines.slice(1, -1)) {
        expect(line, JSON.stringify(line)).toMatch(LINE);
        expect(line.endsWith(' 301!')).toBe(true);
        expect(line.split(' ')).toHaveLength(3);
        written++;
      }
    }
    // The well-formed ones are all there: the filter refuses only what could not be one token.
    expect(written).toBeGreaterThan(1500);
    // Netlify's own parser reads every line as one rule, with no error (the 500 files in
    // one: it keeps the last of two equal rules, and the sets repeat a few of theirs).
    const netlify = await netlifyRedirects(files.join(''));
    expect(netlify.errors).toEqual([]);
    const lines = files
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('/'));
    expect(lines).toHaveLength(written);
    expect(netlify.redirects.map((r) => `${r.from} ${r.to} ${r.status}${r.force ? '!' : ''}`).sort()).toEqual(
      [...new Set(lines)].sort(),
    );
  });
});

const HOSTILE = [
  'x;touch pwned;#',
  '$(touch pwned)',
  '`touch pwned`',
  "'; touch pwned; '",
  '"; touch pwned; "',
  'a\nb; touch pwned',
  'EOF\ntouch pwned\nEOF',
  '$((1+1))',
  '${IFS}touch${IFS}pwned',
  '\\',
  '*',
  '-n',
  '$HOME',
  '!!',
  "it's",
  'x]$(touch pwned)',
  '%s %n',
  'ü Ω',
  ' leading and trailing ',
  '',
];

/** Every context a snippet may put a variable in. */
const CONTEXTS = [
  `printf '%s' "$V"`,
  `printf '%s|' $V`,
  `printf '%s' "pre-\${V}-post"`,
  'cat <<EOF\nvalue: $V\nEOF',
  "cat <<'EOF'\nliteral: $V\nEOF",
  `printf '%s' "$(printf '%s' "$V")"`,
  'printf \'%s\' "`printf \'%s\' "$V"`"',
  `printf '%s' "\${V:-default}"`,
  `printf '%s' "\${#V}"`,
  `printf '%s' "\${V:0:4}"`,
  `echo $(( \${#V} + 1 ))`,
  `W="$V"; printf '%s' "$W"`,
  `for x in "$V"; do printf '<%s>' "$x"; done`,
  `f() { printf '%s' "$1"; }; f "$V"`,
  `case "$V" in *) printf '%s' "$V";; esac`,
  `[ -n "$V" ] && printf 'set:%s' "$V" || printf 'empty'`,
  `printf '%s\\n' "a" "$V" | cat`,
  `printf "%s" "$V"`,
  `printf '%s' '$V'`,
  `# check the 5" disk\nprintf '%s' $V`,
  `printf '%s' $'it\\'s' "$V"`,
  `printf '%s' $"x" "$V" # "quoted" comment`,
  'cat <<-EOF\n\tit\'s "$V"\n\tEOF',
];

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs `script` with bash in an empty directory; returns stdout and the files it made. */
function bash(script: string, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'runbooks-copy-'));
  dirs.push(dir);
  let out: string;
  try {
    out = execFileSync('bash', ['--noprofile', '--norc', '-c', script], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ...env },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch (error) {
    out = `exit ${(error as { status?: number }).status}: ${(error as { stdout?: string }).stdout ?? ''}`;
  }
  return { out, files: readdirSync(dir) };
}

describe("the page's copy with your values", () => {
  it.each(CONTEXTS)('%j: pasting it does what `runbook run` does with the value, and runs none of it', (context) => {
    for (const value of HOSTILE) {
      const pasted = bash(fillSnippet(context, { V: value }));
      const run = bash(context, value === '' ? {} : { V: value });
      expect(pasted.files, `${JSON.stringify(value)} ran`).toEqual([]);
      expect(pasted.out, JSON.stringify(value)).toBe(run.out);
    }
  });
});

describe('the built page body, the last line of defence', () => {
  const page = (body: string) =>
    `<html><body><form onsubmit="return false"></form><div class="sl-markdown-content">${body}</div><footer class="sl-flex"><div class="pagination-links" dir="ltr"><a href="/next/" rel="next"><svg aria-hidden="true" width="16" height="16" viewBox="0 0 24 24" fill="currentColor"><path d="M17 11H7v2h10z"/></svg><span>Next<br><span class="link-title">Next page</span></span></a></div></footer><script type="module" src="/_astro/page.js"></script></body></html>`;

  it.each([
    ['<img src="x.png" onerror="alert(1)">', 'the onerror attribute on <img> runs script'],
    ['<a href="jav&#x61;script:alert(1)">x</a>', 'javascript:'],
    ['<iframe src="https://evil.example/"></iframe>', '<iframe>'],
    ['<script>alert(1)</script>', '<script>'],
    ['<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', 'javascript:'],
  ])('finds %s', (html, what) => {
    expect(scriptInBody(page(html))).toContain(what);
  });

  it("leaves the site's own bundles, copy buttons and prose about javascript: alone", () => {
    const body =
      '<div class="expressive-code"><link rel="stylesheet" href="/_astro/ec.css"><script type="module" src="/_astro/ec.js"></script><button title="Copy">Copy</button></div><p>Type javascript: in the console.</p><button type="button" class="rb-snippet__copy">Copy command</button>';
    expect(scriptInBody(page(body))).toBeUndefined();
  });
});
