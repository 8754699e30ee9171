import { redactString } from '../core/audit/redact.js';
import { parseIntent } from '../core/firewall/intent.js';
import { reason } from '../core/firewall/reasons.js';
import { isFinal } from '../core/order/lifecycle.js';
import type { StoredOrder } from '../ports/store.js';
import { VenueError, type VenueOrder } from '../ports/venue.js';
import type { ServiceDeps } from './deps.js';
import { asAgentSees } from './firewall/types.js';
import { orderAnswer } from './firewall/views.js';
import type { FirewallService, Session, VetResult } from './firewall-service.js';

export class OrderServiceError extends Error {
  constructor(
    readonly code:
      | 'ORDER_NOT_FOUND'
      | 'VENUE_UNAVAILABLE'
      | 'INVALID_ARGUMENT'
      | 'NO_POSITION'
      | 'REFUSED'
      | 'VENUE_ERROR',
    message: string,
    readonly verdict?: VetResult,
  ) {
    super(`${code}: ${message}`);
  }
}

/**
 * Order management beyond placing: every change that could add risk is vetted by the same firewall first;
 * changes that only remove risk (cancels) are recorded in the ledger and never blocked. An agent sees and touches
 * only its own orders: an order it did not place (another agent's, or one placed outside Arbiter) is, to it,
 * not found.
 */
export class OrderService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly firewall: FirewallService,
  ) {}

  private venue(session: Session) {
    const v = this.deps.venues.get(session.venue);
    if (!v) throw new OrderServiceError('VENUE_UNAVAILABLE', `no venue ${session.venue} is configured`);
    return v;
  }

  /**
   * `reason`: why the agent trades (a prediction-market bot states one with each buy): recorded in the ledger as
   * `order_reason` beside the verdict it explains (redacted of anything credential-shaped, at most 500 characters),
   * once per verdict (a replayed client order id records nothing new). It never changes the verdict.
   */
  async place(session: Session, intent: unknown, remoteTool = 'place_order', reason?: string): Promise<VetResult> {
    const r = await this.firewall.vet(intent, session, { execute: true, remoteTool });
    const why = reason?.trim();
    if (why && !r.replayed)
      await this.record(session, 'order_reason', {
        verdict_id: r.certificate.payload.id,
        symbol: (intent as { symbol?: unknown } | null)?.symbol ?? null,
        reason: redactString(why.slice(0, 500)),
      });
    return r;
  }

  /** The store's record of `o` if the session's agent placed it, else null. */
  private async own(session: Session, o: VenueOrder): Promise<StoredOrder | null> {
    const store = this.deps.store;
    const rec =
      (await store.orderByVenueId(session.accountId, o.orderId)) ??
      (await store.orderByClientId(session.accountId, o.clientOrderId));
    return rec !== null && rec.agentId === session.agentId ? rec : null;
  }

  /** The agent's own orders among `orders`, each under the client order id the agent gave it. */
  private async mine(session: Session, orders: readonly VenueOrder[]): Promise<readonly VenueOrder[]> {
    const out: VenueOrder[] = [];
    for (const o of orders) {
      const rec = await this.own(session, o);
      if (rec) out.push(asAgentSees(o, rec.agentClientOrderId));
    }
    return out;
  }

  /** The agent's own open orders. */
  async openOrders(session: Session, symbol?: string): Promise<readonly VenueOrder[]> {
    return this.mine(session, await this.venue(session).openOrders(session.accountId, symbol));
  }

  /** The agent's own recent orders, most recent first. */
  async orderHistory(session: Session, limit: number): Promise<readonly VenueOrder[]> {
    return this.mine(session, await this.venue(session).orderHistory(session.accountId, limit));
  }

  /** One of the agent's open orders, by the venue's order id, the client order id the venue holds, or its own. */
  private async find(session: Session, orderId: string): Promise<VenueOrder> {
    const open = await this.venue(session).openOrders(session.accountId);
    const own = this.firewall.venueClientOrderId(session.agentId, orderId, '');
    const o = open.find((x) => x.orderId === orderId || x.clientOrderId === orderId || x.clientOrderId === own);
    if (!o || !(await this.own(session, o)))
      throw new OrderServiceError('ORDER_NOT_FOUND', `no open order ${orderId} placed by agent ${session.agentId}`);
    return o;
  }

  /** Cancels never add risk: recorded, never blocked (not even while halted). */
  async cancel(session: Session, orderId: string): Promise<VenueOrder> {
    const venue = this.venue(session);
    const o = await this.find(session, orderId);
    const done = await venue.cancelOrder(session.accountId, o.orderId);
    await this.settle(session, done);
    return done;
  }

  /**
   * The operator's cancel (the kill switch): any resting order of the session's account, whoever placed it. Not
   * reachable by an agent: no tool or agent route calls it.
   */
  async cancelAsOperator(session: Session, orderId: string): Promise<VenueOrder> {
    const venue = this.venue(session);
    const open = await venue.openOrders(session.accountId);
    const o = open.find((x) => x.orderId === orderId || x.clientOrderId === orderId);
    if (!o) throw new OrderServiceError('ORDER_NOT_FOUND', `no open order ${orderId} on account ${session.accountId}`);
    const done = await venue.cancelOrder(session.accountId, o.orderId);
    await this.settle(session, done);
    return done;
  }

  async cancelAll(session: Session, symbol?: string): Promise<readonly VenueOrder[]> {
    const venue = this.venue(session);
    const out: VenueOrder[] = [];
    for (const o of await this.openOrders(session, symbol)) {
      const done = await venue.cancelOrder(session.accountId, o.orderId);
      await this.settle(session, done);
      out.push(done);
    }
    return out;
  }

  /**
   * Amend is vetted as the order it becomes, like a new order: the new quantity (the order's new total) and price
   * pass the same gates, so 0, a negative, NaN, ±Infinity (INTENT_MALFORMED naming the field), a size below the
   * venue minimum or a price outside the collar are refused, signed, before anything reaches the venue. Without a
   * new quantity, what is still open is vetted at the new price. The venue gets the quantity the verdict allowed.
   */
  async amend(
    session: Session,
    orderId: string,
    changes: { quantity?: number; limit_price?: number },
  ): Promise<{ verdict: VetResult; order: VenueOrder | null }> {
    const venue = this.venue(session);
    const o = await this.find(session, orderId);
    const next = changes.quantity;
    if (next !== undefined && Number.isFinite(next) && next > 0 && next <= o.filledQuantity)
      throw new OrderServiceError(
        'INVALID_ARGUMENT',
        `quantity ${next} is not above the ${o.filledQuantity} already filled`,
      );
    const price = changes.limit_price ?? o.limitPrice;
    const intent: Record<string, unknown> = {
      symbol: o.symbol,
      side: o.side,
      type: o.type,
      quantity: next ?? o.quantity - o.filledQuantity,
      reduce_only: o.reduceOnly,
      ...(price !== null ? { limit_price: price } : {}),
    };
    const verdict = await this.firewall.vet(intent, session, {
      execute: false,
      amend: true,
      remoteTool: 'amend_order',
    });
    const effective = verdict.certificate.payload.effective;
    if (verdict.certificate.payload.decision !== 'ALLOW' || !effective) return { verdict, order: null };
    const order = await venue.amendOrder(session.accountId, o.orderId, {
      ...(next !== undefined ? { quantity: effective.quantity } : {}),
      ...(changes.limit_price !== undefined ? { limitPrice: changes.limit_price } : {}),
    });
    const ref = await this.deps.store.orderByVenueId(session.accountId, o.orderId);
    if (ref && !isFinal(ref.status)) {
      const remaining = order.quantity - order.filledQuantity;
      await this.deps.store.resizeReservation(
        ref.verdictId,
        remaining,
        remaining * effective.price,
        this.deps.clock.now(),
      );
    }
    await this.record(session, 'amend', {
      order_id: o.orderId,
      changes,
      certificate_id: verdict.certificate.payload.id,
    });
    return { verdict, order };
  }

  /** A leverage change is checked against the mandate and the instrument before it reaches the venue. */
  async setLeverage(
    session: Session,
    symbol: string,
    leverage: number,
  ): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
    const parsed = parseIntent({ symbol, side: 'buy', quantity: 1, leverage });
    if (!parsed.ok) return { ok: false, code: parsed.reason.code, message: parsed.reason.message };
    const load = this.deps.mandates.load(session.venue);
    if (!load.ok) return { ok: false, code: load.code, message: load.message };
    const inst = await this.deps.market.instrument(parsed.intent.symbol);
    if (!inst)
      return { ok: false, code: 'INSTRUMENT_UNKNOWN', message: reason('INSTRUMENT_UNKNOWN', { symbol }).message };
    const max = Math.min(load.mandate.hard_caps.max_leverage, inst.maxLeverage);
    if (leverage > max) {
      const r = reason('LEVERAGE_EXCEEDS_CAP', { requested: leverage, max });
      await this.record(session, 'set_leverage_refused', { symbol: inst.symbol, leverage, reason: r.message });
      return { ok: false, code: r.code, message: r.message };
    }
    await this.venue(session).setLeverage(session.accountId, inst.symbol, leverage);
    await this.record(session, 'set_leverage', { symbol: inst.symbol, leverage });
    return { ok: true };
  }

  /** Take-profit / stop-loss only ever close a position: allowed while a position exists. */
  async setTradingStop(
    session: Session,
    symbol: string,
    stops: { takeProfit?: number | null; stopLoss?: number | null },
  ) {
    const positions = await this.venue(session).positions(session.accountId);
    const p = positions.find((x) => x.symbol === symbol && x.quantity !== 0);
    if (!p) throw new OrderServiceError('NO_POSITION', `no open position in ${symbol}`);
    await this.venue(session).setTradingStop(session.accountId, symbol, stops);
    await this.record(session, 'set_trading_stop', { symbol, ...stops });
    return { symbol, ...stops };
  }

  /** Closing is a reduce-only market order for the whole position, vetted like any order. */
  async closePosition(session: Session, symbol: string): Promise<VetResult> {
    const positions = await this.venue(session).positions(session.accountId);
    const p = positions.find((x) => x.symbol === symbol && x.quantity !== 0);
    if (!p) throw new OrderServiceError('NO_POSITION', `no open position in ${symbol}`);
    const intent = { symbol, side: p.quantity > 0 ? 'sell' : 'buy', quantity: Math.abs(p.quantity), reduce_only: true };
    return this.firewall.vet(intent, session, { execute: true, remoteTool: 'close_position' });
  }

  /**
   * Records what the venue reports about an order the firewall forwarded (a fill, a cancel, …) by the order
   * lifecycle, with a view of the account taken after it. An order the store already knows as final is left
   * alone.
   */
  async settle(session: Session, order: VenueOrder): Promise<void> {
    const store = this.deps.store;
    const ref =
      (await store.orderByVenueId(session.accountId, order.orderId)) ??
      (await store.orderByClientId(session.accountId, order.clientOrderId));
    if (!ref || isFinal(ref.status)) return;
    if (ref.status === order.status && ref.filledQuantity === order.filledQuantity) return;
    const venue = this.venue(session);
    const view = await this.firewall.views.take(session.accountId, venue).catch(() => undefined);
    await store.recordOrderOutcome(ref.verdictId, orderAnswer(order), this.deps.clock.now(), view);
  }

  private async record(session: Session, kind: string, body: Record<string, unknown>): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.store.ledgerAppend(
      kind,
      session.agentId,
      JSON.stringify({ agent_id: session.agentId, account_id: session.accountId, ...body, ts: now }),
      now,
    );
  }
}

export { VenueError };
