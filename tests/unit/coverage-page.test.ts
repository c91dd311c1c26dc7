import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';
import { headlineText, percent, teamAnchor, teamAnchors } from '../../src/plugins/coverage/page-text.ts';

// The words of /coverage/ (coverage/page-text.ts): the headline a lead reads first, and
// the team anchors the table links to.

describe('the headline of /coverage/', () => {
  it('says the share and the counts, as the example site reads', () => {
    expect(headlineText({ paging: { total: 5, landed: 5, reviewed: 4 }, headline: 0.8 })).toBe(
      '80% of paging alerts land on a runbook reviewed within its cadence — 4 of 5',
    );
    expect(headlineText({ paging: { total: 0, landed: 0, reviewed: 0 }, headline: null })).toBe(
      'No paging alerts yet: nothing to land on a runbook.',
    );
  });

  it('on 1,000 generated tallies: a whole percent rounded down, 100% only when every alert is covered', () => {
    const random = mulberry32(23);
    for (let i = 0; i < 1000; i++) {
      const total = 1 + Math.floor(random() * 5000);
      const reviewed = random() < 0.1 ? total : Math.floor(random() * (total + 1));
      const share = percent(reviewed / total);
      expect(Number.isInteger(share)).toBe(true);
      // floor(100·r/t) in integers: no float drift makes 29 of 100 read 28%.
      expect(share).toBe(Math.floor((100 * reviewed) / total));
      expect(share === 100).toBe(reviewed === total);
      expect(headlineText({ paging: { total, landed: reviewed, reviewed }, headline: reviewed / total })).toContain(
        `${share}% of paging alerts land on a runbook reviewed within its cadence — ${reviewed} of ${total}`,
      );
    }
  });
});

describe('team anchors', () => {
  it('are ids a URL fragment keeps as written, one per distinct handle', () => {
    expect(teamAnchor('@db-team')).toBe('team-db-team');
    expect(teamAnchor('@org/SRE')).toBe('team-org-sre');
    expect(teamAnchor('@')).toBe('team-unnamed');
    const random = mulberry32(7);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-';
    const seen = new Map<string, string>();
    for (let i = 0; i < 500; i++) {
      const name = Array.from({ length: 1 + Math.floor(random() * 12) }, () =>
        alphabet.charAt(Math.floor(random() * alphabet.length)),
      ).join('');
      const handle = `@${name.replace(/^-+|-+$/g, '') || 'x'}`.replace(/--+/g, '-');
      const anchor = teamAnchor(handle);
      expect(anchor).toMatch(/^team-[a-z0-9]+(-[a-z0-9]+)*$/);
      if (seen.has(anchor)) expect(seen.get(anchor)).toBe(handle);
      seen.set(anchor, handle);
    }
  });

  it('stay distinct when two handles slug alike', () => {
    expect([...teamAnchors(['@org/sre', '@org-sre', '@ORG-sre']).values()]).toEqual([
      'team-org-sre',
      'team-org-sre-2',
      'team-org-sre-3',
    ]);
  });
});
