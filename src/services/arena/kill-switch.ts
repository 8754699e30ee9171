import type { Portfolio } from '../../core/arena/portfolio.js';
import type { AgentIntent } from '../../core/arena/types.js';
import type { Session } from '../firewall-service.js';
import { OrderService, OrderServiceError } from '../order-service.js';
import type { AccountBooks } from './books.js';
import { outcomeFields, traceOf } from './records.js';
import type { Submitter } from './submit.js';
import type { ArenaParts, TraceRecord, TradeRecord } from './types.js';

/** What the switch did in the arena at one enforcement. */
export interface ArenaHaltOutcome {
  /** The bar it acted in and the market time (ms) it acted at. */
  readonly bar: number;
  readonly ts: number;
  /** Agents a halt in force applies to. */
  readonly halted_agents: number;
  readonly cancelled: number;
  readonly flattened: number;
  readonly flatten_on_halt: boolean;
  readonly failures: readonly string[];
}

/** A halt scope in force at the installation, as the arena mirrors it. */
export interface HaltRow {
  readonly scope: string;
  readonly reason: string;
}

/**
 * The installation's kill switch inside an arena. The arena's firewall judges halts from its own store and its
 * sentinels, so the installation's halts that reach the arena (global, the arena's venue, one of its agents) are
 * mirrored into the arena's store; from then on every intent that adds exposure is refused there like anywhere.
 * When a halt is new to an agent its resting orders are cancelled, and while the arena's mandate says
 * `flatten_on_halt` its positions are closed with reduce-only market orders through the same firewall.
 */
export class ArenaKillSwitch {
  private readonly swept: boolean[];
  private readonly orders: OrderService;
  /** Enforcements within one bar get their own id scope (a verdict id depends only on its scope). */
  private round = { bar: -1, n: 0 };

  constructor(
    private readonly parts: ArenaParts,
    private readonly agentIds: readonly string[],
    private readonly sessions: readonly Session[],
    private readonly portfolio: Portfolio,
    private readonly books: AccountBooks,
    private readonly submitter: Submitter,
    private readonly counted: () => void,
  ) {
    this.swept = agentIds.map(() => false);
    this.orders = new OrderService(parts.deps, parts.firewall);
  }

  /** Makes the arena store's halts those of the installation that reach this arena (and nothing else). */
  async mirror(inForce: readonly HaltRow[]): Promise<void> {
    const { store, clock } = this.parts.deps;
    const venue = `venue:${this.parts.venueName}`;
    const agents = new Set(this.agentIds.map((id) => `agent:${id}`));
    const wanted = new Map(
      inForce.filter((h) => h.scope === 'global' || h.scope === venue || agents.has(h.scope)).map((h) => [h.scope, h]),
    );
    const now = clock.now();
    const current = await store.halts();
    for (const r of current) if (!wanted.has(r.scope)) await store.setHalt(r.scope, null, now);
    for (const [scope, h] of wanted) {
      if (!current.some((r) => r.scope === scope)) await store.setHalt(scope, h.reason || 'halted', now);
    }
  }

  /** Which agents a halt applies to now, from the same inputs the arena's firewall judges on. */
  async halted(): Promise<boolean[]> {
    const { sentinels, store } = this.parts.deps;
    const files = sentinels.fileHalts(this.parts.venueName);
    const scopes = new Set((await store.halts()).map((r) => r.scope));
    const all = files.global || files.venue || scopes.has('global') || scopes.has(`venue:${this.parts.venueName}`);
    return this.agentIds.map((id) => all || scopes.has(`agent:${id}`));
  }

  /**
   * Cancels the resting orders of agents newly halted and, under `flatten_on_halt`, closes every halted agent's
   * positions at the current quote. Fills and decisions are booked into `into` (the bar they happen in).
   */
  async enforce(
    bar: number,
    marks: Readonly<Record<'spot' | 'perp', number>>,
    into: { trades: TradeRecord[]; traces: TraceRecord[] },
  ): Promise<ArenaHaltOutcome> {
    const halted = await this.halted();
    const load = this.parts.deps.mandates.load(this.parts.venueName);
    const flatten = load.ok && load.mandate.flatten_on_halt;
    const failures: string[] = [];
    let cancelled = 0;
    let flattened = 0;
    for (let a = 0; a < this.agentIds.length; a++) {
      if (!halted[a]) {
        this.swept[a] = false;
        continue;
      }
      const fresh = !this.swept[a];
      this.swept[a] = true;
      // Resting orders are cancelled when the halt is new; later ones can only be reductions (the firewall saw to it).
      if (fresh) cancelled += await this.cancelResting(a, failures);
      if (flatten) flattened += await this.flatten(a, bar, marks, into, failures);
    }
    return {
      bar,
      ts: this.parts.clock.now(),
      halted_agents: halted.filter(Boolean).length,
      cancelled,
      flattened,
      flatten_on_halt: flatten,
      failures,
    };
  }

  private async cancelResting(a: number, failures: string[]): Promise<number> {
    const session = this.sessions[a]!;
    const venue = this.parts.deps.venues.get(this.parts.venueName);
    if (!venue) return 0;
    let n = 0;
    for (const o of await venue.openOrders(session.accountId)) {
      try {
        await this.orders.cancel(session, o.orderId);
        n += 1;
      } catch (e) {
        if (!(e instanceof OrderServiceError && e.code === 'ORDER_NOT_FOUND'))
          failures.push(`CANCEL_FAILED: agent=${session.agentId} order=${o.orderId} ${(e as Error).message}`);
      }
    }
    return n;
  }

  private async flatten(
    a: number,
    bar: number,
    marks: Readonly<Record<'spot' | 'perp', number>>,
    into: { trades: TradeRecord[]; traces: TraceRecord[] },
    failures: string[],
  ): Promise<number> {
    const p = this.portfolio;
    const id = this.agentIds[a]!;
    if (this.round.bar !== bar) this.round = { bar, n: 0 };
    let n = 0;
    for (const [slot, k] of [
      ['spot', a * 2],
      ['perp', a * 2 + 1],
    ] as const) {
      const qty = p.qty[k]!;
      const symbol = p.symbols[slot];
      if (qty === 0 || symbol === null) continue;
      this.round.n += 1;
      const intent: AgentIntent = {
        symbol,
        side: qty > 0 ? 'sell' : 'buy',
        type: 'market',
        quantity: Math.abs(qty),
        reduce_only: true,
      };
      const out = await this.submitter.submit(
        this.sessions[a]!,
        `${id}.${bar}.halt${this.round.n}`,
        intent,
        this.books.storeView(a, marks),
        true,
      );
      if (out.order || out.error) await this.books.sync(a, bar, into.trades);
      this.counted();
      into.traces.push(
        traceOf(id, bar, this.parts.clock.now(), intent, {
          reason: 'kill switch: flatten_on_halt',
          ...outcomeFields(out),
        }),
      );
      if ((out.order?.filledQuantity ?? 0) > 0) n += 1;
      else
        failures.push(
          `FLATTEN_REFUSED: agent=${id} symbol=${intent.symbol} ${out.error?.code ?? out.reasons.join(',')}`,
        );
    }
    return n;
  }
}
