import { ArbiterHttpError, asAdmin, errorText, get } from '../api.js';
import { byId, fill, h, throttle } from '../dom.js';
import { agentColour, time, usd } from '../format.js';
import type { AdminGate } from './admin.js';
import { toast } from './toast.js';

interface Approval {
  approval_id: string;
  agent_id: string;
  intent: { symbol?: string; side?: string; notional?: number; quantity?: number } | null;
  notional: number;
  status: string;
  created_at: number;
  expires_at: number;
  decided_at: number | null;
  decided_by: string | null;
  result_verdict_id: string | null;
}

interface Decided {
  approval: Approval;
  result: { decision: string; order: { status?: string } | null } | null;
}

/** Orders waiting for a human, with approve / reject (admin token); the last few decisions below. */
export class ApprovalsPanel {
  private readonly root = byId('approvals');
  private items: Approval[] = [];
  readonly refresh = throttle(() => void this.load(), 300);

  constructor(
    private readonly admin: AdminGate,
    private readonly onChange: () => void,
  ) {
    setInterval(() => this.draw(), 1_000);
  }

  async load(): Promise<void> {
    const { approvals } = await get<{ approvals: Approval[] }>('/v1/approvals');
    this.items = approvals;
    this.draw();
  }

  private async decide(a: Approval, action: 'approve' | 'reject'): Promise<void> {
    if (!(await this.admin.ensure())) return;
    try {
      const r = await asAdmin().request<Decided>(
        'POST',
        `/v1/approvals/${encodeURIComponent(a.approval_id)}/${action}`,
      );
      const outcome = r.result
        ? ` → ${r.result.decision}${r.result.order?.status ? `, ${r.result.order.status}` : ''}`
        : '';
      toast(`${a.approval_id} ${r.approval.status}${outcome}`, action === 'approve' ? 'good' : 'info');
    } catch (e) {
      if (e instanceof ArbiterHttpError && (e.status === 401 || e.status === 403)) this.admin.forget();
      toast(errorText(e), 'bad');
    }
    await this.load();
    this.onChange();
  }

  private card(a: Approval): HTMLElement {
    const pending = a.status === 'pending';
    const left = Math.max(0, Math.round((a.expires_at - Date.now()) / 1000));
    const i = a.intent ?? {};
    return h(
      'div',
      { class: `approval ${a.status}`, 'data-approval': a.approval_id, 'data-status': a.status },
      h(
        'div',
        { class: 'ap-main' },
        h('i', { class: 'swatch', style: `background:${agentColour(a.agent_id)}` }),
        h('b', {}, a.agent_id),
        h('span', {}, ` ${i.side ?? '?'} ${i.symbol ?? '?'} `),
        h('b', { class: 'amt' }, usd(a.notional, 0)),
      ),
      h(
        'div',
        { class: 'ap-meta mono' },
        a.approval_id,
        ' · ',
        pending
          ? Number.isFinite(left) && left < 86_400
            ? `expires in ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`
            : `since ${time(a.created_at)}`
          : `${a.status}${a.decided_by ? ` by ${a.decided_by}` : ''}`,
      ),
      pending
        ? h(
            'div',
            { class: 'row end' },
            h(
              'button',
              {
                type: 'button',
                class: 'btn ghost small',
                'data-testid': 'reject',
                onclick: () => void this.decide(a, 'reject'),
              },
              'Reject',
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'btn good small',
                'data-testid': 'approve',
                onclick: () => void this.decide(a, 'approve'),
              },
              'Approve',
            ),
          )
        : null,
    );
  }

  private draw(): void {
    const pending = this.items.filter((a) => a.status === 'pending');
    const done = this.items
      .filter((a) => a.status !== 'pending')
      .sort((x, y) => (y.decided_at ?? y.created_at) - (x.decided_at ?? x.created_at))
      .slice(0, 4);
    byId('approvals-count').textContent = pending.length ? `${pending.length} waiting` : 'queue empty';
    fill(
      this.root,
      pending.length
        ? pending.map((a) => this.card(a))
        : h(
            'p',
            { class: 'muted empty' },
            "No order is waiting. Orders above the mandate's approval threshold land here.",
          ),
      done.length ? h('h4', { class: 'sub-head' }, 'Recently decided') : null,
      done.map((a) => this.card(a)),
    );
  }
}
