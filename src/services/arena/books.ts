import type { Portfolio } from '../../core/arena/portfolio.js';
import { isWorking } from '../../core/paper/account.js';
import type { PaperFill, PaperOrder } from '../../core/paper/types.js';
import type { AccountSource, TradeRecord } from './types.js';

/** Wallet or position differences above this (USDT or base units) count as a reconciliation miss. */
const TOLERANCE = 1e-6;

/**
 * Keeps the arena's books in step with the paper venue: after any venue activity of an agent it reads the
 * venue's account, books every fill it has not booked yet (fills are found by time: everything after the
 * previous bar's open, minus what this bar already booked) and then adopts the venue's wallet and positions as
 * the truth, counting any difference. Reading rather than listening is what makes a resumed bar book exactly
 * the fills that happened before the crash.
 */
export class AccountBooks {
  /** Agents whose venue account changes without them acting (open orders, perpetual positions). */
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

  /** Starts a bar: fills after `previousBarTime` are new unless booked again within this bar. */
  newBar(previousBarTime: number): void {
    this.windowStart = previousBarTime;
    for (const s of this.bookedThisBar) if (s.size) s.clear();
  }

  async sync(a: number, bar: number, out: TradeRecord[]): Promise<void> {
    const p = this.portfolio;
    const acc = await this.venue.account(p.accountIds[a]!);
    const fresh: { order: PaperOrder; fill: PaperFill }[] = [];
    const booked = this.bookedThisBar[a]!;
    for (const order of acc.orders) {
      for (const fill of order.fills) {
        if (fill.ts > this.windowStart && !booked.has(fill.fillId)) fresh.push({ order, fill });
      }
    }
    fresh.sort((x, y) => x.fill.ts - y.fill.ts); // stable: same-time fills keep order and fill sequence
    const funding = acc.totals.funding - p.funding[a]!;
    if (funding !== 0) p.applyFunding(a, funding);
    for (const { order, fill } of fresh) {
      booked.add(fill.fillId);
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
        order_id: order.orderId,
        client_order_id: order.clientOrderId,
      });
    }
    const miss = p.adopt(a, acc);
    if (miss > TOLERANCE) {
      this.mismatches += 1;
      this.largestMiss = Math.max(this.largestMiss, miss);
    }
    const k = a * 2;
    this.needsTouch[a] = p.qty[k + 1] !== 0 || acc.orders.some(isWorking) ? 1 : 0;
  }
}
