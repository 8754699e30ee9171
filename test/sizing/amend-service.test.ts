import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from '../../src/app/redteam/harness.js';
import { RestingVenue } from '../../src/app/redteam/resting-venue.js';
import type { VenueOrder, VenueOrderRequest } from '../../src/ports/venue.js';
import { OrderService, OrderServiceError } from '../../src/services/order-service.js';

/** Rests every order with a tenth of it already filled, and records every amend that reaches it. */
class PartlyFilledVenue extends RestingVenue {
  readonly amends: unknown[] = [];
  override async placeOrder(req: VenueOrderRequest): Promise<VenueOrder> {
    const o = await super.placeOrder(req);
    const partly = { ...o, filledQuantity: Number((o.quantity / 10).toFixed(8)), status: 'partially_filled' as const };
    this.orders.set(o.orderId, partly);
    return partly;
  }
  override async openOrders() {
    return [...this.orders.values()].filter((o) => o.status === 'open' || o.status === 'partially_filled');
  }
  override async amendOrder(_account?: string, orderId?: string, changes?: unknown): Promise<VenueOrder> {
    this.amends.push(changes);
    return this.orders.get(orderId!)!;
  }
}

/**
 * NaN and ±Infinity cannot travel in JSON (MCP, HTTP): they reach OrderService.amend only from code in the same
 * process. The service is the one place every door's amend goes through, so it is checked here directly.
 */
describe('OrderService.amend with sizes no JSON door can carry', () => {
  let h: Harness;
  let venue: PartlyFilledVenue;
  let orders: OrderService;
  let orderId: string;
  const session = { agentId: 'mallory', accountId: 'acct', venue: 'paper', sessionId: 'amend-test' };

  beforeEach(async () => {
    h = new Harness({
      venue: ({ clock }) => {
        venue = new PartlyFilledVenue(() => clock.now());
        return venue;
      },
    });
    orders = new OrderService(h.deps, h.firewall);
    const placed = await h.vet(
      { symbol: 'ETH/USDT', side: 'buy', quantity: 0.1, limit_price: 2_950 },
      { execute: true },
    );
    orderId = placed.order!.orderId;
    h.clock.advance(5_000); // past the duplicate window and the throttle's second
  });
  afterEach(() => h.close());

  it.each([
    ['NaN', { quantity: Number.NaN }, 'field=quantity problem="must not be NaN"'],
    ['+Infinity', { quantity: Number.POSITIVE_INFINITY }, 'field=quantity problem="must be finite"'],
    ['-Infinity', { quantity: Number.NEGATIVE_INFINITY }, 'field=quantity problem="must be finite"'],
    ['a NaN limit price', { limit_price: Number.NaN }, 'field=limit_price problem="must not be NaN"'],
  ])('refuses %s as a signed INTENT_MALFORMED and sends nothing to the venue', async (_n, changes, message) => {
    const r = await orders.amend(session, orderId, changes);
    expect(r.order).toBeNull();
    expect(r.verdict.certificate.payload.decision).toBe('REJECT');
    expect(r.verdict.certificate.payload.reasons.map((x) => x.message)).toEqual([
      expect.stringContaining(`INTENT_MALFORMED: ${message}`),
    ]);
    expect(venue.amends, 'no amend reached the venue').toEqual([]);
  });

  it('refuses a quantity not above what has already filled, before any verdict', async () => {
    const err = await orders.amend(session, orderId, { quantity: 0.01 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrderServiceError);
    expect((err as OrderServiceError).code).toBe('INVALID_ARGUMENT');
    expect((err as Error).message).toContain('already filled');
    expect(venue.amends).toEqual([]);
  });

  it('sends the venue the quantity the verdict allowed', async () => {
    const r = await orders.amend(session, orderId, { quantity: 0.15 });
    expect(r.verdict.certificate.payload.decision).toBe('ALLOW');
    expect(venue.amends).toEqual([{ quantity: r.verdict.certificate.payload.effective!.quantity }]);
    expect(r.verdict.certificate.payload.effective!.quantity).toBe(0.15);
  });
});
