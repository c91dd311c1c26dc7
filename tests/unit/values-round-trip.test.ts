/** The values round trip's logic (src/plugins/snippets/client/values.ts) with the incident store: what fills, what is kept, what follows a change. */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';
import { memoryStore } from '../fixtures/incident/memory-store.ts';
import { changes, keptNote, toKeep, usable, valid, type Field } from '../../src/plugins/snippets/client/values.ts';
import { clearIncident, keepValue, readIncident, startIncident, type Store } from '../../src/plugins/incident/store.ts';

const memory = memoryStore;

/** What snippets.ts keep() does with a changed field, against a test store. */
function keep(field: Field, store: Store) {
  const value = toKeep(field);
  if (value === undefined) return;
  if (value !== '' && !readIncident(store)) startIncident(undefined, store);
  keepValue(field.name, value, store);
}

describe('values at the block, kept for the incident', () => {
  it('a value is valid when empty, matching its pattern, or one of its choices', () => {
    const minutes = { name: 'OLDER_THAN_MIN', secret: false, pattern: '^[0-9]+$' };
    expect(valid({ ...minutes, value: '' })).toBe(true);
    expect(valid({ ...minutes, value: '15' })).toBe(true);
    expect(valid({ ...minutes, value: '1x' })).toBe(false);
    expect(valid({ name: 'S', secret: false, value: 'active', options: ['active'] })).toBe(true);
    expect(valid({ name: 'S', secret: false, value: 'other', options: ['active'] })).toBe(false);
    expect(valid({ name: 'S', secret: false, value: 'x', pattern: '(' })).toBe(false);
  });

  it('a secret is never kept, an invalid value forgets the kept one, the first value opens an incident', () => {
    const s = memory();
    keep({ name: 'DB_ADMIN_URL', secret: true, value: 'postgres://root:hunter2@db/x' }, s);
    expect(readIncident(s)).toBeUndefined();
    keep({ name: 'OLDER_THAN_MIN', secret: false, value: '15', pattern: '^[0-9]+$' }, s);
    expect(readIncident(s)?.values).toEqual({ OLDER_THAN_MIN: '15' });
    keep({ name: 'OLDER_THAN_MIN', secret: false, value: '15x', pattern: '^[0-9]+$' }, s);
    expect(readIncident(s)?.values).toEqual({});
    keep({ name: 'DB_ADMIN_URL', secret: true, value: 'postgres://root:hunter2@db/x' }, s);
    expect([...s.map.values()].join()).not.toContain('hunter2');
  });

  it('follows storage: only names that changed, and the incident ending empties them', () => {
    expect(changes({ A: '1', B: '2' }, { A: '1', B: '3', C: '4' })).toEqual({ B: '3', C: '4' });
    expect(changes({ A: '1', B: '2' }, {})).toEqual({ A: '', B: '' });
    expect(changes({}, {})).toEqual({});
  });

  it('says where values are kept, in local time', () => {
    expect(keptNote(undefined)).toMatch(/^Typing a value opens an incident/);
    // In UTC and saying so, as the clock and the log page do, whatever the reader's time zone.
    expect(keptNote({ started: Date.parse('2026-12-07T23:04:00Z') })).toContain('started 23:04 UTC,');
  });

  // Hundreds of generated forms and edits: whatever is typed, storage holds exactly the
  // values that fill the commands, never a secret's, never an invalid one.
  it('property: storage holds exactly the usable values, never a secret or invalid one', () => {
    const rand = mulberry32(22);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    const patterns = [undefined, '^[0-9]+$', '^[a-z-]+$', '^postgres://[^/]+/x$'];
    const words = ['', '15', 'x', 'idle', 'postgres://a@b/x', 'secret-sauce', "'; rm -rf /", '7 ', 'active'];
    for (let run = 0; run < 300; run++) {
      const s = memory();
      const fields: Field[] = Array.from({ length: 1 + Math.floor(rand() * 6) }, (_, i) => {
        const enumField = rand() < 0.25;
        return {
          name: `V${i}`,
          secret: rand() < 0.3,
          value: '',
          pattern: enumField ? undefined : pick(patterns),
          options: enumField ? ['idle', 'active'] : undefined,
        };
      });
      for (let edit = 0; edit < 12; edit++) {
        const field = pick(fields);
        field.value = pick(words);
        keep(field, s);
        const kept = readIncident(s)?.values ?? {};
        expect(kept).toEqual(usable(fields.filter((f) => !f.secret)));
        for (const f of fields.filter((f) => f.secret)) expect(kept).not.toHaveProperty(f.name);
        for (const [name, value] of Object.entries(kept))
          expect(valid({ ...fields.find((f) => f.name === name)!, value })).toBe(true);
      }
      // Applying what changed to what was there gives what is there now.
      const before = readIncident(s)?.values ?? {};
      if (rand() < 0.5) clearIncident(s);
      const after = readIncident(s)?.values ?? {};
      const shown = { ...before };
      for (const [name, value] of Object.entries(changes(before, after)))
        if (value === '') delete shown[name];
        else shown[name] = value;
      expect(shown).toEqual(after);
    }
  });
});
