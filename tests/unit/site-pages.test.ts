import { describe, expect, it } from 'vitest';
import { sitePages } from '../../src/plugins/runbook/page.ts';
import { folderAnchor } from '../../src/plugins/catalog/folders.ts';

describe('what the site publishes', () => {
  it('leaves drafts out, so no catalog, quick-jump index or shortlink lists a page that is not built', () => {
    const pages = sitePages([
      { filePath: 'src/content/runbooks/ops/live.md', data: { title: 'Live' } },
      { filePath: 'src/content/runbooks/ops/wip.md', data: { title: 'Work in progress', draft: true } },
    ]);
    expect(pages.map((p) => p.url)).toEqual(['/ops/live/']);
  });

  it('anchors each folder on /runbooks/ by its path, so hyphens never merge two folders', () => {
    expect(folderAnchor('/zz-attack/on-call/page/')).toBe('zz-attack/on-call');
    expect(folderAnchor('/zz-attack-on/call/page/')).toBe('zz-attack-on/call');
    expect(folderAnchor('/page/')).toBe('top');
  });
});
