// The page script of /incident/ (pages/incident.astro), loaded by boot.ts only there: start
// an incident from when the page fired, show its log as a timeline, export it (Markdown in
// the shape of `runbook timeline`, JSONL that command reads), end it. Everything read from
// storage reaches the page through textContent and attributes set one by one.
import { parseFiredAt, jsonlName, logRows, toJsonl, utcHhmm, type PageOf } from '../log-view.ts';
import {
  CHANGED,
  clearIncident,
  incidentLog,
  KEYS,
  readIncident,
  startIncident,
  updateIncident,
  type Incident,
} from '../store.ts';
import { renderTimeline } from '../timeline.ts';

const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
const root = document.querySelector<HTMLElement>('[data-rb-incident-page]')!;
const $ = <T extends Element = HTMLElement>(name: string) => root.querySelector<T>(`[data-rb-incident-${name}]`)!;

const start = $<HTMLFormElement>('start');
const open = $('open');
const rows = $('rows');
const status = $('status');
const confirm = $('confirm');
const endButton = $('end');
const change = $('change');
/** True while the form is open to change an open incident's fired time or name (not to start one). */
let editing = false;

/** Where each shortlink leads on this site (a row's link back to its step), from the kept shortlinks.json. */
let pages: Map<string, string> = new Map();
const pageOf: PageOf = (slug) => pages.get(slug);
void fetch(`${base}shortlinks.json`)
  .then((r) => (r.ok ? r.json() : undefined))
  .then((data: { shortlinks?: { slug?: unknown; target?: unknown; external?: unknown }[] } | undefined) => {
    pages = new Map(
      (data?.shortlinks ?? []).flatMap((l) =>
        typeof l.slug === 'string' && typeof l.target === 'string' && !l.external ? [[l.slug, l.target]] : [],
      ),
    );
    render();
  })
  .catch(() => {}); // Offline without it: rows link by page name.

const minutesAgo = (ms: number) => {
  const min = Math.max(0, Math.floor((Date.now() - ms) / 60_000));
  return min < 1 ? 'just now' : min < 120 ? `${min} min ago` : `${Math.floor(min / 60)} h ${min % 60} min ago`;
};

/** The form's "now" hint and default time; never a time in the future. */
function resetStart() {
  const now = Date.now();
  start.querySelector<HTMLInputElement>('[name="fired"]')!.value = utcHhmm(now);
  $('now').textContent = `Now ${utcHhmm(now)} UTC. An earlier time than now is today’s; a later one, yesterday’s.`;
  $('error').textContent = '';
}

/** The line under the heading: when the page fired, how long ago, who, how many entries. */
function summarize(incident: Incident, entries: number) {
  $('summary').textContent =
    `The page fired at ${utcHhmm(incident.started)} UTC (${minutesAgo(incident.started)}).` +
    (incident.operator ? ` Operator: ${incident.operator}.` : '') +
    ` ${entries} ${entries === 1 ? 'entry' : 'entries'}.`;
}

function render() {
  const incident = readIncident();
  if (!incident) editing = false;
  start.hidden = Boolean(incident) && !editing;
  $('submit').textContent = editing ? 'Save' : 'Start incident';
  change.setAttribute('aria-expanded', String(editing));
  open.hidden = !incident;
  if (!incident) {
    confirm.hidden = true;
    endButton.setAttribute('aria-expanded', 'false');
    return;
  }
  const log = incidentLog();
  $('heading').textContent = `Incident ${incident.id}`;
  summarize(incident, log.length);
  $('empty').hidden = log.length > 0;
  $('table').hidden = log.length === 0;
  rows.replaceChildren(
    ...logRows(log, pageOf, base).map((row) => {
      const tr = document.createElement('tr');
      const time = document.createElement('time');
      time.dateTime = row.ts;
      time.textContent = row.time;
      const link = document.createElement('a');
      link.href = row.href;
      // A break opportunity after each / and #, so a long step wraps there, not mid-word.
      for (const part of row.step.split(/(?<=[/#])/)) link.append(part, document.createElement('wbr'));
      const cells = [time, link, row.what];
      ['Time (UTC)', 'Step', 'What happened'].forEach((label, i) => {
        const td = document.createElement('td');
        td.dataset.label = label;
        td.append(cells[i]);
        tr.append(td);
      });
      return tr;
    }),
  );
  $('markdown').textContent = renderTimeline(log);
  $('merge').textContent = `npx runbook timeline .runbook/transcripts/*.jsonl ${jsonlName(incident.id)}`;
}

function say(text: string) {
  status.textContent = text;
  setTimeout(() => status.textContent === text && (status.textContent = ''), 4000);
}

start.addEventListener('submit', (event) => {
  event.preventDefault();
  const field = (name: string) => start.querySelector<HTMLInputElement>(`[name="${name}"]`)?.value ?? '';
  const started = parseFiredAt(field('fired'), Date.now());
  if (started === undefined) {
    $('error').textContent = 'Give the time the page fired as HH:MM (UTC), e.g. 03:02.';
    return;
  }
  // An open incident keeps its values, ticks and log; only when the page fired moves.
  startIncident(started);
  const operator = field('operator').trim().slice(0, 100);
  if (operator || editing) updateIncident((incident) => incident && { ...incident, operator });
  editing = false;
  render();
  $('heading').focus();
});

// An incident opened by typing a value or ticking a task started then; the page fired earlier.
change.addEventListener('click', () => {
  const incident = readIncident();
  editing = !editing && Boolean(incident);
  if (editing && incident) {
    start.querySelector<HTMLInputElement>('[name="fired"]')!.value = utcHhmm(incident.started);
    start.querySelector<HTMLInputElement>('[name="operator"]')!.value = incident.operator;
    $('error').textContent = '';
  }
  render();
  if (editing) start.querySelector<HTMLInputElement>('[name="fired"]')!.focus();
});

$('copy').addEventListener('click', () => {
  const text = renderTimeline(incidentLog());
  navigator.clipboard.writeText(text).then(
    () => say('Copied the timeline as Markdown.'),
    () => {
      root.querySelector('details')!.open = true;
      say('Could not copy: select the Markdown below.');
    },
  );
});

$('download').addEventListener('click', () => {
  const incident = readIncident();
  if (!incident) return;
  const url = URL.createObjectURL(new Blob([toJsonl(incidentLog())], { type: 'application/jsonl' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = jsonlName(incident.id);
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  say(`Downloaded ${a.download}.`);
});

endButton.addEventListener('click', () => {
  confirm.hidden = !confirm.hidden;
  endButton.setAttribute('aria-expanded', String(!confirm.hidden));
  if (!confirm.hidden) $('keep').focus();
});
$('keep').addEventListener('click', () => {
  confirm.hidden = true;
  endButton.setAttribute('aria-expanded', 'false');
  endButton.focus();
});
$('clear').addEventListener('click', () => {
  clearIncident();
  resetStart();
  render();
  say('');
  start.querySelector('input')?.focus();
});

$('heading').tabIndex = -1;
$('nojs').remove();
resetStart();
render();
// Another tab copying a command or ticking a task, or this one: the log follows.
addEventListener(CHANGED, render);
addEventListener(
  'storage',
  (event) => (event.key === null || event.key === KEYS.incident || event.key === KEYS.log) && render(),
);
// The minutes since the page fired, and the form's "now", stay current (without redrawing rows a reader may be on).
setInterval(() => {
  const incident = readIncident();
  if (incident) summarize(incident, incidentLog().length);
  else if (!start.contains(document.activeElement)) resetStart();
}, 30_000);
