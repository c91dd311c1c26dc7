import type { Element, ElementContent, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';
import { foldContextSections } from '../../src/plugins/site/context-sections.ts';

const page = (html: string) => fromHtml(html, { fragment: true }).children;
const isEl = (n: RootContent | ElementContent): n is Element => n.type === 'element';
const cls = (n: Element) => n.properties.className ?? [];
/** The headings whose sections were folded, in order. */
const folded = (nodes: RootContent[]) =>
  nodes
    .filter(isEl)
    .filter((n) => cls(n).includes('rb-context'))
    .map((n) => text(n.children[0]));
const text = (n: RootContent | ElementContent): string =>
  n.type === 'text' ? n.value : 'children' in n ? n.children.map(text).join('') : '';
/** The page's text with the fold buttons left out: what a reader can read, in order. */
const reading = (nodes: (RootContent | ElementContent)[]): string =>
  nodes
    .map((n) => (isEl(n) && n.tagName === 'summary' ? '' : 'children' in n ? reading(n.children) : text(n)))
    .join('');

const COMMAND = '<h2>Diagnose</h2><p>Check it.</p><pre><code>kubectl get pods</code></pre>';

describe('context sections before the first command', () => {
  it('folds "When to use this" into a <details> after its heading, with a named Show button', () => {
    const out = foldContextSections(page(`<h2>When to use this</h2><p>When the pool is full.</p>${COMMAND}`))!;
    expect(folded(out)).toEqual(['When to use this']);
    const [wrapper] = out.filter(isEl);
    expect(wrapper.tagName).toBe('div');
    const [heading, details] = wrapper.children.filter(isEl);
    expect(heading.tagName).toBe('h2');
    expect(details.tagName).toBe('details');
    expect(details.properties.open).toBeUndefined();
    const [summary, body] = details.children.filter(isEl);
    expect(summary.tagName).toBe('summary');
    expect(summary.properties.dataPagefindIgnore).toBe('');
    expect(text(summary)).toBe('ShowHide “When to use this”');
    expect(text(body)).toBe('When the pool is full.');
  });

  it('folds the OpenShift shape: Meaning and Impact, then Diagnosis with its commands', () => {
    const out = foldContextSections(
      page(
        '<h2>Meaning</h2><p>The alert fires when…</p><h2>Impact</h2><ul><li>Writes fail.</li></ul>' +
          '<h2>Diagnosis</h2><pre><code>oc get pods</code></pre><h2>Mitigation</h2><p>Restart.</p>',
      ),
    )!;
    expect(folded(out)).toEqual(['Meaning', 'Impact']);
  });

  it('also knows a run block (framed by the runbook plugin) as a command', () => {
    const html = '<h2>Overview</h2><p>Why.</p><h2>Steps</h2><div class="rb-snippet" id="x"><p>framed</p></div>';
    expect(folded(foldContextSections(page(html))!)).toEqual(['Overview']);
  });

  it.each([
    ['no command follows', '<h2>When to use this</h2><p>Read.</p><h2>Notes</h2><p>More.</p>'],
    ['a section named for steps, not context', `<h2>Incident commander</h2><p>Decides.</p>${COMMAND}`],
    ['numbered steps', `<h2>Impact</h2><ol><li>Page security.</li></ol>${COMMAND}`],
    [
      'a checklist',
      `<h2>Summary</h2><ul class="contains-task-list"><li class="task-list-item"><input type="checkbox"> Tick</li></ul>${COMMAND}`,
    ],
    ['a callout', `<h2>Context</h2><aside class="starlight-aside"><p>Do not restart.</p></aside>${COMMAND}`],
    ['a table', `<h2>Impact</h2><table><tr><td>a</td></tr></table>${COMMAND}`],
    ['a command of its own', `<h2>Overview</h2><p>Look:</p><pre><code>ls</code></pre>${COMMAND}`],
    ['a command before the first heading', `<pre><code>ls</code></pre><h2>Overview</h2><p>Why.</p>${COMMAND}`],
    ['an empty section', `<h2>Overview</h2>${COMMAND}`],
    ['no heading at all', '<p>Just text.</p><pre><code>ls</code></pre>'],
  ])('folds nothing when there is %s', (_, html) => {
    expect(foldContextSections(page(html))).toBeUndefined();
  });

  it('stops at the first section that is not context: a later "Impact" stays open', () => {
    const out = foldContextSections(
      page(`<p>Intro stays.</p><h2>When to use this</h2><p>Read.</p>${COMMAND}<h2>Impact</h2><p>Later.</p>`),
    )!;
    expect(folded(out)).toEqual(['When to use this']);
    expect(text(out[0])).toBe('Intro stays.');
  });

  it('on generated pages: keeps every word in order, folds only a leading run of reading before a command', () => {
    const random = mulberry32(22);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const NAMES = ['When to use this', 'Meaning', 'Impact', 'Overview', 'Diagnose', 'Mitigation', 'Scribe', 'Notes'];
    const BLOCKS = [
      '<p>Prose %.</p>',
      '<p>More prose %.</p>',
      '<pre><code>cmd %</code></pre>',
      '<ul><li>Point %.</li></ul>',
      '<blockquote><p>Quote %.</p></blockquote>',
      '<ol><li>Step %.</li></ol>',
      '<pre><code>cmd %</code></pre>',
      '<aside><p>Careful %.</p></aside>',
      '<div class="rb-snippet"><pre><code>run %</code></pre></div>',
    ];
    let foldedPages = 0;
    for (let n = 0; n < 1000; n++) {
      let html = random() < 0.2 ? pick(BLOCKS).replace('%', 'intro') : '';
      const sections = 1 + Math.floor(random() * 5);
      for (let s = 0; s < sections; s++) {
        html += `<h2>${pick(NAMES)}</h2>`;
        const blocks = 1 + Math.floor(random() * 2);
        for (let b = 0; b < blocks; b++) html += pick(BLOCKS).replace('%', `${n}.${s}.${b}`);
      }
      const input = page(html);
      const out = foldContextSections(input);
      if (!out) continue;
      foldedPages++;
      expect(reading(out), html).toBe(reading(input));
      const wrappers = out.filter(isEl).filter((e) => cls(e).includes('rb-context'));
      // A leading run: nothing but the page's opening lines before the folded sections.
      const firstWrapper = out.indexOf(wrappers[0]);
      expect(out.slice(firstWrapper, firstWrapper + wrappers.length)).toEqual(wrappers);
      for (const w of wrappers) {
        expect(['When to use this', 'Meaning', 'Impact', 'Overview']).toContain(text(w.children[0]));
        expect(JSON.stringify(w)).not.toMatch(/"tagName":"(pre|ol|aside)"/);
      }
      expect(JSON.stringify(out.slice(firstWrapper + wrappers.length))).toMatch(/"tagName":"pre"/);
    }
    // Enough pages fold for the invariants to mean something.
    expect(foldedPages).toBeGreaterThan(60);
  });
});
