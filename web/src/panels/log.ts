import { byId, fill, h, perFrame } from '../dom.js';
import { agentColour, dateTime, decisionClass, decisionLabel, eventStamp, qty, usd } from '../format.js';
import type { StreamEvent } from '../stream.js';

type Filter = 'all' | 'verdicts' | 'refused' | 'fills' | 'approvals';

interface Entry {
  readonly key: number;
  readonly kind: 'verdict' | 'fill' | 'approval' | 'halt';
  readonly tone: string;
  readonly at: number | null;
  readonly el: HTMLLIElement;
}

const MAX = 200;
const REFUSED = new Set(['reject', 'pause']);

const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/** The colour-coded transaction log: verdicts, fills, approvals and halts as they happen, newest on top. */
export class LogPanel {
  private readonly list = byId<HTMLOListElement>('log');
  private readonly entries: Entry[] = [];
  private pending: Entry[] = [];
  private filter: Filter = 'all';
  private readonly flush = perFrame(() => this.draw());

  constructor(private readonly onVerdict: (verdictId: string) => void) {
    const seg = byId('log-filter');
    const labels: [Filter, string][] = [
      ['all', 'All'],
      ['verdicts', 'Verdicts'],
      ['refused', 'Refused'],
      ['fills', 'Fills'],
      ['approvals', 'Approvals'],
    ];
    fill(
      seg,
      labels.map(([f, label]) =>
        h(
          'button',
          {
            type: 'button',
            class: f === this.filter ? 'on' : '',
            'data-filter': f,
            onclick: (e: Event) => {
              this.filter = f;
              for (const b of seg.querySelectorAll('button')) b.classList.toggle('on', b === e.currentTarget);
              this.applyFilter();
            },
          },
          label,
        ),
      ),
    );
    fill(this.list, h('li', { class: 'empty' }, 'Waiting for the first verdict…'));
  }

  private visible(e: Pick<Entry, 'kind' | 'tone'>): boolean {
    switch (this.filter) {
      case 'verdicts':
        return e.kind === 'verdict';
      case 'refused':
        return e.kind === 'verdict' && REFUSED.has(e.tone);
      case 'fills':
        return e.kind === 'fill';
      case 'approvals':
        return e.kind === 'approval' || e.tone === 'pending';
      default:
        return true;
    }
  }

  private applyFilter(): void {
    for (const e of this.entries) e.el.hidden = !this.visible(e);
  }

  onEvent(e: StreamEvent): void {
    const entry = this.entry(e);
    if (!entry) return;
    this.pending.push(entry);
    this.flush();
  }

  private entry(e: StreamEvent): Entry | null {
    const d = e.data;
    const agent = s(d.agent_id);
    const who = agent
      ? h('span', { class: 'who' }, h('i', { class: 'swatch', style: `background:${agentColour(agent)}` }), agent)
      : null;
    // The event's own time (a reload replays old events: they keep the time they happened).
    const at = typeof d.ts === 'number' && Number.isFinite(d.ts) ? d.ts : null;
    const stamp =
      at === null
        ? h('time', { title: 'this event carries no time' }, '—')
        : h('time', { datetime: new Date(at).toISOString(), title: dateTime(at) }, eventStamp(at));
    if (e.type === 'verdict') {
      const decision = s(d.decision);
      const tone = decisionClass(decision);
      const reasons = Array.isArray(d.reasons) ? (d.reasons as string[]) : [];
      const el = h(
        'li',
        {
          class: `entry ${tone} clickable`,
          'data-kind': 'verdict',
          'data-decision': decision,
          'data-verdict': s(d.id),
          title: 'open this verdict',
          onclick: () => this.onVerdict(s(d.id)),
        },
        stamp,
        h('span', { class: `pill ${tone}` }, decisionLabel(decision)),
        who,
        h('span', { class: 'what' }, d.side ? `${s(d.side)} ${s(d.symbol)}` : 'malformed intent'),
        h('span', { class: 'amt' }, typeof d.notional === 'number' && d.notional > 0 ? usd(d.notional, 0) : ''),
        reasons.length ? h('span', { class: 'why' }, reasons.join(' · ')) : null,
      );
      return { key: e.id, kind: 'verdict', tone, at, el };
    }
    if (e.type === 'fill') {
      const el = h(
        'li',
        { class: 'entry fill', 'data-kind': 'fill' },
        stamp,
        h('span', { class: 'pill fill' }, 'fill'),
        who,
        h('span', { class: 'what' }, `${s(d.side)} ${s(d.symbol)}`),
        h('span', { class: 'amt' }, `${qty(Number(d.quantity))} @ ${usd(Number(d.price))}`),
      );
      return { key: e.id, kind: 'fill', tone: 'fill', at, el };
    }
    if (e.type === 'approval') {
      const status = s(d.status);
      const tone =
        status === 'pending' ? 'pending' : status === 'executed' || status === 'approved' ? 'allow' : 'reject';
      const el = h(
        'li',
        // Not class "approval": that is the approvals panel's card.
        { class: `entry approval-event ${tone}`, 'data-kind': 'approval', 'data-status': status },
        stamp,
        h('span', { class: `pill ${tone} outline`, title: `approval ${status}` }, status),
        who,
        h('span', { class: 'what mono' }, `approval ${s(d.approval_id)}`),
        d.by ? h('span', { class: 'why' }, `by ${s(d.by)}`) : null,
      );
      return { key: e.id, kind: 'approval', tone, at, el };
    }
    if (e.type === 'halt') {
      const halted = d.halted === true;
      const el = h(
        'li',
        { class: `entry halt ${halted ? 'reject' : 'allow'}`, 'data-kind': 'halt' },
        stamp,
        h('span', { class: `pill ${halted ? 'reject' : 'allow'} solid` }, halted ? 'HALT' : 'RESUME'),
        h('span', { class: 'what' }, `${s(d.scope)}${d.reason ? ` — ${s(d.reason)}` : ''}`),
        halted && typeof d.cancelled === 'number'
          ? h('span', { class: 'why' }, `cancelled ${d.cancelled} · flattened ${Number(d.flattened ?? 0)}`)
          : d.by
            ? h('span', { class: 'why' }, `by ${s(d.by)}`)
            : null,
      );
      return { key: e.id, kind: 'halt', tone: halted ? 'reject' : 'allow', at, el };
    }
    return null;
  }

  private draw(): void {
    if (this.pending.length === 0) return;
    if (this.entries.length === 0) this.list.replaceChildren();
    const batch = this.pending.slice(-MAX);
    this.pending = [];
    const frag = document.createDocumentFragment();
    for (let i = batch.length - 1; i >= 0; i--) {
      const e = batch[i]!;
      e.el.hidden = !this.visible(e);
      e.el.classList.add('new');
      frag.append(e.el);
    }
    this.list.prepend(frag);
    this.entries.unshift(...batch.reverse());
    for (const old of this.entries.splice(MAX)) old.el.remove();
  }
}
