import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCandlesCsv, type ParsedCandles } from './csv-candles.js';
import { StockSessionMarket } from './stock-session-market.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
let daily: ParsedCandles;

beforeAll(async () => {
  const all = await loadCandlesCsv(join(ROOT, 'data', 'ttrc.csv'));
  // 2004-06-01 … 2005-01-31: a one-off closure (Reagan), July 4th, Thanksgiving, early closes, Christmas.
  const from = Date.parse('2004-06-01');
  const to = Date.parse('2005-02-01');
  daily = { ...all, candles: all.candles.filter((c) => c.ts >= from && c.ts < to) };
});

function marketAt() {
  const clock = { t: 0, now: () => clock.t };
  const market = new StockSessionMarket({ clock, symbol: 'TTRC/USD', daily });
  return { clock, market, sessions: market.replay.sessions };
}

describe('StockSessionMarket: the paper venue’s session axis', () => {
  it('puts every instant of a session at the same real time again (within a millisecond), in order', () => {
    const { clock, market, sessions } = marketAt();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: sessions.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (i, f) => {
          const s = sessions[i]!;
          clock.t = s.open + Math.floor(f * (s.close - s.open - 1));
          const m = market.marketTime()!;
          expect(Math.abs(market.clockTimeOf(m) - clock.t)).toBeLessThanOrEqual(1);
          expect(market.barAt('TTRC/USD', m)?.bar.close, 'the bar of that session').toBe(s.candle.close);
        },
      ),
    );
  });

  it('never moves backwards, and between sessions stands at the last one: nothing of the next leaks', () => {
    const { clock, market, sessions } = marketAt();
    const first = sessions[0]!.open;
    const last = sessions.at(-1)!.close;
    fc.assert(
      fc.property(fc.integer({ min: first, max: last - 1 }), fc.integer({ min: 0, max: 5 * 86_400_000 }), (t, d) => {
        clock.t = t;
        const a = market.marketTime()!;
        clock.t = Math.min(last - 1, t + d);
        const b = market.marketTime()!;
        expect(b).toBeGreaterThanOrEqual(a);
        clock.t = t;
        const k = sessions.findLastIndex((s) => s.open <= t);
        const s = sessions[k]!;
        if (t >= s.close) {
          expect(market.clockTimeOf(a), 'a closed market maps into the session before').toBeLessThanOrEqual(s.close);
          expect(market.barAt('TTRC/USD', a)?.bar.close).toBe(s.candle.close);
        }
      }),
    );
  });

  it('answers the firewall with the real clock: a quote between sessions is the last close, stamped at that close', async () => {
    const { clock, market, sessions } = marketAt();
    const wed = sessions.find((s) => new Date(s.open).toISOString().startsWith('2004-11-24'))!;
    clock.t = Date.parse('2004-11-25T16:00:00Z'); // Thanksgiving
    const q = await market.quote('TTRC/USD');
    expect(q?.last).toBe(wed.candle.close);
    expect(q?.ts).toBe(wed.close);
    expect(market.instrumentOf('TTRC/USD')?.calendar).toEqual({ kind: 'us_equity' });
    expect(await market.fundingHistory('TTRC/USD', 10)).toEqual([]);
  });
});
