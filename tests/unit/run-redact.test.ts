/** The pieces `runbook run` relies on: streaming redaction and the process wrapper. */
import { describe, expect, it } from 'vitest';
import { MASK, redact, Redactor } from '../../src/plugins/run/redact.ts';
import { spawnProcess } from '../../src/plugins/run/spawn.ts';

describe('Redactor', () => {
  const secret = 'pa55-w0rd-XYZ';
  const text = `a ${secret} b ${secret}${secret} c pa55 end`;

  it('masks a secret split across chunks at every possible point', () => {
    for (let cut = 0; cut <= text.length; cut++) {
      for (let cut2 = cut; cut2 <= text.length; cut2 += 3) {
        const r = new Redactor([secret]);
        const out = r.push(text.slice(0, cut)) + r.push(text.slice(cut, cut2)) + r.push(text.slice(cut2)) + r.end();
        expect(out).toBe(`a ${MASK} b ${MASK}${MASK} c pa55 end`);
      }
    }
  });

  it('masks one character at a time, and holds back only what could start a secret', () => {
    const r = new Redactor([secret]);
    let out = '';
    for (const c of text) out += r.push(c);
    expect(out + r.end()).toBe(redact(text, [secret]));
    expect(new Redactor([secret]).push('nothing to hold ')).toBe('nothing to hold ');
  });

  it('masks a secret whole when another secret is its start (a cut form), and one that ends a chunk, at every cut', () => {
    const long = `sk_live_${'A'.repeat(20)}${'B'.repeat(20)}${'C'.repeat(20)}END`;
    const secrets = [long, long.slice(0, 30), 'Tail', 'NDzz'];
    const input = `x ${long} y ${long.slice(0, 30)} z Tail ${long}`;
    const want = `x ${MASK} y ${MASK} z ${MASK} ${MASK}`;
    for (let cut = 0; cut <= input.length; cut++) {
      const r = new Redactor(secrets);
      const out = r.push(input.slice(0, cut)) + r.push(input.slice(cut)) + r.end();
      expect(out, `cut at ${cut}`).toBe(want);
      expect(out).not.toMatch(/[ABC]{5}/);
    }
  });

  it('masks the longer of two overlapping secrets whole, and ignores empty values', () => {
    expect(redact('key=abcdef', ['abc', 'abcdef', ''])).toBe(`key=${MASK}`);
    expect(new Redactor(['']).push('same')).toBe('same');
  });
});

describe('spawnProcess', () => {
  it('passes arguments as data, without a shell', async () => {
    const r = await spawnProcess('printf', ['%s|', '$(echo hi)', '; ls', '`id`'], { cwd: '/' });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('$(echo hi)|; ls|`id`|');
  });

  it('reports 127 for a program that does not exist, and 128+n for a signal', async () => {
    expect((await spawnProcess('no-such-program-here', [], { cwd: '/' })).exitCode).toBe(127);
    expect((await spawnProcess('bash', ['-c', 'kill -TERM $$'], { cwd: '/' })).exitCode).toBe(143);
  });
});
