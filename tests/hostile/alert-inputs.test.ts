/**
 * Alert files as a hostile repository or a messy export writes them: long Datadog messages,
 * pathological link syntax, deep nesting. Each is read in time, as alerts or findings.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { messageLinks } from '../../src/plugins/alerts/datadog.ts';
import { loadAlerts } from '../../src/plugins/alerts/load.ts';
import { project, removeProjects } from '../fixtures/check-project.ts';

afterAll(removeProjects);

/** Milliseconds `f` takes. */
const timed = (f: () => void) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

describe('Datadog messages of pathological link syntax', () => {
  it('trims the punctuation after a link in linear time: 400,000 dots inside or after a URL (quadratic: minutes)', () => {
    const dots = '.'.repeat(400_000);
    let links: ReturnType<typeof messageLinks> = [];
    expect(timed(() => (links = messageLinks(`https://a${dots}x`)))).toBeLessThan(3_000);
    expect(links.map((l) => l.url.length)).toEqual([400_010]);
    expect(timed(() => (links = messageLinks(`see https://rb.example/r/q${dots}`)))).toBeLessThan(3_000);
    expect(links.map((l) => l.url)).toEqual(['https://rb.example/r/q']);
    expect(messageLinks('https://rb.example/r/q-stuck.*_~!?;:, then')[0].url).toBe('https://rb.example/r/q-stuck');
  });
});

describe('alert globs that lead out of the repository', () => {
  it('an absolute match (a brace slips past the settings) is refused at the door with a finding, never dropped silently', () => {
    const outside = mkdtempSync(join(tmpdir(), 'alerts-outside-'));
    const dir = project({ 'alerts/ok.yaml': 'groups: []\n' });
    try {
      writeFileSync(join(outside, 'stolen.yaml'), 'groups: [{ name: g, rules: [{ alert: Stolen, expr: up }] }]\n');
      const read = loadAlerts(dir, { alerts: { files: [`{${outside},alerts}/*.yaml`] } });
      expect(read.alerts).toEqual([]);
      expect(read.diagnostics.map((d) => [d.ruleId, d.message.includes('leads outside the repository')])).toEqual([
        ['path-outside-repo', true],
      ]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
