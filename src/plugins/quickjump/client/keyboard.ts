// The dialog's keys: ↑/↓ move the active option, Enter opens it (Ctrl/Cmd+Enter in a new
// tab), Esc closes, and Ctrl/Cmd+K inside the open dialog goes back to the field.
import { setActive } from './listbox.ts';
import type { Ui } from './state.ts';

/** Opens `el`'s link: here (closing the dialog) or, with `newTab`, in a new tab. */
function go(ui: Ui, el: HTMLAnchorElement | undefined, newTab: boolean): void {
  if (!el) return;
  if (newTab) {
    window.open(el.href, '_blank', 'noopener');
    return;
  }
  ui.nodes.dialog.close();
  location.assign(el.href);
}

/** The field's keys: the combobox's own (focus never leaves the field). */
function onFieldKey(ui: Ui, e: KeyboardEvent): void {
  const { state } = ui;
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    setActive(ui, state.active + (e.key === 'ArrowDown' ? 1 : -1));
  } else if (e.key === 'Escape') {
    e.preventDefault();
    ui.nodes.dialog.close();
  } else if (e.key === 'Enter') {
    e.preventDefault();
    go(ui, state.options[state.active], e.ctrlKey || e.metaKey);
  }
}

/** Binds the dialog's keys. */
export function bindKeys(ui: Ui): void {
  const { dialog, input } = ui.nodes;
  input.addEventListener('keydown', (e) => onFieldKey(ui, e));
  // Ctrl/Cmd+K inside the open dialog goes back to the field.
  dialog.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
      e.preventDefault();
      e.stopPropagation();
      input.select();
    }
  });
}
