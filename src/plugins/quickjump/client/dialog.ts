// The quick-jump dialog, loaded on first use: a combobox over one listbox with two
// groups, "Jump to" and "Full text" (search.ts), and service/severity filters that apply
// to both. Built from named steps: the nodes (markup.ts), the state (state.ts), the
// selection (listbox.ts), the keys (keyboard.ts); this file wires them.
import { bindKeys } from './keyboard.ts';
import { optionAt, setActive } from './listbox.ts';
import { choices, dialogNodes } from './markup.ts';
import { pagefind, ranker, run, say } from './search.ts';
import { createState, type Ui } from './state.ts';

let current: Ui | undefined;
let returnTo: HTMLElement | null = null;

/** The pointer: a click on an option closes (the link navigates), hovering makes it active; Close and the backdrop close. */
function bindPointer(ui: Ui): void {
  const { nodes, state } = ui;
  const { dialog, list } = nodes;
  list.addEventListener('click', (e) => {
    const el = optionAt(e);
    if (el && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.button === 0) dialog.close();
  });
  list.addEventListener('mousemove', (e) => {
    const el = optionAt(e);
    if (el && state.options.indexOf(el) !== state.active) setActive(ui, state.options.indexOf(el));
  });
  nodes.close.addEventListener('click', () => dialog.close());
  // A click on the backdrop (outside the frame) closes.
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog) dialog.close();
  });
}

/** On close: the page scrolls again and focus goes back where it was (or to the header button). */
function bindClose({ nodes }: Ui): void {
  nodes.dialog.addEventListener('close', () => {
    document.documentElement.classList.remove('qj-lock');
    const to = returnTo && returnTo.isConnected ? returnTo : document.querySelector<HTMLElement>('[data-qj-open]');
    to?.focus({ preventScroll: true });
  });
}

/** Fills the filter menus from the index, or says that it could not be loaded. */
function fillFilters({ nodes }: Ui): void {
  void ranker.then((r) => {
    if (!r) {
      nodes.status.textContent = 'The quick-jump index could not be loaded; full-text search still works.';
      return;
    }
    nodes.service.append(...choices(r.services));
    nodes.severity.append(...choices(r.severities));
  });
}

/** Builds the dialog into the page and wires its steps. */
function build(): Ui {
  const built: Ui = { nodes: dialogNodes(), state: createState() };
  const { dialog, input, service, severity, page } = built.nodes;
  document.body.append(dialog);
  input.addEventListener('input', () => run(built));
  service.addEventListener('change', () => run(built));
  severity.addEventListener('change', () => run(built));
  page.addEventListener('change', () => run(built));
  bindKeys(built);
  bindPointer(built);
  bindClose(built);
  fillFilters(built);
  say(built);
  return built;
}

/** Opens the dialog (building it on the first call) with `text` in its field. */
export function open(text: string, opener: HTMLElement | null): void {
  current ??= build();
  const { dialog, input } = current.nodes;
  if (dialog.open) {
    input.select();
    return;
  }
  const focused = document.activeElement;
  returnTo = focused instanceof HTMLElement && focused !== document.body ? focused : opener;
  dialog.showModal();
  document.documentElement.classList.add('qj-lock');
  if (text) input.value = text;
  input.focus();
  if (text) input.setSelectionRange(input.value.length, input.value.length);
  else input.select();
  run(current);
  void pagefind();
}
