import { byId, fill, h } from '../dom.js';

/** One modal at a time; Escape or a click outside closes it. */
export function openModal(title: string, body: HTMLElement, onClose?: () => void): () => void {
  const modal = byId('modal');
  const close = () => {
    modal.hidden = true;
    modal.replaceChildren();
    document.removeEventListener('keydown', onKey);
    onClose?.();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') close();
  };
  const box = h(
    'div',
    { class: 'modal-box', role: 'dialog', 'aria-modal': 'true', 'aria-label': title },
    h(
      'div',
      { class: 'modal-head' },
      h('h3', {}, title),
      h('button', { class: 'x', onclick: close, 'aria-label': 'close' }, '×'),
    ),
    body,
  );
  fill(modal, box);
  modal.hidden = false;
  modal.onclick = (e) => {
    if (e.target === modal) close();
  };
  document.addEventListener('keydown', onKey);
  box.querySelector<HTMLInputElement>('input, textarea')?.focus();
  return close;
}
