import { globSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { getLanguageService, type LanguageSettings } from 'yaml-language-server';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  EDITOR_SCHEMAS,
  editorSchema,
  modeline,
  vscodeYamlSchemas,
  type EditorSchema,
} from '../../src/plugins/project/editor-schemas.ts';
import { ConfigError, loadProjectConfig } from '../../src/plugins/runbook/config.ts';
import { LadderError, parseSeverityLadder } from '../../src/plugins/severity/ladder.ts';
import { parseSlo } from '../../src/plugins/slos/load.ts';
import { mulberry32 } from '../../scripts/bench/mulberry32.ts';
import { ROOT } from '../build/helpers.ts';

// The editors' side of the loader: the committed JSON Schemas, applied by the real YAML
// language server (the one VS Code, Neovim, Helix, Zed and JetBrains' YAML plugins run),
// flag what the loader reports, at the same line.

const [CONFIG, LADDER, SLO] = EDITOR_SCHEMAS as [EditorSchema, EditorSchema, EditorSchema];

/** The language server as an editor runs it: schemas read from disk, modelines resolved against the file. */
function languageServer(settings: LanguageSettings = {}) {
  const ls = getLanguageService({
    schemaRequestService: (uri) => Promise.resolve(readFileSync(new URL(uri), 'utf8')),
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).href },
  });
  ls.configure({ validate: true, completion: false, hover: false, format: false, ...settings });
  return ls;
}
const withModelines = languageServer();
let version = 0;

/** The language server's diagnostics for `text` as if it were the file at `path` (from the project root). */
async function diagnose(path: string, text: string, ls = withModelines) {
  const doc = TextDocument.create(pathToFileURL(join(ROOT, path)).href, 'yaml', ++version, text);
  return (await ls.doValidation(doc, false)).map((d) => ({ line: d.range.start.line + 1, message: d.message }));
}

/** Every file a schema covers in this repository. */
const covered = (entry: EditorSchema) => entry.covers.flatMap((glob) => globSync(glob, { cwd: ROOT })).sort();

describe('the committed editor schemas', () => {
  it.each(EDITOR_SCHEMAS.map((e) => [e.file, e]))(
    '%s is what the model generates (npx node scripts/schemas.ts)',
    (file, entry) => {
      expect(JSON.parse(readFileSync(join(ROOT, file), 'utf8'))).toEqual(editorSchema(entry));
    },
  );

  it('are wired for VS Code (.vscode/settings.json yaml.schemas) and, by a modeline, for every other editor', () => {
    const settings = JSON.parse(readFileSync(join(ROOT, '.vscode/settings.json'), 'utf8')) as Record<string, unknown>;
    expect(settings['yaml.schemas']).toEqual(vscodeYamlSchemas());
    for (const entry of EDITOR_SCHEMAS) {
      const files = covered(entry);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files)
        expect(readFileSync(join(ROOT, file), 'utf8').split('\n')[0], file).toBe(modeline(entry, file));
    }
  });

  it('describe what authors write: a setting with a default is optional, a trimmed text needs a non-space', () => {
    const config = editorSchema(CONFIG) as { required?: string[]; properties: Record<string, unknown> };
    expect(config.required).toBeUndefined();
    const slo = editorSchema(SLO) as { required: string[]; properties: { description: { pattern?: string } } };
    expect(slo.required).not.toContain('alerts');
    expect(slo.properties.description.pattern).toBe('\\S');
  });
});

describe('the YAML language server with the schemas', () => {
  it('finds nothing in the example files', async () => {
    for (const entry of EDITOR_SCHEMAS)
      for (const file of covered(entry))
        expect(await diagnose(file, readFileSync(join(ROOT, file), 'utf8')), file).toEqual([]);
  });

  const configText = readFileSync(join(ROOT, 'runbooks.config.yaml'), 'utf8');
  const ladderText = readFileSync(join(ROOT, 'src/content/severity.yaml'), 'utf8');
  const sloText = readFileSync(join(ROOT, 'src/content/slos/api-latency.yaml'), 'utf8');
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  const C = 'runbooks.config.yaml';
  const L = 'src/content/severity.yaml';
  const S = 'src/content/slos/api-latency.yaml';
  const original: Record<string, string> = { [C]: configText, [L]: ladderText, [S]: sloText };
  // Each case: one line of an example file changed (`from` → `to`); the finding is on the changed line.
  it.each([
    ['unknown key', C, '  every: 90', '  evry: 90', /evry is not allowed/],
    ['wrong type', C, '  every: 90', '  every: ninety', /Expected "integer"/],
    ['bad enum', C, 'overdue: warning', 'overdue: fatal', /Valid values: "warning", "error"/],
    ['a mapping as an extra column', L, 'label: Major', 'label: Major\n    escalate: { after: 1h }', /Incorrect type/],
    ['wrong colour', L, 'color: "#f79009"', 'color: orange', /pattern/],
    ['unknown key', S, 'owner:', 'ownr:', /ownr is not allowed/],
    ['wrong type', S, 'objective: 99.0', 'objective: "99"', /Expected "number"/],
    ['bad enum', S, 'source: prometheus', 'source: promethus', /Valid values: "prometheus"/],
  ])('flags %s in %s at its line, as the loader does', async (_kind, file, from, to, message) => {
    const text = original[file].replace(from, to);
    const line = lineOf(text, to.split('\n').at(-1) as string);
    const found = await diagnose(file, text);
    expect(found).toContainEqual({ line, message: expect.stringMatching(message) });
    expect(loaderFindings(file, text).map((d) => d.line)).toContain(line);
  });

  it('explains each setting on hover, in the words of the model', async () => {
    const ls = languageServer({ hover: true });
    const line = lineOf(configText, 'overdue:') - 1;
    const doc = TextDocument.create(pathToFileURL(join(ROOT, C)).href, 'yaml', ++version, configText);
    const hover = await ls.doHover(doc, { line, character: 4 });
    expect(JSON.stringify(hover?.contents)).toContain('How an overdue review is reported.');
  });

  it('applies the schemas by the VS Code globs to a file without a modeline', async () => {
    const byGlobs = languageServer({
      schemas: Object.entries(vscodeYamlSchemas()).map(([uri, fileMatch]) => ({
        uri: pathToFileURL(join(ROOT, uri)).href,
        fileMatch: fileMatch.map((glob) => join(ROOT, glob)),
      })),
    });
    const text = sloText.split('\n').slice(1).join('\n').replace('window: 28d', 'window: 4 weeks');
    expect(await diagnose('src/content/slos/new.yaml', text, byGlobs)).toEqual([
      { line: lineOf(text, '4 weeks'), message: expect.stringMatching(/pattern/) },
    ]);
  });
});

// --- The property: on generated files, the editor flags a document iff the loader does. ---

const tmp = mkdtempSync(join(tmpdir(), 'editor-schemas-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The loader's findings for `text` as the file at `path`: the config through its loader, the ladder and SLOs through theirs. */
function loaderFindings(path: string, text: string) {
  if (path === CONFIG.covers[0]) {
    writeFileSync(join(tmp, 'runbooks.config.yaml'), text);
    try {
      loadProjectConfig(tmp);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.diagnostics;
      throw error;
    }
  }
  if (path === LADDER.covers[0]) {
    try {
      parseSeverityLadder(text, path);
      return [];
    } catch (error) {
      if (error instanceof LadderError) return error.diagnostics;
      throw error;
    }
  }
  // No ladder: which severities exist is the one check JSON Schema leaves to the loader.
  return parseSlo(text, path, 'checkout-availability').diagnostics;
}

type Random = () => number;
const pick = <T>(random: Random, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
/** A valid value most of the time, else one the model refuses in a way JSON Schema can say too. */
const either = <T>(random: Random, good: readonly T[], bad: readonly unknown[]): T | unknown =>
  random() < 0.85 ? pick(random, good) : pick(random, bad);
/** Keeps the keys whose value is not `undefined` (a missing key), plus an unknown one now and then. */
function mapping(random: Random, fields: Record<string, unknown>, unknown: string): Record<string, unknown> {
  const out = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  if (random() < 0.05) out[unknown] = 1;
  return out;
}
const optional = <T>(random: Random, value: () => T): T | undefined => (random() < 0.5 ? value() : undefined);

function generatedConfig(random: Random): Record<string, unknown> {
  return mapping(
    random,
    {
      teams: optional(random, () => either(random, [['@sre-team'], []], ['@sre-team', [1], { a: 1 }])),
      review: optional(random, () =>
        mapping(
          random,
          {
            every: optional(random, () => either(random, [1, 30, 90], [0, -7, 1.5, '90', true])),
            overdue: optional(random, () => either(random, ['warning', 'error'], ['fatal', 'Warning', 1])),
          },
          'evry',
        ),
      ),
      scriptRoots: optional(random, () => either(random, [['ops'], ['ops', 'bin']], ['ops', [null]])),
      shortlinks: optional(random, () =>
        mapping(
          random,
          { allowHosts: optional(random, () => either(random, [['status.kestrel.example']], ['x', [2]])) },
          'allowHost',
        ),
      ),
      repoUrl: optional(random, () => either(random, ['https://git.kestrel.example/ops/'], [3, ['a']])),
      site: optional(random, () =>
        either(random, ['https://runbooks.kestrel.example', 'http://localhost:4321'], ['runbooks.kestrel.example', 7]),
      ),
      maxFileBytes: optional(random, () => either(random, [1000, 2_000_000], [0, 2.5, 'big'])),
      allowUnsafeHtml: optional(random, () => either(random, [false, true], ['no', 0])),
      allowMdxCode: optional(random, () => either(random, [false], ['yes'])),
    },
    'teems',
  );
}

function generatedLevel(random: Random, id: string): Record<string, unknown> {
  return mapping(
    random,
    {
      id: random() < 0.03 ? pick(random, [undefined, '', 1]) : id,
      label: either(random, ['Critical', 'Low'], [undefined, '', ['x']]),
      definition: either(random, ['Customers cannot sign in.'], [undefined, '', 5]),
      examples: optional(random, () =>
        either(random, ['Checkout down', ['Login fails', 'API errors']], [{ a: 1 }, [1]]),
      ),
      response: optional(random, () => either(random, ['5 minutes'], [['5m']])),
      color: optional(random, () => either(random, ['#d92d20', '#fff', '#ABCDEF'], ['red', '#12345', 'd92d20'])),
      updates: optional(random, () => either(random, ['Hourly', 2, true, ['a', 'b']], [{ every: '1h' }, [1], null])),
    },
    // An unknown key is an extra column: only a mapping there is refused.
    'postmortem',
  );
}

function generatedLadder(random: Random): unknown {
  if (random() < 0.03) return pick(random, [{ levels: [] }, { levels: 'SEV-1' }, { rungs: [] }]);
  const count = 1 + Math.floor(random() * 4);
  // Ids differ: a duplicate id is a check JSON Schema cannot express (see below).
  return { levels: Array.from({ length: count }, (_, i) => generatedLevel(random, `SEV-${i + 1}`)) };
}

function generatedSlo(random: Random): Record<string, unknown> {
  const duration = (good: string) => either(random, [good], ['4 weeks', '0d', '1y', 28, '1.5h']);
  const query = (metric: string) => either(random, [`sum(rate(${metric}[{{window}}]))`], ['', '   ', 3]);
  return mapping(
    random,
    {
      service: either(random, ['checkout', 'kestrel-api'], ['Checkout', 'kestrel_api', '-api', undefined]),
      description: either(random, ['Share of checkout requests answered without an error'], ['', '  ', 42, undefined]),
      objective: either(random, [99.9, 99, 50], [100, 0, -1, '99.9', undefined]),
      window: either(random, [duration('28d')], [undefined]),
      indicator: mapping(
        random,
        {
          source: optional(random, () => either(random, ['prometheus'], ['promethus', 'Prometheus', 1])),
          ratio: mapping(random, { good: query('ok_total'), total: query('all_total') }, 'bad'),
          threshold: optional(random, () => either(random, ['300ms', '1.5s'], ['300', 'fast', 0.3])),
          percentile: optional(random, () => either(random, [99, 100, 99.9], [0, 101, '99'])),
        },
        'query',
      ),
      owner: either(random, ['@payments-team', '@kestrel/sre'], ['payments-team', '@', undefined]),
      alerts: optional(random, () =>
        either(
          random,
          [[{ burn_rate: 14.4, long: '1h', short: '5m', severity: 'SEV-1' }]],
          [
            [{ burn_rate: 0, long: '1h', short: '5m', severity: 'SEV-1' }],
            [{ burn_rate: 2, long: '1h', short: '5m' }],
            'none',
          ],
        ),
      ),
    },
    'ownr',
  );
}

describe('the editor flags a generated file iff the loader reports it', () => {
  const cases: [EditorSchema, string, (random: Random) => unknown][] = [
    [CONFIG, 'runbooks.config.yaml', generatedConfig],
    [LADDER, 'src/content/severity.yaml', generatedLadder],
    [SLO, 'src/content/slos/checkout-availability.yaml', generatedSlo],
  ];
  it.each(cases.map(([entry, file, generate]) => [entry.file, entry, file, generate] as const))(
    '%s: 300 files',
    async (_name, entry, file, generate) => {
      const random = mulberry32(20);
      let flagged = 0;
      for (let i = 0; i < 300; i++) {
        const text = `${modeline(entry, file)}\n${stringify(generate(random))}`;
        const editor = (await diagnose(file, text)).length > 0;
        const loader = loaderFindings(file, text).length > 0;
        expect({ text, editor }).toEqual({ text, editor: loader });
        if (loader) flagged++;
      }
      // Both outcomes are well represented, so the property says something.
      expect(flagged).toBeGreaterThan(60);
      expect(flagged).toBeLessThan(240);
    },
    60_000,
  );

  it('leaves to the loader what JSON Schema cannot express', async () => {
    const ladderText = readFileSync(join(ROOT, 'src/content/severity.yaml'), 'utf8');
    const sloText = readFileSync(join(ROOT, 'src/content/slos/api-latency.yaml'), 'utf8');
    const gaps: [string, string][] = [
      // A ladder id used twice (uniqueness of one key across list items).
      [LADDER.covers[0], ladderText.replace('id: SEV-2', 'id: SEV-1')],
      // A short window not shorter than the long one (a comparison of two durations).
      ['src/content/slos/api-latency.yaml', sloText.replace('long: 1h, short: 5m', 'long: 1h, short: 2h')],
      // A Prometheus query without the {{window}} placeholder (depends on the source).
      ['src/content/slos/api-latency.yaml', sloText.replace('[{{window}}]', '[5m]')],
    ];
    for (const [file, text] of gaps) {
      expect(await diagnose(file, text)).toEqual([]);
      expect(loaderFindings(file, text).length).toBeGreaterThan(0);
    }
  });
});
