import type { Candle, FundingPoint, Instrument, OrderBook, Quote, Trade } from '../../../core/market/types.js';
import type { OrderStatus, VenueFill, VenueOrder, VenuePosition } from '../../../ports/venue.js';
import type { TokenizedStocks } from './profiles.js';
import type {
  CcxtFundingRate,
  CcxtMarket,
  CcxtOhlcv,
  CcxtOrder,
  CcxtOrderBook,
  CcxtPosition,
  CcxtTicker,
  CcxtTrade,
} from './schemas.js';

/**
 * ccxt unified structures → Arbiter's neutral types. Contract markets count in contracts on some venues (OKX:
 * 0.01 BTC per BTC-USDT-SWAP contract); the neutral types always count base units, so sizes pass `contractSize`.
 */

/** Base units per contract: 1 for spot and for venues that count perps in base units. */
export function contractSizeOf(m: CcxtMarket): number {
  return m.swap ? (m.contractSize ?? 1) : 1;
}

/**
 * null when the market is not a spot or linear-perpetual market with the precision Arbiter needs. A market whose
 * base is one of the venue's tokenized stocks is a US equity on the venue's trading calendar.
 */
export function toInstrument(m: CcxtMarket, stocks: TokenizedStocks | null = null): Instrument | null {
  const perp = m.swap && m.linear === true && m.settle === m.quote;
  if (!(m.spot || perp) || m.active === false) return null;
  const size = perp ? (m.contractSize ?? 1) : 1;
  const step = m.precision.amount;
  const tick = m.precision.price;
  if (!(step && step > 0 && tick && tick > 0 && size > 0)) return null;
  return {
    symbol: m.symbol,
    base: m.base,
    quote: m.quote,
    kind: perp ? 'perp' : 'spot',
    instrumentType: 'crypto',
    assetClass: 'crypto',
    tickSize: tick,
    stepSize: step * size,
    minQty: (m.limits.amount?.min ?? step) * size,
    minNotional: m.limits.cost?.min ?? 0,
    maxLeverage: perp ? (m.limits.leverage?.max ?? 1) : 1,
    ...(stocks?.bases.has(m.base)
      ? { instrumentType: 'equity' as const, assetClass: 'us_equity' as const, calendar: stocks.calendar }
      : {}),
  };
}

export function toQuote(t: CcxtTicker, receivedAt: number): Quote | null {
  if (!(t.bid && t.ask && t.bid > 0 && t.ask >= t.bid)) return null;
  return {
    symbol: t.symbol,
    bid: t.bid,
    ask: t.ask,
    ts: t.timestamp ?? receivedAt,
    ...(t.last ? { last: t.last } : {}),
  };
}

export function toCandle(c: CcxtOhlcv): Candle {
  const [ts, open, high, low, close, volume] = c;
  return { ts, open, high, low, close, volume: volume ?? 0 };
}

export function toOrderBook(symbol: string, b: CcxtOrderBook, depth: number, contractSize: number): OrderBook {
  const side = (levels: number[][]) =>
    levels.slice(0, depth).map(([price, size]) => ({ price: price!, size: size! * contractSize }));
  return { symbol, ts: b.timestamp ?? Date.now(), bids: side(b.bids), asks: side(b.asks) };
}

export function toFundingPoint(f: CcxtFundingRate): FundingPoint {
  return { ts: f.timestamp, rate: f.fundingRate };
}

export function toTrade(t: CcxtTrade, contractSize: number): Trade {
  return { ts: t.timestamp, price: t.price, size: t.amount * contractSize, side: t.side };
}

function toStatus(o: CcxtOrder): OrderStatus | null {
  const filled = o.filled ?? 0;
  switch (o.status) {
    case 'open':
      return filled > 0 ? 'partially_filled' : 'open';
    case 'closed':
      return 'filled';
    case 'canceled':
    case 'cancelled':
      return 'cancelled';
    case 'rejected':
      return 'rejected';
    case 'expired':
      return 'expired';
    default:
      return null;
  }
}

/**
 * null for orders the neutral type cannot describe (conditional orders, unknown status). Fills are reported as one
 * aggregate per order (quantity, average price, total fee) because the order endpoints do not list executions.
 */
export function toVenueOrder(o: CcxtOrder, contractSize: number): VenueOrder | null {
  const status = toStatus(o);
  const type = o.type === 'market' || o.type === 'limit' ? o.type : null;
  if (!status || !type || !o.side || o.amount === null || o.amount === undefined) return null;
  const createdAt = o.timestamp ?? Date.now();
  const updatedAt = o.lastUpdateTimestamp ?? o.lastTradeTimestamp ?? createdAt;
  const filledQuantity = (o.filled ?? 0) * contractSize;
  const avgFillPrice = o.average ?? null;
  const fills: VenueFill[] =
    filledQuantity > 0 && avgFillPrice !== null
      ? [
          {
            fillId: `${o.id}:agg`,
            orderId: o.id,
            ts: o.lastTradeTimestamp ?? updatedAt,
            price: avgFillPrice,
            quantity: filledQuantity,
            fee: o.fee?.cost ?? 0,
            liquidity: type === 'market' ? 'taker' : 'maker',
          },
        ]
      : [];
  return {
    orderId: o.id,
    clientOrderId: o.clientOrderId ?? '',
    symbol: o.symbol,
    side: o.side,
    type,
    quantity: o.amount * contractSize,
    filledQuantity,
    avgFillPrice,
    limitPrice: type === 'limit' ? (o.price ?? null) : null,
    status,
    reduceOnly: o.reduceOnly ?? false,
    createdAt,
    updatedAt,
    fills,
  };
}

/** null for flat or unreadable positions. */
export function toVenuePosition(p: CcxtPosition, contractSize: number): VenuePosition | null {
  const contracts = p.contracts ?? 0;
  if (!(contracts > 0) || !p.side || !p.entryPrice) return null;
  const quantity = contracts * (p.contractSize ?? contractSize) * (p.side === 'long' ? 1 : -1);
  // Binance's v3 position risk carries no leverage; its initial margin and notional imply it.
  const implied = p.notional && p.initialMargin ? Math.abs(p.notional) / p.initialMargin : null;
  const leverage = p.leverage ?? (implied ? Math.round(implied * 100) / 100 : 1);
  // Hyperliquid's clearinghouseState has no mark price; its position value is size × mark.
  const impliedMark = p.notional ? Math.abs(p.notional) / Math.abs(quantity) : null;
  return {
    symbol: p.symbol,
    quantity,
    entryPrice: p.entryPrice,
    markPrice: p.markPrice ?? impliedMark ?? p.entryPrice,
    unrealizedPnl: p.unrealizedPnl ?? 0,
    leverage,
    liquidationPrice: p.liquidationPrice ?? null,
    margin: p.initialMargin ?? p.collateral ?? (Math.abs(quantity) * p.entryPrice) / leverage,
  };
}
