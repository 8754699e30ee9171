import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withPredictionMarkets } from '../../src/adapters/market-data/prediction-market-data.js';
import { offsetClock } from '../../src/adapters/system/clock.js';
import { PaperVenue } from '../../src/adapters/venues/paper/paper-venue.js';
import { createFirewall, createSyntheticMarket, generateSigner, openSqliteStore } from '../../src/app/embed.js';
import { syntheticOutcomes } from '../../src/app/market.js';
import { defaultMandate } from '../../src/core/mandate/schema.js';
import type { Mandate } from '../../src/core/mandate/types.js';
import type { PaperMarketView } from '../../src/core/paper/market-view.js';
import { listedPredictionViews } from '../../src/core/prediction/board.js';

const PER_MARKET = 60;
/**
 * The board as it stood when CI first ran this test (2026-12-02T17:17:21Z): the second market was at 1¢ and its
 * book one-sided, so buys were refused QUOTE_MISSING. The processes' clock is moved there, so the test replays it.
 */
const AT = Date.parse('2026-12-02T17:17:21Z');
const TOTAL = 100;

function mandate(): Mandate {
  const m = defaultMandate(new Date(), '0'.repeat(64));
  return {
    ...m,
    hard_caps: { ...m.hard_caps, allowed_instruments: ['crypto', 'prediction'], max_trades_per_day: 1_000 },
    universe: { ...m.universe, asset_classes: ['crypto', 'prediction'] },
    arbiter: {
      ...m.arbiter,
      market_kinds: [...(m.arbiter.market_kinds ?? []), 'prediction'],
      allow_capping: false,
      duplicate_window_ms: 0,
      throttle: { per_second: 100_000, per_minute: 1_000_000 },
      prediction: { max_cost_basis_per_market_usd: PER_MARKET, max_cost_basis_total_usd: TOTAL },
    },
  } as Mandate;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('cost-basis caps under concurrent outcome buys through the embed API (no order-submission lock)', () => {
  it('never lets buys decided at once pass the per-market or the total cap together', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arbiter-cb-race-'));
    dirs.push(dir);
    const store = openSqliteStore(join(dir, 'arbiter.db'));
    const clock = offsetClock(AT - Date.now());
    const base = createSyntheticMarket({ clock });
    const market = withPredictionMarkets(base, clock);
    const venue = new PaperVenue({
      store,
      market: base as typeof base & PaperMarketView,
      outcomes: syntheticOutcomes(clock),
    });
    const fw = createFirewall({ store, market, venue, clock, signer: generateSigner(), mandate: mandate() });
    try {
      const open = listedPredictionViews(clock.now()).filter((m) => m.status === 'open');
      const [m1, m2] = open.map((m) => m.market_id);
      expect([m1, m2]).toEqual(['SYN4988-M1', 'SYN4988-M2']);
      // 24 buys of about $15, each well under both caps, together over $360: sent all at once, half in each of two markets.
      const buys = Array.from({ length: 24 }, (_, i) => ({
        symbol: `${i % 2 === 0 ? m1 : m2}-${i % 4 < 2 ? 'YES' : 'NO'}/USDC`,
        side: 'buy',
        notional: 15 + i / 100, // each a different order: the duplicate gate is not what refuses them
      }));
      const results = await Promise.all(buys.map((b) => fw.place(b, { agentId: 'racer' })));
      const decisions = results.map((r) => r.certificate.payload.decision);
      expect(
        decisions.filter((d) => d === 'ALLOW').length,
        JSON.stringify(results[0]?.certificate.payload.reasons),
      ).toBeGreaterThan(0);
      const positions = await venue.positions('racer');
      const cost = (id: string) =>
        positions.filter((p) => p.symbol.startsWith(`${id}-`)).reduce((s, p) => s + p.quantity * p.entryPrice, 0);
      expect(cost(m1!), 'cost basis in the first market').toBeLessThanOrEqual(PER_MARKET + 1e-6);
      expect(cost(m2!), 'cost basis in the second market').toBeLessThanOrEqual(PER_MARKET + 1e-6);
      expect(cost(m1!) + cost(m2!), 'cost basis in total').toBeLessThanOrEqual(TOTAL + 1e-6);
      const refused = results.filter((r) => r.certificate.payload.decision !== 'ALLOW');
      expect(refused.length).toBeGreaterThan(0);
      for (const r of refused)
        expect(
          r.certificate.payload.reasons.map((x: { code: string }) => x.code),
          JSON.stringify(r.certificate.payload.reasons),
        ).toContain('PREDICTION_COST_BASIS_EXCEEDS_CAP');
    } finally {
      await fw.close();
    }
  }, 60_000);
});
