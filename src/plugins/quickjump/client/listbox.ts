// The listbox's selection: which option is active, shown by aria-selected on it and by
// aria-activedescendant on the field (focus stays in the field, the combobox pattern).
import { wrap, type Ui } from './state.ts';

/** Makes option `i` (wrapped around) the active one and scrolls it into view. */
export function setActive({ nodes, state }: Ui, i: number): void {
  if (state.options[state.active]) state.options[state.active].setAttribute('aria-selected', 'false');
  state.active = wrap(i, state.options.length);
  const el = state.options[state.active];
  if (el) {
    el.setAttribute('aria-selected', 'true');
    nodes.input.setAttribute('aria-activedescendant', el.id);
    el.scrollIntoView({ block: 'nearest' });
  } else nodes.input.removeAttribute('aria-activedescendant');
}

/**
 * Re-reads the options after a group changed; the active one stays active if it is still
 * listed, else the first. The first stays the first: Enter opens the best hit, also when a
 * better one arrived above it (full text above a near match).
 */
export function collect(ui: Ui): void {
  const { nodes, state } = ui;
  const before = state.active > 0 ? state.options[state.active] : undefined;
  state.options = [...nodes.list.querySelectorAll<HTMLAnchorElement>('[role=option]')];
  state.options.forEach((o, i) => (o.id = `qj-o-${i}`));
  nodes.input.setAttribute('aria-expanded', String(state.options.length > 0));
  state.active = -1;
  setActive(ui, before && state.options.includes(before) ? state.options.indexOf(before) : 0);
}

/** The option an event happened in, if any. */
export const optionAt = (e: Event) => (e.target as Element).closest<HTMLAnchorElement>('[role=option]');
