import { z } from 'astro/zod';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';
import { asText } from '../../src/plugins/runbook/coerce.ts';
import { collectFacts } from '../../src/plugins/runbook/facts.ts';
import { schemaFindings } from '../../src/plugins/runbook/schema-findings.ts';
import { pageSchema } from '../../src/plugins/runbook/schema.ts';

/** The page schema as the site applies it (Astro's content layer), images as plain text. */
const site = pageSchema({ image: () => z.string() as never });

/** A runbook with `scalar` written unquoted as a variable's example (line 8) and as a service (line 10). */
const pageWith = (scalar: string) =>
  [
    '---',
    'title: T',
    'owner: "@ops"',
    'review:',
    '  log: [{ date: 2026-01-01, reviewer: "@ana", change: x }]',
    'vars:',
    '  V:',
    `    example: ${scalar}`,
    'services:',
    `  - ${scalar}`,
    '---',
    '',
    'Body.',
    '',
  ].join('\n');

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const digits = (rnd: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
const two = (rnd: () => number, max: number) => String(Math.floor(rnd() * max)).padStart(2, '0');

/** One plain scalar of the kinds authors write where text is meant: versions, ids, times, flags. */
function scalar(rnd: () => number): string {
  const sign = pick(rnd, ['', '', '', '-', '+']);
  const day = `${2000 + Math.floor(rnd() * 40)}-${two(rnd, 13)}-${two(rnd, 32)}`;
  const time = `${two(rnd, 24)}:${two(rnd, 60)}:${two(rnd, 60)}`;
  switch (Math.floor(rnd() * 12)) {
    case 0:
      return sign + digits(rnd, 1 + Math.floor(rnd() * 20));
    case 1:
      return `${sign}${digits(rnd, 1 + Math.floor(rnd() * 3))}.${digits(rnd, 1 + Math.floor(rnd() * 4))}`;
    case 2:
      return `${digits(rnd, 1)}${pick(rnd, ['e', 'E', '.5e', 'e-'])}${digits(rnd, 1 + Math.floor(rnd() * 2))}`;
    case 3:
      return pick(rnd, ['0x', '0o', '0X']) + pick(rnd, ['1F', '17', '0', 'ff', '10']);
    case 4:
      return pick(rnd, ['true', 'false', 'True', 'FALSE', 'yes', 'no', 'on', 'off', '~', 'null', 'Null']);
    case 5:
      return day;
    case 6:
      return `${day}T${time}${pick(rnd, ['Z', 'Z', '+02:00', '-0500', '', '.0Z', '.5Z', '.123Z', '.000Z'])}`;
    case 7:
      return `${day}${pick(rnd, [' ', 't', '  '])}${time}${pick(rnd, ['', 'Z', ' Z', ' +01:00'])}`;
    case 8:
      return pick(rnd, ['.inf', '-.inf', '.NaN', '.nan', '1_000', '0.0', '-0', '00', '007', '1.', '.5']);
    case 9:
      return `v${digits(rnd, 1)}.${digits(rnd, 1)}`;
    case 10:
      return `${digits(rnd, 1)}.${digits(rnd, 2)}.${digits(rnd, 1)}`;
    default:
      return pick(rnd, ['queue', 'db-1', 'eu-west-1', '12:30', '1:2', '2026-04', '2026-4-1']);
  }
}

/** Whether the check reports the value on `line`, and what the site serves for it. */
function judge(written: string, line: number, served: (data: Record<string, unknown>) => unknown) {
  const facts = collectFacts(pageWith(written), 'src/content/runbooks/t.md', 't.md');
  const findings = schemaFindings(facts).filter((f) => f.line === line);
  const result = site.safeParse(facts.frontmatter.data);
  return {
    accepted: findings.length === 0,
    findings,
    served: result.success ? served(result.data) : undefined,
    read: facts.frontmatter.data,
  };
}

const exampleOf = (d: Record<string, unknown>) => (d.vars as Record<string, { example?: string }>).V.example;
const serviceOf = (d: Record<string, unknown>) => (d.services as string[])[0];

describe('text that YAML read as a date, number or boolean', () => {
  const rnd = mulberry32(20);
  const samples = Array.from({ length: 600 }, () => scalar(rnd));

  it('is accepted exactly when the site would show what was written, and then shows it', () => {
    let accepted = 0;
    let refused = 0;
    for (const written of samples) {
      for (const [line, served] of [
        [8, exampleOf],
        [10, serviceOf],
      ] as const) {
        const j = judge(written, line, served);
        const value = line === 8 ? exampleOf(j.read) : (j.read.services as unknown[])[0];
        expect(j.accepted, `${written}: ${JSON.stringify(j.findings)}`).toBe(j.served === written);
        // The shared conversion is what decides: accepted ⇔ it gives back the text written.
        expect(j.accepted, written).toBe(asText(value) === written);
        if (j.accepted) accepted++;
        else refused++;
      }
    }
    // The generator reaches both sides, in numbers.
    expect(accepted).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(200);
  });

  it('pins the forms the brief names', () => {
    const cases: [string, boolean][] = [
      ['2026-04-18T15:10:00Z', true],
      ['42', true],
      ['true', true],
      ['2026-04-18', true],
      ['1.10', false],
      ['2026-04-18 15:10:00', false],
      ['1e3', false],
      ['0x1F', false],
      ['True', false],
      ['2026-04-18T15:10:00.000Z', false],
    ];
    expect(cases.map(([w]) => [w, judge(w, 8, exampleOf).accepted])).toEqual(cases);
  });

  it('says what YAML read and how to keep the text', () => {
    const [f] = judge('1.10', 8, exampleOf).findings;
    expect(f).toEqual({
      file: 'src/content/runbooks/t.md',
      line: 8,
      column: 14,
      rule: 'frontmatter-type',
      message: '`vars.V.example` is text, but YAML reads unquoted 1.10 as the number 1.1, shown as "1.1"',
      hint: 'Quote it to keep what you wrote: example: "1.10" (`npx runbook fix` does it for you).',
      // What `runbook fix` puts in quotes.
      quote: '1.10',
    });
  });
});
