import { tokens } from '../api.js';
import { byId, h } from '../dom.js';
import { openModal } from './modal.js';

type Waiter = (ok: boolean) => void;

/**
 * Signing in: the operator's token (or an agent's, `arb_agent_…`), typed into the page and kept in sessionStorage
 * for this tab only. Everything but the public market data and the verifier needs one; approvals and the kill
 * switch need the admin token and ask for it when it is missing.
 */
export class AdminGate {
  private readonly button = byId<HTMLButtonElement>('admin-button');

  constructor() {
    this.button.onclick = () => void this.prompt();
    this.render();
  }

  private render(): void {
    const on = tokens.admin !== '';
    const agent = !on && tokens.agent !== '';
    this.button.textContent = on ? 'Admin ✓' : agent ? 'Agent ✓' : 'Sign in';
    this.button.classList.toggle('on', on || agent);
    this.button.title = on
      ? 'admin token set for this tab'
      : agent
        ? 'reading as the agent whose token is in the console; enter the admin token to see everything'
        : 'enter the admin token (or an agent token)';
  }

  forget(): void {
    tokens.admin = '';
    this.render();
  }

  /** Resolves true once a token is set (immediately if one is). */
  async ensure(): Promise<boolean> {
    return tokens.admin !== '' ? true : this.prompt();
  }

  prompt(): Promise<boolean> {
    return new Promise<boolean>((resolve: Waiter) => {
      let done = false;
      const input = h('input', {
        type: 'password',
        id: 'admin-token',
        'data-testid': 'admin-token',
        placeholder: 'arb_admin_… or ARBITER_ADMIN_TOKEN (or an agent token arb_agent_…)',
        autocomplete: 'off',
        value: tokens.admin,
      });
      const save = () => {
        const value = input.value.trim();
        if (value.startsWith('arb_agent_')) tokens.agent = value;
        else tokens.admin = value;
        this.render();
        done = true;
        close();
        resolve(tokens.admin !== '');
      };
      const forget = () => {
        this.forget();
        done = true;
        close();
        resolve(false);
      };
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') save();
      });
      const body = h(
        'form',
        { class: 'stack', onsubmit: (e: Event) => e.preventDefault() },
        h(
          'p',
          { class: 'muted' },
          'The ledger, approvals, the arena and live events need a token: the admin token shows everything, an agent token (arb_agent_…) what is that agent’s. Approvals, rejections and the kill switch need the admin token. It is in ',
          h('code', {}, 'ARBITER_HOME/keys/admin.token'),
          ' (or ARBITER_ADMIN_TOKEN) and stays in this tab only.',
        ),
        input,
        h(
          'div',
          { class: 'row end' },
          h('button', { type: 'button', class: 'btn ghost', onclick: forget }, 'Forget'),
          h('button', { type: 'button', class: 'btn primary', 'data-testid': 'admin-save', onclick: save }, 'Save'),
        ),
      );
      const close = openModal('Admin token', body, () => {
        if (!done) resolve(tokens.admin !== '');
      });
    });
  }
}
