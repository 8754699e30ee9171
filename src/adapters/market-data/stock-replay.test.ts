import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ctx, mandate } from '../../../test/fixtures/context.js';
import { evaluate } from '../../core/firewall/engine.js';
import type { NormalizedIntent } from '../../core/firewall/types.js';
import { MarketInputReader } from '../../services/firewall/inputs.js';
import { loadCandlesCsv, type ParsedCandles, parseCandlesCsv } from './csv-candles.js';
import { StockReplayMarketData } from './stock-replay.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const SYMBOL = 'TTRC/USD';
let daily: ParsedCandles;

beforeAll(async () => {
  daily = await loadCandlesCsv(join(ROOT, 'data', 'ttrc.csv'));
});

function replayAt(iso: string) {
  const clock = {
    t: Date.parse(iso),
    now() {
      return this.t;
    },
  };
  return { clock, market: new StockReplayMarketData({ clock, symbol: SYMBOL, daily }) };
}

const intent: NormalizedIntent = {
  symbol: SYMBOL,
  side: 'buy',
  type: 'market',
  quantity: 10,
  notional: null,
  limit_price: null,
  reduce_only: false,
  client_order_id: null,
  leverage: null,
  time_in_force: 'GTC',
};

const stocks = mandate((m) => ({
  ...m,
  hard_caps: { ...m.hard_caps, allowed_instruments: ['crypto', 'equity'] },
  universe: { ...m.universe, asset_classes: ['crypto', 'us_equity'] },
}));

/** The firewall's verdict on a 10-share buy, with the market read as the server reads it. */
async function verdictAt(iso: string) {
  const { clock, market } = replayAt(iso);
  const inputs = await new MarketInputReader(market).read(intent, 60 * 60_000, undefined, () => clock.now());
  const c = ctx({
    now: clock.now(),
    m: stocks,
    instrument: inputs.instrument,
    quote: inputs.quote,
    account: { synced_at: clock.now() },
    market: { window_high: inputs.windowHigh },
  });
  return { inputs, evaluation: evaluate(intent, c) };
}

describe('the stock replay of data/ttrc.csv across Good Friday and a weekend (April 2006)', () => {
  it('trades on the Thursday bar inside its session, on the bar’s own range', async () => {
    const { market } = replayAt('2006-04-13T16:00:00Z'); // 12:00 New York (EDT)
    const q = await market.quote(SYMBOL);
    const bar = daily.candles.find((c) => new Date(c.ts).toISOString().startsWith('2006-04-13'))!;
    expect(q?.ts).toBe(Date.parse('2006-04-13T16:00:00Z'));
    expect((q!.bid + q!.ask) / 2).toBeGreaterThanOrEqual(bar.low - 0.01);
    expect((q!.bid + q!.ask) / 2).toBeLessThanOrEqual(bar.high + 0.01);
    expect((await verdictAt('2006-04-13T16:00:00Z')).evaluation.decision).toBe('ALLOW');
  });

  it('quotes the Thursday close, stamped at that close, on Good Friday and the weekend', async () => {
    const thursday = daily.candles.find((c) => new Date(c.ts).toISOString().startsWith('2006-04-13'))!;
    for (const iso of ['2006-04-14T16:00:00Z', '2006-04-15T16:00:00Z', '2006-04-17T13:29:00Z']) {
      const q = await replayAt(iso).market.quote(SYMBOL);
      expect(q?.last, iso).toBe(thursday.close);
      expect(q?.ts, iso).toBe(Date.parse('2006-04-13T20:00:00Z'));
    }
  });

  it('is refused MARKET_CLOSED on Good Friday and Saturday, naming Monday’s open', async () => {
    for (const iso of ['2006-04-14T16:00:00Z', '2006-04-15T16:00:00Z']) {
      const { evaluation } = await verdictAt(iso);
      expect(evaluation.reasons[0]?.code, iso).toBe('MARKET_CLOSED');
      expect(evaluation.reasons[0]?.message).toContain('next_open=2006-04-17T13:30:00.000Z');
    }
  });

  it('trades again on Monday, the closed days in between no crash', async () => {
    const { evaluation } = await verdictAt('2006-04-17T14:00:00Z');
    expect(evaluation.decision, evaluation.reasons.map((r) => r.message).join('; ')).toBe('ALLOW');
    const candles = await replayAt('2006-04-17T14:00:00Z').market.candles(SYMBOL, '1d', 2);
    expect(candles.map((c) => new Date(c.ts).toISOString())).toEqual([
      '2006-04-12T13:30:00.000Z',
      '2006-04-13T13:30:00.000Z',
    ]);
  });

  it('gives the same quotes for the same clock (deterministic)', async () => {
    const a = await replayAt('2006-04-17T15:17:00Z').market.quote(SYMBOL);
    const b = await replayAt('2006-04-17T15:17:00Z').market.quote(SYMBOL);
    expect(a).toEqual(b);
  });

  it('refuses a bar dated on a day the exchange is closed, naming it', () => {
    const bad = parseCandlesCsv(
      'Date,Open,High,Low,Close,Volume\n2006-04-13,1,2,1,2,10\n2006-04-14,2,3,2,3,10\n',
      'x.csv',
    );
    const clock = { now: () => 0 };
    expect(() => new StockReplayMarketData({ clock, symbol: SYMBOL, daily: bad })).toThrow(/2006-04-14/);
  });
});
