/**
 * `/slos.yaml` (and `/slos.json`) held against the official OpenSLO v1 JSON Schema with a
 * JSON Schema validator: the example site's SLOs, and a few hundred generated SLO sets.
 */
import { describe, expect, it } from 'vitest';
import { collectProject } from '../../src/plugins/check/index.ts';
import { loadProject } from '../../src/plugins/project/load.ts';
import { trimBoth } from '../../src/plugins/runbook/text.ts';
import { citationsBySlo, siteOrigin } from '../../src/plugins/slos/citations.ts';
import { loadSlos } from '../../src/plugins/slos/load.ts';
import { annotationPrefix, FALLBACK_ANNOTATION_PREFIX, openSloDocuments } from '../../src/plugins/slos/openslo.ts';
import { toJson, toYamlStream } from '../../src/plugins/slos/serialize.ts';
import { ROOT } from '../build/helpers.ts';
import { yamlDocuments } from '../fixtures/slo/documents.ts';
import { generatedSloSet } from '../fixtures/slo/generated.ts';
import { openSloSchemaValidator } from '../fixtures/slo/openslo-schema.ts';

const validate = openSloSchemaValidator();

/** The documents of `/slos.yaml` as a consumer reads them back, each with the schema's errors. */
function schemaErrors(yaml: string): string[] {
  return yamlDocuments(yaml).flatMap((d, i) => {
    const meta = (d.value as { kind?: string; metadata?: { name?: string } } | null) ?? {};
    return [...d.errors, ...validate(d.value)].map(
      (e) => `document ${i + 1} (${meta.kind} ${meta.metadata?.name}): ${e}`,
    );
  });
}

describe('the official OpenSLO v1 JSON Schema', () => {
  it('rejects what it should (the vendored schema is the real one, wired up)', () => {
    const slo = {
      apiVersion: 'openslo/v1',
      kind: 'SLO',
      metadata: { name: 'a', annotations: { 'runbooks/runbook': 'https://x.example/r/a/' } },
      spec: { service: 'a', indicatorRef: 'a-sli', budgetingMethod: 'Occurrences', objectives: [{ target: 0.99 }] },
    };
    // The key prefix our first /slos.yaml used: a prefix must be a dotted DNS subdomain.
    expect(validate(slo)).toEqual([
      expect.stringMatching(/^\/metadata\/annotations must match pattern /),
      '/metadata/annotations property name must be valid: runbooks/runbook',
    ]);
    expect(validate({ ...slo, metadata: { name: 'a', annotations: { 'x.example/runbook': 'u' } } })).toEqual([]);
    expect(validate({ ...slo, spec: { ...slo.spec, objectives: [{ target: 1 }] } })).not.toEqual([]);
    expect(validate({ ...slo, kind: 'Nope' })).not.toEqual([]);
  });

  it('accepts every document of the example site’s /slos.yaml and /slos.json', () => {
    const project = loadProject(ROOT);
    const facts = collectProject(project);
    const citations = citationsBySlo(facts.map((f) => ({ id: trimBoth(f.url, '/'), data: f.frontmatter.data })));
    const { slos, diagnostics } = loadSlos(ROOT);
    expect(diagnostics).toEqual([]);
    const origin = siteOrigin(project.config.site ?? '');
    expect(origin).toBe('https://runbooks.kestrel.example');
    const docs = openSloDocuments(slos, citations, origin);
    const yaml = toYamlStream(docs, ' example');
    expect(schemaErrors(yaml)).toEqual([]);
    expect(yaml).toContain('runbooks.kestrel.example/runbook: https://runbooks.kestrel.example/r/');
    for (const doc of JSON.parse(toJson(docs)) as unknown[]) expect(validate(doc)).toEqual([]);
    expect(docs.filter((d) => d.kind === 'SLO')).toHaveLength(slos.length);
  });

  it('accepts /slos.yaml of 300 generated SLO sets, whatever the site', () => {
    let documents = 0;
    const prefixes = new Set<string>();
    for (let seed = 0; seed < 300; seed++) {
      const { slos, entries, origin } = generatedSloSet(seed);
      const docs = openSloDocuments(slos, citationsBySlo(entries), origin);
      expect(schemaErrors(toYamlStream(docs, ' generated')), `seed ${seed}`).toEqual([]);
      for (const doc of JSON.parse(toJson(docs)) as unknown[]) expect(validate(doc), `seed ${seed}`).toEqual([]);
      documents += docs.length;
      prefixes.add(annotationPrefix(origin));
    }
    expect(documents).toBeGreaterThan(2000);
    expect([...prefixes].sort()).toEqual([
      'docs.example.com/',
      'runbooks.invalid/',
      'runbooks.kestrel.example/',
      'xn--bcher-kva.example/',
    ]);
  });
});

describe('a service with many SLOs', () => {
  it('lists those that fit in the 1050 characters of a description and counts the rest (it was over)', () => {
    const base = generatedSloSet(1).slos[0];
    const slos = Array.from({ length: 30 }, (_, i) => ({
      ...base,
      service: 'checkout',
      id: `${'a'.repeat(50)}-${String(i).padStart(2, '0')}`,
      owner: `@team-${i % 3}`,
    }));
    const [service] = openSloDocuments(slos, new Map(), '');
    expect(validate(service)).toEqual([]);
    const text = service.spec.description;
    expect(text).toMatch(
      /^SLOs: a{50}-00, a{50}-01, (a{50}-\d\d, )*a{50}-\d\d and \d+ more\. Owner: @team-0, @team-1, @team-2\.$/,
    );
    expect(text.match(/a{50}-\d\d/g)!.length + Number(/ and (\d+) more/.exec(text)![1])).toBe(30);
    expect(service.spec.description.length).toBeLessThanOrEqual(1050);
  });
});

describe('the annotation prefix', () => {
  it('is the site host when it is a DNS name, else the fixed fallback', () => {
    expect(annotationPrefix('https://runbooks.kestrel.example')).toBe('runbooks.kestrel.example/');
    expect(annotationPrefix('https://Docs.Example.com/ops')).toBe('docs.example.com/');
    expect(annotationPrefix('https://bücher.example')).toBe('xn--bcher-kva.example/');
    for (const origin of [
      '',
      'http://localhost:4321',
      'https://runbooks.example:8443',
      'https://10.0.0.7',
      'https://intranet',
      'https://[::1]',
    ])
      expect(annotationPrefix(origin), origin).toBe(FALLBACK_ANNOTATION_PREFIX);
    expect(FALLBACK_ANNOTATION_PREFIX).toBe('runbooks.invalid/');
  });
});
