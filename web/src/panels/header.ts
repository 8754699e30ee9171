import { ArbiterHttpError, asAdmin, errorText, get } from '../api.js';
import { byId, fill, h, perFrame, throttle } from '../dom.js';
import { short } from '../format.js';
import { type Halts, haltSentence, scopeLabel, sinceText, sweepText } from '../halt-view.js';
import type { StreamEvent } from '../stream.js';
import type { AdminGate } from './admin.js';
import { toast } from './toast.js';

export interface Summary {
  counts: { verdicts: number; orders: number; fills: number; by_decision: Record<string, number> };
  ledger: { count: number; head_hash: string };
  /** The market data the firewall judges on (the console's prices). */
  market?: string;
  halts: Halts;
  approvals_open: number;
  issuer: string;
  venue: string;
  mode: string;
}

interface Tile {
  readonly value: HTMLElement;
  readonly foot: HTMLElement;
}

/** The top bar (status chips, kill switch), the halt banner and the summary tiles. */
export class Header {
  private summary: Summary | null = null;
  private live = false;
  private arena = '';
  private readonly tiles = new Map<string, Tile>();
  private readonly kill = byId<HTMLButtonElement>('kill-switch');
  readonly render = perFrame(() => this.draw());

  constructor(private readonly admin: AdminGate) {
    const tiles = byId('tiles');
    for (const [key, label] of [
      ['verdicts', 'Verdicts signed'],
      ['allowed', 'Allowed'],
      ['fills', 'Fills'],
      ['approvals', 'Awaiting approval'],
      ['ledger', 'Ledger records'],
      ['arena', 'Arena'],
    ] as const) {
      const value = h('div', { class: 'tile-value', 'data-testid': `tile-${key}` }, '—');
      const foot = h('div', { class: 'tile-foot' });
      tiles.append(h('div', { class: `tile ${key}` }, h('div', { class: 'tile-label' }, label), value, foot));
      this.tiles.set(key, { value, foot });
    }
    this.kill.onclick = () => void this.toggleHalt();
  }

  /** The global switch (what the kill button pulls and lifts). */
  get halted(): boolean {
    return this.summary?.halts.scopes.some((x) => x.scope === 'global') ?? false;
  }

  /** The market data the firewall judges on (what the console's prices come from). */
  get market(): string | null {
    return this.summary?.market ?? null;
  }

  /** The halts in force, for panels that show what they stop (the arena). */
  get halts(): Halts | null {
    return this.summary?.halts ?? null;
  }

  setLive(live: boolean): void {
    this.live = live;
    this.render();
  }

  setArena(text: string): void {
    this.arena = text;
    this.render();
  }

  async refresh(): Promise<void> {
    this.summary = await get<Summary>('/v1/summary');
    this.render();
    this.onSummary();
  }

  /** Called after each summary read (panels that name the firewall's market). */
  onSummary: () => void = () => undefined;

  /**
   * Every count comes from the server (a reload or a replayed backlog must not count an event twice, and only the
   * server knows what reached its ledger): an event only says when to read the summary again.
   */
  private readonly reread = throttle(() => void this.refresh().catch(() => undefined), 700);

  onEvent(e: StreamEvent): void {
    if (e.type !== 'leaderboard') this.reread();
  }

  private tile(key: string, value: string, foot: string | Node = ''): void {
    const t = this.tiles.get(key);
    if (!t) return;
    t.value.textContent = value;
    fill(t.foot, foot);
  }

  private draw(): void {
    const s = this.summary;
    const chips = byId('chips');
    fill(
      chips,
      h(
        'span',
        { class: `chip ${this.live ? 'ok' : 'warn'}`, 'data-testid': 'stream-status' },
        h('i', { class: 'dot' }),
        this.live ? 'live' : 'connecting',
      ),
      s ? h('span', { class: 'chip' }, `${s.mode} · ${s.venue}`) : null,
      s
        ? h(
            'span',
            { class: 'chip mono', title: 'issuer key id (pinned by the verifier)' },
            `issuer ${short(s.issuer, 24)}`,
          )
        : null,
    );
    if (!s) return;
    byId('foot-issuer').textContent = `issuer ${s.issuer}`;
    const by = s.counts.by_decision;
    const allowed = (by.ALLOW ?? 0) + (by.ALLOW_CAPPED ?? 0);
    this.tile('verdicts', s.counts.verdicts.toLocaleString(), 'since this server started');
    this.tile(
      'allowed',
      s.counts.verdicts ? `${Math.round((allowed / s.counts.verdicts) * 100)}%` : '—',
      h(
        'span',
        {},
        h('b', { class: 't-allow' }, String(by.ALLOW ?? 0)),
        ' allow · ',
        h('b', { class: 't-capped' }, String(by.ALLOW_CAPPED ?? 0)),
        ' capped · ',
        h('b', { class: 't-reject' }, String((by.REJECT ?? 0) + (by.PAUSE_FOR_REAUTH ?? 0))),
        ' refused',
      ),
    );
    this.tile('fills', s.counts.fills.toLocaleString(), `${s.counts.orders.toLocaleString()} orders sent`);
    this.tile('approvals', String(s.approvals_open), s.approvals_open ? 'a human decides' : 'queue empty');
    this.tile(
      'ledger',
      s.ledger.count.toLocaleString(),
      s.ledger.count === 0
        ? 'empty chain'
        : h('span', { class: 'mono', title: s.ledger.head_hash }, `head ${short(s.ledger.head_hash, 12)}`),
    );
    this.tile('arena', this.arena || 'idle', 'bars run');
    const banner = byId('halt-banner');
    const said = haltSentence(s.halts);
    banner.hidden = said === null;
    if (said) {
      fill(
        banner,
        h('b', { 'data-testid': 'halt-title' }, said.title),
        ' — ',
        h('span', { 'data-testid': 'halt-sentence' }, said.sentence),
        h(
          'ul',
          { class: 'halt-scopes' },
          s.halts.scopes.map((x) =>
            h(
              'li',
              { 'data-scope': x.scope },
              h('b', {}, scopeLabel(x.scope)),
              `: ${x.reason} · by ${x.by ?? 'unknown'} · ${sinceText(x)} · `,
              h('span', { class: 'halt-sweep' }, sweepText(x.sweep)),
              x.source === 'file' ? ' · tripped by a HALT file in the runtime root' : null,
            ),
          ),
        ),
      );
    }
    const global = this.halted;
    document.body.classList.toggle('is-halted', said !== null);
    this.kill.textContent = global ? 'Resume trading' : 'Halt trading';
    this.kill.classList.toggle('resume', global);
    this.kill.dataset.state = global ? 'halted' : 'running';
  }

  private async toggleHalt(): Promise<void> {
    if (!(await this.admin.ensure())) return;
    const halting = !this.halted;
    this.kill.disabled = true;
    try {
      if (halting) {
        const r = await asAdmin().halt({ scope: 'global' }, 'kill switch (dashboard)');
        toast(`Trading halted: orders that add exposure are refused; ${sweepText(r)}`, 'bad');
      } else {
        await asAdmin().resume({ scope: 'global' });
        toast('Trading resumed', 'good');
      }
      await this.refresh();
    } catch (e) {
      if (e instanceof ArbiterHttpError && (e.status === 401 || e.status === 403)) this.admin.forget();
      toast(errorText(e), 'bad');
    } finally {
      this.kill.disabled = false;
    }
  }
}
