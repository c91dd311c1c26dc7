// Run blocks in the browser: the variables form fills values into every block that uses
// them, copy buttons copy the filled-in command, and a destructive block asks for its
// confirm word before anything is copied, the guard `runbook run` applies in a terminal.
// Loaded by site/client/boot.ts on first use: the first click on a copy button or a
// "Values" link, or the first focus in the variables form; boot passes that click on.
import { commandLines, fillSnippet, fillSql } from '../snippet.ts';
import { logAction, pageName } from '../../incident/store.ts';

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

function update(form: HTMLFormElement) {
  const values: Record<string, string> = {};
  const secrets = new Set<string>();
  for (const field of form.querySelectorAll<HTMLElement>('[data-var]')) {
    const name = field.dataset.var ?? '';
    if (field.hasAttribute('data-secret')) {
      secrets.add(name);
      continue;
    }
    const input = field.querySelector<HTMLInputElement | HTMLSelectElement>('[data-var-input]');
    const error = field.querySelector<HTMLElement>('.rb-vars__error');
    if (!input || !error) continue;
    const pattern = input.dataset.pattern;
    const bad = input.value !== '' && pattern !== undefined && !new RegExp(pattern).test(input.value);
    error.hidden = !bad;
    error.textContent = bad ? `Not filled in: does not match ${pattern}` : '';
    input.setAttribute('aria-invalid', String(bad));
    if (input.value !== '' && !bad) values[name] = input.value;
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

for (const form of document.querySelectorAll<HTMLFormElement>('[data-rb-vars]')) {
  form.addEventListener('input', () => update(form));
  form.addEventListener('change', () => update(form));
  // Anything typed before this chunk arrived.
  update(form);
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

/** Opens the variables form at the field a "Values" link names. */
function openField(link: HTMLAnchorElement) {
  const field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
  const details = field?.closest('details');
  if (!details || !field) return;
  details.open = true;
  field.scrollIntoView({ block: 'center' });
  field.querySelector<HTMLElement>('input, select')?.focus({ preventScroll: true });
}
