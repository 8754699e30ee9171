import type { Exchange } from 'ccxt';
import { InsufficientFunds, InvalidOrder, OrderNotFound } from 'ccxt';
import type { TradingCalendar } from '../../../../core/market/calendar/session.js';
import { type AlpacaAsset, AlpacaAssetSchema } from './schemas.js';

/** Every Alpaca stock trades on the New York Stock Exchange's calendar (regular hours, early closes, holidays). */
export const US_EQUITY_CALENDAR: TradingCalendar = { kind: 'us_equity' };

/** Alpaca takes fractional quantities to 9 decimals, and a fractional order of at least 1 USD notional. */
const FRACTIONAL_STEP = 1e-9;
const FRACTIONAL_MIN_NOTIONAL = 1;
/** Stock prices of 1 USD and more are quoted in cents (sub-dollar stocks take 4 decimals; Arbiter uses cents). */
const PRICE_TICK = 0.01;

type Params = Record<string, unknown>;
type Market = Record<string, unknown>;

/**
 * Makes ccxt's `alpaca` exchange trade US stocks. ccxt lists Alpaca's crypto assets only; here its market list is
 * Alpaca's tradable `us_equity` assets instead (the same `/v2/assets` endpoint, the same key headers), each as a
 * spot market `AAPL/USD` whose venue id is `AAPL`: whole shares, or fractions to 9 decimals where the asset is
 * `fractionable`. Alpaca's "order not found", "insufficient buying power" and other 403 refusals are mapped as the
 * other venues' are (ccxt reads the first as any invalid order and the others as a venue outage).
 */
export function tradeStocks(exchange: Exchange): void {
  const ex = exchange as unknown as {
    traderPrivateGetV2Assets(p: Params): Promise<unknown>;
    parseMarket(a: unknown): Market;
    fetchMarkets(p?: Params): Promise<Market[]>;
    exceptions: { exact: Record<string, unknown>; broad: Record<string, unknown> };
  };
  ex.fetchMarkets = async (params: Params = {}) => {
    const rows = await ex.traderPrivateGetV2Assets({ asset_class: 'us_equity', status: 'active', ...params });
    const out: Market[] = [];
    for (const row of Array.isArray(rows) ? rows : []) {
      const asset = AlpacaAssetSchema.safeParse(row);
      if (asset.success && asset.data.tradable) out.push(stockMarket(ex.parseMarket(row), asset.data));
    }
    return out;
  };
  ex.exceptions.exact['40410000'] = OrderNotFound;
  ex.exceptions.broad['insufficient buying power'] = InsufficientFunds;
  // Alpaca's other 403 business refusals; unmapped, ccxt would read a 403 as the venue being down (retryable).
  for (const refusal of ['insufficient qty available', 'market is closed', 'potential wash trade'])
    ex.exceptions.broad[refusal] = InvalidOrder;
}

function stockMarket(parsed: Market, asset: AlpacaAsset): Market {
  const step = asset.fractionable ? FRACTIONAL_STEP : 1;
  const limits = parsed.limits as Record<string, unknown>;
  return {
    ...parsed,
    precision: { amount: step, price: PRICE_TICK },
    limits: {
      ...limits,
      amount: { min: step, max: undefined },
      cost: { min: asset.fractionable ? FRACTIONAL_MIN_NOTIONAL : undefined, max: undefined },
      leverage: { min: 1, max: 1 },
    },
  };
}

/** The asset record ccxt kept on a market (`info`), or null for a market that is not an Alpaca stock. */
export function assetOf(market: { readonly info?: unknown } | undefined): AlpacaAsset | null {
  const r = AlpacaAssetSchema.safeParse(market?.info);
  return r.success ? r.data : null;
}
