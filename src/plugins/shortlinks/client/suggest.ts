// The 404 page at an unknown /r/<slug>: the nearest published shortlinks, from
// /shortlinks.json, so a typo (db_down, db-dwon) is one click from the runbook.
// Loaded by site/client/boot.ts only there; without JS the page links to the index.
import { nearest } from '../../runbook/did-you-mean.ts';

const base = import.meta.env.BASE_URL.replace(/\/$/, '');
const raw = location.pathname.slice(base.length).replace(/^\/r\/|\/$/g, '');
// A stray % (a mangled paste) is read as typed, not thrown on.
const typed = (() => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
})();
// What people mistype: case, underscores and spaces for hyphens.
const slug = typed.toLowerCase().replace(/[_\s.]+/g, '-');

const response = await fetch(`${base}/shortlinks.json`).catch(() => undefined);
const data = response?.ok
  ? ((await response.json()) as { shortlinks: { slug: string; title: string }[] })
  : { shortlinks: [] };
const bySlug = new Map(data.shortlinks.map((s) => [s.slug, s]));
const found = [...new Set([...(bySlug.has(slug) ? [slug] : []), ...nearest(slug, [...bySlug.keys()], 3)])];
const content = document.querySelector('.sl-markdown-content');
if (found.length > 0 && content) {
  const box = document.createElement('section');
  box.className = 'rb-suggest';
  box.setAttribute('aria-labelledby', 'rb-suggest-title');
  const title = document.createElement('h2');
  title.id = 'rb-suggest-title';
  title.textContent = `No shortlink /r/${typed}. Did you mean:`;
  const list = document.createElement('ul');
  for (const s of found) {
    const link = document.createElement('a');
    link.href = `${base}/r/${s}/${location.hash}`;
    const code = document.createElement('code');
    code.textContent = `/r/${s}`;
    link.append(code, ' ', bySlug.get(s)!.title);
    const item = document.createElement('li');
    item.append(link);
    list.append(item);
  }
  box.append(title, list);
  content.prepend(box);
}
