import type { MarketFrame } from '../../core/arena/observation.js';
import type { Portfolio } from '../../core/arena/portfolio.js';
import { isWorking } from '../../core/paper/account.js';
import type { PaperFill, PaperOrder } from '../../core/paper/types.js';
import type { AccountView, PositionSync } from '../../ports/store.js';
import type { AccountSource, TradeRecord } from './types.js';

export const WORKING = 1;
export const PERP = 2;

/** Wallet or position differences above this (USDT or base units) count as a reconciliation miss. */
const TOLERANCE = 1e-6;

/**
 * Keeps the arena's books in step with the paper venue: after any venue activity of an agent it reads the
 * venue's account, books every fill it has not booked yet (fills are found by time: everything after the
 * previous bar's open, minus what this bar already booked) and checks that the books now agree with the venue's
 * wallet and positions, counting any miss. Reading rather than listening is what makes a resumed bar book
 * exactly the fills that happened before the crash.
 */
export class AccountBooks {
  /**
   * Why an agent's venue account can change without the agent acting: WORKING (open orders: visit every bar),
   * PERP (a perpetual position: visit at funding marks and whenever a liquidation cannot be ruled out).
   */
  readonly needsTouch: Uint8Array;
  mismatches = 0;
  largestMiss = 0;
  private windowStart = Number.NEGATIVE_INFINITY;
  private readonly bookedThisBar: Set<string>[];

  constructor(
    private readonly portfolio: Portfolio,
    private readonly venue: AccountSource,
    private readonly agentIds: readonly string[],
  ) {
    this.needsTouch = new Uint8Array(agentIds.length);
    this.bookedThisBar = agentIds.map(() => new Set<string>());
  }

  /**
   * Whether agent `a`'s venue account may have changed by bar `i` without the agent acting: it has open orders,
   * funding settles at this bar's open, or the books at each position's worst price over the last bar do not
   * stay clear of twice the perpetual maintenance margin (a liquidation cannot be ruled out). Anything else
   * the venue catches up on the next visit, at the right times.
   */
  mustVisit(a: number, i: number, frame: MarketFrame, maintenanceRate: number): boolean {
    const why = this.needsTouch[a]!;
    if (why & WORKING) return true;
    if (!(why & PERP)) return false;
    const perp = frame.perp;
    if (i === 0 || !perp || !Number.isNaN(perp.funding[i]!)) return true;
    const p = this.portfolio;
    const j = i - 1;
    const k = a * 2;
    const qs = p.qty[k]!;
    const qp = p.qty[k + 1]!;
    const worst =
      p.wallet[a]! +
      qs * ((qs > 0 ? frame.spot.low[j]! : frame.spot.high[j]!) - p.entry[k]!) +
      qp * ((qp > 0 ? perp.low[j]! : perp.high[j]!) - p.entry[k + 1]!);
    return !(worst > 2 * Math.abs(qp) * perp.high[j]! * maintenanceRate);
  }

  /**
   * Agent `a`'s books as the firewall's store should see them before it decides (marked at `marks`). The arena is
   * its accounts' sole writer and keeps these books in step with the venue, so the view is current (`asOf` null).
   */
  storeView(a: number, marks: Readonly<Record<'spot' | 'perp', number>>): AccountView {
    const p = this.portfolio;
    const k = a * 2;
    const positions: PositionSync[] = [];
    if (p.qty[k] !== 0)
      positions.push({ symbol: p.symbols.spot, qty: p.qty[k]!, avgPrice: p.entry[k]!, mark: marks.spot });
    if (p.qty[k + 1] !== 0 && p.symbols.perp !== null)
      positions.push({ symbol: p.symbols.perp, qty: p.qty[k + 1]!, avgPrice: p.entry[k + 1]!, mark: marks.perp });
    return { asOf: null, equity: p.equity(a, marks.spot, marks.perp), positions };
  }

  /** Starts a bar: fills after `previousBarTime` are new unless booked again within this bar. */
  newBar(previousBarTime: number): void {
    this.windowStart = previousBarTime;
    for (const s of this.bookedThisBar) if (s.size) s.clear();
  }

  /**
   * Books what the venue did for agent `a` since the last sync. With `before` (the bar's open), orders the agent
   * placed at or after it are left for later: a bar redone after a crash must show the agent its books as they
   * were before it decided.
   */
  async sync(a: number, bar: number, out: TradeRecord[], before = Number.POSITIVE_INFINITY): Promise<void> {
    const p = this.portfolio;
    const id = p.accountIds[a]!;
    // Before the agent acts the venue must catch up; right after a call it has, and a read is enough.
    const acc = before === Number.POSITIVE_INFINITY ? await this.venue.peek(id) : await this.venue.account(id);
    const fresh: { order: PaperOrder; fill: PaperFill }[] = [];
    const booked = this.bookedThisBar[a]!;
    let deferred = false;
    for (const order of acc.orders) {
      if (order.source === 'client' && order.createdAt >= before) {
        deferred ||= order.fills.length > 0;
        continue;
      }
      for (const fill of order.fills) {
        if (fill.ts > this.windowStart && !booked.has(fill.fillId)) fresh.push({ order, fill });
      }
    }
    fresh.sort((x, y) => x.fill.ts - y.fill.ts); // stable: same-time fills keep order and fill sequence
    const funding = acc.totals.funding - p.funding[a]!;
    if (funding !== 0) p.applyFunding(a, funding);
    for (const { order, fill } of fresh) {
      booked.add(fill.fillId);
      const slot = p.slot(order.symbol);
      const held = slot === undefined ? 0 : p.qty[a * 2 + slot]!;
      const closes = held !== 0 && (order.side === 'buy') !== held > 0;
      const realized = p.applyFill(a, { ...fill, symbol: order.symbol, side: order.side });
      out.push({
        agent: this.agentIds[a]!,
        bar,
        ts: fill.ts,
        symbol: order.symbol,
        side: order.side,
        quantity: fill.quantity,
        price: fill.price,
        notional: fill.quantity * fill.price,
        fee: fill.fee,
        realized_pnl: realized,
        closes,
        order_id: order.orderId,
        client_order_id: order.clientOrderId,
      });
    }
    p.noteLeverage(a, acc);
    const miss = deferred ? 0 : p.discrepancy(a, acc);
    if (miss > TOLERANCE) {
      this.mismatches += 1;
      this.largestMiss = Math.max(this.largestMiss, miss);
    }
    const k = a * 2;
    this.needsTouch[a] = (acc.orders.some(isWorking) ? WORKING : 0) | (p.qty[k + 1] !== 0 ? PERP : 0);
  }
}
