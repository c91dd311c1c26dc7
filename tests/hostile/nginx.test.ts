/**
 * The nginx encoder (src/plugins/encode/nginx.ts) and the configuration written with it
 * (src/plugins/deploy/nginx.ts): whatever slug, target or header value is generated, a
 * value is written as one quoted string holding exactly that value, or refused; the
 * configuration gains no directive we did not write; and a real nginx, given hundreds of
 * generated shortlinks, answers each with a 301 to exactly its target.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';
import { nginxString, NginxEncodingError } from '../../src/plugins/encode/nginx.ts';
import { nginxConf, type Redirect } from '../../src/plugins/deploy/nginx.ts';
import { SECURITY_HEADERS } from '../../src/plugins/site/headers.ts';
import { startNginx, type Nginx } from '../fixtures/nginx.ts';

const PIECES = [
  '"',
  '\\',
  '$uri',
  '${host}',
  '{',
  '}',
  ';',
  '; return 200 x',
  '#',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u2028',
  ' ',
  'é',
  '😀',
  '`',
  "'",
  '%41',
  '?a=1&b=2',
  '/',
  'db-down',
  '#anchor',
  '<>',
  '|^~',
  '[]',
  'https://status.example.com/',
];

/**
 * A value read back the way nginx reads a double-quoted token (ngx_conf_file.c): up to
 * the first unescaped `"`, with `\"`, `\\`, `\t`, `\r`, `\n` unescaped; `$` would start a
 * variable. Returns the value and what follows the token.
 */
function readQuoted(text: string): { value: string; rest: string; variables: boolean } {
  expect(text[0]).toBe('"');
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') return { value, rest: text.slice(i + 1), variables: value.includes('$') };
    if (ch === '\\') {
      const next = text[++i];
      value += ({ t: '\t', r: '\r', n: '\n' } as Record<string, string>)[next] ?? next;
    } else value += ch;
  }
  throw new Error(`unterminated: ${text}`);
}

const generate = (seed: number, count: number) => {
  const next = mulberry32(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(PIECES)).join(''),
  );
};

describe('the nginx encoder', () => {
  it('writes 800 generated values as one quoted token holding exactly the value, or refuses them', () => {
    let written = 0;
    let refused = 0;
    for (const value of generate(21, 800)) {
      let out: string;
      try {
        out = nginxString(value);
      } catch (error) {
        expect(error).toBeInstanceOf(NginxEncodingError);
        expect(value).toMatch(/["\\${}`]|[^\x20-\x7e]|^$/u);
        refused++;
        continue;
      }
      const read = readQuoted(out);
      expect(read).toEqual({ value, rest: '', variables: false });
      expect(out).toMatch(/^"[\x20-\x7e]+"$/);
      written++;
    }
    expect(written).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });

  it('refuses what nginx would read as syntax, names the character, and admits a plain policy', () => {
    expect(() => nginxString('/a"; return 200 "x')).toThrow(/"\\"" is not admitted/);
    expect(() => nginxString('/$uri')).toThrow(NginxEncodingError);
    expect(() => nginxString('/a\\"')).toThrow(NginxEncodingError);
    expect(() => nginxString('/a\nadd_header X 1;')).toThrow(NginxEncodingError);
    expect(() => nginxString('/störung/')).toThrow(/"ö" is not admitted/);
    expect(() => nginxString('')).toThrow(/empty/);
    expect(nginxString("script-src 'self' 'sha256-a+/b='; frame-ancestors 'none'")).toBe(
      `"script-src 'self' 'sha256-a+/b='; frame-ancestors 'none'"`,
    );
  });
});

/** Generated shortlinks: slugs as the gate admits them, targets with everything a URL may hold. */
function generatedRedirects(seed: number, count: number): { accepted: Redirect[]; refused: number } {
  const targets = generate(seed, count);
  const accepted: Redirect[] = [];
  let refused = 0;
  targets.forEach((raw, i) => {
    const target = raw.startsWith('https://') ? raw : `/${raw}`;
    const redirect = { slug: `s${i}-${seed}`, target };
    try {
      nginxConf([], [redirect]);
      accepted.push(redirect);
    } catch (error) {
      expect(error).toBeInstanceOf(NginxEncodingError);
      refused++;
    }
  });
  return { accepted, refused };
}

describe('the nginx configuration', () => {
  it('with generated shortlinks, holds exactly two exact locations per shortlink and nothing else of theirs', () => {
    const { accepted, refused } = generatedRedirects(7, 600);
    expect(accepted.length).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
    const conf = nginxConf(SECURITY_HEADERS, accepted);
    const shortlinks = conf.slice(conf.indexOf('# Shortlinks:')).split('\n').slice(1, -1);
    expect(shortlinks).toHaveLength(accepted.length * 2);
    shortlinks.forEach((line, i) => {
      const { slug, target } = accepted[Math.floor(i / 2)];
      const m = /^location = ("[^"]*") \{ return 301 ("[^"]*"); \}$/.exec(line)!;
      expect(m, line).not.toBeNull();
      expect(readQuoted(m[1]).value).toBe(`/r/${slug}${i % 2 ? '/' : ''}`);
      expect(readQuoted(m[2])).toEqual({ value: target, rest: '', variables: false });
    });
  });
});

describe('a real nginx with generated shortlinks', () => {
  let root: string;
  let nginx: Nginx;
  const { accepted } = generatedRedirects(11, 300);
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'runbook-nginx-site-'));
    // nginx may run as nobody: the site must be readable by it.
    chmodSync(root, 0o755);
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>home</title>\n');
    writeFileSync(join(root, '404.html'), '<!doctype html><title>not found</title>\n');
    writeFileSync(join(root, '_nginx.conf'), nginxConf(SECURITY_HEADERS, accepted));
    nginx = await startNginx(root);
  });
  afterAll(async () => {
    await nginx?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers every one with one 301 to exactly its target, and the security headers', async () => {
    expect(accepted.length).toBeGreaterThan(50);
    for (const { slug, target } of accepted)
      for (const path of [`/r/${slug}`, `/r/${slug}/`]) {
        const res = await fetch(`${nginx.origin}${path}`, { redirect: 'manual' });
        expect(res.status, `${path}\n${nginx.log()}`).toBe(301);
        expect(res.headers.get('location'), path).toBe(target);
        expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      }
    const missing = await fetch(`${nginx.origin}/r/none`, { redirect: 'manual' });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('not found');
  });
});
