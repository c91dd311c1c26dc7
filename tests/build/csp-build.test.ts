import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditPage, directives, pagePolicy } from '../../src/plugins/site/csp.ts';
import { htmlFiles } from '../../src/plugins/site/headers.ts';
import { netlifyHeaders, netlifyRedirects } from '../fixtures/netlify.ts';
import { astroBuild, type BuildResult, scratchSite } from './helpers.ts';

// Every page a real build writes carries the Content-Security-Policy, first in its <head>,
// with script-src 'self' + hashes only, and every inline script on it hashed.

const audit = (build: BuildResult) =>
  htmlFiles(join(build.dir, 'dist')).flatMap((file) =>
    auditPage(readFileSync(join(build.dir, 'dist', file), 'utf8')).map((p) => `${file}: ${p}`),
  );

describe('the built site carries its Content-Security-Policy', () => {
  let good: BuildResult;
  let unsafe: BuildResult;
  beforeAll(() => {
    good = astroBuild(
      scratchSite('basic', 'csp-good', {
        // A variables form (no inline onsubmit any more) and an anchored shortlink page.
        'src/content/runbooks/ops/with-vars.md':
          '---\ntitle: With vars\nowner: "@ops-team"\nseverity: P2\nshortlinks: [{ slug: vars-step, anchor: restart }]\nreview:\n  log:\n    - { date: 2026-12-01, reviewer: \"@ana\", change: \"First version\" }\nvars:\n  HOST:\n    description: The host\n---\n\n## Restart\n\n```bash run id=restart-step safety=read-only title="Ping"\necho "$HOST"\n```\n',
      }),
    );
    unsafe = astroBuild(
      scratchSite('basic', 'csp-unsafe', {
        'runbooks.config.yaml': 'allowUnsafeHtml: true\n',
        'src/content/runbooks/ops/scripted.md':
          '---\ntitle: Scripted\nowner: "@ops-team"\nseverity: P2\nreview:\n  log:\n    - { date: 2026-12-01, reviewer: \"@ana\", change: \"First version\" }\n---\n\n<script>document.title = "x"</script>\n',
      }),
    );
  });

  it('builds', () => {
    expect(good.status, good.output).toBe(0);
    expect(unsafe.status, unsafe.output).toBe(0);
  });

  it('every HTML file in dist/ (404, shortlink pages and their flat copies included) passes the audit', () => {
    const files = htmlFiles(join(good.dir, 'dist'));
    expect(files).toEqual(
      expect.arrayContaining([
        '404.html',
        'r/vars-step.html',
        'r/vars-step/index.html',
        'ops/with-vars/index.html',
        'index.html',
      ]),
    );
    expect(audit(good)).toEqual([]);
  });

  it("script-src is 'self', 'wasm-unsafe-eval' and hashes only; handlers and <object> are refused", () => {
    const policy = directives(pagePolicy(readFileSync(join(good.dir, 'dist/ops/with-vars/index.html'), 'utf8'))!);
    expect(policy.get('script-src')!.filter((s) => !/^'sha256-[A-Za-z0-9+/]+=*'$/.test(s))).toEqual([
      "'self'",
      "'wasm-unsafe-eval'",
    ]);
    expect(policy.get('script-src-attr')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
  });

  it('the variables form carries no inline handler', () => {
    expect(readFileSync(join(good.dir, 'dist/ops/with-vars/index.html'), 'utf8')).not.toMatch(/\son[a-z]+=/);
  });

  it("writes _headers with the pages' policy, frame-ancestors and the security headers", () => {
    const headers = readFileSync(join(good.dir, 'dist/_headers'), 'utf8');
    const lines = headers.split('\n');
    expect(lines[1]).toBe('/*');
    const csp = lines.find((l) => l.startsWith('  Content-Security-Policy: '))!;
    for (const file of ['index.html', 'ops/with-vars/index.html', 'r/vars-step.html']) {
      const own = directives(pagePolicy(readFileSync(join(good.dir, 'dist', file), 'utf8'))!);
      const site = directives(csp.slice('  Content-Security-Policy: '.length));
      for (const [name, sources] of own) expect(site.get(name), name).toEqual(expect.arrayContaining(sources));
    }
    expect(csp).toContain("frame-ancestors 'none'");
    // 'unsafe-inline' for style attributes only; nothing unsafe for scripts.
    expect(
      [...directives(csp.slice('  Content-Security-Policy: '.length))]
        .filter(([, s]) => s.some((x) => /^'unsafe-(inline|eval|hashes)'$/.test(x)))
        .map(([n]) => n),
    ).toEqual(['style-src-attr']);
    expect(headers).toContain('  X-Content-Type-Options: nosniff\n');
    expect(headers).toContain('  Referrer-Policy: same-origin\n');
    expect(existsSync(join(good.dir, 'dist/_redirects'))).toBe(true);
  });

  it("Netlify's own parsers read the built _headers and _redirects with no error", async () => {
    const headers = await netlifyHeaders(readFileSync(join(good.dir, 'dist/_headers'), 'utf8'));
    expect(headers.errors).toEqual([]);
    expect(headers.headers[0].for).toBe('/*');
    expect(Object.keys(headers.headers[0].values)).toContain('Content-Security-Policy');
    const redirects = await netlifyRedirects(readFileSync(join(good.dir, 'dist/_redirects'), 'utf8'));
    expect(redirects.errors).toEqual([]);
    expect(redirects.redirects).toContainEqual(
      expect.objectContaining({ from: '/r/vars-step', to: '/ops/with-vars/#restart', status: 301, force: true }),
    );
  });

  it('a raw <script> a trusted repository let through is not among the hashes: the audit names it', () => {
    expect(audit(unsafe)).toEqual([
      expect.stringMatching(
        /^ops\/scripted\/index\.html: an inline <script> \("document\.title = \\"x\\""\) whose hash 'sha256-[^']+' the policy does not list$/,
      ),
    ]);
  });
});
