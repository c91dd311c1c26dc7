import type { Rule } from '../runbook/rule.ts';
import type { LadderIds } from '../slos/load.ts';
import { BEGIN, blockIsStale, CODEOWNERS_FILE, END, ownerLines, readCodeowners } from './block.ts';
import { runbook } from '../runbook/examples.ts';

/** Rules about the CODEOWNERS block (only once a repository has one). */
export const codeownersRules = [
  {
    id: 'codeowners-stale',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      "Once `.github/CODEOWNERS` has the block `npx runbook codeowners` writes, it matches every runbook and SLO file's `owner:`, so GitHub asks the owning team to review changes.",
    hint: 'Run `npx runbook fix` (or `npx runbook codeowners`) and commit the file; it rewrites only its own block.',
    bad: {
      page: runbook(),
      files: {
        [CODEOWNERS_FILE]: [
          BEGIN,
          '/src/content/runbooks/api/api-down.md @sre-team',
          '/src/content/slos/api-availability.yaml @platform-team',
          END,
          '',
        ].join('\n'),
      },
    },
    good: {
      page: runbook(),
      files: {
        [CODEOWNERS_FILE]: [
          BEGIN,
          '/src/content/runbooks/api/api-down.md @platform-team',
          '/src/content/slos/api-availability.yaml @platform-team',
          END,
          '',
        ].join('\n'),
      },
    },
    check: (all, { root, ladder, config }) => {
      const current = readCodeowners(root);
      if (current.refused) return [current.refused];
      if (current.begin === undefined) return [];
      if (current.end === undefined)
        return [
          {
            file: CODEOWNERS_FILE,
            line: current.begin,
            column: 1,
            message: 'The runbooks block of CODEOWNERS has no `# END runbooks` line',
          },
        ];
      if (current.extra !== undefined)
        return [
          {
            file: CODEOWNERS_FILE,
            line: current.extra,
            column: 1,
            message:
              'CODEOWNERS has a second runbooks block; the last matching line wins, so it would override the first',
          },
        ];
      const lines = ownerLines(root, all, ladder, { current, teams: config.teams });
      if (!blockIsStale(current, lines)) return [];
      const inFile = new Set(current.text.split('\n').slice(current.begin, current.end - 1));
      const missing = lines.filter((l) => !inFile.has(l)).length;
      const extra = [...inFile].filter((l) => !lines.includes(l)).length;
      return [
        {
          file: CODEOWNERS_FILE,
          line: current.begin,
          column: 1,
          message: `The runbooks block of CODEOWNERS is out of date: ${missing} line${missing === 1 ? '' : 's'} to add or change, ${extra} to remove`,
        },
      ];
    },
  },
] as const satisfies readonly Rule<{ root: string; ladder: LadderIds; config: { teams?: readonly string[] } }>[];
