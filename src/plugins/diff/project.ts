/**
 * What `runbook diff` compares: a snapshot of one side of a change (runbooks, their
 * metadata and run blocks, shortlinks, SLO files, findings), read with the validation
 * core, and the difference between two snapshots.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { scriptUses } from '../snippets/scripts.ts';
import { type Diagnostic } from '../runbook/diagnostic.ts';
import { checkFacts, collectProject } from '../check/index.ts';
import { diagnosticsOf } from '../check/rules.ts';
import { CONTENT_DIR, SLO_DIR, readRepoFile, RepoPathError } from '../runbook/paths.ts';
import { ladderOf, type Project } from '../project/load.ts';
import { type RunbookFacts } from '../runbook/facts.ts';
import { LockError, readLock } from '../shortlinks/lock.ts';
import { runBlocks, pageInfo } from '../runbook/page.ts';
import { runMeta } from '../runbook/run-meta.ts';
import { asList, asString } from '../runbook/coerce.ts';
import { publishedShortlinks, type PublishedShortlink } from '../shortlinks/publish.ts';
import { loadSlos } from '../slos/load.ts';
import { trimEnd } from '../runbook/text.ts';
import {
  coverageChange,
  coverageSide,
  dropFindings,
  type CoverageChange,
  type CoverageSide,
} from '../coverage/change.ts';

/** A run block as the diff sees it. */
export interface BlockInfo {
  id: string;
  safety: string | null;
  confirm: string | null;
}

/** One runbook's reviewable metadata. */
export interface RunbookInfo {
  file: string;
  title: string;
  owner: string | null;
  severity: string[];
  services: string[];
  slos: string[];
  /** `who (note)` per step. */
  escalation: string[];
  /** Declared `review.every` in days (null: the config's default applies). */
  reviewEvery: number | null;
  reviewLog: ReviewEntry[];
  blocks: BlockInfo[];
  /** The body by section: heading (or `(top of the page)`) → a hash of its lines. */
  sections: Map<string, string>;
  /** Run block id → a hash of its text. */
  blockText: Map<string, string>;
  /** Link and image targets of the body, one per occurrence. */
  links: string[];
  /** `vars:` as written (canonical JSON): patterns, enums and secrecy decide what runs. */
  vars: string;
  description: string;
  /** Repository scripts the run blocks call → a hash of their content (`(missing)` when absent). */
  scripts: Map<string, string>;
}

export interface ReviewEntry {
  date: string;
  reviewer: string;
  change: string;
}

/** One SLO file: objective and window are null when the file does not validate. */
export interface SloInfo {
  id: string;
  file: string;
  objective: number | null;
  window: string | null;
}

/** One side of the comparison. */
export interface Snapshot {
  runbooks: Map<string, RunbookInfo>;
  shortlinks: Map<string, PublishedShortlink>;
  /** The slugs of `shortlinks.lock`, or undefined without a lock file. */
  lock: Set<string> | undefined;
  slos: Map<string, SloInfo>;
  diagnostics: Diagnostic[];
  /** Coverage of this revision: its alerts and SLOs as its check reads them. */
  coverage: CoverageSide;
}

/** A frontmatter value as the diff shows it: a date as YYYY-MM-DD, anything else as text. */
const text = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : asString(v));

function escalationSteps(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.map((step) => {
    if (!step || typeof step !== 'object') return text(step);
    const { who, note } = step as { who?: unknown; note?: unknown };
    return note ? `${text(who)} (${text(note)})` : text(who);
  });
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * The body of a page by section: each heading's lines up to the next heading, keyed by
 * the heading as written (`## Restore`; a repeated heading gets ` (2)`), and what comes
 * before the first heading as `(top of the page)`. Trailing spaces and blank lines at a
 * section's end do not count as a change.
 */
function bodySections(root: string, f: RunbookFacts): Map<string, string> {
  let lines: string[];
  try {
    const bytes = readRepoFile(root, f.file);
    if (bytes instanceof Error) throw bytes;
    lines = bytes.toString('utf8').split(/\r?\n/);
    // (a CRLF-only conversion is no change)
  } catch {
    return new Map();
  }
  const start = f.frontmatter.lineCount;
  const heads = f.headings.filter((h) => h.line > start).sort((a, b) => a.line - b.line);
  const out = new Map<string, string>();
  const add = (key: string, from: number, to: number) => {
    // Only the line ending is ignored: trailing spaces can be content (`echo \\ ` breaks a continuation).
    const text = trimEnd(lines.slice(from, to).join('\n'), '\n');
    let name = key;
    for (let n = 2; out.has(name); n++) name = `${key} (${n})`;
    if (text.trim() !== '' || key !== '(top of the page)') out.set(name, hash(text));
  };
  add('(top of the page)', start, (heads[0]?.line ?? lines.length + 1) - 1);
  heads.forEach((h, i) =>
    add(`${'#'.repeat(h.depth)} ${h.text}`, h.line - 1, (heads[i + 1]?.line ?? lines.length + 1) - 1),
  );
  return out;
}

/** Canonical JSON: object keys sorted, so reordering keys is no change. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  ) ?? '';

/** The scripts a page's run blocks call, with a hash of each file's content. */
function scriptHashes(root: string, f: RunbookFacts, roots: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const b of runBlocks(f)) {
    for (const use of scriptUses(b.value, roots)) {
      const path = use.path.replace(/^\.\//, '');
      if (out.has(path)) continue;
      const bytes = readRepoFile(root, path);
      out.set(path, bytes instanceof Error ? '(missing)' : hash(bytes.toString('utf8')));
    }
  }
  return out;
}

function runbookInfo(root: string, f: RunbookFacts, roots: readonly string[]): RunbookInfo {
  const data = f.frontmatter.data;
  const review = (data.review && typeof data.review === 'object' ? data.review : {}) as {
    every?: unknown;
    log?: unknown;
  };
  const log = Array.isArray(review.log) ? review.log : [];
  return {
    file: f.file,
    title: text(data.title) || f.url,
    owner: typeof data.owner === 'string' ? data.owner : null,
    severity: asList(data.severity),
    services: asList(data.services),
    slos: asList(data.slos),
    escalation: escalationSteps(data.escalation),
    reviewEvery: typeof review.every === 'number' ? review.every : null,
    reviewLog: log.map((e) => {
      const entry = (e && typeof e === 'object' ? e : {}) as Record<string, unknown>;
      return { date: text(entry.date), reviewer: text(entry.reviewer), change: text(entry.change) };
    }),
    blocks: runBlocks(f).flatMap((b) => {
      const { id, safety, confirm } = runMeta(b.meta);
      return id ? [{ id, safety: safety ?? null, confirm: confirm ?? null }] : [];
    }),
    sections: bodySections(root, f),
    blockText: new Map(
      runBlocks(f).flatMap((b) => {
        const { id, db } = runMeta(b.meta);
        return id ? [[id, hash(`${db ?? ''}\0${b.value}`)] as const] : [];
      }),
    ),
    links: f.links.map((l) => l.url),
    vars: canonical(data.vars ?? null),
    description: text(data.description),
    scripts: scriptHashes(root, f, roots),
  };
}

/**
 * Reads the project as `runbook check` does. A broken runbooks.config.yaml or ladder is a
 * finding (as in the check), and the rest is read with the defaults standing in.
 */
/** The lock, or none while it cannot be read (the check's findings say why: shortlink-lock-invalid, path refusals). */
function lockOrNone(root: string): Map<string, string> | undefined {
  try {
    return readLock(root);
  } catch (error) {
    if (error instanceof LockError || error instanceof RepoPathError) return undefined;
    throw error;
  }
}

export function snapshot(project: Project, today: Date): Snapshot {
  const { root, config } = project;
  // A base from before the project existed has no pages at all.
  const facts = existsSync(join(root, CONTENT_DIR)) ? collectProject(project) : [];
  const diagnostics = [...project.configFindings, ...checkFacts(project, facts, { today })];
  const runbooks = new Map(
    facts
      .filter((f) => f.frontmatter.data.runbook !== false && f.frontmatter.data.template !== 'splash')
      .map((f) => [f.file, runbookInfo(root, f, config.scriptRoots)]),
  );
  const shortlinks = new Map(publishedShortlinks(facts.map(pageInfo)).map((l) => [l.slug, l]));
  const lock = lockOrNone(root);
  const loaded = loadSlos(root, ladderOf(project)).slos;
  const valid = new Map(loaded.map((s) => [s.id, s]));
  const slos = new Map<string, SloInfo>();
  let names: string[] = [];
  try {
    names = readdirSync(join(root, SLO_DIR))
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
  } catch {
    // No SLO folder: no SLOs.
  }
  for (const name of names) {
    const id = name.replace(/\.ya?ml$/, '');
    const slo = valid.get(id);
    if (!slos.has(id))
      slos.set(id, { id, file: `${SLO_DIR}/${name}`, objective: slo?.objective ?? null, window: slo?.window ?? null });
  }
  return {
    runbooks,
    shortlinks,
    lock: lock && new Set(lock.keys()),
    slos,
    diagnostics,
    coverage: coverageSide(root, config, facts, loaded, today),
  };
}

/** One changed value: `from` in the base, `to` in the head. */
export interface FieldChange {
  field: 'title' | 'description' | 'owner' | 'severity' | 'services' | 'slos' | 'escalation' | 'reviewEvery' | 'vars';
  from: string | string[] | number | null;
  to: string | string[] | number | null;
}

/** A run block whose safety class changed. */
export interface SafetyChange {
  id: string;
  from: string | null;
  to: string | null;
  /** The head's confirm word, if any. */
  confirm: string | null;
  /** True when the class got riskier (read-only → mutating → destructive). */
  escalated: boolean;
}

/** What changed in one runbook present on both sides. */
export interface RunbookChange {
  file: string;
  /** The base's path, when git saw the file renamed. */
  renamedFrom?: string;
  title: string;
  fields: FieldChange[];
  reviewLogAdded: ReviewEntry[];
  /** `edited`: ids whose command changed; `scripts`: repository scripts they call whose content changed (or appeared, or went). */
  blocks: { added: BlockInfo[]; removed: BlockInfo[]; safety: SafetyChange[]; edited: string[]; scripts: string[] };
  /** The body: sections (by heading) added, removed, edited or moved, and link targets added or removed. */
  body: {
    sections: { added: string[]; removed: string[]; edited: string[]; moved: string[] };
    links: { added: string[]; removed: string[] };
  };
}

/**
 * A runbook that changed without a new `review.log` entry. A change to what operators
 * read or run (body, run blocks) is an error: the log must say who checked what is now on
 * the page. A change to metadata alone (owner, severity…) is a warning.
 */
export interface ReviewMissing {
  file: string;
  severity: 'error' | 'warning';
  reason: string;
}

/** A finding as the diff reports it: without column and hint, matched by rule, file and message. */
export interface DiffFinding {
  file: string;
  line: number;
  ruleId: string;
  severity: 'error' | 'warning';
  message: string;
}

/**
 * The result of `runbook diff`, printed as is by `--format json` (stable, `version: 1`):
 *
 * ```ts
 * {
 *   version: 1,
 *   base: string,                                   // the --base ref as given
 *   runbooks: {
 *     added:   { file, title, owner, blocks: { id, safety, confirm }[] }[],
 *     removed: { file, title }[],
 *     changed: {
 *       file, renamedFrom?, title,                  // title: the head's; renamedFrom: git saw a rename
 *       fields: { field: 'title'|'description'|'owner'|'severity'|'services'|'slos'|'escalation'|'reviewEvery'|'vars', from, to }[],
 *       reviewLogAdded: { date, reviewer, change }[],
 *       blocks: { added: { id, safety, confirm }[], removed: { id, safety, confirm }[],
 *                 safety: { id, from, to, confirm, escalated }[], edited: string[], scripts: string[] },
 *                                                 // edited: ids whose text changed; scripts: called scripts whose content changed
 *       body: { sections: { added, removed, edited, moved }: string[] (headings as written),
 *               links: { added, removed }: string[] (targets) },
 *     }[],                                          // only runbooks with a change (or a rename)
 *   },
 *   shortlinks: {
 *     added:   { slug, target, file }[],
 *     removed: { slug, target, file, stillLocked }[], // stillLocked: in the head's shortlinks.lock, so the check fails
 *     moved:   { slug, from, to, file }[],          // same slug, different target; file: the head's
 *   },
 *   slos: {
 *     added: { id, file, objective, window }[], removed: { id, file, objective, window }[],
 *     changed: { id, file, objective?: { from, to }, window?: { from, to } }[],
 *   },
 *   findings: {                                     // errors and warnings, matched by ruleId + file + message
 *     introduced: { file, line, ruleId, severity, message }[],  // in the head, not in the base
 *     fixed:      { file, line, ruleId, severity, message }[],  // in the base (its line), not in the head
 *   },
 *   review: { missing: { file, severity: 'error'|'warning', reason }[] },  // changed without a new review.log entry
 *   coverage: {                                     // coverage of each side, read as that revision's check reads it
 *     teams: {                                      // the teams the change touches: owners of changed runbooks (either
 *       team,                                       // side), teams of alerts and owners of SLOs it changed, of what it drops
 *       before, after: {                            // null: no such team on that side
 *         runbooks, overdue, soon, lastReview, blocks: { total, tested }, unguarded,
 *         paging: { total, landed, reviewed },      // paging alerts; landing on a runbook; on one reviewed in its cadence
 *         headline,                                 // reviewed / total, 0–1, or null without paging alerts
 *       } | null,
 *     }[],
 *     dropped: {                                    // each is also a coverage-dropped finding under findings.introduced
 *       kind: 'alert'|'service', name,
 *       lost: string[],                             // the URLs of the runbooks it had at the base
 *       file, line, column,                         // the alert at the head, or the service's first naming alert or SLO
 *       team, message, hint,                        // team: the lost runbook's owner at the base
 *     }[],
 *   },
 * }
 * ```
 * Runbooks are keyed by file; a rename git detects pairs the two files. Every list is sorted.
 */
export interface ProjectDiff {
  version: 1;
  base: string;
  runbooks: {
    added: { file: string; title: string; owner: string | null; blocks: BlockInfo[] }[];
    removed: { file: string; title: string }[];
    changed: RunbookChange[];
  };
  shortlinks: {
    added: { slug: string; target: string; file: string }[];
    removed: { slug: string; target: string; file: string; stillLocked: boolean }[];
    moved: { slug: string; from: string; to: string; file: string }[];
  };
  slos: {
    added: SloInfo[];
    removed: SloInfo[];
    changed: {
      id: string;
      file: string;
      objective?: { from: number | null; to: number | null };
      window?: { from: string | null; to: string | null };
    }[];
  };
  findings: { introduced: DiffFinding[]; fixed: DiffFinding[] };
  review: { missing: ReviewMissing[] };
  coverage: CoverageChange;
}

const SAFETY_RANK: Record<string, number> = { 'read-only': 0, mutating: 1, destructive: 2 };
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const byKey =
  <K extends string>(key: K) =>
  (a: Record<K, string>, b: Record<K, string>) =>
    a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0;

/** Items of `a` not in `b`, one per occurrence. */
function minus(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  return a.filter((x) => {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    return n === 0;
  });
}

function runbookChange(base: RunbookInfo, head: RunbookInfo): RunbookChange | undefined {
  const fields: FieldChange[] = [];
  for (const field of [
    'title',
    'description',
    'owner',
    'severity',
    'services',
    'slos',
    'escalation',
    'reviewEvery',
    'vars',
  ] as const) {
    if (!same(base[field], head[field])) fields.push({ field, from: base[field], to: head[field] });
  }
  const logged = new Set(base.reviewLog.map((e) => JSON.stringify(e)));
  // A review is a new entry: the log grew, by entries with a reviewer handle, a change
  // and a date no older than the base's last (an old entry edited is not a review).
  const lastBase =
    base.reviewLog
      .map((e) => e.date)
      .sort()
      .at(-1) ?? '';
  const reviewLogAdded =
    head.reviewLog.length > base.reviewLog.length
      ? head.reviewLog.filter(
          (e) =>
            !logged.has(JSON.stringify(e)) &&
            /^@[\w.-]+(\/[\w.-]+)?$/.test(e.reviewer) &&
            e.change.trim() !== '' &&
            e.date >= lastBase,
        )
      : [];
  const baseBlocks = new Map(base.blocks.map((b) => [b.id, b]));
  const headBlocks = new Map(head.blocks.map((b) => [b.id, b]));
  const added = head.blocks.filter((b) => !baseBlocks.has(b.id));
  const removed = base.blocks.filter((b) => !headBlocks.has(b.id));
  const safety: SafetyChange[] = [];
  for (const b of head.blocks) {
    const old = baseBlocks.get(b.id);
    if (!old || old.safety === b.safety) continue;
    const escalated = (SAFETY_RANK[b.safety ?? ''] ?? 3) > (SAFETY_RANK[old.safety ?? ''] ?? -1);
    safety.push({ id: b.id, from: old.safety, to: b.safety, confirm: b.confirm, escalated });
  }
  const edited = [...head.blockText]
    .filter(([id, h]) => base.blockText.has(id) && base.blockText.get(id) !== h)
    .map(([id]) => id)
    .sort();
  const common = [...head.sections.keys()].filter((k) => base.sections.has(k));
  const baseOrder = [...base.sections.keys()].filter((k) => head.sections.has(k));
  const sections = {
    added: [...head.sections.keys()].filter((k) => !base.sections.has(k)),
    removed: [...base.sections.keys()].filter((k) => !head.sections.has(k)),
    edited: [...head.sections].filter(([k, h]) => base.sections.has(k) && base.sections.get(k) !== h).map(([k]) => k),
    // Order is content too: `runbook run <slug>` runs a page's blocks in page order.
    moved: common.filter((k, i) => baseOrder[i] !== k),
  };
  const scripts = [...new Set([...head.scripts.keys(), ...base.scripts.keys()])]
    .filter((p) => head.scripts.get(p) !== base.scripts.get(p))
    .sort();
  const links = {
    added: [...new Set(minus(head.links, base.links))].sort(),
    removed: [...new Set(minus(base.links, head.links))].sort(),
  };
  const count =
    fields.length +
    reviewLogAdded.length +
    added.length +
    removed.length +
    safety.length +
    edited.length +
    sections.added.length +
    sections.removed.length +
    sections.edited.length +
    sections.moved.length +
    links.added.length +
    links.removed.length +
    scripts.length;
  if (count === 0 && base.file === head.file) return undefined;
  return {
    file: head.file,
    ...(base.file !== head.file ? { renamedFrom: base.file } : {}),
    title: head.title,
    fields,
    reviewLogAdded,
    blocks: { added, removed, safety, edited, scripts },
    body: { sections, links },
  };
}

/** Whether a change needs a review.log entry it does not have, and how badly. */
function reviewMissing(c: RunbookChange): ReviewMissing | undefined {
  if (c.reviewLogAdded.length > 0) return undefined;
  const b = c.body.sections;
  const body =
    b.added.length +
    b.removed.length +
    b.edited.length +
    b.moved.length +
    c.blocks.added.length +
    c.blocks.removed.length +
    c.blocks.edited.length +
    c.blocks.safety.length +
    c.blocks.scripts.length +
    c.fields.filter((f) => f.field === 'vars').length;
  if (body > 0)
    return {
      file: c.file,
      severity: 'error',
      reason:
        'its body, run blocks, variables or the scripts they call changed without a new `review.log` entry saying who reviewed what',
    };
  if (c.fields.length > 0)
    return {
      file: c.file,
      severity: 'warning',
      reason: `its ${c.fields.map((f) => f.field).join(', ')} changed without a new \`review.log\` entry`,
    };
  return undefined;
}

/** Findings of `a` that `b` does not have, matched by rule, file and message (each match used once). */
function findingsNotIn(a: readonly Diagnostic[], b: readonly Diagnostic[]): DiffFinding[] {
  const key = (d: Diagnostic) => `${d.ruleId}\0${d.file}\0${d.message}`;
  const left = new Map<string, number>();
  for (const d of b) left.set(key(d), (left.get(key(d)) ?? 0) + 1);
  const out: DiffFinding[] = [];
  for (const d of a) {
    const n = left.get(key(d)) ?? 0;
    if (n > 0) left.set(key(d), n - 1);
    else out.push({ file: d.file, line: d.line, ruleId: d.ruleId, severity: d.severity, message: d.message });
  }
  return out;
}

/**
 * Compares the base and head snapshots. `renames` (base file → head file, from git's
 * rename detection) pairs a runbook that moved, so it shows as renamed with its changes
 * instead of removed and added.
 */
export function diffSnapshots(
  baseRef: string,
  base: Snapshot,
  head: Snapshot,
  renames: ReadonlyMap<string, string> = new Map(),
): ProjectDiff {
  const pairs = new Map<string, string>(); // head file → base file
  for (const [from, to] of renames)
    if (base.runbooks.has(from) && head.runbooks.has(to) && !head.runbooks.has(from) && !base.runbooks.has(to))
      pairs.set(to, from);
  const paired = new Set(pairs.values());
  const added = [...head.runbooks.values()].filter((r) => !base.runbooks.has(r.file) && !pairs.has(r.file));
  const removed = [...base.runbooks.values()].filter((r) => !head.runbooks.has(r.file) && !paired.has(r.file));
  const changed = [...head.runbooks.values()].flatMap((r) => {
    const old = base.runbooks.get(pairs.get(r.file) ?? r.file);
    const change = old && runbookChange(old, r);
    return change ? [change] : [];
  });

  const slAdded = [...head.shortlinks.values()].filter((l) => !base.shortlinks.has(l.slug));
  const slRemoved = [...base.shortlinks.values()].filter((l) => !head.shortlinks.has(l.slug));
  const slMoved = [...head.shortlinks.values()].flatMap((l) => {
    const old = base.shortlinks.get(l.slug);
    return old && old.target !== l.target ? [{ slug: l.slug, from: old.target, to: l.target, file: l.file }] : [];
  });

  const sloChanged: ProjectDiff['slos']['changed'] = [];
  for (const s of head.slos.values()) {
    const old = base.slos.get(s.id);
    if (!old) continue;
    const c: ProjectDiff['slos']['changed'][number] = { id: s.id, file: s.file };
    if (old.objective !== s.objective) c.objective = { from: old.objective, to: s.objective };
    if (old.window !== s.window) c.window = { from: old.window, to: s.window };
    if (c.objective || c.window) sloChanged.push(c);
  }

  const owner = (r: RunbookInfo | undefined) => r?.owner ?? null;
  const coverage = coverageChange(base.coverage, head.coverage, renames, {
    owners: [
      ...added.map(owner),
      ...removed.map(owner),
      ...changed.flatMap((c) => [owner(head.runbooks.get(c.file)), owner(base.runbooks.get(c.renamedFrom ?? c.file))]),
    ],
    slos: [...head.slos.keys(), ...base.slos.keys()].filter((id) => !same(head.slos.get(id), base.slos.get(id))),
  });
  // A drop is only ever in the head: a finding the change introduces.
  // One mistake, one finding: an alert the change leaves without its runbook is the drop (which names
  // the runbook it lost and how), not also the check's alert-runbook-broken for the same alert.
  // The same alert by its place, not its name: two alerts of a file may share a name (one per severity).
  const droppedRules = coverage.dropped
    .filter((d) => d.kind === 'alert')
    .flatMap((d) => head.coverage.alerts.filter((a) => a.file === d.file && a.line === d.line && a.name === d.name));
  const sameAlert = (d: DiffFinding) =>
    d.ruleId === 'alert-runbook-broken' &&
    droppedRules.some(
      (a) => a.file === d.file && (a.urlLine ?? a.line) === d.line && d.message.startsWith(`Alert ${a.name}: `),
    );
  const introduced = [
    ...findingsNotIn(head.diagnostics, base.diagnostics).filter((d) => !sameAlert(d)),
    ...findingsNotIn(diagnosticsOf('coverage-dropped', dropFindings(coverage)), []),
  ].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));

  return {
    version: 1,
    base: baseRef,
    runbooks: {
      added: added.map((r) => ({ file: r.file, title: r.title, owner: r.owner, blocks: r.blocks })).sort(byKey('file')),
      removed: removed.map((r) => ({ file: r.file, title: r.title })).sort(byKey('file')),
      changed: changed.sort(byKey('file')),
    },
    shortlinks: {
      added: slAdded.map((l) => ({ slug: l.slug, target: l.target, file: l.file })).sort(byKey('slug')),
      removed: slRemoved
        .map((l) => ({ slug: l.slug, target: l.target, file: l.file, stillLocked: head.lock?.has(l.slug) ?? false }))
        .sort(byKey('slug')),
      moved: slMoved.sort(byKey('slug')),
    },
    slos: {
      added: [...head.slos.values()].filter((s) => !base.slos.has(s.id)).sort(byKey('id')),
      removed: [...base.slos.values()].filter((s) => !head.slos.has(s.id)).sort(byKey('id')),
      changed: sloChanged.sort(byKey('id')),
    },
    findings: {
      introduced,
      fixed: findingsNotIn(base.diagnostics, head.diagnostics),
    },
    review: { missing: changed.flatMap((c) => reviewMissing(c) ?? []).sort(byKey('file')) },
    coverage,
  };
}
