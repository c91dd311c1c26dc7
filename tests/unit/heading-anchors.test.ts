import { describe, expect, it } from 'vitest';
import { headingAnchors } from '../../src/plugins/runbook/anchors.ts';
import { collectFacts } from '../../src/plugins/runbook/facts.ts';
import { pageAnchors } from '../../src/plugins/runbook/page.ts';
import { resolveTarget, toRunbook } from '../../src/plugins/run/runbooks.ts';

const source = [
  '---',
  'title: Roll back',
  'owner: "@ops-team"',
  'shortlinks: [{ slug: rollback-step, anchor: rollback }, { slug: rollback-section, anchor: rollback-1 }]',
  '---',
  '',
  '## Rollback',
  '',
  '```bash run id=rollback safety=mutating',
  'echo back',
  '```',
  '',
  '## Rollback',
  '',
  '## Verify',
  '',
].join('\n');

describe('heading anchors next to run block ids', () => {
  it('the block keeps its id; headings take the next free slug, in page order', () => {
    const a = headingAnchors(['rollback', 'drain-1']);
    expect(['Intro', 'Rollback', 'Rollback', 'Drain', 'Drain', 'Verify'].map((t) => a.slug(t))).toEqual([
      'intro',
      'rollback-1',
      'rollback-2',
      'drain',
      'drain-2',
      'verify',
    ]);
  });

  it('says when it first differs from Astro slugging the headings alone', () => {
    const a = headingAnchors(['verify']);
    expect([a.slug('Check'), a.differs(), a.slug('Verify'), a.differs(), a.slug('Check'), a.differs()]).toEqual([
      'check',
      false,
      'verify-1',
      true,
      'check-1',
      true,
    ]);
  });

  it('the page offers both anchors to the link rules', () => {
    const f = collectFacts(source, 'src/content/runbooks/ops/rollback.md', 'ops/rollback.md');
    expect(f.headings.map((h) => h.slug)).toEqual(['rollback-1', 'rollback-2', 'verify']);
    expect([...pageAnchors(f)].sort()).toEqual(['_top', 'rollback', 'rollback-1', 'rollback-2', 'verify']);
  });

  it('`runbook run` names the block by #rollback, and the heading shortlink its section', () => {
    const runbook = toRunbook(collectFacts(source, 'src/content/runbooks/ops/rollback.md', 'ops/rollback.md'));
    const byId = resolveTarget([runbook], 'rollback-step#rollback', '/nowhere');
    expect('block' in byId && byId.block?.id).toBe('rollback');
    const byBlockLink = resolveTarget([runbook], 'rollback-step', '/nowhere');
    expect('block' in byBlockLink && byBlockLink.block?.id).toBe('rollback');
    const bySection = resolveTarget([runbook], 'rollback-section', '/nowhere');
    expect('section' in bySection && bySection.section?.slug).toBe('rollback-1');
    expect('section' in bySection && bySection.section?.blocks.map((b) => b.id)).toEqual(['rollback']);
  });
});
