import { describe, expect, it } from 'vitest';
import { ctx, mandate } from '../../../test/fixtures/context.js';
import { ScriptedMarketData, scriptedInstrument } from '../../adapters/market/scripted-market.js';
import { evaluate } from '../../core/firewall/engine.js';
import type { Instrument } from '../../core/market/types.js';
import { MarketInputReader } from './inputs.js';

/** Scripted market data that remembers every mid it was given and answers windowHigh over the asked window. */
class TickMarket extends ScriptedMarketData {
  readonly ticks: { ts: number; mid: number }[] = [];
  constructor(
    private readonly at: { now: number },
    instruments: readonly Instrument[],
  ) {
    super({ now: () => at.now }, instruments);
  }
  tick(symbol: string, iso: string, mid: number): void {
    this.at.now = Date.parse(iso);
    this.ticks.push({ ts: this.at.now, mid });
    this.setQuote(symbol, mid - 0.01, mid + 0.01);
  }
  override async windowHigh(_symbol: string, windowMs: number): Promise<number | null> {
    const inWindow = this.ticks.filter((t) => t.ts > this.at.now - windowMs).map((t) => t.mid);
    return inWindow.length > 0 ? Math.max(...inWindow) : null;
  }
}

const STOCK = scriptedInstrument('AAPL/USD', 200, {
  instrumentType: 'equity',
  assetClass: 'us_equity',
  stepSize: 1,
  minQty: 1,
  calendar: { kind: 'us_equity' },
});

async function gapDown(instrument: Instrument) {
  const at = { now: 0 };
  const market = new TickMarket(at, [instrument]);
  // Monday trades up to 200; Tuesday opens 10% lower, then trades flat: a gap, not a crash in progress.
  market.tick(instrument.symbol, '2024-03-11T19:00:00Z', 200);
  market.tick(instrument.symbol, '2024-03-12T13:30:00Z', 180);
  market.tick(instrument.symbol, '2024-03-12T14:00:00Z', 180.5);
  const reader = new MarketInputReader(market);
  const intent = { symbol: instrument.symbol, side: 'buy', type: 'market', quantity: 1 } as const;
  const oneDay = 24 * 60 * 60_000;
  const inputs = await reader.read(
    {
      ...intent,
      notional: null,
      limit_price: null,
      reduce_only: false,
      client_order_id: null,
      leverage: null,
      time_in_force: 'GTC',
    },
    oneDay,
    undefined,
    () => at.now,
  );
  const m = mandate((x) => ({
    ...x,
    hard_caps: { ...x.hard_caps, allowed_instruments: ['crypto', 'equity'] },
    universe: { ...x.universe, asset_classes: ['crypto', 'us_equity'] },
    arbiter: { ...x.arbiter, crash_breaker: { drop_pct: 7, window_minutes: 24 * 60 } },
  }));
  const c = ctx({
    now: at.now,
    m,
    instrument: inputs.instrument,
    quote: inputs.quote,
    account: { synced_at: at.now },
    market: { window_high: inputs.windowHigh },
  });
  return { inputs, evaluation: evaluate(intent, c) };
}

describe("the crash breaker's reference price on a stock", () => {
  it('skips the closed session: a gap down at the open is no crash', async () => {
    const { inputs, evaluation } = await gapDown(STOCK);
    expect(inputs.windowHigh).toBe(180.5);
    expect(evaluation.decision, evaluation.reasons.map((r) => r.message).join('; ')).toBe('ALLOW');
    expect(evaluation.regime).toBe('normal');
  });

  it('still sees the same drop on an instrument that trades around the clock', async () => {
    const { calendar: _none, ...always } = STOCK;
    const { inputs, evaluation } = await gapDown(always);
    expect(inputs.windowHigh).toBe(200);
    expect(evaluation.reasons[0]?.code).toBe('CRASH_BREAKER');
  });
});
