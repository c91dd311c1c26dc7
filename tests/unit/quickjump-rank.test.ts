import { describe, expect, it } from 'vitest';
import type { QuickjumpIndex } from '../../src/plugins/quickjump/format.ts';
import { createRanker, parseQuery } from '../../src/plugins/quickjump/rank.ts';

const index: QuickjumpIndex = {
  v: 1,
  site: 'https://runbooks.example',
  sev: ['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4'],
  pages: [
    {
      t: 'API latency after deploy',
      u: '/services/api/latency/',
      o: '@platform-team',
      s: ['kestrel-api'],
      v: ['SEV-2'],
      l: ['api-slow', ['api-rollback', '/services/api/latency/#mitigate']],
      d: 'When p99 latency jumps right after a deploy of the database client.',
    },
    {
      t: 'Data-layer corruption',
      u: '/services/database/data-corruption/',
      o: '@db-team',
      s: ['postgres-main', 'payments'],
      v: ['SEV-2'],
      l: ['data-corruption'],
    },
    {
      t: 'Database unreachable',
      u: '/services/database/db-unreachable/',
      o: '@db-team',
      s: ['postgres-main', 'kestrel-api'],
      v: ['SEV-1'],
      l: ['db-down', 'pool-exhausted'],
      a: ['PostgresPrimaryUnreachable', 'PgbouncerPoolSaturated'],
    },
    {
      t: 'Communication',
      u: '/handbook/communication/',
      o: '@sre-team',
      l: [['status-page', 'https://status.example/']],
    },
    { t: 'Database backups', u: '/handbook/db-backups/', o: '@sre-team', d: 'Restores, for the db-team on call.' },
    {
      t: 'Payments provider outage',
      u: '/services/payments/provider/',
      o: '@payments-team',
      s: ['payments'],
      v: ['SEV-3'],
      l: ['provider-down'],
    },
  ],
};
const ranker = createRanker(index);
const urls = (q: string, f = {}) => ranker.search(q, f).map((h) => h.href);
const first = (q: string) => ranker.search(q)[0];

describe('parseQuery', () => {
  it('reads slugs, /r/ paths, full URLs with anchors and page paths', () => {
    expect(parseQuery('db-down')).toMatchObject({ slug: 'db-down', pasted: false });
    expect(parseQuery(' /r/db-down/ ')).toMatchObject({ slug: 'db-down', pasted: true });
    expect(parseQuery('r/DB-DOWN')).toMatchObject({ slug: 'db-down' });
    expect(parseQuery('https://runbooks.example/r/db-down/#kill-sessions')).toMatchObject({
      slug: 'db-down',
      anchor: 'kill-sessions',
      pasted: true,
    });
    expect(parseQuery('https://other.host/services/api/latency#verify')).toMatchObject({
      path: '/services/api/latency/',
      anchor: 'verify',
    });
    expect(parseQuery('@db-team')).toMatchObject({ name: 'db-team', pasted: false });
    expect(parseQuery('@db-team').slug).toBeUndefined();
    expect(parseQuery('/docs/r/db-down', '/docs/')).toMatchObject({ slug: 'db-down' });
  });
});

describe('quick-jump ranking', () => {
  it('an exact slug comes first, in any pasted form', () => {
    for (const q of ['db-down', '/r/db-down', 'r/db-down/', 'https://runbooks.example/r/db-down']) {
      expect(first(q)).toMatchObject({ reason: 'shortlink', href: '/services/database/db-unreachable/', tier: 100 });
    }
  });

  it('a pasted full URL keeps its anchor; a slug with its own anchor leads there', () => {
    expect(first('https://runbooks.example/r/db-down/#kill-sessions').href).toBe(
      '/services/database/db-unreachable/#kill-sessions',
    );
    expect(first('api-rollback').href).toBe('/services/api/latency/#mitigate');
    expect(first('https://runbooks.example/r/api-rollback/#verify').href).toBe('/services/api/latency/#verify');
    expect(first('https://staging.host/services/api/latency/#verify')).toMatchObject({
      reason: 'page',
      href: '/services/api/latency/#verify',
    });
  });

  it('an off-site shortlink finds the page that owns it, then the target itself', () => {
    const hits = ranker.search('status-page');
    expect(hits.map((h) => [h.reason, h.href])).toEqual([
      ['shortlink', '/handbook/communication/'],
      ['external', 'https://status.example/'],
    ]);
  });

  it("an owner lists that team's pages first, most severe first", () => {
    const hits = ranker.search('@db-team');
    expect(hits.slice(0, 2).map((h) => [h.reason, h.page.t])).toEqual([
      ['owner', 'Database unreachable'],
      ['owner', 'Data-layer corruption'],
    ]);
    // A page that only mentions the team in its words comes after.
    expect(hits.findIndex((h) => h.page.t === 'Database backups')).toBeGreaterThan(1);
    expect(urls('db-team').slice(0, 2)).toEqual(urls('@db-team').slice(0, 2));
  });

  it('a service lists its pages, ties by severity then title', () => {
    expect(ranker.search('payments').map((h) => [h.reason, h.page.t])).toEqual([
      ['service', 'Data-layer corruption'],
      ['service', 'Payments provider outage'],
    ]);
    expect(ranker.search('postgres-main').map((h) => h.page.t)).toEqual([
      'Database unreachable',
      'Data-layer corruption',
    ]);
  });

  it('an alert name, in any case, and its prefix', () => {
    expect(first('PgbouncerPoolSaturated')).toMatchObject({
      reason: 'alert',
      tier: 70,
      page: { t: 'Database unreachable' },
    });
    expect(first('pgbouncerpoolsaturated').reason).toBe('alert');
    expect(first('PgBouncer')).toMatchObject({ reason: 'alert', tier: 45 });
  });

  it('title words: prefix as you type, a typo tolerated, every word counted', () => {
    expect(first('unreach')).toMatchObject({ reason: 'text', page: { t: 'Database unreachable' } });
    expect(first('corruptoin').page.t).toBe('Data-layer corruption');
    expect(first('payments outage').page.t).toBe('Payments provider outage');
    // A title match outranks a description match.
    const database = ranker.search('database').map((h) => h.page.t);
    expect(database.indexOf('API latency after deploy')).toBeGreaterThan(database.indexOf('Database backups'));
  });

  it('a typo tolerated or only some of the words: marked near (the dialog lists them after full text)', () => {
    const hits = ranker.search('database kill');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.near === true)).toBe(true);
    expect(hits.map((h) => h.page.t)).toContain('Database unreachable');
    expect(first('corruptoin')).toMatchObject({ near: true, page: { t: 'Data-layer corruption' } });
    // Every word as typed (the last one as a prefix), or a name: not near.
    for (const q of ['payments outage', 'unreach', 'database', 'db-down', 'unreachable database', '@db-team'])
      expect(ranker.search(q).filter((h) => h.near)).toEqual([]);
  });

  it('a page filter (SLO pages, which only full text holds) passes no page of the index', () => {
    expect(ranker.search('database', { page: 'SLO' })).toEqual([]);
    expect(ranker.search('', { page: 'SLO' })).toEqual([]);
  });

  it('tiers: exact slug > page path > owner > service > alert > prefixes > words', () => {
    const tiers = [
      'db-down',
      '/services/api/latency/',
      '@db-team',
      'kestrel-api',
      'PgbouncerPoolSaturated',
      'pool-ex',
      '@db',
      'postgres',
      'Pgb',
      'latency',
    ].map((q) => first(q).tier);
    expect(tiers).toEqual([100, 95, 80, 75, 70, 60, 55, 50, 45, 30]);
  });

  it('filters by service and severity, and list pages for a filter alone', () => {
    expect(ranker.search('@db-team', { severity: 'SEV-1' }).map((h) => h.page.t)).toEqual(['Database unreachable']);
    expect(ranker.search('', { service: 'payments' }).map((h) => h.page.t)).toEqual([
      'Data-layer corruption',
      'Payments provider outage',
    ]);
    expect(ranker.search('')).toEqual([]);
    expect(ranker.services).toEqual(['kestrel-api', 'payments', 'postgres-main']);
    expect(ranker.severities).toEqual(['SEV-1', 'SEV-2', 'SEV-3']);
  });

  it('each page once, at its best tier; a limit', () => {
    const hits = ranker.search('db');
    expect(new Set(hits.map((h) => h.page)).size).toBe(hits.length);
    expect(ranker.search('a', {}, 2).length).toBeLessThanOrEqual(2);
  });

  it('without the word index: names and shortlinks only', () => {
    const cold = createRanker(index);
    expect(cold.search('unreach', {}, 10, { words: false })).toEqual([]);
    expect(cold.search('db-down', {}, 10, { words: false })[0].reason).toBe('shortlink');
    expect(cold.warm()).toBe(false);
    expect(cold.warm()).toBe(true);
    expect(cold.search('unreach')[0].page.t).toBe('Database unreachable');
  });

  it('prefixes hrefs with the base path', () => {
    const based = createRanker(index, '/docs/');
    expect(based.search('https://runbooks.example/docs/r/db-down#x')[0].href).toBe(
      '/docs/services/database/db-unreachable/#x',
    );
    expect(based.search('status-page')[1].href).toBe('https://status.example/');
  });

  it('answers fast at 1,000 pages', () => {
    const big: QuickjumpIndex = {
      ...index,
      pages: Array.from({ length: 1000 }, (_, i) => ({
        t: `billing queue latency ${i}`,
        u: `/billing/b-${i}/`,
        o: `@team-${i % 5}`,
        s: ['billing'],
        v: [`SEV-${1 + (i % 4)}`],
        l: [`billing-incident-${i}`],
        d: 'Queue latency replica shard cache token worker pool budget.',
      })),
    };
    const t0 = performance.now();
    const r = createRanker(big);
    expect(r.warm()).toBe(false);
    const built = performance.now() - t0;
    const t1 = performance.now();
    for (const q of ['billing-incident-500', '@team-3', 'billing', 'queue lat', 'latncy', 'b']) r.search(q);
    const each = (performance.now() - t1) / 6;
    // Generous bounds (a shared CI machine); the real numbers come from npm run bench:quickjump.
    expect(built).toBeLessThan(1500);
    expect(each).toBeLessThan(100);
  });
});
