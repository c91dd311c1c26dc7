/** `runbook diff` output: the same grouped summary as terminal text or as a Markdown PR comment. */
import type { DiffFinding, FieldChange, ProjectDiff } from './project.ts';
import type { CoverageDrop, TeamNumbers } from '../coverage/change.ts';
import { percent } from '../coverage/render.ts';
import { forTerminal } from '../encode/terminal.ts';
import { markdownCode, markdownText, markdownUnescaped } from '../encode/markdown.ts';

interface Item {
  text: string;
  children?: string[];
}
interface Section {
  title: string;
  items: Item[];
}
interface Style {
  code(s: string): string;
  strong(s: string): string;
}

const FIELD_NAMES: Record<FieldChange['field'], string> = {
  title: 'title',
  description: 'description',
  owner: 'owner',
  severity: 'severity',
  services: 'services',
  slos: 'SLOs',
  escalation: 'escalation',
  reviewEvery: 'review every',
  vars: 'variables (`vars:`)',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function value(v: FieldChange['from'], field: FieldChange['field']): string {
  if (v === null || (Array.isArray(v) && v.length === 0) || v === '') return '(none)';
  if (Array.isArray(v)) return v.join(field === 'escalation' ? ' → ' : ', ');
  return field === 'reviewEvery' ? `${v} days` : String(v);
}

const finding = (d: DiffFinding, s: Style) => `${d.severity} ${s.code(d.ruleId)} ${d.file}:${d.line}: ${d.message}`;

/** The counts line at the top. */
export function summary(diff: ProjectDiff): string {
  const r = diff.runbooks;
  const errors = diff.findings.introduced.filter((d) => d.severity === 'error').length;
  const warnings = diff.findings.introduced.length - errors;
  const parts = [
    `runbooks: ${r.added.length} added, ${r.removed.length} removed, ${r.changed.length} changed`,
    `shortlinks: ${diff.shortlinks.added.length} added, ${diff.shortlinks.removed.length} removed, ${diff.shortlinks.moved.length} moved`,
    `SLOs: ${diff.slos.added.length} added, ${diff.slos.removed.length} removed, ${diff.slos.changed.length} changed`,
    `findings: ${plural(errors, 'new error')}, ${plural(warnings, 'new warning')}, ${diff.findings.fixed.length} fixed`,
    ...(diff.review.missing.length ? [`unreviewed: ${diff.review.missing.length}`] : []),
    ...(diff.coverage.dropped.length ? [`coverage dropped: ${diff.coverage.dropped.length}`] : []),
  ];
  return parts.join(' · ');
}

function sections(diff: ProjectDiff, s: Style): Section[] {
  const loud: Item[] = [];
  for (const l of diff.shortlinks.removed) {
    loud.push({
      text: `${s.strong('Shortlink removed:')} ${s.code(`/r/${l.slug}`)} (led to ${l.target}) — ${
        l.stillLocked
          ? `still in shortlinks.lock, so the check fails until it is put back or dropped on purpose with ${s.code(`npx runbook lock --drop ${l.slug}`)}`
          : 'not in shortlinks.lock: bookmarks and alerts that use it will 404'
      }.`,
    });
  }
  for (const c of diff.runbooks.changed) {
    for (const b of c.blocks.safety) {
      if (!b.escalated) continue;
      loud.push({
        text: `${s.strong('Run block riskier:')} ${s.code(`${c.file}#${b.id}`)} ${b.from ?? '(none)'} → ${b.to ?? '(none)'}${b.confirm ? ` (confirm word ${s.code(b.confirm)})` : ''}`,
      });
    }
    for (const b of c.blocks.added) {
      if (b.safety === 'destructive')
        loud.push({ text: `${s.strong('New destructive run block:')} ${s.code(`${c.file}#${b.id}`)}` });
    }
  }
  for (const r of diff.runbooks.added) {
    for (const b of r.blocks)
      if (b.safety === 'destructive')
        loud.push({ text: `${s.strong('New destructive run block:')} ${s.code(`${r.file}#${b.id}`)}` });
  }
  for (const r of diff.runbooks.removed)
    loud.push({ text: `${s.strong('Runbook removed:')} ${s.code(r.file)} (${r.title})` });
  for (const m of diff.review.missing)
    if (m.severity === 'error')
      loud.push({
        text: `${s.strong('Not reviewed:')} ${s.code(m.file)} — ${m.reason}. Add an entry to its \`review.log\` (date, reviewer, what changed).`,
      });
  for (const d of diff.findings.introduced)
    if (d.severity === 'error') loud.push({ text: `${s.strong('New error:')} ${finding(d, s)}` });

  const runbooks: Item[] = [
    ...diff.runbooks.added.map((r) => ({
      text: `added ${s.code(r.file)} — ${r.title}${r.owner ? ` (owner ${r.owner})` : ''}`,
      children: r.blocks.map((b) => `run block ${s.code(b.id)} (${b.safety ?? 'no safety'})`),
    })),
    ...diff.runbooks.removed.map((r) => ({ text: `removed ${s.code(r.file)} — ${r.title}` })),
    ...diff.runbooks.changed.map((c) => ({
      text: c.renamedFrom
        ? `renamed ${s.code(c.renamedFrom)} → ${s.code(c.file)} — ${c.title}`
        : `changed ${s.code(c.file)} — ${c.title}`,
      children: [
        ...c.fields.map((f) =>
          f.field === 'vars'
            ? `${FIELD_NAMES[f.field]} changed (patterns, enums or secrets decide what runs)`
            : `${FIELD_NAMES[f.field]}: ${value(f.from, f.field)} → ${value(f.to, f.field)}`,
        ),
        ...c.reviewLogAdded.map((e) => `review logged: ${e.date} by ${e.reviewer}: ${e.change}`),
        ...c.body.sections.added.map((h) => `section added: ${s.code(h)}`),
        ...c.body.sections.removed.map((h) => `section removed: ${s.code(h)}`),
        ...c.body.sections.edited.map((h) => `section edited: ${s.code(h)}`),
        ...c.body.sections.moved.map((h) => `section moved: ${s.code(h)} (run blocks run in page order)`),
        ...c.blocks.added.map((b) => `run block added: ${s.code(b.id)} (${b.safety ?? 'no safety'})`),
        ...c.blocks.removed.map((b) => `run block removed: ${s.code(b.id)} (${b.safety ?? 'no safety'})`),
        ...c.blocks.edited.map((id) => `run block edited: ${s.code(id)} (its command changed)`),
        ...c.blocks.scripts.map((p) => `script changed: ${s.code(p)} (a run block calls it)`),
        ...c.blocks.safety.map(
          (b) =>
            `run block ${s.code(b.id)}: ${b.from ?? '(none)'} → ${b.to ?? '(none)'}${b.confirm ? ` (confirm word ${s.code(b.confirm)})` : ''}`,
        ),
        ...c.body.links.added.map((l) => `link added: ${s.code(l)}`),
        ...c.body.links.removed.map((l) => `link removed: ${s.code(l)}`),
        ...diff.review.missing
          .filter((m) => m.file === c.file && m.severity === 'warning')
          .map((m) => `warning: ${m.reason}`),
      ],
    })),
  ];
  const shortlinks: Item[] = [
    ...diff.shortlinks.added.map((l) => ({ text: `added ${s.code(`/r/${l.slug}`)} → ${l.target}` })),
    ...diff.shortlinks.removed.map((l) => ({
      text: `removed ${s.code(`/r/${l.slug}`)} (led to ${l.target})${l.stillLocked ? ' — still in shortlinks.lock' : ''}`,
    })),
    ...diff.shortlinks.moved.map((l) => ({ text: `moved ${s.code(`/r/${l.slug}`)}: ${l.from} → ${l.to}` })),
  ];
  const num = (v: number | string | null) => (v === null ? '(invalid)' : String(v));
  const slos: Item[] = [
    ...diff.slos.added.map((o) => ({
      text: `added ${s.code(o.id)}${o.objective !== null ? `: ${o.objective}% over ${o.window}` : ''}`,
    })),
    ...diff.slos.removed.map((o) => ({ text: `removed ${s.code(o.id)}` })),
    ...diff.slos.changed.map((o) => ({
      text: `changed ${s.code(o.id)}: ${[
        o.objective && `objective ${num(o.objective.from)}% → ${num(o.objective.to)}%`,
        o.window && `window ${num(o.window.from)} → ${num(o.window.to)}`,
      ]
        .filter(Boolean)
        .join(', ')}`,
    })),
  ];
  const findings: Item[] = [
    ...diff.findings.introduced.map((d) => ({ text: `new ${finding(d, s)}` })),
    ...diff.findings.fixed.map((d) => ({ text: `fixed ${finding(d, s)}` })),
  ];
  return [
    { title: 'Needs attention', items: loud },
    { title: 'Coverage', items: coverage(diff.coverage, s) },
    { title: 'Runbooks', items: runbooks },
    { title: 'Shortlinks', items: shortlinks },
    { title: 'SLOs', items: slos },
    { title: 'Findings', items: findings },
  ].filter((sec) => sec.items.length > 0);
}

const share = (n: number | null) => (n === null ? 'no paging alerts' : percent(n));

/** One side of a team's numbers: the headline, then how many paging alerts are reviewed of how many. */
function side(t: TeamNumbers | null): { headline: string; share: string; runbooks: string; overdue: string } {
  if (t === null) return { headline: '(no such team)', share: '–', runbooks: '0', overdue: '0' };
  return {
    headline: share(t.headline),
    share: `${t.paging.reviewed} of ${t.paging.total}`,
    runbooks: String(t.runbooks),
    overdue: String(t.overdue),
  };
}

/** The teams the change touches, headline before → after, each with what the change drops of it. */
function coverage(c: ProjectDiff['coverage'], s: Style): Item[] {
  const drop = (d: CoverageDrop) =>
    `dropped: ${d.kind} ${s.code(d.name)} (${d.file}:${d.line}) lost ${d.lost.map((u) => s.code(u)).join(', ')}`;
  const items: Item[] = c.teams.map((t) => {
    const [b, a] = [side(t.before), side(t.after)];
    return {
      text: `${s.strong(t.team)}: paging alerts on a runbook reviewed in its cadence ${b.headline} → ${a.headline} (${b.share} → ${a.share}); runbooks ${b.runbooks} → ${a.runbooks}, overdue ${b.overdue} → ${a.overdue}`,
      children: c.dropped.filter((d) => d.team === t.team).map(drop),
    };
  });
  const teams = new Set(c.teams.map((t) => t.team));
  for (const d of c.dropped) if (d.team === null || !teams.has(d.team)) items.push({ text: drop(d) });
  return items;
}

const verdict = (diff: ProjectDiff) => {
  const errors = diff.findings.introduced.filter((d) => d.severity === 'error').length;
  const unreviewed = diff.review.missing.filter((m) => m.severity === 'error').length;
  if (errors === 0 && unreviewed === 0) return '✔ No new errors.';
  return `✖ This change ${[errors && `introduces ${plural(errors, 'error')}`, unreviewed && `changes ${plural(unreviewed, 'runbook')} without a review.log entry`].filter(Boolean).join(' and ')}.`;
};

/**
 * The diff with every string from the repository passed through the output's encoder
 * (Markdown text, or the terminal guard on one line), so a runbook title cannot forge a
 * verdict line, a heading, a link or an escape sequence. The enumerations the sections
 * compare against (`field`, `severity`, `safety`: lowercase words) come through unchanged;
 * a review's `reason` is our own sentence (naming fields), left as written.
 */
function clean(diff: ProjectDiff, encode: (text: string) => string): ProjectDiff {
  return JSON.parse(JSON.stringify(diff), (key, v) =>
    typeof v === 'string' && key !== 'reason' ? encode(v) : v,
  ) as ProjectDiff;
}

/** A PR comment: a heading, the counts, then one heading and bullet list per group. */
export function renderMarkdown(raw: ProjectDiff): string {
  // Text is encoded once, as Markdown text; a code span takes no escapes, so it gets the visible form back.
  const diff = clean(raw, markdownText);
  const s: Style = { code: (t) => markdownCode(markdownUnescaped(t), { shown: true }), strong: (t) => `**${t}**` };
  const out = [`## Runbook changes against ${markdownCode(raw.base)}`, '', `**${verdict(diff)}**`, '', summary(diff)];
  const secs = sections(diff, s);
  if (secs.length === 0) out.push('', 'No changes to runbooks, shortlinks, SLOs or findings.');
  for (const sec of secs) {
    out.push('', `### ${sec.title}`, '');
    for (const item of sec.items) {
      out.push(`- ${item.text}`);
      for (const child of item.children ?? []) out.push(`  - ${child}`);
    }
  }
  return out.join('\n');
}

/** Terminal text: the same groups, indented; the "needs attention" group in red when colour is on. */
export function renderPretty(raw: ProjectDiff, color: boolean): string {
  const diff = clean(raw, (t) => forTerminal(t, { oneLine: true, color }));
  const paint = (code: string) => (t: string) => (color ? `\x1b[${code}m${t}\x1b[0m` : t);
  const s: Style = { code: (t) => t, strong: paint('1') };
  const out = [paint('1')(`Runbook changes against ${diff.base}`), verdict(diff), summary(diff)];
  const secs = sections(diff, s);
  if (secs.length === 0) out.push('', 'No changes to runbooks, shortlinks, SLOs or findings.');
  for (const sec of secs) {
    const attention = sec.title === 'Needs attention';
    out.push('', (attention ? paint('31;1') : paint('1'))(sec.title));
    for (const item of sec.items) {
      out.push(`  ${attention ? paint('31')('!') : '•'} ${item.text}`);
      for (const child of item.children ?? []) out.push(`      ${child}`);
    }
  }
  return out.join('\n');
}
