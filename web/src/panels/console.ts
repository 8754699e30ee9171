import type { Intent, Verdict } from '../../../src/client/index.js';
import type { Certificate } from '../../../src/core/cert/certificate.js';
import { asAgent, errorText, get, tokens } from '../api.js';
import { byId, fill, h } from '../dom.js';
import { decisionClass, decisionLabel, qty, short, usd } from '../format.js';

const GATE_ICON: Record<string, string> = { pass: '✓', fail: '✕', capped: '≈', skipped: '–' };
const GATE_LABEL: Record<string, string> = {
  mandate: 'Mandate',
  halt: 'Kill switch',
  intent: 'Intent',
  reference_price: 'Reference price',
  universe: 'Universe',
  collar: 'Price collar',
  duplicate: 'Duplicate',
  throttle: 'Throttle',
  order_cap: 'Per-order cap',
  exposure: 'Exposure',
  daily_count: 'Daily trades',
  loss_limits: 'Loss limits',
  crash_breaker: 'Crash breaker',
  approval: 'Human approval',
};

/** How an operator makes an agent token (the CLI prints it once and stores only its hash). */
export const AGENT_TOKEN_COMMAND = 'npx arbiter agents add NAME';

interface Extra {
  readonly order?: Record<string, unknown> | null;
  readonly order_error?: { code: string; message: string } | null;
  readonly replayed?: boolean;
  readonly source: string;
}

/** Fill in an intent, vet it (or place it), and read the signed verdict gate by gate. */
export class ConsolePanel {
  private readonly root = byId('console');
  private readonly result = h('div', { class: 'verdict-area', 'data-testid': 'verdict' });
  private readonly f = {
    token: h('input', {
      type: 'password',
      id: 'agent-token',
      'data-testid': 'agent-token',
      placeholder: `agent token (arb_agent_…) — ${AGENT_TOKEN_COMMAND}`,
      autocomplete: 'off',
    }),
    symbol: h('input', {
      id: 'intent-symbol',
      list: 'symbols',
      value: 'BTC/USDT',
      autocomplete: 'off',
      spellcheck: 'false',
    }),
    side: h(
      'select',
      { id: 'intent-side' },
      h('option', { value: 'buy' }, 'buy'),
      h('option', { value: 'sell' }, 'sell'),
    ),
    unit: h(
      'select',
      { id: 'intent-unit', 'aria-label': 'size unit' },
      h('option', { value: 'notional' }, 'USD'),
      h('option', { value: 'quantity' }, 'units'),
    ),
    size: h('input', { id: 'intent-size', type: 'number', step: 'any', min: '0', value: '100', inputmode: 'decimal' }),
    type: h(
      'select',
      { id: 'intent-type' },
      h('option', { value: 'market' }, 'market'),
      h('option', { value: 'limit' }, 'limit'),
    ),
    limit: h('input', { id: 'intent-limit', type: 'number', step: 'any', placeholder: 'limit price', disabled: true }),
    reduce: h('input', { id: 'intent-reduce', type: 'checkbox' }),
    coid: h('input', {
      id: 'intent-coid',
      placeholder: 'client order id (optional, idempotency key)',
      autocomplete: 'off',
    }),
  };

  constructor(private readonly toVerifier: (cert: Certificate) => void) {
    this.f.token.value = tokens.agent;
    this.f.token.addEventListener('change', () => {
      tokens.agent = this.f.token.value.trim();
    });
    this.f.type.addEventListener('change', () => {
      this.f.limit.disabled = this.f.type.value !== 'limit';
    });
    const field = (label: string, el: HTMLElement, cls = '') =>
      h('label', { class: `field ${cls}` }, h('span', {}, label), el);
    const vet = h(
      'button',
      { type: 'button', class: 'btn primary', 'data-testid': 'vet', onclick: () => void this.send('vet') },
      'Vet (dry run)',
    );
    const place = h(
      'button',
      { type: 'button', class: 'btn', 'data-testid': 'place', onclick: () => void this.send('order') },
      'Place order',
    );
    fill(
      this.root,
      h(
        'form',
        { class: 'intent', onsubmit: (e: Event) => e.preventDefault() },
        field('Agent', this.f.token, 'wide'),
        field('Symbol', this.f.symbol),
        field('Side', this.f.side),
        field('Size', h('div', { class: 'joined' }, this.f.size, this.f.unit)),
        field('Type', this.f.type),
        field('Limit', this.f.limit),
        h('label', { class: 'check' }, this.f.reduce, ' reduce only'),
        field('Client order id', this.f.coid, 'wide'),
        h('div', { class: 'row end wide' }, vet, place),
        h('datalist', { id: 'symbols' }),
      ),
      this.result,
    );
    fill(
      this.result,
      h(
        'p',
        { class: 'muted' },
        'The verdict appears here: decision, reasons, and the outcome of all 14 gates, signed.',
      ),
    );
    void this.loadSymbols();
  }

  private async loadSymbols(): Promise<void> {
    try {
      const { instruments } = await get<{ instruments: { symbol: string }[] }>('/v1/market/instruments');
      fill(
        byId('symbols'),
        instruments.map((i) => h('option', { value: i.symbol })),
      );
    } catch {
      // The list is a convenience; typing a symbol works without it.
    }
  }

  private intent(): Intent {
    const size = Number(this.f.size.value);
    const out: Record<string, unknown> = {
      symbol: this.f.symbol.value.trim(),
      side: this.f.side.value,
      [this.f.unit.value]: size,
    };
    if (this.f.type.value === 'limit') {
      out.type = 'limit';
      out.limit_price = Number(this.f.limit.value);
    }
    if (this.f.reduce.checked) out.reduce_only = true;
    const coid = this.f.coid.value.trim();
    if (coid) out.client_order_id = coid;
    return out as unknown as Intent;
  }

  private async send(kind: 'vet' | 'order'): Promise<void> {
    tokens.agent = this.f.token.value.trim();
    if (!tokens.agent) {
      fill(
        this.result,
        h(
          'p',
          { class: 'error', 'data-testid': 'console-error' },
          'Paste an agent token first: the firewall takes the agent from the token, never from the form. Create one on the server’s machine (same ARBITER_HOME) with ',
          h('code', { 'data-testid': 'token-command' }, AGENT_TOKEN_COMMAND),
          ': it prints the token once.',
        ),
      );
      this.f.token.focus();
      return;
    }
    fill(this.result, h('p', { class: 'muted' }, kind === 'vet' ? 'Vetting…' : 'Placing…'));
    try {
      const client = asAgent();
      const v: Verdict = kind === 'vet' ? await client.vet(this.intent()) : await client.placeOrder(this.intent());
      this.show(v.certificate, {
        order: v.order,
        order_error: v.order_error,
        replayed: v.replayed,
        source: kind === 'vet' ? 'dry run: nothing reserved or sent' : 'order',
      });
    } catch (e) {
      fill(this.result, h('p', { class: 'error', 'data-testid': 'console-error' }, errorText(e)));
    }
  }

  /** Shows a verdict from its certificate (the signed payload is the whole truth). */
  show(cert: Certificate, extra: Extra): void {
    const p = cert.payload;
    const tone = decisionClass(p.decision);
    const order = extra.order as { status?: string; filledQuantity?: number; avgFillPrice?: number | null } | null;
    fill(
      this.result,
      h(
        'div',
        { class: `verdict ${tone}`, 'data-decision': p.decision },
        h(
          'div',
          { class: 'verdict-head' },
          h('span', { class: `badge ${tone}` }, decisionLabel(p.decision)),
          h(
            'div',
            { class: 'verdict-id' },
            h('b', {}, p.decision),
            h(
              'span',
              { class: 'mono muted' },
              `${p.id} · ${p.agent_id} · ${extra.source}${extra.replayed ? ' · replayed' : ''}`,
            ),
          ),
          h(
            'div',
            { class: 'verdict-size' },
            h('b', {}, usd(p.effective?.notional ?? 0)),
            h(
              'span',
              { class: 'muted' },
              p.effective ? `${qty(p.effective.quantity)} @ ${usd(p.effective.price)}` : 'no size',
            ),
          ),
        ),
        p.reasons.length
          ? h(
              'ul',
              { class: 'reasons' },
              p.reasons.map((r) => h('li', {}, h('code', {}, r.code), ' ', h('span', {}, r.message))),
            )
          : null,
        order
          ? h(
              'p',
              { class: 'order-line', 'data-testid': 'order-status' },
              `Venue: ${order.status ?? '?'} · filled ${qty(order.filledQuantity ?? 0)}${order.avgFillPrice ? ` @ ${usd(order.avgFillPrice)}` : ''}`,
            )
          : null,
        extra.order_error ? h('p', { class: 'error' }, `Venue error: ${extra.order_error.message}`) : null,
        p.approval_id
          ? h('p', { class: 'order-line pending' }, `Waiting for a human: approval ${p.approval_id}`)
          : null,
        h(
          'ol',
          { class: 'gates', 'data-testid': 'gates' },
          p.gates.map((g, i) =>
            h(
              'li',
              { class: `gate ${g.status}`, 'data-gate': g.gate, title: g.message ?? '' },
              h('span', { class: 'gi' }, GATE_ICON[g.status] ?? '?'),
              h('span', { class: 'gn' }, `${i + 1}. ${GATE_LABEL[g.gate] ?? g.gate}`),
              g.code ? h('code', {}, g.code) : null,
            ),
          ),
        ),
        h(
          'div',
          { class: 'row end' },
          h('span', { class: 'muted small mono' }, `sig ${short(cert.signature, 22)}`),
          h(
            'button',
            {
              type: 'button',
              class: 'btn primary',
              'data-testid': 'to-verifier',
              onclick: () => this.toVerifier(cert),
            },
            'Verify in browser →',
          ),
        ),
      ),
    );
  }
}
