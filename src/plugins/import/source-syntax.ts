/**
 * What only one kind of source writes, made the site's: GitLab's `[[_TOC_]]`,
 * repository-root links and heading anchors; Hugo's `ref`/`relref` and `param` shortcodes.
 * Each is one pass over the body's lines outside code fences.
 */
import { REMOVED, replaceLine, targetOf, walkBody, type ConvertOptions, type PageLines } from './page.ts';
import { replaceMdAnchorLinks } from './scan.ts';
import { relativeTo, resolveRelative } from './source.ts';

/** GitLab's heading anchors: lower-case, punctuation dropped, spaces and runs of hyphens as one hyphen. */
export function gitlabSlug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/[\s-]+/g, '-');
}

/**
 * GitLab: `[[_TOC_]]` goes (the site shows each page's contents beside it); links from
 * the repository's root and anchors spelled GitLab's way become the site's.
 */
export function convertGitlab(page: PageLines, headings: readonly { text: string; slug: string }[]): void {
  const { options, changes } = page;
  const bySlug = new Set(headings.map((h) => h.slug));
  const byGitlab = new Map(headings.map((h) => [gitlabSlug(h.text), h.slug]));
  walkBody(page.lines, page.bodyStart, (i) => {
    const before = page.lines[i];
    if (/^\s*\[\[_TOC_\]\]\s*$/.test(before)) {
      changes.push({
        line: i + 1,
        what: "GitLab's [[_TOC_]]: removed (the site shows each page's contents beside it)",
        before,
      });
      page.lines[i] = REMOVED;
      return;
    }
    replaceLine(page, i, gitlabLinks(before, options, bySlug, byGitlab), "a GitLab link or anchor: made the site's");
  });
}

/** One line's GitLab links and anchors, as the site spells them. */
function gitlabLinks(
  line: string,
  options: ConvertOptions,
  bySlug: ReadonlySet<string>,
  byGitlab: ReadonlyMap<string, string>,
): string {
  // An anchor into another page spelled GitLab's way becomes the site's spelling of that heading.
  const anchorIn = (path: string, hash: string) => {
    const anchor = hash.slice(1);
    const theirs = options.headingsOf?.(path) ?? [];
    if (!anchor || theirs.some((h) => h.slug === anchor)) return hash;
    const match = theirs.find((h) => gitlabSlug(h.text) === anchor);
    return match ? `#${match.slug}` : hash;
  };
  // `/docs/x.md` is relative to the repository's root on GitLab.
  let out = line.replace(/(\]\(\s*<?)\/([^)\s>#]+)(#[^)\s>]*)?/g, (whole, open: string, path: string, hash = '') =>
    options.exists?.(path)
      ? `${open}${relativeTo(targetOf(options), options.renamed.get(path) ?? path)}${anchorIn(path, hash)}`
      : whole,
  );
  out = replaceMdAnchorLinks(out, (whole, open, rel, hash) => {
    const path = resolveRelative(options.source, rel);
    return options.exists?.(path) ? `${open}${rel}${anchorIn(path, hash)}` : whole;
  });
  // Same-page anchors as GitLab spells them become the site's.
  return out.replace(/(\]\(\s*)#([^)\s]+)/g, (whole, open: string, anchor: string) =>
    !bySlug.has(anchor) && byGitlab.has(anchor) ? `${open}#${byGitlab.get(anchor)}` : whole,
  );
}

/** Hugo: `ref`/`relref` shortcodes become relative links, `param` shortcodes their value; any other shortcode is reported. */
export function convertHugo(page: PageLines): void {
  const { options, changes } = page;
  walkBody(page.lines, page.bodyStart, (i) => {
    // [x]({{< ref "page.md" >}}) → a relative link to that page.
    let line = page.lines[i].replace(/\{\{[<%]\s*(?:rel)?ref\s+"?([^"\s>%]+)"?\s*[>%]\}\}/g, (whole, ref: string) => {
      const [path, hash = ''] = ref.split('#');
      const target = hugoRef(path, options);
      return target
        ? `${relativeTo(targetOf(options), options.renamed.get(target) ?? target)}${hash ? `#${hash}` : ''}`
        : whole;
    });
    line = line.replace(/\{\{[<%]\s*param\s+"?([\w.]+)"?\s*[>%]\}\}/g, (whole, name: string) => {
      const value = name
        .split('.')
        .reduce<unknown>(
          (v, k) =>
            v && typeof v === 'object'
              ? ((v as Record<string, unknown>)[k] ?? (v as Record<string, unknown>)[k.toLowerCase()])
              : undefined,
          options.params ?? {},
        );
      return typeof value === 'string' || typeof value === 'number' ? String(value) : whole;
    });
    if (/\{\{[<%]/.test(line))
      changes.push({
        line: i + 1,
        what: 'a Hugo shortcode the import cannot convert: it shows as written',
        before: line,
      });
    replaceLine(page, i, line, 'a Hugo shortcode: converted');
  });
}

/** The page a Hugo `ref` names: from the content root (`/x.md`), next to the page, or by a unique file name. */
function hugoRef(ref: string, options: ConvertOptions): string | undefined {
  const pages = options.pages ?? [];
  const clean = ref.replace(/\/$/, '');
  const candidates = [clean.replace(/^\//, ''), resolveRelative(options.source, clean)].flatMap((p) => [
    p,
    `${p}.md`,
    `${p}/_index.md`,
    `${p}/index.md`,
  ]);
  const hit = candidates.find((c) => pages.includes(c));
  if (hit) return hit;
  const named = pages.filter((p) => p.endsWith(`/${clean}`) || p === clean || p.endsWith(`/${clean}.md`));
  return named.length === 1 ? named[0] : undefined;
}
