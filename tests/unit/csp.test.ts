import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  auditPage,
  cspHash,
  hoistPolicy,
  InlineScriptError,
  inlineScriptHashes,
  pagePolicy,
  unionPolicy,
} from '../../src/plugins/site/csp.ts';

const META = (policy: string) => `<meta http-equiv="content-security-policy" content="${policy}">`;
const POLICY = (hashes: string[] = []) =>
  `default-src 'self'; script-src 'self' ${hashes.map((h) => `'${h}'`).join(' ')}; script-src-attr 'none'; style-src 'self'`;
const doc = (head: string, body = '') => `<!DOCTYPE html><html><head>${head}</head><body>${body}</body></html>`;

describe('inlineScriptHashes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csp-'));
  it('hashes each is:inline script of the .astro files under a folder, as the browser will', () => {
    writeFileSync(
      join(dir, 'A.astro'),
      '---\n---\n<script is:inline>\n\tone();\n</script><script>bundled()</script><script is:inline aria-hidden="true">two()</script>',
    );
    expect(inlineScriptHashes([dir])).toEqual([cspHash('\n\tone();\n'), cspHash('two()')].sort());
  });
  it('refuses an is:inline script with define:vars: its text differs per page', () => {
    writeFileSync(join(dir, 'B.astro'), '<script is:inline define:vars={{ to }}>go(to)</script>');
    expect(() => inlineScriptHashes([dir])).toThrow(InlineScriptError);
    expect(() => inlineScriptHashes([dir])).toThrow(/B\.astro: an is:inline script with define:vars/);
  });
  it('refuses a folder that is not there', () => {
    expect(() => inlineScriptHashes([join(dir, 'missing')])).toThrow(/missing is missing/);
  });
  it("matches the hash Astro and Chromium compute for Starlight's theme script (the build test checks the rest)", () => {
    expect(cspHash('two()')).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/);
  });
});

describe('hoistPolicy', () => {
  it('moves the policy <meta> right after <meta charset>, ahead of scripts and Starlight head entries', () => {
    const html = doc(
      `<meta charset="utf-8"><title>t</title><script>theme()</script>${META(POLICY())}<link rel="stylesheet" href="/a.css">`,
    );
    expect(hoistPolicy(html)).toEqual({
      html: doc(
        `<meta charset="utf-8">${META(POLICY())}<title>t</title><script>theme()</script><link rel="stylesheet" href="/a.css">`,
      ),
      policy: POLICY(),
    });
  });
  it("takes Astro's own policy, the last in <head>, not one a page's head entries put before it", () => {
    const fake = META("script-src * 'unsafe-inline'");
    const html = doc(`<meta charset="utf-8">${fake}<script>x()</script>${META(POLICY())}`);
    expect(hoistPolicy(html)).toEqual({
      html: doc(`<meta charset="utf-8">${META(POLICY())}${fake}<script>x()</script>`),
      policy: POLICY(),
    });
  });
  it('without a charset <meta>, puts it first in <head>; leaves a page without a policy alone', () => {
    expect(hoistPolicy(doc(`<title>t</title>${META(POLICY())}`)).html).toBe(doc(`${META(POLICY())}<title>t</title>`));
    const none = doc('<title>t</title>');
    expect(hoistPolicy(none)).toEqual({ html: none });
  });
});

describe('auditPage', () => {
  const script = 'theme()';
  it('passes a page whose inline scripts are all hashed and whose policy comes first', () => {
    expect(
      auditPage(
        doc(
          `<meta charset="utf-8">${META(POLICY([cspHash(script)]))}<script>${script}</script>`,
          '<script src="/_astro/a.js"></script>',
        ),
      ),
    ).toEqual([]);
  });
  it('names a page without a policy', () => {
    expect(auditPage(doc('<title>t</title>'))).toEqual(['no Content-Security-Policy <meta> in <head>']);
  });
  it('names a policy that comes after a script, which then runs unchecked', () => {
    expect(auditPage(doc(`<script>${script}</script>${META(POLICY([cspHash(script)]))}`))).toEqual([
      'the policy <meta> comes after <script>, which it then does not govern',
    ]);
  });
  it('names an inline script in the body whose hash is not listed', () => {
    expect(auditPage(doc(META(POLICY()), '<p>x</p><script>steal()</script>'))).toEqual([
      `an inline <script> ("steal()") whose hash '${cspHash('steal()')}' the policy does not list`,
    ]);
  });
  it("names 'unsafe-inline', 'unsafe-eval', a wildcard and a missing script-src-attr 'none'", () => {
    const problems = auditPage(doc(META("script-src 'self' 'unsafe-inline' 'unsafe-eval' https: *")));
    expect(problems).toEqual([
      "script-src allows 'unsafe-inline' 'unsafe-eval' https: *",
      "script-src-attr is not 'none'",
    ]);
  });
  it('names a policy that restricts no script at all', () => {
    expect(auditPage(doc(META("img-src 'self'")))).toEqual(['the policy does not restrict scripts']);
  });
});

describe('pagePolicy and unionPolicy', () => {
  it('reads the first policy of <head> and merges several into one that allows what each allows', () => {
    expect(pagePolicy(doc(META('script-src a')))).toBe('script-src a');
    expect(pagePolicy(doc('', META('script-src a')))).toBeUndefined();
    expect(
      unionPolicy(["script-src 'self' 'sha256-a'; style-src 'self';", "script-src 'self' 'sha256-b'; img-src data:"]),
    ).toBe("script-src 'self' 'sha256-a' 'sha256-b'; style-src 'self'; img-src data:");
  });
});
