import type { OrderBook, Quote } from '../../core/market/types.js';
import { listedPredictionMarkets, marketView, syntheticMarketById } from '../../core/prediction/board.js';
import { type BookModel, depthWithin, modelBooks } from '../../core/prediction/book.js';
import type { OutcomeMarketAt } from '../../core/prediction/paper-outcomes.js';
import { outcomeInstrument, parseOutcomeSymbol } from '../../core/prediction/types.js';
import type { Clock } from '../../ports/clock.js';
import type { MarketData, PredictionMarketState } from '../../ports/market-data.js';

/**
 * A synthetic market (`SYN<k>-M<i>`, listed now or before) at `now`, as the paper venue trades and settles it:
 * its status and outcome as `marketView` shows them (resolved to its known outcome from its resolution time) and
 * its YES mid. Null for an id no cohort has, or a market not listed yet at `now`.
 */
export function syntheticOutcomeMarketAt(marketId: string, now: number): OutcomeMarketAt | null {
  const m = syntheticMarketById(marketId);
  if (!m || now < (m.times[0] ?? 0)) return null;
  const view = marketView(m, now);
  return { market: { ...m.market, status: view.status, outcome: view.outcome }, yesMid: view.prices.YES };
}

/**
 * Market data that also knows the synthetic prediction markets listed at the clock's time
 * (`listedPredictionMarkets`): for their outcome tokens (`<MARKET>-YES/USDC`, `<MARKET>-NO/USDC`) it answers the
 * instrument, the top of the modelled book as the quote, the book itself and the market's state; every other
 * symbol goes to `base`. A closed or resolved market has no book and no quote. `instruments()` stays the base's
 * (outcome tokens are listed by `list_markets`).
 */
export function withPredictionMarkets(base: MarketData, clock: Clock, model?: BookModel): MarketData {
  const find = (symbol: string) => {
    const p = parseOutcomeSymbol(symbol);
    if (p?.collateral !== 'USDC') return null;
    const now = clock.now();
    const m = listedPredictionMarkets(now).find((x) => x.market.id === p.marketId);
    if (!m) return null;
    const view = marketView(m, now);
    const books = view.status === 'open' ? modelBooks(view.prices.YES, view.tick_size, model) : null;
    return { p, m, view, now, book: books ? books[p.outcome] : null };
  };
  const symbolOf = (f: NonNullable<ReturnType<typeof find>>) => `${f.p.marketId}-${f.p.outcome}/USDC`;
  return {
    name: base.name,
    instruments: () => base.instruments(),
    async instrument(symbol) {
      const f = find(symbol);
      return f ? outcomeInstrument(f.p.marketId, f.p.outcome, f.view.tick_size) : base.instrument(symbol);
    },
    async quote(symbol): Promise<Quote | null> {
      const f = find(symbol);
      if (!f) return base.quote(symbol);
      const bid = f.book?.bids[0]?.price;
      const ask = f.book?.asks[0]?.price;
      return bid !== undefined && ask !== undefined ? { symbol: symbolOf(f), bid, ask, ts: f.now } : null;
    },
    candles: (symbol, tf, limit) => base.candles(symbol, tf, limit),
    async orderBook(symbol, depth): Promise<OrderBook | null> {
      const f = find(symbol);
      if (!f) return base.orderBook(symbol, depth);
      if (!f.book) return null;
      return {
        symbol: symbolOf(f),
        bids: f.book.bids.slice(0, depth).map((l) => ({ ...l })),
        asks: f.book.asks.slice(0, depth).map((l) => ({ ...l })),
        ts: f.now,
      };
    },
    fundingHistory: (symbol, limit) => base.fundingHistory(symbol, limit),
    openInterest: (symbol) => base.openInterest(symbol),
    recentTrades: (symbol, limit) => base.recentTrades(symbol, limit),
    async windowHigh(symbol, windowMs) {
      // No crash-breaker window is kept for outcome tokens (the README says so): the quote's mid is the only one.
      return find(symbol) ? null : base.windowHigh(symbol, windowMs);
    },
    async prediction(symbol): Promise<PredictionMarketState | null> {
      const f = find(symbol);
      if (!f) return null;
      const bid = f.book?.bids[0]?.price;
      const ask = f.book?.asks[0]?.price;
      return {
        market_id: f.p.marketId,
        outcome: f.p.outcome,
        status: f.view.status,
        resolves_at: f.m.market.resolvesAt,
        liquidity_usd: f.book && bid !== undefined && ask !== undefined ? depthWithin(f.book, (bid + ask) / 2, 5) : 0,
      };
    },
  };
}
