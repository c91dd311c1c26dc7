// The page script of the handbook directives, loaded by boot.ts only on pages that have a
// `:::checklist` or a `:::template`. Without it the page is complete: checklists are plain
// lists with their target times, templates are the code blocks they were written as.
//
// Timed checklists (bands with `by=`) run on the site's one incident (incident/store.ts):
// its start is when the page fired, their ticks are kept in it and logged. A page of
// untimed checklists (the handoff) is not an incident: its ticks are kept for the page.
import {
  CHANGED,
  KEYS,
  clearIncident,
  keepValue,
  logAction,
  pageName,
  readIncident,
  startIncident,
  updateIncident,
  utcHhmm,
  type Incident,
} from '../../incident/store.ts';
import { blanksOf, blanksWarning, migrateChecklist, oldChecklistKey, parseFiredAt } from '../incident-clock.ts';
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

const PATH = location.pathname;
const utc = (ms: number) => `${utcHhmm(ms)} UTC`;

/** localStorage, or nothing where it is blocked (the page works, it forgets on reload). */
const storage = (): Storage | undefined => {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
};

/**
 * Where a band or template is, for the incident log: the id of the heading just before it
 * (`25-min-assess`), or its label as a slug when another band sits between them.
 */
function anchorOf(el: HTMLElement, label: string): string {
  for (let n = el.previousElementSibling; n; n = n.previousElementSibling) {
    if (n.matches('.rb-checklist, .rb-template')) break;
    const heading = n.matches('h2, h3, h4') ? n : n.querySelector(':scope > h2, :scope > h3, :scope > h4');
    if (heading?.id) return heading.id;
  }
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/* ---------------------------------------------------------------- checklists */

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

/** The words of a task, for the log (`ticked on the site: Acknowledge the page …`). */
const taskWords = (box: HTMLInputElement) =>
  (box.nextElementSibling?.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);

/** The incident clock's nodes. */
interface Clock {
  bar: HTMLDivElement;
  /** Before an incident is open: "Page fired at [03:58] UTC" and Start. */
  form: HTMLSpanElement;
  fired: HTMLInputElement;
  error: HTMLSpanElement;
  start: HTMLButtonElement;
  timer: HTMLSpanElement;
  since: HTMLSpanElement;
  running: HTMLSpanElement;
  progress: HTMLSpanElement;
  /** Under the bar, not sticky (rarely needed, and a phone's bar stays one line): Clear ticks, End incident. */
  actions: HTMLDivElement;
  /** Clears this page's ticks; the incident stays open. */
  clear: HTMLButtonElement;
  /** Ends the incident on this device (store.clearIncident). */
  end: HTMLButtonElement;
  /** Announced, not shown: the clock's start, a reset, a band turning overdue. */
  note: HTMLSpanElement;
}

/** Puts `bar` above the first band's heading, so it comes before the first step. */
function placeBar(bar: HTMLElement, first: HTMLElement): void {
  const before = first.previousElementSibling;
  (before?.matches('.sl-heading-wrapper, h2, h3, h4') ? before : first).before(bar);
}

/** Builds the incident clock above the first band. */
function clockBar(first: HTMLElement): Clock {
  const fired = create('input', { type: 'time', className: 'rb-clock__fired-input', required: true });
  const error = create('span', { className: 'rb-clock__error', id: 'rb-clock-error' });
  fired.setAttribute('aria-describedby', error.id);
  const start = create('button', { type: 'button', className: 'rb-clock__start' }, 'Start incident clock');
  const form = create(
    'span',
    { className: 'rb-clock__form' },
    create('label', { className: 'rb-clock__fired' }, 'Page fired at ', fired, ' UTC'),
    start,
    error,
  );
  const timer = create('span', { className: 'rb-clock__time' }, '0:00');
  timer.setAttribute('role', 'timer');
  const since = create('span', { className: 'rb-clock__since' });
  const running = create('span', { className: 'rb-clock__running' }, 'Elapsed ', timer, ' ', since);
  const progress = create('span', { className: 'rb-clock__progress' });
  const clear = create('button', { type: 'button', className: 'rb-clock__clear' }, 'Clear ticks');
  clear.title = 'Untick every task on this page; the incident stays open';
  const end = create('button', { type: 'button', className: 'rb-clock__end' }, 'End incident');
  end.title = 'End the incident on this device: its clock, ticks, values and log are cleared';
  const note = create('span', { className: 'rb-clock__note sr-only' }); // Starlight's sr-only: announced, not shown
  note.setAttribute('role', 'status');
  const bar = create('div', { className: 'rb-clock' }, form, running, progress, note);
  bar.setAttribute('role', 'group');
  bar.setAttribute('aria-label', 'Incident clock');
  const actions = create('div', { className: 'rb-clock__actions' }, clear, end);
  placeBar(bar, first);
  bar.after(actions);
  return { bar, form, fired, error, start, timer, since, running, progress, actions, clear, end, note };
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

/** A page's timed checklists: their bands, boxes and clock, and the site's incident they are ticked for. */
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
  // Until the responder types a time, "when the page fired" is now.
  if (!c.incident && !c.clock.fired.dataset.edited && document.activeElement !== c.clock.fired)
    c.clock.fired.value = utcHhmm(Date.now());
  const overdue: string[] = [];
  for (const band of c.bands) {
    const status = band.querySelector<HTMLElement>('[data-status]');
    const [state, text] = bandStatus(band, c.incident, elapsed);
    band.dataset.state = state;
    if (status) status.textContent = text;
    if (state === 'overdue' && !c.announced.has(band)) {
      c.announced.add(band);
      overdue.push(band.dataset.label ?? 'A band');
    }
    if (state !== 'overdue') c.announced.delete(band);
  }
  // Joined late, several bands are overdue at once: one announcement.
  if (overdue.length) c.clock.note.textContent = `${overdue.join(', ')} ${overdue.length > 1 ? 'are' : 'is'} overdue.`;
}

/** Shows the incident (or its absence): the start form or the running clock, ticks, progress. */
function render(c: Checklist): void {
  const { clock, checks } = c;
  const incident = (c.incident = readIncident());
  if (!incident) c.announced.clear();
  clock.form.hidden = Boolean(incident);
  clock.running.hidden = clock.progress.hidden = clock.actions.hidden = !incident;
  clock.since.textContent = incident ? `since ${utc(incident.started)}` : '';
  clock.running.title = incident ? `The page fired at ${utc(incident.started)}` : '';
  const ticks = new Set(incident?.ticks[PATH]);
  for (const box of checks) box.checked = ticks.has(box.dataset.key ?? '');
  clock.progress.textContent = `${checks.filter((box) => box.checked).length} of ${checks.length} done`;
  clearInterval(c.tick);
  c.tick = setInterval(() => renderClock(c), 1000);
  renderClock(c);
}

/** Opens the incident from when the page fired, as typed (now when left as it was); false when the time is not one. */
function begin(c: Checklist): boolean {
  const { fired, error, note } = c.clock;
  const now = Date.now();
  const started = fired.dataset.edited ? parseFiredAt(fired.value, now) : now;
  if (started === undefined) {
    fired.setAttribute('aria-invalid', 'true');
    error.textContent = 'Type the time the page fired, HH:MM in UTC (up to a day back).';
    fired.focus();
    return false;
  }
  fired.removeAttribute('aria-invalid');
  error.textContent = '';
  note.textContent = '';
  startIncident(started); // the store says it changed: render() announces the bands already overdue
  const overdue = note.textContent;
  const ago = Math.floor((now - started) / 1000);
  note.textContent = `Incident clock started from ${utc(started)}${ago >= 60 ? `, ${formatClock(ago)} ago` : ''}.${overdue ? ` ${overdue}` : ''}`;
  return true;
}

/** Ticks or unticks one task in the incident (opening one now if none is), and logs it. */
function tick(box: HTMLInputElement): void {
  const key = box.dataset.key ?? '';
  const checked = box.checked;
  if (!readIncident()) startIncident(); // ticking before Start starts the clock: the work has begun
  updateIncident((incident) => {
    if (!incident) return incident;
    const keys = new Set(incident.ticks[PATH]);
    if (checked) keys.add(key);
    else keys.delete(key);
    return { ...incident, ticks: { ...incident.ticks, [PATH]: [...keys] } };
  });
  const band = box.closest<HTMLElement>('.rb-checklist');
  logAction({
    slug: pageName(),
    block: band ? anchorOf(band, band.dataset.label ?? '') : '',
    site: { action: checked ? 'ticked' : 'unticked', detail: taskWords(box) },
  });
}

/** Start, Clear ticks, End incident, a tick, and the incident changed by another feature or tab. */
function bindChecklist(c: Checklist): void {
  const { start, clear, end, note, fired } = c.clock;
  fired.addEventListener('input', () => (fired.dataset.edited = 'true'));
  fired.addEventListener('keydown', (e) => e.key === 'Enter' && start.click());
  start.addEventListener('click', () => {
    if (!begin(c)) return;
    c.checks.find((box) => !box.checked)?.focus();
  });
  clear.addEventListener('click', () => {
    if (!confirm("Clear this page's ticks? The incident stays open: its clock, values and log are kept.")) return;
    updateIncident((incident) => {
      if (!incident) return incident;
      const ticks = { ...incident.ticks };
      delete ticks[PATH];
      return { ...incident, ticks };
    });
    note.textContent = 'Ticks on this page cleared.';
  });
  end.addEventListener('click', () => {
    if (
      !confirm(
        'End the incident on this device? Its clock, the ticks on every page, the values kept and the incident log are cleared.',
      )
    )
      return;
    clearIncident();
    delete fired.dataset.edited;
    note.textContent = 'Incident ended.';
    start.focus();
  });
  for (const box of c.checks) box.addEventListener('change', () => tick(box));
  // The store says when this tab changed the incident; `storage` when another tab did.
  addEventListener(CHANGED, () => render(c));
  addEventListener('storage', (e) => (e.key === KEYS.incident || e.key === null) && render(c));
  // A jump to a band's heading lands below the sticky bar, however tall it wraps.
  new ResizeObserver(() =>
    document.documentElement.style.setProperty('--rb-clock-height', `${c.clock.bar.offsetHeight}px`),
  ).observe(c.clock.bar);
}

/** Moves this page's own incident from before the store (`rb-checklist:<path>`) into it, once. */
function migrateOld(): void {
  const store = storage();
  const key = oldChecklistKey(PATH);
  const raw = store?.getItem(key) ?? null;
  if (raw === null) return;
  let old: unknown = null;
  try {
    old = JSON.parse(raw);
  } catch {
    // Not JSON we wrote: nothing to move.
  }
  updateIncident((incident) => migrateChecklist(old, incident, PATH, Date.now()));
  store?.removeItem(key);
}

/** Makes the page's timed checklists live: boxes, the incident clock, the bands' states, on the site's incident. */
function timedChecklists(bands: HTMLElement[]): void {
  try {
    migrateOld();
  } catch {
    // Storage blocked: there is nothing to move.
  }
  const checks = taskBoxes(bands);
  const c: Checklist = {
    bands,
    checks,
    clock: clockBar(bands[0]),
    incident: undefined,
    tick: undefined,
    announced: new Set(),
  };
  bindChecklist(c);
  render(c);
}

/** Makes untimed checklists (no `by=`: the handoff) tickable; their ticks are kept for the page, not the incident. */
function plainChecklists(bands: HTMLElement[]): void {
  const key = `rb-ticks:${PATH}`;
  const checks = taskBoxes(bands);
  const progress = create('span', { className: 'rb-clock__progress' });
  const clear = create('button', { type: 'button', className: 'rb-clock__clear' }, 'Clear ticks');
  const bar = create('div', { className: 'rb-clock rb-clock--plain' }, progress, clear);
  bar.setAttribute('role', 'group');
  bar.setAttribute('aria-label', 'Checklist');
  placeBar(bar, bands[0]);
  const load = (): Set<string> => {
    try {
      const v: unknown = JSON.parse(storage()?.getItem(key) ?? '[]');
      return new Set(Array.isArray(v) ? v.filter((k): k is string => typeof k === 'string') : []);
    } catch {
      return new Set();
    }
  };
  const save = (keys: Set<string>) => {
    try {
      if (keys.size) storage()?.setItem(key, JSON.stringify([...keys]));
      else storage()?.removeItem(key);
    } catch {
      // Full or blocked storage: the ticks last until the page closes.
    }
  };
  const show = () => {
    const ticks = load();
    for (const box of checks) box.checked = ticks.has(box.dataset.key ?? '');
    const done = checks.filter((box) => box.checked).length;
    progress.textContent = `${done} of ${checks.length} done`;
    clear.hidden = done === 0;
  };
  for (const box of checks)
    box.addEventListener('change', () => {
      const ticks = load();
      if (box.checked) ticks.add(box.dataset.key ?? '');
      else ticks.delete(box.dataset.key ?? '');
      save(ticks);
      show();
    });
  clear.addEventListener('click', () => {
    if (!confirm('Clear the ticks on this page?')) return;
    save(new Set());
    show();
    checks[0]?.focus();
  });
  addEventListener('storage', (e) => (e.key === key || e.key === null) && show());
  show();
}

/** Makes the page's checklists live: a page with a timed band runs on the incident clock. */
function checklists(bands: HTMLElement[]): void {
  if (bands.some((band) => Number(band.dataset.by) > 0)) timedChecklists(bands);
  else plainChecklists(bands);
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

/**
 * A field per placeholder, filled from `values`, else from the open incident (a reload
 * keeps what was typed), else from the variables form; new names are added to `values`.
 */
function templateFields(
  hints: Map<string, string>,
  values: Record<string, string>,
  vars: HTMLFormElement | null,
): HTMLDivElement {
  const kept = readIncident()?.values ?? {};
  const fields = create('div', { className: 'rb-template__fields' });
  for (const [name, hint] of hints) {
    const input = create('input', {
      type: 'text',
      spellcheck: false,
      autocomplete: 'off',
      placeholder: hint,
      value: values[name] ?? kept[name] ?? varField(vars, name)?.value ?? '',
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

/** A Copy button with its status and its "still blank" warning; a template with fields has one above them and one after. */
interface Actions {
  row: HTMLDivElement;
  copy: HTMLButtonElement;
  status: HTMLSpanElement;
  warn: HTMLDivElement;
  message: HTMLParagraphElement;
  anyway: HTMLButtonElement;
  fill: HTMLButtonElement;
}

function actionsRow(previewId: string, warnId: string): Actions {
  const copy = create('button', { type: 'button', className: 'rb-template__copy' }, 'Copy');
  copy.setAttribute('aria-describedby', previewId);
  const status = create('span', { className: 'rb-template__status' });
  status.setAttribute('role', 'status');
  const message = create('p', { className: 'rb-template__warn-text', id: warnId });
  const anyway = create('button', { type: 'button', className: 'rb-template__anyway' }, 'Copy anyway');
  const fill = create('button', { type: 'button', className: 'rb-template__fill' }, 'Fill in');
  const warn = create('div', { className: 'rb-template__warn', hidden: true }, message, anyway, fill);
  warn.setAttribute('role', 'group');
  warn.setAttribute('aria-labelledby', warnId);
  const row = create('div', { className: 'rb-template__actions' }, copy, status, warn);
  return { row, copy, status, warn, message, anyway, fill };
}

/** Fills the template's live part: the preview, Copy, and the fields (if it has placeholders) with a second Copy after them. */
function templateNodes(
  template: HTMLElement,
  live: HTMLElement,
  t: number,
  hints: Map<string, string>,
  fields: HTMLDivElement,
) {
  const id = `rb-template-${t}`;
  const preview = create('pre', { className: 'rb-template__preview', id, tabIndex: 0 });
  preview.setAttribute('aria-label', `${template.dataset.label ?? 'Message'}, with your values`);
  const top = actionsRow(id, `${id}-warn-top`);
  const bottom = hints.size ? [actionsRow(id, `${id}-warn-bottom`)] : [];
  live.replaceChildren(
    preview,
    top.row,
    ...(hints.size
      ? [
          create(
            'p',
            { className: 'rb-template__intro' },
            'Fill in what you know. A value fills the same field in every template on this page (kept on this device until the incident ends, while one is open); a blank stays as <NAME> in the copy.',
          ),
          fields,
        ]
      : []),
    ...bottom.map((b) => b.row),
  );
  live.hidden = false;
  template.classList.add('rb-template--live');
  return { preview, rows: [top, ...bottom] };
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

/** What a template's Copy buttons need: its text now, the blanks left, and where it is. */
interface Copyable {
  template: HTMLElement;
  preview: HTMLElement;
  text: () => string;
  blanks: () => string[];
}

/** Writes the filled text to the clipboard (or selects the preview where it cannot) and logs the copy with the blanks left. */
async function copyTemplate(c: Copyable, a: Actions): Promise<void> {
  const blanks = c.blanks();
  try {
    await navigator.clipboard.writeText(c.text());
    a.status.textContent = blanks.length
      ? `Copied with ${blanks.length} blank${blanks.length === 1 ? '' : 's'}`
      : 'Copied';
    const label = c.template.dataset.label ?? '';
    logAction({
      slug: pageName(),
      block: anchorOf(c.template, label || 'template'),
      site: { action: 'template', detail: label, ...(blanks.length ? { values: blanks } : {}) },
    });
  } catch {
    getSelection()?.selectAllChildren(c.preview);
    a.status.textContent = 'Selected: press Ctrl+C (⌘C) to copy';
  }
  setTimeout(() => (a.status.textContent = ''), 4000);
}

/** Copy copies a complete message at once; with blanks left it first says which, and offers Copy anyway or Fill in. */
function bindCopy(c: Copyable, a: Actions): void {
  a.copy.addEventListener('click', () => {
    const blanks = c.blanks();
    if (!blanks.length) return void copyTemplate(c, a);
    a.message.textContent = `${blanksWarning(blanks)}.`;
    a.warn.hidden = false;
    a.fill.focus();
  });
  a.anyway.addEventListener('click', () => {
    a.warn.hidden = true;
    a.copy.focus();
    void copyTemplate(c, a);
  });
  a.fill.addEventListener('click', () => {
    a.warn.hidden = true;
    const first = c.blanks()[0];
    [...c.template.querySelectorAll<HTMLInputElement>('[data-placeholder]')]
      .find((input) => input.dataset.placeholder === first)
      ?.focus();
  });
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
  const { preview, rows } = templateNodes(template, live, t, hints, fields);
  let pieces = fillTemplate(text, values);
  const copyable: Copyable = {
    template,
    preview,
    text: () => filledText(pieces),
    blanks: () => blanksOf(hints.keys(), values),
  };
  for (const row of rows) bindCopy(copyable, row);
  return () => {
    pieces = fillTemplate(text, values);
    preview.replaceChildren(...previewNodes(pieces));
    // A warning names the blanks as they were: typing makes it stale.
    for (const row of rows) row.warn.hidden = true;
  };
}

/** Makes the page's templates live; one value per name, shared by every template and the variables form, kept for the incident. */
function templates(all: HTMLElement[]): void {
  const values: Record<string, string> = {};
  const vars = document.querySelector<HTMLFormElement>('[data-rb-vars]');
  const previews = all.map((template, t) => liveTemplate(template, t, values, vars)).filter((p) => p !== undefined);
  const renderAll = () => previews.forEach((render) => render());
  // A field named as one of the page's secret variables (`DB ADMIN URL` for DB_ADMIN_URL) fills the copy, never storage.
  const secrets = new Set(
    [...document.querySelectorAll<HTMLElement>('[data-var][data-secret]')].map((el) => el.dataset.var ?? ''),
  );
  const set = (name: string, value: string, from: EventTarget | null) => {
    values[name] = value;
    if (!secrets.has(name.replace(/[ -]/g, '_'))) keepValue(name, value);
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
  // The incident ended (here or in another tab), or another began: its values leave the
  // templates too, so nothing of it is copied into the next one's messages.
  let incidentId = readIncident()?.id;
  const follow = () => {
    const id = readIncident()?.id;
    if (incidentId !== undefined && id !== incidentId) {
      for (const name of Object.keys(values)) values[name] = '';
      for (const input of document.querySelectorAll<HTMLInputElement>('.rb-template [data-placeholder]'))
        input.value = '';
      renderAll();
    }
    incidentId = id;
  };
  addEventListener(CHANGED, follow);
  addEventListener('storage', (e) => (e.key === KEYS.incident || e.key === null) && follow());
  renderAll();
}

const bands = [...document.querySelectorAll<HTMLElement>('.rb-checklist')];
if (bands.length) checklists(bands);
const all = [...document.querySelectorAll<HTMLElement>('.rb-template[data-template]')];
if (all.length) templates(all);
