import type { RiskContext } from '../../core/firewall/types.js';
import type { RiskLimits } from '../../core/mandate/types.js';
import type { MarketData } from '../../ports/market-data.js';
import type { Store } from '../../ports/store.js';

/**
 * Close-to-close simple returns of each symbol's last `lookback + 1` closed bars, kept only on the bars every
 * symbol has (aligned by bar time), oldest first. A symbol whose candles cannot be read is left out: the limit
 * that needs it then refuses the order (RISK_DATA_MISSING).
 */
export async function alignedReturns(
  market: MarketData,
  symbols: readonly string[],
  limits: Pick<RiskLimits, 'timeframe' | 'lookback'>,
): Promise<Record<string, number[]>> {
  const byBar = new Map<string, Map<number, number>>();
  for (const symbol of symbols) {
    const candles = await market.candles(symbol, limits.timeframe, limits.lookback + 1).catch(() => null);
    if (!candles || candles.length < 2) continue;
    const r = new Map<number, number>();
    for (let i = 1; i < candles.length; i++) r.set(candles[i]!.ts, candles[i]!.close / candles[i - 1]!.close - 1);
    byBar.set(symbol, r);
  }
  const series = [...byBar.values()];
  const common = series.length
    ? [...series[0]!.keys()].filter((ts) => series.every((s) => s.has(ts))).sort((a, b) => a - b)
    : [];
  return Object.fromEntries([...byBar].map(([symbol, r]) => [symbol, common.map((ts) => r.get(ts)!)]));
}

/**
 * What the mandate's portfolio-risk limits judge on: the account's book from the store (positions at mark and
 * orders in flight that add exposure) and the aligned returns of the order's symbol and every symbol held. The
 * returns are read here, before the account lock, for the book as it is now; the decision then replaces the book
 * with the one the store reads under the lock (`withBook`), so an order decided a moment earlier counts, and a
 * symbol that entered the book in between has no returns and the order is refused (RISK_DATA_MISSING). The
 * certificate binds the book and returns each verdict was made on. The agent's own track record (the Kelly cap) is
 * not collected by the server, so a mandate with `risk.kelly` refuses new exposure.
 */
export async function readRiskInputs(
  store: Store,
  market: MarketData,
  accountId: string,
  symbol: string,
  limits: RiskLimits,
): Promise<RiskContext | null> {
  const book = await store.book(accountId).catch(() => null);
  if (!book) return null;
  if (limits.max_var === undefined && limits.max_correlation === undefined) return { book, returns: {} };
  const symbols = [symbol, ...book.map((p) => p.symbol).filter((s) => s !== symbol)];
  return { book, returns: await alignedReturns(market, symbols, limits) };
}
