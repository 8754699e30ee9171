import type { VenueAnswer } from '../../core/order/lifecycle.js';
import type { AccountView } from '../../ports/store.js';
import type { Venue, VenueOrder } from '../../ports/venue.js';
import type { ServiceDeps } from '../deps.js';

/** A venue's report of an order as a lifecycle answer. */
export function orderAnswer(o: VenueOrder): VenueAnswer {
  return {
    kind: 'order',
    status: o.status,
    venueOrderId: o.orderId,
    filledQuantity: o.filledQuantity,
    avgPrice: o.avgFillPrice,
  };
}

/**
 * Venue views of accounts. A view is taken against the store's basis (the account's version and its orders in
 * flight, read first), so the store can tell whether anything happened since and apply it by the view rule.
 */
export class AccountViews {
  constructor(private readonly deps: Pick<ServiceDeps, 'store' | 'clock'>) {}

  async take(accountId: string, venue: Venue): Promise<AccountView> {
    const basis = await this.deps.store.viewBasis(accountId);
    const snap = await venue.accountSnapshot(
      accountId,
      basis.inflight.map((o) => o.clientOrderId),
    );
    return {
      asOf: basis.asOf,
      equity: snap.balance.equity,
      positions: snap.positions.map((p) => ({
        symbol: p.symbol,
        qty: p.quantity,
        avgPrice: p.entryPrice,
        mark: p.markPrice,
      })),
      orders: snap.orders.map((o) => ({ clientOrderId: o.clientOrderId, answer: orderAnswer(o) })),
    };
  }

  /** Reconciliation: a fresh view of the account, applied. */
  async reconcile(accountId: string, venue: Venue): Promise<void> {
    const view = await this.take(accountId, venue);
    await this.deps.store.applyView(accountId, view, this.deps.clock.now());
  }

  /**
   * A live venue's account state is refreshed before judging when it is older than half the staleness limit.
   * If the venue cannot be reached the state stays old, and the exposure gate refuses what adds risk.
   */
  async refreshIfStale(accountId: string, venue: Venue, maxAgeMs: number, now: number): Promise<void> {
    const snap = await this.deps.store.accountSnapshot(accountId, null, now, 0);
    if (snap.synced_at !== null && now - snap.synced_at <= maxAgeMs / 2) return;
    await this.reconcile(accountId, venue).catch(() => undefined);
  }
}
