import { LineCounter, parseDocument } from 'yaml';
import type { Finding, Rule, RuleExample } from '../runbook/rule.ts';
import { CONFIG_FILE, type ProjectConfig } from '../runbook/config.ts';
import { readRepoFile, RepoPathError } from '../runbook/paths.ts';
import { nodeAt } from '../runbook/yaml-node.ts';
import { runbook } from '../runbook/examples.ts';
import { didYouMean } from '../runbook/did-you-mean.ts';
import { loadAlerts } from '../alerts/load.ts';
import type { SeverityLadder } from '../severity/ladder.ts';

type CoverageContext = { root: string; config: ProjectConfig; ladder: SeverityLadder };

/** Where `alerts.paging[i]` is written in runbooks.config.yaml (line 1 when it cannot be placed). */
function pagingPlace(root: string, index: number): { line: number; column: number } {
  const bytes = readRepoFile(root, CONFIG_FILE);
  if (bytes instanceof RepoPathError) return { line: 1, column: 1 };
  const lineCounter = new LineCounter();
  const doc = parseDocument(bytes.toString('utf8'), { lineCounter, prettyErrors: false });
  const at = nodeAt(doc.contents, ['alerts', 'paging', index])?.range?.[0];
  if (at === undefined) return { line: 1, column: 1 };
  const { line, col } = lineCounter.linePos(at);
  return { line, column: col };
}

const pagingExample = (paging: string): RuleExample => ({
  page: runbook(),
  files: { 'runbooks.config.yaml': `alerts:\n  paging: ${paging}\n` },
});

/** Rules about what coverage counts. */
export const coverageRules = [
  {
    id: 'alert-paging-unknown',
    severity: 'error',
    phase: 'facts',
    baseline: false,
    summary:
      "Each severity listed under `alerts.paging` in runbooks.config.yaml is a level of the severity ladder or the severity some alert carries (Prometheus's `critical`, Datadog's `P1`): coverage counts the alerts of those severities as paging, and a misspelt one would silently count none.",
    hint: 'Use the ids of src/content/severity.yaml, e.g. `paging: [SEV-1, SEV-2]`, or the severity labels your alerts carry.',
    bad: pagingExample('[SEV-1, SEV2]'),
    good: pagingExample('[SEV-1, SEV-2]'),
    check: (_all, c): Finding[] => {
      const paging = c.config.alerts.paging ?? [];
      if (paging.length === 0) return [];
      const known = [
        ...c.ladder.levels.map((l) => l.id),
        ...new Set(loadAlerts(c.root, c.config).alerts.flatMap((a) => a.severity ?? [])),
      ];
      return paging.flatMap((id, i) => {
        if (known.includes(id)) return [];
        const guess = didYouMean(id, known);
        return [
          {
            file: CONFIG_FILE,
            ...pagingPlace(c.root, i),
            message: `alerts.paging lists ${JSON.stringify(id)}, which is neither a level of the severity ladder nor the severity of any alert`,
            hint: guess ? `Did you mean ${guess}?` : undefined,
          },
        ];
      });
    },
  },
] as const satisfies readonly Rule<CoverageContext>[];
