/**
 * The one reader of run-block meta (runbook/run-meta.ts), which the rules, the page, the
 * catalog, the diff and the CLI all read run blocks through.
 */
import { describe, expect, it } from 'vitest';
import { parseMeta } from '../../src/plugins/runbook/meta.ts';
import { isRunBlock, outputFor, parseTimeout, runMeta } from '../../src/plugins/runbook/run-meta.ts';

describe('runMeta', () => {
  it('reads every key of a run block into its field, strings as written', () => {
    const meta = runMeta(
      parseMeta(
        'run id=drain safety=mutating title="Drain it" db=ORDERS_URL timeout=30 cwd=ops needs=look,plan confirm=drain-now errexit=false test',
      ),
    );
    expect(meta).toEqual({
      id: 'drain',
      safety: 'mutating',
      title: 'Drain it',
      db: 'ORDERS_URL',
      timeout: '30',
      cwd: 'ops',
      needs: ['look', 'plan'],
      emptyNeeds: 0,
      confirm: 'drain-now',
      errexit: 'false',
      interactive: false,
      test: true,
      duplicates: [],
      written: new Set(['id', 'safety', 'title', 'db', 'timeout', 'cwd', 'needs', 'confirm', 'errexit', 'test']),
    });
  });

  it('reads a bare confirm as an empty word, a bare timeout or db as absent but written, and interactive either way', () => {
    const bare = runMeta(parseMeta('run id=x confirm timeout db interactive'));
    expect(bare).toMatchObject({ confirm: '', timeout: undefined, db: undefined, interactive: true });
    expect([...bare.written].sort()).toEqual(['confirm', 'db', 'id', 'interactive', 'timeout']);
    expect(runMeta(parseMeta('run interactive=true')).interactive).toBe(true);
    expect(runMeta(parseMeta('run interactive=false'))).toMatchObject({
      interactive: false,
      written: new Set(['interactive']),
    });
    expect(runMeta(parseMeta('run needs=" a, ,b"')).needs).toEqual(['a', 'b']);
    expect(runMeta(parseMeta('run needs=" a, ,b"')).emptyNeeds).toBe(1);
    expect(runMeta(parseMeta('run needs=,')).emptyNeeds).toBe(2);
    expect(runMeta(parseMeta('run needs=')).emptyNeeds).toBe(0);
    expect(runMeta(parseMeta('run safety=read-only safety=destructive')).duplicates).toEqual(['safety']);
  });

  it('tells run blocks and output targets apart, and reads timeout= as whole seconds up to a day', () => {
    expect(isRunBlock(parseMeta('run id=x'))).toBe(true);
    expect(isRunBlock(parseMeta('title=run'))).toBe(false);
    expect(outputFor(parseMeta('for=drain'))).toBe('drain');
    expect([
      parseTimeout('300'),
      parseTimeout('86400'),
      parseTimeout('86401'),
      parseTimeout('0'),
      parseTimeout('1.5'),
      parseTimeout(''),
      parseTimeout(undefined),
    ]).toEqual([300, 86_400, undefined, undefined, undefined, undefined, undefined]);
  });
});
