// The page script of the handbook directives, loaded by boot.ts only on pages that have a
// `:::checklist` or a `:::template`. Without it the page is complete: checklists are plain
// lists with their target times, templates are the code blocks they were written as.
import { fillTemplate, filledText, formatClock, scanTemplate } from '../syntax.ts';

const create = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] => {
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
      return { id: String(v.id ?? v.started), started: v.started, ticks: v.ticks.filter((t): t is string => typeof t === 'string') };
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

function checklists(bands: HTMLElement[]): void {
  let incident = loadIncident();
  const checks: HTMLInputElement[] = [];

  // Each task becomes a labelled checkbox: the whole line is the label, so it is one
  // tab stop, Space ticks it, and a tap anywhere on the text works.
  bands.forEach((band, b) => {
    for (const li of band.querySelectorAll<HTMLLIElement>('li.rb-task')) {
      li.querySelector(':scope > .rb-task__box, :scope > p > .rb-task__box')?.remove();
      const host = li.firstElementChild?.tagName === 'P' ? (li.firstElementChild as HTMLElement) : li;
      const box = create('input', { type: 'checkbox', className: 'rb-task__check' });
      box.dataset.key = `${b}.${li.dataset.task}`;
      const words = create('span', { className: 'rb-task__text' });
      for (const node of [...host.childNodes]) if (!(node instanceof HTMLElement && /^(UL|OL)$/.test(node.tagName))) words.append(node);
      host.prepend(create('label', { className: 'rb-task__label' }, box, words));
      checks.push(box);
    }
  });

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
  // Above the first band's heading, so the clock comes before the first step.
  const before = bands[0].previousElementSibling;
  (before?.matches('.sl-heading-wrapper, h2, h3, h4') ? before : bands[0]).before(bar);

  let tick: ReturnType<typeof setInterval> | undefined;
  const announced = new Set<HTMLElement>();

  const renderClock = () => {
    const elapsed = incident ? (Date.now() - incident.started) / 1000 : 0;
    timer.textContent = formatClock(elapsed);
    for (const band of bands) {
      const status = band.querySelector<HTMLElement>('[data-status]');
      const boxes = [...band.querySelectorAll<HTMLInputElement>('.rb-task__check')];
      const by = Number(band.dataset.by);
      let state = '';
      let text = '';
      if (incident && boxes.length && boxes.every((c) => c.checked)) [state, text] = ['done', 'Done'];
      else if (incident && by > 0) {
        const left = by - elapsed;
        // Counting down reads like a countdown (2:00 until the first second has gone).
        [state, text] = left > 0 ? ['due', `Due in ${formatClock(Math.ceil(left))}`] : ['overdue', `Overdue by ${formatClock(-left)}`];
      }
      band.dataset.state = state;
      if (status) status.textContent = text;
      // Say it once when a band turns overdue; the clock itself stays quiet.
      if (state === 'overdue' && !announced.has(band)) {
        announced.add(band);
        note.textContent = `${band.dataset.label ?? 'A band'} is overdue.`;
      }
      if (state !== 'overdue') announced.delete(band);
    }
  };

  const render = () => {
    start.hidden = Boolean(incident);
    running.hidden = reset.hidden = !incident;
    since.textContent = incident ? `since ${utc(incident.started)}` : '';
    running.title = incident ? `Started at ${utc(incident.started)}` : '';
    const ticks = new Set(incident?.ticks);
    for (const c of checks) c.checked = ticks.has(c.dataset.key ?? '');
    progress.textContent = `${checks.filter((c) => c.checked).length} of ${checks.length} done`;
    clearInterval(tick);
    tick = incident ? setInterval(renderClock, 1000) : undefined;
    renderClock();
  };

  const begin = () => {
    const now = Date.now();
    incident = { id: now.toString(36), started: now, ticks: [] };
    announced.clear();
    note.textContent = `Incident clock started at ${utc(now)}.`;
  };

  start.addEventListener('click', () => {
    begin();
    saveIncident(incident);
    render();
    checks.find((c) => !c.checked)?.focus();
  });
  reset.addEventListener('click', () => {
    if (!confirm('Reset this checklist? The incident clock stops and every tick on this page is cleared.')) return;
    incident = undefined;
    saveIncident(undefined);
    note.textContent = 'Checklist reset.';
    render();
    start.focus();
  });
  for (const c of checks) {
    c.addEventListener('change', () => {
      // Ticking before pressing Start starts the clock: the work has begun.
      if (!incident) begin();
      const ticks = new Set(checks.filter((x) => x.checked).map((x) => x.dataset.key ?? ''));
      incident = { ...incident!, ticks: [...ticks] };
      saveIncident(incident);
      render();
    });
  }
  // Another tab of the same page ticked or reset: follow it.
  addEventListener('storage', (e) => {
    if (e.key !== KEY && e.key !== null) return;
    incident = loadIncident();
    render();
  });
  render();
}

/* ---------------------------------------------------------------- templates */

function templates(all: HTMLElement[]): void {
  const values: Record<string, string> = {};
  const vars = document.querySelector<HTMLFormElement>('[data-rb-vars]');
  /** The runbook variables form's field of the same name (`START TIME` → `START_TIME`), if any. */
  const varField = (name: string) => vars?.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-var-input][name="${name.replace(/[ -]/g, '_')}"]`) ?? null;
  const previews: (() => void)[] = [];

  all.forEach((template, t) => {
    const text = template.dataset.template ?? '';
    const live = template.querySelector<HTMLElement>('.rb-template__live');
    if (!live) return;
    const hints = new Map<string, string>();
    for (const p of scanTemplate(text).placeholders) if (!hints.has(p.name) || !hints.get(p.name)) hints.set(p.name, p.hint);

    const fields = create('div', { className: 'rb-template__fields' });
    for (const [name, hint] of hints) {
      const input = create('input', { type: 'text', spellcheck: false, autocomplete: 'off', placeholder: hint, value: values[name] ?? varField(name)?.value ?? '' });
      input.dataset.placeholder = name;
      values[name] ??= input.value;
      fields.append(create('label', { className: 'rb-template__field' }, create('span', { className: 'rb-template__name' }, name), input));
    }
    const id = `rb-template-${t}`;
    const preview = create('pre', { className: 'rb-template__preview', id, tabIndex: 0 });
    preview.setAttribute('aria-label', `${template.dataset.label ?? 'Message'}, with your values`);
    const copy = create('button', { type: 'button', className: 'rb-template__copy' }, 'Copy');
    copy.setAttribute('aria-describedby', id);
    const status = create('span', { className: 'rb-template__status' });
    status.setAttribute('role', 'status');
    live.replaceChildren(
      preview,
      create('div', { className: 'rb-template__actions' }, copy, status),
      ...(hints.size ? [create('p', { className: 'rb-template__intro' }, 'Fill in what you know. A value fills the same field in every template on this page; a blank stays as <NAME> in the copy.'), fields] : []),
    );
    live.hidden = false;
    template.classList.add('rb-template--live');

    let pieces = fillTemplate(text, values);
    previews.push(() => {
      pieces = fillTemplate(text, values);
      preview.replaceChildren(
        ...pieces.map((p) => ('text' in p ? p.text : p.value !== undefined ? create('span', { className: 'rb-template__value' }, p.value) : create('span', { className: 'rb-template__hole' }, `<${p.name}>`))),
      );
    });
    copy.addEventListener('click', () => void (async () => {
      try {
        await navigator.clipboard.writeText(filledText(pieces));
        status.textContent = 'Copied';
      } catch {
        getSelection()?.selectAllChildren(preview);
        status.textContent = 'Selected: press Ctrl+C (⌘C) to copy';
      }
      setTimeout(() => (status.textContent = ''), 4000);
    })());
  });

  const renderAll = () => previews.forEach((render) => render());
  const set = (name: string, value: string, from: EventTarget | null) => {
    values[name] = value;
    for (const input of document.querySelectorAll<HTMLInputElement>('.rb-template [data-placeholder]')) {
      if (input !== from && input.dataset.placeholder === name && input.value !== value) input.value = value;
    }
    const field = varField(name);
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
      for (const name of Object.keys(values)) if (name.replace(/[ -]/g, '_') === target.name) set(name, target.value, target);
    }
  });
  renderAll();
}

const bands = [...document.querySelectorAll<HTMLElement>('.rb-checklist')];
if (bands.length) checklists(bands);
const all = [...document.querySelectorAll<HTMLElement>('.rb-template[data-template]')];
if (all.length) templates(all);
