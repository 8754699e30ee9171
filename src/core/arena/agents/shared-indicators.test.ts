import { EMA, MACD, RSI } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { type MarketFrame, marketViews, ReplayCursor } from '../observation.js';
import { indicatorsOf, onInstrument } from './shared-indicators.js';

function frameOf(closes: readonly number[]): MarketFrame {
  const col = (f: (c: number, i: number) => number) => Float64Array.from(closes, f);
  const series = (kind: 'spot' | 'perp') => ({
    symbol: kind === 'spot' ? 'BTC/USDT' : 'BTC/USDT:USDT',
    kind,
    ts: col((_, i) => i * 3_600_000),
    open: col((c) => c),
    high: col((c) => c * 1.01),
    low: col((c) => c * 0.99),
    close: col((c) => c),
    volume: col(() => 1),
    funding: col(() => Number.NaN),
  });
  return { timeframeMs: 3_600_000, length: closes.length, spot: series('spot'), perp: series('perp') };
}

const closes = Array.from({ length: 300 }, (_, i) => 100 + 10 * Math.sin(i / 7) + (i % 5));

describe('shared indicators', () => {
  it('give exactly what the library indicator gives when fed the same closed bars', () => {
    const cursor = new ReplayCursor();
    const spot = marketViews(frameOf(closes), cursor).spot;
    const rsi = new RSI(14);
    const macd = new MACD(new EMA(12), new EMA(26), new EMA(9));
    for (let bar = 1; bar <= closes.length; bar++) {
      cursor.bar = bar;
      const i = bar - 1;
      expect(indicatorsOf(spot).rsi(14).at(i), `rsi at ${i}`).toBe(rsi.add(closes[i]!));
      expect(indicatorsOf(spot).macd(12, 26, 9).at(i), `macd at ${i}`).toEqual(macd.add(closes[i]!));
    }
  });

  it('are built once per parameter set and instrument view, and never fed a bar that is not closed', () => {
    const cursor = new ReplayCursor();
    const frame = frameOf(closes);
    const spot = marketViews(frame, cursor).spot;
    cursor.bar = 50;
    const a = indicatorsOf(spot).rsi(14);
    expect(indicatorsOf(spot).rsi(14)).toBe(a);
    expect(indicatorsOf(spot).rsi(21)).not.toBe(a);
    expect(indicatorsOf(marketViews(frame, cursor).spot).rsi(14), 'another run has its own').not.toBe(a);
    expect(a.at(60), 'bar 60 is not closed yet').toBeNull();
    cursor.bar = 61;
    const fresh = new RSI(14);
    let want: number | null = null;
    for (let i = 0; i <= 60; i++) want = fresh.add(closes[i]!);
    expect(a.at(60), 'the bars were fed in order once they closed').toBe(want);
  });

  it('hand an agent the same series until it is shown another instrument view', () => {
    const cursor = new ReplayCursor();
    const frame = frameOf(closes);
    const pick = onInstrument((ind) => ind.roc(10));
    const first = marketViews(frame, cursor).spot;
    const second = marketViews(frame, cursor).spot;
    expect(pick(first)).toBe(pick(first));
    expect(pick(second)).toBe(indicatorsOf(second).roc(10));
    expect(pick(second)).not.toBe(indicatorsOf(first).roc(10));
  });
});
