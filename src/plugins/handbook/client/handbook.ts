// The page script of the handbook directives, loaded by boot.ts only on pages that have a
// `:::checklist` or a `:::template`. Without it the page is complete: checklists are plain
// lists with their target times, templates are the code blocks they were written as.
import { fillTemplate, filledText, formatClock, scanTemplate } from '../syntax.ts';

const create = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, unknown> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] => {
  const node: HTMLElementTagNameMap[K] = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
};

/* ---------------------------------------------------------------- checklists */

/** One incident as the page keeps it: when its clock started and which tasks are ticked. */
interface Incident {
  id: string;
  started: number;
  ticks: string[];
}

const KEY = `rb-checklist:${location.pathname}`;

/** The incident stored for this page; anything unreadable counts as none. */
function loadIncident(): Incident | undefined {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<Incident> | null;
    if (v && typeof v.started === 'number' && Number.isFinite(v.started) && Array.isArray(v.ticks)) {
      return {
        id: String(v.id ?? v.started),
        started: v.started,
        ticks: v.ticks.filter((t): t is string => typeof t === 'string'),
      };
    }
  } catch {
    // Storage blocked or a value we did not write: start clean.
  }
  return undefined;
}

function saveIncident(incident: Incident | undefined): void {
  try {
    if (incident) localStorage.setItem(KEY, JSON.stringify(incident));
    else localStorage.removeItem(KEY);
  } catch {
    // Private mode or full storage: the page still works, it just forgets on reload.
  }
}

const utc = (ms: number) => `${new Date(ms).toISOString().slice(11, 16)} UTC`;

/** Turns each task into a labelled checkbox, keyed `band.task`: the whole line is the label,
 * so it is one tab stop, Space ticks it, and a tap anywhere on the text works. */
function taskBoxes(bands: HTMLElement[]): HTMLInputElement[] {
  const checks: HTMLInputElement[] = [];
  bands.forEach((band, b) => {
    for (const li of band.querySelectorAll<HTMLLIElement>('li.rb-task')) {
      li.querySelector(':scope > .rb-task__box, :scope > p > .rb-task__box')?.remove();
      const host = li.firstElementChild?.tagName === 'P' ? (li.firstElementChild as HTMLElement) : li;
      const box = create('input', { type: 'checkbox', className: 'rb-task__check' });
      box.dataset.key = `${b}.${li.dataset.task}`;
      const words = create('span', { className: 'rb-task__text' });
      for (const node of [...host.childNodes])
        if (!(node instanceof HTMLElement && /^(UL|OL)$/.test(node.tagName))) words.append(node);
      host.prepend(create('label', { className: 'rb-task__label' }, box, words));
      checks.push(box);
    }
  });
  return checks;
}

/** The incident clock's nodes. */
interface Clock {
  start: HTMLButtonElement;
  timer: HTMLSpanElement;
  since: HTMLSpanElement;
  running: HTMLSpanElement;
  progress: HTMLSpanElement;
  reset: HTMLButtonElement;
  /** Announced, not shown: the clock's start, a reset, a band turning overdue. */
  note: HTMLSpanElement;
}

/** Builds the incident clock and puts it above the first band's heading, so it comes before the first step. */
function clockBar(first: HTMLElement): Clock {
  const start = create('button', { type: 'button', className: 'rb-clock__start' }, 'Start incident clock');
  const timer = create('span', { className: 'rb-clock__time' }, '0:00');
  timer.setAttribute('role', 'timer');
  const since = create('span', { className: 'rb-clock__since' });
  const running = create('span', { className: 'rb-clock__running' }, 'Elapsed ', timer, ' ', since);
  const progress = create('span', { className: 'rb-clock__progress' });
  const reset = create('button', { type: 'button', className: 'rb-clock__reset' }, 'Reset');
  const note = create('span', { className: 'rb-clock__note sr-only' }); // Starlight's sr-only: announced, not shown
  note.setAttribute('role', 'status');
  const bar = create('div', { className: 'rb-clock' }, start, running, progress, reset, note);
  bar.setAttribute('role', 'group');
  bar.setAttribute('aria-label', 'Incident clock');
  const before = first.previousElementSibling;
  (before?.matches('.sl-heading-wrapper, h2, h3, h4') ? before : first).before(bar);
  return { start, timer, since, running, progress, reset, note };
}

/** A band's state (`done`, `due`, `overdue` or none) and its status text, `elapsed` seconds into `incident`. */
function bandStatus(band: HTMLElement, incident: Incident | undefined, elapsed: number): [string, string] {
  const boxes = [...band.querySelectorAll<HTMLInputElement>('.rb-task__check')];
  const by = Number(band.dataset.by);
  if (incident && boxes.length && boxes.every((c) => c.checked)) return ['done', 'Done'];
  if (!incident || !(by > 0)) return ['', ''];
  const left = by - elapsed;
  // Counting down reads like a countdown (2:00 until the first second has gone).
  return left > 0 ? ['due', `Due in ${formatClock(Math.ceil(left))}`] : ['overdue', `Overdue by ${formatClock(-left)}`];
}

/** A page's checklists: their bands, boxes and clock, and the incident they are ticked for. */
interface Checklist {
  bands: HTMLElement[];
  checks: HTMLInputElement[];
  clock: Clock;
  incident: Incident | undefined;
  tick: ReturnType<typeof setInterval> | undefined;
  /** Bands already announced as overdue (said once, until they are no longer overdue). */
  announced: Set<HTMLElement>;
}

/** Shows the elapsed time and each band's state; says it once when a band turns overdue (the clock itself stays quiet). */
function renderClock(c: Checklist): void {
  const elapsed = c.incident ? (Date.now() - c.incident.started) / 1000 : 0;
  c.clock.timer.textContent = formatClock(elapsed);
  for (const band of c.bands) {
    const status = band.querySelector<HTMLElement>('[data-status]');
    const [state, text] = bandStatus(band, c.incident, elapsed);
    band.dataset.state = state;
    if (status) status.textContent = text;
    if (state === 'overdue' && !c.announced.has(band)) {
      c.announced.add(band);
      c.clock.note.textContent = `${band.dataset.label ?? 'A band'} is overdue.`;
    }
    if (state !== 'overdue') c.announced.delete(band);
  }
}

/** Shows the incident (or its absence): buttons, start time, ticks, progress, and a running clock. */
function render(c: Checklist): void {
  const { clock, incident, checks } = c;
  clock.start.hidden = Boolean(incident);
  clock.running.hidden = clock.reset.hidden = !incident;
  clock.since.textContent = incident ? `since ${utc(incident.started)}` : '';
  clock.running.title = incident ? `Started at ${utc(incident.started)}` : '';
  const ticks = new Set(incident?.ticks);
  for (const box of checks) box.checked = ticks.has(box.dataset.key ?? '');
  clock.progress.textContent = `${checks.filter((box) => box.checked).length} of ${checks.length} done`;
  clearInterval(c.tick);
  c.tick = incident ? setInterval(() => renderClock(c), 1000) : undefined;
  renderClock(c);
}

/** Starts a new incident now. */
function begin(c: Checklist): void {
  const now = Date.now();
  c.incident = { id: now.toString(36), started: now, ticks: [] };
  c.announced.clear();
  c.clock.note.textContent = `Incident clock started at ${utc(now)}.`;
}

/** Start, Reset, a tick, and another tab of the same page. */
function bindChecklist(c: Checklist): void {
  const { start, reset, note } = c.clock;
  start.addEventListener('click', () => {
    begin(c);
    saveIncident(c.incident);
    render(c);
    c.checks.find((box) => !box.checked)?.focus();
  });
  reset.addEventListener('click', () => {
    if (!confirm('Reset this checklist? The incident clock stops and every tick on this page is cleared.')) return;
    c.incident = undefined;
    saveIncident(undefined);
    note.textContent = 'Checklist reset.';
    render(c);
    start.focus();
  });
  for (const box of c.checks) {
    box.addEventListener('change', () => {
      // Ticking before pressing Start starts the clock: the work has begun.
      if (!c.incident) begin(c);
      const ticks = new Set(c.checks.filter((x) => x.checked).map((x) => x.dataset.key ?? ''));
      c.incident = { ...c.incident!, ticks: [...ticks] };
      saveIncident(c.incident);
      render(c);
    });
  }
  // Another tab of the same page ticked or reset: follow it.
  addEventListener('storage', (e) => {
    if (e.key !== KEY && e.key !== null) return;
    c.incident = loadIncident();
    render(c);
  });
}

/** Makes the page's checklists live: boxes, the incident clock, the bands' states, kept across reloads. */
function checklists(bands: HTMLElement[]): void {
  const incident = loadIncident();
  const checks = taskBoxes(bands);
  const c: Checklist = { bands, checks, clock: clockBar(bands[0]), incident, tick: undefined, announced: new Set() };
  bindChecklist(c);
  render(c);
}

/* ---------------------------------------------------------------- templates */

/** The runbook variables form's field of the same name (`START TIME` → `START_TIME`), if any. */
const varField = (vars: HTMLFormElement | null, name: string) =>
  vars?.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-var-input][name="${name.replace(/[ -]/g, '_')}"]`) ??
  null;

/** A template's placeholders, each with its first non-empty hint. */
function placeholderHints(text: string): Map<string, string> {
  const hints = new Map<string, string>();
  for (const p of scanTemplate(text).placeholders)
    if (!hints.has(p.name) || !hints.get(p.name)) hints.set(p.name, p.hint);
  return hints;
}

/** A field per placeholder, filled from `values` or else from the variables form; new names are added to `values`. */
function templateFields(
  hints: Map<string, string>,
  values: Record<string, string>,
  vars: HTMLFormElement | null,
): HTMLDivElement {
  const fields = create('div', { className: 'rb-template__fields' });
  for (const [name, hint] of hints) {
    const input = create('input', {
      type: 'text',
      spellcheck: false,
      autocomplete: 'off',
      placeholder: hint,
      value: values[name] ?? varField(vars, name)?.value ?? '',
    });
    input.dataset.placeholder = name;
    values[name] ??= input.value;
    fields.append(
      create(
        'label',
        { className: 'rb-template__field' },
        create('span', { className: 'rb-template__name' }, name),
        input,
      ),
    );
  }
  return fields;
}

/** Fills the template's live part: the preview, Copy with its status, and the fields (if it has placeholders). */
function templateNodes(
  template: HTMLElement,
  live: HTMLElement,
  id: string,
  hints: Map<string, string>,
  fields: HTMLDivElement,
) {
  const preview = create('pre', { className: 'rb-template__preview', id, tabIndex: 0 });
  preview.setAttribute('aria-label', `${template.dataset.label ?? 'Message'}, with your values`);
  const copy = create('button', { type: 'button', className: 'rb-template__copy' }, 'Copy');
  copy.setAttribute('aria-describedby', id);
  const status = create('span', { className: 'rb-template__status' });
  status.setAttribute('role', 'status');
  live.replaceChildren(
    preview,
    create('div', { className: 'rb-template__actions' }, copy, status),
    ...(hints.size
      ? [
          create(
            'p',
            { className: 'rb-template__intro' },
            'Fill in what you know. A value fills the same field in every template on this page; a blank stays as <NAME> in the copy.',
          ),
          fields,
        ]
      : []),
  );
  live.hidden = false;
  template.classList.add('rb-template--live');
  return { preview, copy, status };
}

/** The filled text as nodes: values marked, blanks shown as `<NAME>`. */
const previewNodes = (pieces: ReturnType<typeof fillTemplate>) =>
  pieces.map((p) =>
    'text' in p
      ? p.text
      : p.value !== undefined
        ? create('span', { className: 'rb-template__value' }, p.value)
        : create('span', { className: 'rb-template__hole' }, `<${p.name}>`),
  );

/** Copy writes the filled text to the clipboard, or selects the preview where it cannot. */
function bindCopy(copy: HTMLButtonElement, preview: HTMLElement, status: HTMLElement, text: () => string): void {
  copy.addEventListener(
    'click',
    () =>
      void (async () => {
        try {
          await navigator.clipboard.writeText(text());
          status.textContent = 'Copied';
        } catch {
          getSelection()?.selectAllChildren(preview);
          status.textContent = 'Selected: press Ctrl+C (⌘C) to copy';
        }
        setTimeout(() => (status.textContent = ''), 4000);
      })(),
  );
}

/** Makes one template live; returns how to redraw its preview, or nothing when it has no live part. */
function liveTemplate(
  template: HTMLElement,
  t: number,
  values: Record<string, string>,
  vars: HTMLFormElement | null,
): (() => void) | undefined {
  const text = template.dataset.template ?? '';
  const live = template.querySelector<HTMLElement>('.rb-template__live');
  if (!live) return undefined;
  const hints = placeholderHints(text);
  const fields = templateFields(hints, values, vars);
  const { preview, copy, status } = templateNodes(template, live, `rb-template-${t}`, hints, fields);
  let pieces = fillTemplate(text, values);
  bindCopy(copy, preview, status, () => filledText(pieces));
  return () => {
    pieces = fillTemplate(text, values);
    preview.replaceChildren(...previewNodes(pieces));
  };
}

/** Makes the page's templates live; one value per name, shared by every template and the variables form. */
function templates(all: HTMLElement[]): void {
  const values: Record<string, string> = {};
  const vars = document.querySelector<HTMLFormElement>('[data-rb-vars]');
  const previews = all.map((template, t) => liveTemplate(template, t, values, vars)).filter((p) => p !== undefined);
  const renderAll = () => previews.forEach((render) => render());
  const set = (name: string, value: string, from: EventTarget | null) => {
    values[name] = value;
    for (const input of document.querySelectorAll<HTMLInputElement>('.rb-template [data-placeholder]')) {
      if (input !== from && input.dataset.placeholder === name && input.value !== value) input.value = value;
    }
    const field = varField(vars, name);
    if (field && field !== from && field.value !== value) {
      field.value = value;
      // The variables form updates its snippets on input.
      field.dispatchEvent(new Event('input', { bubbles: true }));
    }
    renderAll();
  };
  document.addEventListener('input', (e) => {
    const target = e.target as HTMLInputElement | null;
    const name = target?.dataset?.placeholder;
    if (name !== undefined && target?.closest('.rb-template')) set(name, target.value, target);
    else if (target && vars?.contains(target) && target.name) {
      for (const name of Object.keys(values))
        if (name.replace(/[ -]/g, '_') === target.name) set(name, target.value, target);
    }
  });
  renderAll();
}

const bands = [...document.querySelectorAll<HTMLElement>('.rb-checklist')];
if (bands.length) checklists(bands);
const all = [...document.querySelectorAll<HTMLElement>('.rb-template[data-template]')];
if (all.length) templates(all);
