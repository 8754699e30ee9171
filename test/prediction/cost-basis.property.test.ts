import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/market-data/manual-clock.js';
import {
  syntheticOutcomeMarketAt,
  withPredictionMarkets,
} from '../../src/adapters/market-data/prediction-market-data.js';
import { createSyntheticMarketData } from '../../src/adapters/market-data/synthetic-market-data.js';
import { MemoryDocStore } from '../../src/adapters/venues/paper/memory-doc-store.js';
import { PaperVenue } from '../../src/adapters/venues/paper/paper-venue.js';
import { createFirewall, generateSigner, openSqliteStore } from '../../src/app/embed.js';
import { predictionArenaMandate } from '../../src/core/prediction/arena.js';
import { parseOutcomeSymbol } from '../../src/core/prediction/types.js';

const HOUR = 3_600_000;
const K0 = 4990 * 100 * HOUR;
const PER_MARKET = 150;
const TOTAL = 250;

/** The firewall (embed API: the same FirewallService as every door) over the paper venue trading outcome tokens. */
function rig() {
  const clock = new ManualClock(K0 + 10 * HOUR);
  const base = createSyntheticMarketData({ clock, seed: 11 });
  const venue = new PaperVenue({
    store: new MemoryDocStore(),
    market: base,
    outcomes: { now: () => clock.now(), at: syntheticOutcomeMarketAt },
  });
  const m = predictionArenaMandate(clock.now(), 10_000);
  const mandate = {
    ...m,
    arbiter: {
      ...m.arbiter,
      allow_capping: true,
      duplicate_window_ms: 0,
      prediction: {
        ...m.arbiter.prediction,
        max_cost_basis_per_market_usd: PER_MARKET,
        max_cost_basis_total_usd: TOTAL,
      },
    },
  };
  const store = openSqliteStore(':memory:');
  const fw = createFirewall({
    store,
    venue,
    market: withPredictionMarkets(base, clock),
    signer: generateSigner(),
    mandate,
    clock,
  });
  return { fw, venue, clock, store };
}

/** Collateral paid for the shares held (fees apart), per market and in total: what the caps bound. */
async function costBasis(venue: PaperVenue) {
  const per = new Map<string, number>();
  let total = 0;
  for (const p of await venue.positions('alice')) {
    const t = parseOutcomeSymbol(p.symbol);
    if (!t) continue;
    const c = p.quantity * p.entryPrice;
    per.set(t.marketId, (per.get(t.marketId) ?? 0) + c);
    total += c;
  }
  return { per, total };
}

describe('cost basis through the firewall and the paper venue (fast-check)', () => {
  const step = fc.record({
    market: fc.constantFrom('SYN4990-M1', 'SYN4990-M2', 'SYN4990-M3'),
    outcome: fc.constantFrom('YES', 'NO'),
    side: fc.constantFrom('buy', 'buy', 'sell'),
    notional: fc.integer({ min: 1, max: 400 }),
    limit: fc.option(fc.integer({ min: 2, max: 98 }), { nil: undefined }),
    hours: fc.integer({ min: 0, max: 20 }),
  });

  it('never exceeds the per-market or the total cap, whatever the sequence of buys and sells', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const { fw, venue, clock } = rig();
        try {
          for (const s of steps) {
            clock.advance(s.hours * HOUR);
            const symbol = `${s.market}-${s.outcome}/USDC`;
            const held = (await venue.positions('alice')).find((p) => p.symbol === symbol)?.quantity ?? 0;
            const intent =
              s.side === 'sell'
                ? { symbol, side: 'sell', quantity: Math.max(1, Math.floor(held / 2)) }
                : {
                    symbol,
                    side: 'buy',
                    notional: s.notional,
                    ...(s.limit !== undefined
                      ? { type: 'limit', limit_price: s.limit / 100, time_in_force: 'IOC' }
                      : {}),
                  };
            const r = await fw.place(intent, { agentId: 'alice' });
            if (s.side === 'buy' && ['ALLOW', 'ALLOW_CAPPED'].includes(r.certificate.payload.decision)) {
              // A market buy is sent as an IOC limit at the price it was sized at (the best ask): it takes shares.
              if (s.limit === undefined) expect(r.order?.filledQuantity, JSON.stringify(r.order)).toBeGreaterThan(0);
              // No buy pays more than the price the verdict sized it at.
              if (r.order?.avgFillPrice != null)
                expect(r.order.avgFillPrice).toBeLessThanOrEqual(r.certificate.payload.effective!.price + 1e-12);
            }
            const bound = r.certificate.payload.context.prediction;
            if (bound) {
              expect(bound.cost_basis_market).toBeLessThanOrEqual(PER_MARKET + 1e-6);
              expect(bound.cost_basis_total).toBeLessThanOrEqual(TOTAL + 1e-6);
            }
            const cb = await costBasis(venue);
            for (const [id, c] of cb.per)
              expect(c, `market ${id} after ${JSON.stringify(s)}`).toBeLessThanOrEqual(PER_MARKET + 1e-6);
            expect(cb.total, `total after ${JSON.stringify(s)}`).toBeLessThanOrEqual(TOTAL + 1e-6);
          }
        } finally {
          await fw.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
