import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { astroBuild, ROOT, scratchSite } from './helpers.ts';

/** A fixture with one finding of many kinds, so both paths have plenty to agree on. */
const broken = {
  'src/content/runbooks/ops/broken.md': [
    '---',
    'title: Broken on purpose',
    'owner: [a, b]',
    'severity: P9',
    'shortlinks: [queue-stuck, Bad/Slug]',
    'slos: [nope]',
    'severty: P1',
    'review:',
    '  log:',
    '    - { date: 2099-01-01, reviewer: "@a", change: "Future" }',
    '---',
    '',
    'See [missing](/ops/missing/) and [anchor](#nowhere).',
    '',
    '```bash run id=Bad_Id',
    'ops/missing.sh "$UNDECLARED"',
    '```',
    '',
  ].join('\n'),
  // What broke builds that the check called clean: a timestamp where text is expected,
  // a non-runbook page whose owner is no handle, and an image that is not there.
  'src/content/runbooks/ops/incident-response.md': [
    '---',
    'title: Incident response',
    'runbook: false',
    'owner: db team',
    'vars: { RESOLVED_AT: { example: 2026-04-18T15:10:00Z } }',
    '---',
    '',
    '![Quota screen](helpers/screenshots/quota-increase.png)',
    '',
  ].join('\n'),
};

/** `file:line:col  severity  message  rule` lines of the pretty report, each with the `hint:` line under it. */
const findings = (text: string) => {
  const lines = text.split('\n');
  return lines.flatMap((l, i) => {
    const m = /^\s+(\S+:\d+:\d+)\s+(error|warning)\s+(.+?)\s+([a-z-]+)$/.exec(l);
    const hint = /^\s+hint: (.*)$/.exec(lines[i + 1] ?? '');
    return m ? [[m[1], m[2], m[3], m[4], hint?.[1] ?? '(no hint line)'].join(' | ')] : [];
  });
};

describe('the build and `runbook check` agree', () => {
  it('report identical findings for the same fixture site', () => {
    const dir = scratchSite('basic', 'parity', broken);
    const build = astroBuild(dir);
    expect(build.status).not.toBe(0);
    const cli = spawnSync(process.execPath, [join(ROOT, 'scripts/runbook.ts'), 'check', '--format', 'json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(cli.status).toBe(1);
    const json = JSON.parse(cli.stdout) as {
      diagnostics: {
        file: string;
        line: number;
        column: number;
        severity: string;
        message: string;
        ruleId: string;
        hint: string;
      }[];
    };
    const fromCli = json.diagnostics.map((d) =>
      [`${d.file}:${d.line}:${d.column}`, d.severity, d.message, d.ruleId, d.hint].join(' | '),
    );
    const fromBuild = findings(build.output);
    expect(fromCli.length).toBeGreaterThanOrEqual(10);
    expect(fromBuild).toEqual(fromCli);
  });
});
