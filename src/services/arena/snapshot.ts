import type { Observation, Slot } from '../../core/arena/types.js';

/** An observation as plain JSON, for agents outside the process: the last `window` closed bars, never more. */
export interface ObservationSnapshot {
  readonly bar: number;
  readonly ts: number;
  readonly timeframe_ms: number;
  readonly bars_left: number;
  /** The spot market, and the perpetual where the market has one (a stock has none). */
  readonly instruments: { readonly spot: InstrumentSnapshot; readonly perp?: InstrumentSnapshot };
  readonly account: {
    readonly equity: number;
    readonly wallet: number;
    readonly margin: number;
    readonly fees: number;
    readonly funding: number;
    readonly positions: Record<Slot, { readonly quantity: number; readonly entry_price: number }>;
  };
}

export interface InstrumentSnapshot {
  readonly symbol: string;
  readonly quote: { readonly bid: number; readonly ask: number };
  /** Closed bars, oldest first: [open time, open, high, low, close, volume]. */
  readonly candles: readonly (readonly number[])[];
  /** Settled funding in the window: [time, rate]. */
  readonly funding: readonly (readonly number[])[];
}

export function snapshotOf(obs: Observation, window: number): ObservationSnapshot {
  const instrument = (v: NonNullable<Observation[Slot]>): InstrumentSnapshot => {
    const n = v.close.length;
    const candles: number[][] = [];
    const funding: number[][] = [];
    for (let i = Math.max(0, n - window); i < n; i++) {
      candles.push([v.time.at(i), v.open.at(i), v.high.at(i), v.low.at(i), v.close.at(i), v.volume.at(i)]);
      const f = v.funding.at(i);
      if (!Number.isNaN(f)) funding.push([v.time.at(i), f]);
    }
    return { symbol: v.symbol, quote: { bid: v.quote.bid, ask: v.quote.ask }, candles, funding };
  };
  const a = obs.account;
  return {
    bar: obs.bar,
    ts: obs.ts,
    timeframe_ms: obs.timeframeMs,
    bars_left: obs.endBar - obs.bar,
    instruments: { spot: instrument(obs.spot), ...(obs.perp ? { perp: instrument(obs.perp) } : {}) },
    account: {
      equity: a.equity,
      wallet: a.wallet,
      margin: a.margin,
      fees: a.fees,
      funding: a.funding,
      positions: {
        spot: { quantity: a.position('spot'), entry_price: a.entryPrice('spot') },
        perp: { quantity: a.position('perp'), entry_price: a.entryPrice('perp') },
      },
    },
  };
}
