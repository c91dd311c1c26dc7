// The quick-jump's only eager JS (budget: 1.5 KB gzip): the header button and the keys
// that open the dialog (`/` outside a text field, Ctrl/Cmd+K anywhere). The dialog
// chunk loads on first use, or a little earlier on hover, focus or touch.
type Dialog = typeof import('./dialog.ts');

const button = document.querySelector<HTMLButtonElement>('[data-qj-open]');
let chunk: Promise<Dialog> | undefined;
// A chunk that failed to arrive (offline, or replaced by a deploy) is forgotten, so the next try fetches it again.
const load = () =>
  (chunk ??= import('./dialog.ts').catch((error: unknown) => {
    chunk = undefined;
    throw error;
  }));
/** Keys typed while the chunk loads, handed to the dialog's field: nothing typed is lost. */
let typed: string | null = null;

const openDialog = () => {
  if (typed !== null) return;
  typed = '';
  load().then(
    (m) => {
      const text = typed ?? '';
      typed = null;
      m.open(text, button);
    },
    // Not loaded: stop holding keys, or every key typed on the page from now on would be swallowed.
    () => (typed = null),
  );
};

const inField = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));

addEventListener('keydown', (e) => {
  if (typed !== null) {
    if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
      typed += e.key;
      e.preventDefault();
    }
    return;
  }
  const modK = (e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k';
  const slash = e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !inField(e.target);
  if (modK || slash) {
    e.preventDefault();
    openDialog();
  }
});

if (button) {
  button.addEventListener('click', openDialog);
  for (const type of ['pointerenter', 'focus', 'touchstart'])
    button.addEventListener(type, () => void load().catch(() => {}), { once: true, passive: true });
  if (/Mac|iPhone|iPad/.test(navigator.platform)) {
    button.querySelector('[data-qj-mod]')!.textContent = '⌘';
    button.setAttribute('aria-keyshortcuts', '/ Meta+K');
  }
}

export {};
