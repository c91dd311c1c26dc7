/**
 * The small project every rule example is checked over (and the builders the rows write
 * their pages with): Kestrel's ladder, one SLO and one rollback script. Each row's `bad`
 * and `good` are files written over it; tests/unit/rule-examples.test.ts checks that the
 * base alone has no finding, `bad` has exactly its rule's, and `good` none. The rule pages
 * (/rules/<id>/) show the examples and name this base.
 */
import type { ExampleFile } from './rule.ts';
import { LADDER_FILE, SLO_DIR } from './paths.ts';

/** Where an example's `page` is written unless it says otherwise. */
export const EXAMPLE_PAGE = 'src/content/runbooks/api/api-down.md';

/** The day the examples are checked on: review dates count from it. */
export const EXAMPLE_TODAY = '2026-11-23';

/** The base project's files. */
export const EXAMPLE_BASE: Readonly<Record<string, ExampleFile>> = {
  [LADDER_FILE]: `levels:
  - { id: SEV-1, label: Critical, definition: Customers cannot use the Kestrel API. }
  - { id: SEV-2, label: Major, definition: The Kestrel API is slow or failing for some customers. }
  - { id: SEV-3, label: Minor, definition: A small part of Kestrel is degraded. }
`,
  [`${SLO_DIR}/api-availability.yaml`]: `service: kestrel-api
description: Share of API requests answered without a server error
objective: 99.9
window: 28d
indicator:
  ratio:
    good: 'sum(rate(http_requests_total{code!~"5.."}[{{window}}]))'
    total: 'sum(rate(http_requests_total[{{window}}]))'
owner: "@platform-team"
`,
  'ops/rollback.sh': { text: '#!/bin/sh\necho "Rolling kestrel-api back to $1"\n', mode: 0o755 },
};

/** What the rule pages say about the base project. */
export const EXAMPLE_BASE_SUMMARY =
  'Each example is checked over a small project: the ladder SEV-1 to SEV-3, the SLO api-availability and an executable ops/rollback.sh.';

/** The example page's title line. */
export const TITLE = 'title: API down';
/** The example page's owner line. */
export const OWNER = 'owner: "@platform-team"';
/** The example page's review: one log entry, recent on {@link EXAMPLE_TODAY}. */
export const REVIEW = ['review:', '  log:', '    - { date: 2026-10-01, reviewer: "@ana", change: "First version" }'];
/** The example page's body unless it says otherwise. */
export const BODY = '## Check\n\nCompare the error rate with the last deploy.\n';

/** A page of these frontmatter lines and this body. */
export const page = (fields: readonly string[], body = BODY) => ['---', ...fields, '---', '', body].join('\n');

/** A runbook page: a title, an owner and a review, then `extra` frontmatter lines, then `body`. */
export const runbook = (extra: readonly string[] = [], body = BODY) => page([TITLE, OWNER, ...REVIEW, ...extra], body);

/** A fenced run block. */
export const runBlock = (meta: string, code: string, lang = 'bash') => `\`\`\`${lang} run ${meta}\n${code}\n\`\`\`\n`;

/** An example of one runbook page: `extra` frontmatter lines, then a "Check" section with these run blocks. */
export const withBlocks = (extra: readonly string[], ...blocks: string[]) => ({
  page: runbook(extra, `## Check\n\n${blocks.join('\n')}`),
});
