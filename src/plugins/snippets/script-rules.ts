import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import type { Place, RunbookFacts } from '../runbook/facts.ts';
import { nearestScript, resolveRepoPath, scriptUses } from './scripts.ts';
import { placeInBlock, runBlocks } from '../runbook/page.ts';
import { type Finding, type Rule } from '../runbook/rule.ts';
import { runBlock, withBlocks } from '../runbook/examples.ts';

/** A reference to a repository script from a run block or a `::script{path=…}` directive. */
interface ScriptRef extends Place {
  f: RunbookFacts;
  path: string;
  invoked: boolean;
}

const refCache = new WeakMap<readonly RunbookFacts[], ScriptRef[]>();

/** What the script rules read: the repository and where its scripts live. */
export interface ScriptContext {
  root: string;
  config: { scriptRoots: string[] };
}

/** The references to scripts a run block invokes directly that lack their executable bit. */
function unexecutable(all: readonly RunbookFacts[], context: ScriptContext): ScriptRef[] {
  return refs(all, context).filter((r) => {
    if (!r.invoked) return false;
    const { status, absolute } = resolveRepoPath(context.root, r.path);
    if (status !== 'ok' || statSync(absolute).isDirectory()) return false;
    try {
      accessSync(absolute, constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
}

/** The fix for script-not-executable: the scripts (paths from the root, each once, sorted) that run blocks invoke and that lack the executable bit. */
export const unexecutableScripts = (all: readonly RunbookFacts[], context: ScriptContext): string[] =>
  [...new Set(unexecutable(all, context).map((r) => r.path))].sort();

/** Sets the executable bit of the script at `path` (from the root) as `chmod +x` does: execute wherever read is allowed. */
export function makeExecutable(root: string, path: string): void {
  const { status, absolute } = resolveRepoPath(root, path);
  if (status !== 'ok') return; // Only a file inside the repository is ever changed.
  const mode = statSync(absolute).mode & 0o777;
  chmodSync(absolute, mode | ((mode & 0o444) >> 2));
}

/** Every script reference of the site, found once and shared by the three script rules. */
function refs(all: readonly RunbookFacts[], context: ScriptContext): ScriptRef[] {
  const cached = refCache.get(all);
  if (cached) return cached;
  const out: ScriptRef[] = [];
  refCache.set(all, out);
  for (const f of all) {
    for (const block of runBlocks(f)) {
      for (const use of scriptUses(block.value, context.config.scriptRoots)) {
        out.push({ f, path: use.path, invoked: use.invoked, ...placeInBlock(block, use.offset) });
      }
    }
    for (const d of f.directives) {
      if (d.name === 'script')
        out.push({ f, path: d.attributes.path ?? '', invoked: false, line: d.line, column: d.column });
    }
  }
  return out;
}

const finding = (r: ScriptRef, message: string, hint?: string): Finding => ({
  file: r.f.file,
  line: r.line,
  column: r.column,
  message,
  hint,
});

/** Rules about the repository scripts runbooks run: they exist, stay inside the repo, and can run. */
export const scriptRules = [
  {
    id: 'script-outside-repo',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      'Scripts a runbook runs live inside this repository, where review sees them: no `..`, no absolute path, no symlink out.',
    hint: 'Move the script under ops/, bin/ or scripts/ in this repository and reference it there.',
    bad: withBlocks([], runBlock('id=roll-back safety=mutating', 'ops/../../tmp/rollback.sh v41')),
    good: withBlocks([], runBlock('id=roll-back safety=mutating', 'ops/rollback.sh v41')),
    check: (all, context) =>
      refs(all, context)
        .filter((r) => r.path && resolveRepoPath(context.root, r.path).status === 'outside')
        .map((r) => finding(r, `Script ${r.path} resolves outside the repository`)),
  },
  {
    id: 'script-missing',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary: 'Every script a runbook runs or names exists, so the command works when someone pastes it.',
    hint: 'Fix the path, or add the script to the repository.',
    bad: withBlocks([], runBlock('id=roll-back safety=mutating', 'ops/rolback.sh v41')),
    good: withBlocks([], runBlock('id=roll-back safety=mutating', 'ops/rollback.sh v41')),
    check: (all, context) => {
      const listed = new Map<string, Set<string>>();
      return refs(all, context).flatMap((r) => {
        if (!r.path) return [finding(r, '`::script` needs a `path` attribute', 'Write `::script{path=ops/name.sh}`.')];
        if (resolveRepoPath(context.root, r.path).status !== 'missing') return [];
        const guess = nearestScript(context.root, r.path, context.config.scriptRoots, listed);
        return [
          finding(
            r,
            `Script ${r.path} does not exist`,
            guess ? `Did you mean ${guess}? Fix the path, or add the script to the repository.` : undefined,
          ),
        ];
      });
    },
  },
  {
    id: 'script-not-executable',
    severity: 'error',
    phase: 'facts',
    baseline: true,
    summary:
      'A script a run block invokes directly has its executable bit, or the command fails with "Permission denied".',
    hint: 'Run `npx runbook fix` (or `chmod +x <script>`) and commit the mode change (git keeps it).',
    bad: {
      ...withBlocks([], runBlock('id=roll-back safety=mutating', 'ops/rollback.sh v41')),
      files: { 'ops/rollback.sh': { text: '#!/bin/sh\necho "Rolling kestrel-api back to $1"\n', mode: 0o644 } },
    },
    good: withBlocks([], runBlock('id=roll-back safety=mutating', 'ops/rollback.sh v41')),
    check: (all, context) =>
      unexecutable(all, context).map((r) =>
        finding(
          r,
          `Script ${r.path} is not executable`,
          `Run \`npx runbook fix\` (or \`chmod +x ${r.path}\`) and commit the change.`,
        ),
      ),
  },
] as const satisfies readonly Rule<ScriptContext>[];
