import { h } from '../dom.js';

let host: HTMLElement | null = null;

/** A short message in the corner. */
export function toast(text: string, tone: 'good' | 'bad' | 'info' = 'info'): void {
  if (!host) {
    host = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(host);
  }
  const el = h('div', { class: `toast ${tone}` }, text);
  host.append(el);
  setTimeout(() => el.classList.add('out'), 3_500);
  setTimeout(() => el.remove(), 4_000);
}
