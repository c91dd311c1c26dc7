/**
 * Quick-jump ranking, in the browser, over /quickjump.json. What people paste or type
 * at 3 a.m. comes first, in fixed tiers, and only then the words of titles:
 *
 *   100 exact shortlink (`db-down`, `/r/db-down`, `https://host/r/db-down/#step`)
 *    95 exact page path (`/services/database/db-unreachable/`, a pasted page URL)
 *    80 owner (`@db-team`, `db-team`)      75 service      70 alert name
 *    60 shortlink prefix   55 owner prefix   50 service prefix   45 alert prefix
 *    30 words of title, description, shortlinks, services, owner and alert names
 *       (MiniSearch: BM25 with field boosts, prefix on the last word, typo tolerance)
 *
 * Pages found only with a typo tolerated, or (when no page has every word) with some of
 * the words, are returned marked `near`: the dialog lists them after Pagefind's full
 * text, which may have every word as typed in a page's body ("kill sessions" is a step
 * of the database runbook, while only "session" is in the logins runbook's title;
 * "scale down" is no typo of "stale … down" when three runbooks say "scale").
 *
 * A page appears once, at its best tier. Ties: the text score (word matches only), then
 * the most severe level (ladder order), then the title. A pasted anchor is kept.
 */
import MiniSearch from 'minisearch';
import type { QuickjumpIndex, QuickjumpPage } from './format.ts';
import { cutAt, trimEnd } from '../runbook/text.ts';

export type Reason = 'shortlink' | 'external' | 'page' | 'owner' | 'service' | 'alert' | 'text';

export interface Hit {
  page: QuickjumpPage;
  /** Where Enter goes: a site path with the base (and anchor), or an off-site URL for an external shortlink. */
  href: string;
  reason: Reason;
  /** What matched, for the result's second line: `/r/db-down`, `@db-team`, `postgres-main`, `DbDown`. */
  matched?: string;
  tier: number;
  score: number;
  /** Not every word as typed: found with a typo tolerated, or with only some of the words. A guess, not an answer. */
  near?: boolean;
}

export interface Filters {
  service?: string;
  severity?: string;
  /** A kind of page only full text holds (SLO pages): no page of the quick-jump index passes. */
  page?: string;
}

/** What a query names, once pasted URLs and `/r/` prefixes are read. */
export interface ParsedQuery {
  /** The text as typed, trimmed. */
  text: string;
  /** Lower-case, without a leading `@`, for names (owner, service, alert). */
  name: string;
  /** A shortlink slug (or its beginning) the query names. */
  slug?: string;
  /** A site path the query names (with a trailing slash), from a pasted URL or path. */
  path?: string;
  /** A pasted `#anchor`, without the `#`. */
  anchor?: string;
  /** A URL, path, `/r/…` or `#anchor` was pasted: only the slug or path it names counts. */
  pasted: boolean;
}

/** Reads a query: a slug, `/r/slug`, `r/slug`, a path, or a full URL (on any host: only its path counts), each with an optional `#anchor`. */
export function parseQuery(raw: string, basePath = '/'): ParsedQuery {
  const text = raw.trim();
  const out: ParsedQuery = { text, name: text.toLowerCase().replace(/^@/, ''), pasted: false };
  let rest = text;
  if (/^https?:\/\//i.test(rest)) {
    try {
      const url = new URL(rest);
      rest = url.pathname + url.hash;
    } catch {
      return out;
    }
  }
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    const anchor = rest.slice(hash + 1);
    try {
      out.anchor = decodeURIComponent(anchor) || undefined;
    } catch {
      out.anchor = anchor || undefined;
    }
    rest = rest.slice(0, hash);
  }
  const base = trimEnd(basePath, '/');
  if (base && (rest === base || rest.startsWith(`${base}/`))) rest = rest.slice(base.length) || '/';
  const short = /^\/?r\/([^/?#]*)\/?$/i.exec(rest);
  if (short) {
    out.slug = short[1].toLowerCase() || undefined;
  } else if (rest.startsWith('/')) {
    out.path = cutAt(rest, '?').replace(/\/?$/, '/');
  } else if (/^[a-z0-9][a-z0-9-]*\/?$/i.test(rest)) {
    out.slug = rest.replace(/\/$/, '').toLowerCase();
  }
  out.pasted = Boolean(short) || out.path !== undefined || hash >= 0 || /^https?:\/\//i.test(text);
  if (out.pasted) out.name = out.slug ?? '';
  return out;
}

const TIER = {
  shortlink: 100,
  external: 99,
  page: 95,
  owner: 80,
  service: 75,
  alert: 70,
  slugPrefix: 60,
  ownerPrefix: 55,
  servicePrefix: 50,
  alertPrefix: 45,
  text: 30,
} as const;

/** Splits `SchedulerHeartbeatMissing` and `db-down` into words, keeping the whole too. */
function tokenize(text: string): string[] {
  const words = text.split(/[\s\p{P}\p{S}]+/u).filter(Boolean);
  const parts = words.flatMap((w) => {
    const camel = w.split(/(?<=[a-z0-9])(?=[A-Z])/);
    return camel.length > 1 ? [w, ...camel] : [w];
  });
  return parts;
}

export interface Ranker {
  /** `words: false` skips the word index (names and shortlinks only), for before `warm()`. */
  search(query: string, filters?: Filters, limit?: number, options?: { words?: boolean }): Hit[];
  /** Builds the word index now (it is built on the first word search otherwise); true when it was already built. */
  warm(): boolean;
  /** Every service and severity in the index (for the filter menus). */
  services: string[];
  severities: string[];
}

/** Builds the in-memory ranker once per page view (about 20 ms at 1,000 runbooks). */
export function createRanker(index: QuickjumpIndex, basePath = '/'): Ranker {
  const pages = index.pages;
  const base = trimEnd(basePath, '/');
  const sevRank = new Map(index.sev.map((id, i) => [id, i]));
  const severityOf = (p: QuickjumpPage) =>
    Math.min(index.sev.length, ...(p.v ?? []).map((s) => sevRank.get(s) ?? index.sev.length));
  const slugs = new Map<string, { page: QuickjumpPage; target: string }>();
  const paths = new Map<string, QuickjumpPage>();
  for (const page of pages) {
    paths.set(page.u, page);
    for (const l of page.l ?? []) {
      const [slug, target] = typeof l === 'string' ? [l, page.u] : l;
      slugs.set(slug, { page, target });
    }
  }
  // The word index is the one costly part (about 40 ms at 1,000 runbooks on a laptop):
  // built when first needed, so the dialog can show name and shortlink matches before it.
  let built: MiniSearch<{ id: number }> | undefined;
  const words = () => {
    if (built) return built;
    const mini = new MiniSearch<{ id: number; t: string; d: string; l: string; s: string; o: string; a: string }>({
      fields: ['t', 'l', 's', 'o', 'a', 'd'],
      tokenize,
      processTerm: (term) => term.toLowerCase(),
      searchOptions: { boost: { t: 3, l: 2, s: 2, a: 2, o: 1.5, d: 1 } },
    });
    mini.addAll(
      pages.map((p, id) => ({
        id,
        t: p.t,
        d: p.d ?? '',
        s: (p.s ?? []).join(' '),
        o: p.o ?? '',
        a: (p.a ?? []).join(' '),
        l: (p.l ?? []).map((l) => (typeof l === 'string' ? l : l[0])).join(' '),
      })),
    );
    return (built = mini as unknown as MiniSearch<{ id: number }>);
  };
  const href = (target: string, anchor?: string) => {
    if (/^https?:\/\//.test(target)) return target;
    const path = anchor === undefined ? target : `${cutAt(target, '#')}#${encodeURIComponent(anchor)}`;
    return `${base}${path}`;
  };
  const passes = (p: QuickjumpPage, f: Filters) =>
    !f.page && (!f.service || (p.s ?? []).includes(f.service)) && (!f.severity || (p.v ?? []).includes(f.severity));

  function search(query: string, filters: Filters = {}, limit = 10, { words: useWords = true } = {}): Hit[] {
    const q = parseQuery(query, basePath);
    const best = new Map<QuickjumpPage, Hit>();
    const extra: Hit[] = [];
    const offer = (hit: Hit) => {
      if (!passes(hit.page, filters)) return;
      const had = best.get(hit.page);
      if (!had || hit.tier > had.tier || (hit.tier === had.tier && hit.score > had.score)) best.set(hit.page, hit);
    };
    if (q.text === '') {
      if (!filters.service && !filters.severity) return [];
      for (const page of pages) offer({ page, href: href(page.u), reason: 'page', tier: 0, score: 0 });
    }
    // Exact shortlink: the page that owns it, at the pasted anchor, or the slug's own anchor.
    const exact = q.slug !== undefined ? slugs.get(q.slug) : undefined;
    if (exact) {
      const external = /^https?:\/\//.test(exact.target);
      offer({
        page: exact.page,
        href: href(external ? exact.page.u : exact.target, q.anchor),
        reason: 'shortlink',
        matched: `/r/${q.slug}`,
        tier: TIER.shortlink,
        score: 0,
      });
      // An off-site shortlink (the status page) is also offered as itself, just below its page.
      if (external && passes(exact.page, filters))
        extra.push({
          page: exact.page,
          href: exact.target,
          reason: 'external',
          matched: `/r/${q.slug}`,
          tier: TIER.external,
          score: 0,
        });
    }
    if (q.path !== undefined) {
      const page = paths.get(q.path);
      if (page)
        offer({ page, href: href(page.u, q.anchor), reason: 'page', matched: q.path, tier: TIER.page, score: 0 });
    }
    const name = q.name;
    if (name.length > 0) {
      for (const page of pages) {
        const owner = page.o?.toLowerCase().replace(/^@/, '');
        if (owner === name)
          offer({ page, href: href(page.u), reason: 'owner', matched: page.o, tier: TIER.owner, score: 0 });
        else if (owner && name.length >= 2 && owner.startsWith(name))
          offer({ page, href: href(page.u), reason: 'owner', matched: page.o, tier: TIER.ownerPrefix, score: 0 });
        for (const s of page.s ?? []) {
          const lower = s.toLowerCase();
          if (lower === name)
            offer({ page, href: href(page.u), reason: 'service', matched: s, tier: TIER.service, score: 0 });
          else if (name.length >= 2 && lower.startsWith(name))
            offer({ page, href: href(page.u), reason: 'service', matched: s, tier: TIER.servicePrefix, score: 0 });
        }
        for (const a of page.a ?? []) {
          const lower = a.toLowerCase();
          if (lower === name)
            offer({ page, href: href(page.u), reason: 'alert', matched: a, tier: TIER.alert, score: 0 });
          else if (name.length >= 2 && lower.startsWith(name))
            offer({ page, href: href(page.u), reason: 'alert', matched: a, tier: TIER.alertPrefix, score: 0 });
        }
      }
    }
    if (q.slug !== undefined && q.slug.length >= 2) {
      for (const [slug, { page, target }] of slugs) {
        if (slug !== q.slug && slug.startsWith(q.slug))
          offer({
            page,
            href: href(/^https?:\/\//.test(target) ? page.u : target, q.anchor),
            reason: 'shortlink',
            matched: `/r/${slug}`,
            tier: TIER.slugPrefix,
            score: 0,
          });
      }
    }
    // Words: every word must match (the last one as a prefix); a typo is tolerated in
    // longer words when that finds too few; failing all, any word. From two characters on.
    // A pasted `/r/…` or URL is searched by its slug's words, not by `r`, `https` and the host.
    const text = q.pasted ? (q.slug ?? '').replace(/-/g, ' ') : q.text;
    if (useWords && q.path === undefined && text.length >= 2) {
      const mini = words();
      const options = {
        prefix: (_term: string, i: number, terms: string[]) => i === terms.length - 1,
        filter: (r: { id: number }) => passes(pages[r.id], filters),
        combineWith: 'AND' as const,
      };
      let results = mini.search(text, options);
      const exact = new Set(results.map((r) => r.id as number));
      if (results.length + best.size < limit)
        results = mini.search(text, { ...options, fuzzy: (term: string) => (term.length > 4 ? 0.2 : false) });
      if (results.length === 0 && best.size === 0) {
        results = mini.search(text, {
          ...options,
          fuzzy: (term: string) => (term.length > 4 ? 0.2 : false),
          combineWith: 'OR',
        });
      }
      for (const r of results) {
        const page = pages[r.id as number];
        const had = best.get(page);
        if (had) had.score = Math.max(had.score, r.score);
        else
          offer({
            page,
            href: href(page.u),
            reason: 'text',
            tier: TIER.text,
            score: r.score,
            ...(exact.has(r.id as number) ? {} : { near: true }),
          });
      }
    }
    const textTie = (h: Hit) => (h.tier === TIER.text ? h.score : 0);
    const hits = [...best.values(), ...extra].sort(
      (a, b) =>
        b.tier - a.tier ||
        textTie(b) - textTie(a) ||
        severityOf(a.page) - severityOf(b.page) ||
        (a.page.t < b.page.t ? -1 : a.page.t > b.page.t ? 1 : 0),
    );
    return hits.slice(0, limit);
  }

  const services = [...new Set(pages.flatMap((p) => p.s ?? []))].sort();
  const present = new Set(pages.flatMap((p) => p.v ?? []));
  const severities = [
    ...index.sev.filter((s) => present.has(s)),
    ...[...present].filter((s) => !sevRank.has(s)).sort(),
  ];
  const warm = () => {
    const was = built !== undefined;
    words();
    return was;
  };
  return { search, warm, services, severities };
}
