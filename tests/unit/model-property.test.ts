import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkProject } from '../../src/plugins/check/index.ts';
import { astroAccepts, BODY, CONFIG, LADDER, SLO, variants } from '../fixtures/model/variants.ts';

// The promise of the product: `runbook check` reports no error on a page if and only if
// the build's content layer (Astro's own frontmatter reading, then the collection
// schema) accepts it. Proved over generated frontmatter, one page per variant, checked
// as one site so the cross-page rules run too.

const dir = mkdtempSync(join(tmpdir(), 'runbooks-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
};

const all = variants();
write('src/content/severity.yaml', LADDER);
write('src/content/slos/queue-latency.yaml', SLO);
write('runbooks.config.yaml', CONFIG);
const files = all.map((v, i) => {
  const file = `src/content/runbooks/v/variant-${String(i).padStart(4, '0')}.md`;
  const source = `---\n${v.frontmatter}\n---\n\n${BODY}`;
  write(file, source);
  return { ...v, file, source };
});
const findings = checkProject(dir, { today: new Date('2026-11-23T12:00:00Z') });
const errorsIn = (file: string) => findings.filter((d) => d.file === file && d.severity === 'error');

describe('the one runbook model', () => {
  it('is tried on several hundred deterministic variants', () => {
    expect(all.length).toBeGreaterThan(400);
    expect(new Set(all.map((v) => v.name)).size).toBe(all.length);
    expect(variants().map((v) => v.frontmatter)).toEqual(all.map((v) => v.frontmatter));
  });

  it('the base page is clean and the content layer accepts it', async () => {
    expect(errorsIn(files[0].file)).toEqual([]);
    expect(await astroAccepts(files[0].source)).toBe(true);
  });

  it('check reports no error if and only if the content layer accepts the page', async () => {
    const disagreements: string[] = [];
    let rejected = 0;
    for (const v of files) {
      const accepts = await astroAccepts(v.source);
      const errors = errorsIn(v.file);
      if (!accepts) rejected++;
      // An unquoted impossible date is the one case where the checker is stricter: YAML
      // rolls 2026-02-30 into March 2nd and the schema sees a real date. The check
      // refuses it (and so does the build, whose gate is the check).
      const expected = v.rollsOver ? true : !accepts;
      if (errors.length > 0 !== expected)
        disagreements.push(
          `${v.name}: check ${errors.length ? errors.map((e) => e.ruleId).join(',') : 'clean'}, content layer ${accepts ? 'accepts' : 'rejects'}\n  ${v.frontmatter.replace(/\n/g, '\n  ')}`,
        );
    }
    expect(disagreements.join('\n')).toBe('');
    // Both outcomes occur often enough for the property to mean something.
    expect(rejected).toBeGreaterThan(150);
    expect(files.length - rejected).toBeGreaterThan(100);
  });

  it('puts every error on a line of the frontmatter it is about, with a rule id and a hint', () => {
    for (const v of files) {
      for (const e of errorsIn(v.file)) {
        expect(e.line, `${v.name}: ${e.message}`).toBeGreaterThanOrEqual(1);
        expect(e.line, `${v.name}: ${e.message}`).toBeLessThanOrEqual(v.frontmatter.split('\n').length + 1);
        expect(e.column).toBeGreaterThanOrEqual(1);
        expect(e.ruleId).toMatch(/^[a-z]+(-[a-z]+)*$/);
        expect(e.hint.length).toBeGreaterThan(10);
      }
    }
  });
});
