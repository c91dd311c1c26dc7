// Run blocks in the browser: the variables form fills values into every block that uses
// them, copy buttons copy the filled-in command, and a destructive block asks for its
// confirm word before anything is copied, the guard `runbook run` applies in a terminal.
// A block's "Values" link opens the field right at the block (a copy of the form's field,
// kept in step with it), and values are kept for the incident in this browser (never a
// secret's), so a reload, another page and another tab show them until the incident ends.
// Loaded by site/client/boot.ts on first use: the first click on a copy button or a
// "Values" link, the first focus in the variables form, or at once when values are kept.
import { commandLines, fillSnippet, fillSql } from '../snippet.ts';
import { CHANGED, KEYS, keepValue, logAction, pageName, readIncident, startIncident } from '../../incident/store.ts';
import { changes, keptNote, toKeep, usable, valid, type Field } from './values.ts';

/** The command each block copies now: filled in when the form has values, else as written. */
const current = new WeakMap<HTMLElement, string>();

function showLines(out: Element, command: string) {
  // As render.ts codeLines: one element per line, each keeping its newline.
  out.replaceChildren(
    ...commandLines(command).map((line) => {
      const span = document.createElement('span');
      span.className = 'rb-line';
      span.textContent = line;
      return span;
    }),
  );
}

/** A field element (`[data-var]`, in the form or open at a block) as values.ts sees it. */
function fieldOf(el: HTMLElement): Field {
  const input = el.querySelector<HTMLInputElement | HTMLSelectElement>('[data-var-input]');
  return {
    name: el.dataset.var ?? '',
    // No input, or marked secret anywhere around it: a secret either way.
    secret: !input || el.closest('[data-secret]') !== null,
    value: input?.value ?? '',
    pattern: input?.dataset.pattern,
    options: input instanceof HTMLSelectElement ? [...input.options].map((o) => o.value).filter(Boolean) : undefined,
  };
}

function update(form: HTMLFormElement) {
  const fields = [...form.querySelectorAll<HTMLElement>('[data-var]')].map(fieldOf);
  const values = usable(fields);
  const secrets = new Set(fields.filter((f) => f.secret).map((f) => f.name));
  // Every copy of a field says what is wrong with its value: the form's and one open at a block.
  for (const el of document.querySelectorAll<HTMLElement>('[data-var]')) {
    const field = fieldOf(el);
    const input = el.querySelector<HTMLInputElement | HTMLSelectElement>('[data-var-input]');
    const error = el.querySelector<HTMLElement>('.rb-vars__error');
    if (field.secret || !input || !error) continue;
    const bad = !valid(field);
    error.hidden = !bad;
    error.textContent = bad ? `Not filled in: does not match ${field.pattern ?? 'the choices'}` : '';
    input.setAttribute('aria-invalid', String(bad));
  }
  for (const snippet of document.querySelectorAll<HTMLElement>('.rb-snippet[data-code]')) {
    const code = snippet.dataset.code ?? '';
    const sql = snippet.dataset.lang === 'sql';
    const filled = sql
      ? fillSql(
          code,
          {
            db: snippet.dataset.db ?? 'DATABASE_URL',
            safety: snippet.dataset.safety,
            timeout: Number(snippet.dataset.timeout) || undefined,
          },
          values,
          secrets,
        )
      : fillSnippet(code, values, secrets);
    const box = snippet.querySelector<HTMLElement>('.rb-snippet__filled');
    const out = box?.querySelector('.rb-snippet__filled-code');
    if (!box || !out) continue;
    box.hidden = filled === code;
    showLines(out, filled);
    // Expressive Code's copy button copies the filled-in command too (for SQL, the SQL itself, to paste into an open psql).
    if (!sql) current.set(snippet, filled);
  }
}

/** What a copy button in `snippet` copies. */
function textFor(snippet: HTMLElement, button: HTMLElement): string {
  // The terminal line's button: exactly the command it shows (`runbook run` fills values and guards itself).
  const cli = button.closest('.rb-snippet__cli')?.querySelector('code');
  if (cli) return cli.textContent ?? '';
  const filled = button.closest('.rb-snippet__filled')?.querySelector('.rb-snippet__filled-code');
  if (filled) return filled.textContent ?? '';
  return current.get(snippet) ?? (button.dataset.code ?? '').replace(/\u007f/g, '\n');
}

/** Writes `text` to the clipboard: the Clipboard API, else the older copy command; false when the browser refused both. */
async function write(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

/**
 * Says how a copy went, the one way every copy button of a run block does: through the live
 * region beside the button (Expressive Code's shows its text as a bubble; ours, render.ts
 * copyButton, is for screen readers), and on our own buttons in their text too.
 */
function tell(button: HTMLElement, message: string, ms: number) {
  const live = button.parentElement?.querySelector('[aria-live]');
  const ours = button.classList.contains('rb-snippet__copy');
  for (const target of [live, ours ? button : undefined]) {
    if (!target) continue;
    const before = target === live ? '' : target.textContent;
    target.textContent = message;
    setTimeout(() => (target.textContent = before), ms);
  }
}

async function copy(button: HTMLElement, text: string) {
  // Never a silent failure: say so where the reader is looking.
  if (!(await write(text))) return tell(button, 'Not copied: press again', 3000);
  logCopy(button);
  tell(button, button.classList.contains('rb-snippet__copy') ? 'Copied' : 'Copied!', 1500);
}

/** Puts the copy into the incident log: the block, its safety class and the names of the values filled in (never the values). */
function logCopy(button: HTMLElement) {
  const snippet = button.closest<HTMLElement>('.rb-snippet');
  // The terminal command is not the step: `runbook run` writes the run itself into its transcript.
  if (!snippet || button.closest('.rb-snippet__cli')) return;
  const used = new Set((snippet.dataset.vars ?? '').split(' ').filter(Boolean));
  const form = document.querySelector<HTMLFormElement>('[data-rb-vars]');
  const values = [...(form?.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-var-input]') ?? [])]
    .filter((input) => used.has(input.name) && input.value !== '' && input.getAttribute('aria-invalid') !== 'true')
    .map((input) => input.name);
  logAction({
    slug: pageName(),
    block: snippet.id,
    safety: snippet.dataset.safety ?? '',
    site: { action: 'copied', ...(values.length ? { values } : {}) },
  });
}

/** The inline "type the confirm word" form of a destructive block. */
function askConfirm(snippet: HTMLElement, button: HTMLElement) {
  const word = snippet.dataset.confirm ?? '';
  snippet.querySelector('.rb-confirm')?.remove();
  const form = document.createElement('form');
  form.className = 'rb-confirm';
  const id = `${snippet.id || 'step'}-confirm`;
  // Built from elements, never from markup: the id and the word come from the page.
  const el = (tag: string, attrs: Record<string, string>, ...children: (Node | string)[]) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    node.append(...children);
    return node;
  };
  const input = el('input', {
    id,
    autocomplete: 'off',
    spellcheck: 'false',
    autocapitalize: 'off',
  }) as HTMLInputElement;
  const error = el('span', { class: 'rb-confirm__error', role: 'alert' });
  const cancel = el('button', { type: 'button', class: 'rb-snippet__copy' }, 'Cancel');
  form.append(
    el('label', { for: id }, 'Destructive. Type ', el('code', {}, word), ' to copy it:'),
    input,
    el('button', { type: 'submit', class: 'rb-snippet__copy' }, 'Copy'),
    cancel,
    error,
  );
  const close = () => {
    form.remove();
    button.focus();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (input.value.trim() !== word) {
      error.textContent = `That is not "${word}". Nothing was copied.`;
      input.select();
      return;
    }
    void copy(button, textFor(snippet, button)).then(close);
  });
  cancel.addEventListener('click', close);
  form.addEventListener('keydown', (event) => event.key === 'Escape' && close());
  (button.closest('.rb-snippet__filled') ?? snippet.querySelector('.expressive-code') ?? snippet).after(form);
  input.focus();
}

const forms = [...document.querySelectorAll<HTMLFormElement>('[data-rb-vars]')];
/** The values storage held at our last look: what changed since is what another tab (or the incident ending) did. */
let kept: Record<string, string> = {};
/** True while this tab writes a value, so the store's change event does not echo it back into the field being typed in. */
let writing = false;

/** Shows `value` in every copy of field `name` on the page. */
function show(name: string, value: string) {
  for (const el of document.querySelectorAll<HTMLElement>('[data-var]')) {
    const input =
      el.dataset.var === name ? el.querySelector<HTMLInputElement | HTMLSelectElement>('[data-var-input]') : null;
    if (input && input.value !== value) input.value = value;
  }
}

/**
 * The one place a typed value goes to the store. A secret never gets past it (values.ts
 * toKeep); an invalid value forgets the one kept; the first value kept opens an incident
 * that starts now, since a responder typing values at 3 a.m. is in one (the form says so).
 */
function keep(el: HTMLElement) {
  const value = toKeep(fieldOf(el));
  if (value === undefined) return;
  writing = true;
  try {
    if (value !== '' && !readIncident()) startIncident();
    keepValue(el.dataset.var ?? '', value);
  } finally {
    writing = false;
  }
  kept = readIncident()?.values ?? {};
}

/** Redraws the commands, the errors and the "kept for the incident" lines. */
function redraw() {
  for (const form of forms) update(form);
  const note = keptNote(readIncident());
  for (const line of document.querySelectorAll<HTMLElement>('.rb-vars__kept')) {
    line.textContent = note;
    line.hidden = false;
  }
}

/** Storage changed (this tab's store, another tab, the incident ended): the fields follow. */
function sync() {
  const now = readIncident()?.values ?? {};
  for (const [name, value] of Object.entries(changes(kept, now))) show(name, value);
  kept = now;
  redraw();
}

if (forms.length) {
  // Typing in the form or in a field open at a block: one value, shown in both, kept once.
  const onInput = (event: Event) => {
    const el = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-var]') : null;
    const input = event.target as HTMLInputElement | HTMLSelectElement;
    if (!el || !input.matches('[data-var-input]')) return;
    show(el.dataset.var ?? '', input.value);
    keep(el);
    redraw();
    // Typed at a step: the address names it (replaced, so Back still leaves as it came), and a reload returns there.
    const step = el.closest<HTMLElement>('.rb-snippet[id]');
    if (step && location.hash !== `#${step.id}`) history.replaceState(history.state, '', `#${step.id}`);
  };
  document.addEventListener('input', onInput);
  document.addEventListener('change', onInput);
  addEventListener(CHANGED, () => {
    if (!writing) sync();
  });
  addEventListener('storage', (event) => {
    if (event.key === null || event.key === KEYS.incident) sync();
  });
  // Anything typed before this chunk arrived is kept; then the page shows what the incident holds.
  for (const form of forms)
    for (const el of form.querySelectorAll<HTMLElement>('[data-var]')) if (fieldOf(el).value !== '') keep(el);
  kept = {};
  sync();
  // A reload at a step (typing at a block puts it in the address): its fields open again,
  // as before the reload, so the page lands where it was, and the step is on screen.
  const step = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  if (step?.matches('.rb-snippet')) {
    const links = [...step.querySelectorAll<HTMLAnchorElement>('a.rb-snippet__var')];
    for (const link of links) if (Object.hasOwn(kept, link.hash.slice(5))) openField(link, false);
    requestAnimationFrame(() => {
      const box = step.getBoundingClientRect();
      if (box.bottom < 0 || box.top > innerHeight) step.scrollIntoView();
    });
  }
}

/** A click boot.ts held back: a copy button of a run block (boot.ts COPY_BUTTONS), or a "Values" link. */
export function onClick(target: Element) {
  const link = target.closest<HTMLAnchorElement>('a.rb-snippet__var');
  if (link) return openField(link);
  // Else boot.ts matched one of the run block's copy buttons.
  const button = target instanceof HTMLElement ? target : null;
  const snippet = button?.closest<HTMLElement>('.rb-snippet');
  if (!button || !snippet) return;
  // The terminal command asks for the confirm word itself when it runs.
  if (snippet.dataset.safety === 'destructive' && !button.closest('.rb-snippet__cli')) askConfirm(snippet, button);
  else void copy(button, textFor(snippet, button));
}

/**
 * Opens the field a "Values" link names right at its block, above its filled-in command: a
 * copy of the form's field, kept in step with it, so the value is typed where the command
 * it fills is in view and nothing scrolls. The link still leads to the form without
 * JavaScript, and for a block outside the page's steps.
 */
function openField(link: HTMLAnchorElement, focus = true) {
  const source = document.getElementById(decodeURIComponent(link.hash.slice(1)));
  const name = source?.dataset.var;
  const snippet = link.closest<HTMLElement>('.rb-snippet');
  if (!source || !name || !snippet) return openForm(source);
  const box = valuesBox(snippet);
  let field = [...box.querySelectorAll<HTMLElement>('[data-var]')].find((el) => el.dataset.var === name);
  if (!field) {
    field = source.cloneNode(true) as HTMLElement;
    field.removeAttribute('id');
    // Cloning copies attributes, not what was typed or chosen since.
    const from = source.querySelector<HTMLInputElement | HTMLSelectElement>('[data-var-input]');
    const to = field.querySelector<HTMLInputElement | HTMLSelectElement>('[data-var-input]');
    if (from && to) to.value = from.value;
    if (!to) field.tabIndex = -1; // a secret: focus lands on what it says instead
    box.querySelector('.rb-vars__grid')?.append(field);
  }
  link.setAttribute('aria-expanded', 'true');
  link.setAttribute('aria-controls', box.id);
  box.hidden = false;
  redraw();
  if (focus) (field.querySelector<HTMLElement>('[data-var-input]') ?? field).focus();
}

/** A block's box of open fields (made on first use): the fields, the "kept" line and Done. */
function valuesBox(snippet: HTMLElement): HTMLElement {
  const found = snippet.querySelector<HTMLElement>(':scope > .rb-snippet__values');
  if (found) return found;
  const box = document.createElement('div');
  box.className = 'rb-snippet__values';
  box.id = `${snippet.id || 'step'}-values`;
  box.setAttribute('role', 'group');
  box.setAttribute(
    'aria-label',
    `Values for ${snippet.querySelector('.rb-snippet__title')?.textContent ?? 'this step'}`,
  );
  const grid = document.createElement('div');
  grid.className = 'rb-vars__grid';
  const note = document.createElement('p');
  note.className = 'rb-vars__kept';
  const done = document.createElement('button');
  done.type = 'button';
  done.className = 'rb-snippet__copy';
  done.textContent = 'Done';
  done.addEventListener('click', () => {
    box.hidden = true;
    const links = snippet.querySelectorAll<HTMLElement>('a.rb-snippet__var');
    links.forEach((l) => l.setAttribute('aria-expanded', 'false'));
    links[0]?.focus();
  });
  const foot = document.createElement('div');
  foot.className = 'rb-snippet__values-foot';
  foot.append(note, done);
  box.append(grid, foot);
  // Right above the filled-in command, so what is typed shows where it lands.
  const filled = snippet.querySelector(':scope > .rb-snippet__filled');
  if (filled) filled.before(box);
  else snippet.append(box);
  return box;
}

/** Opens the variables form at a field: for a link outside a run block. */
function openForm(field: HTMLElement | null) {
  const details = field?.closest('details');
  if (!details || !field) return;
  details.open = true;
  field.scrollIntoView({ block: 'center' });
  field.querySelector<HTMLElement>('input, select')?.focus({ preventScroll: true });
}
