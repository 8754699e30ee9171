import { binanceId, binancePerpSymbol, binanceSpotSymbol, error, perp } from './binance-shapes.js';
import { binanceTrading } from './binance-trading.js';
import { book, candles, fundingHistory, openInterest, TIMEFRAMES, trades } from './feed.js';
import { fresh, header, hmacHex, sameSignature } from './signing.js';
import { num, ok, str, type VenueDialect } from './types.js';

/**
 * Binance spot + USDⓈ-M futures. Private requests carry X-MBX-APIKEY and a trailing `signature` parameter =
 * hex HMAC-SHA256(secret, everything before it in the query string or form body).
 */

const PUBLIC = new Set([
  '/api/v3/exchangeInfo',
  '/fapi/v1/exchangeInfo',
  '/fapi/v1/ticker/24hr',
  '/fapi/v1/depth',
  '/fapi/v1/klines',
  '/fapi/v1/fundingRate',
  '/fapi/v1/openInterest',
  '/fapi/v1/aggTrades',
  '/fapi/v1/time',
]);

export const binanceDialect: VenueDialect = {
  id: 'binance',
  isPrivate: (req) => !PUBLIC.has(req.path),
  isOrderCreate: (req) => req.method === 'POST' && req.path === '/fapi/v1/order',

  authenticate(req, creds) {
    if (header(req.headers, 'X-MBX-APIKEY') !== creds.apiKey) {
      return error(-2015, 'Invalid API-key, IP, or permissions for action.', 401);
    }
    const signed = req.rawQuery && req.body ? `${req.rawQuery}${req.body}` : req.rawQuery || req.body;
    const at = signed.lastIndexOf('signature=');
    if (at <= 0) return error(-1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
    const payload = signed.slice(0, at - 1);
    if (!fresh(num(req.params, 'timestamp') ?? 0, num(req.params, 'recvWindow') ?? 5_000)) {
      return error(-1021, 'Timestamp for this request is outside of the recvWindow.');
    }
    if (!sameSignature(hmacHex(creds.secret, payload), signed.slice(at + 'signature='.length))) {
      return error(-1022, 'Signature for this request is not valid.');
    }
    return null;
  },

  reject(err) {
    switch (err.reason) {
      case 'duplicate':
        return error(-4116, 'ClientOrderId is duplicated.');
      case 'insufficient':
        return error(-2019, 'Margin is insufficient.');
      case 'not_found':
        return error(-2013, 'Order does not exist.');
      case 'reduce_only':
        return error(-2022, 'ReduceOnly Order is rejected.');
      default:
        return error(-1102, err.message);
    }
  },

  failure(kind) {
    if (kind === 'rate-limit')
      return error(-1003, 'Too many requests; current limit of IP is 2400 requests per minute.', 429);
    if (kind === 'insufficient-balance') return error(-2019, 'Margin is insufficient.');
    return { status: 503, body: 'Service Unavailable' };
  },

  handle(req, engine) {
    const p = req.params;
    switch (`${req.method} ${req.path}`) {
      case 'GET /api/v3/exchangeInfo':
        return ok({
          timezone: 'UTC',
          serverTime: Date.now(),
          rateLimits: [],
          exchangeFilters: [],
          symbols: engine.markets.filter((m) => m.kind === 'spot').map(binanceSpotSymbol),
        });
      case 'GET /fapi/v1/exchangeInfo':
        return ok({
          timezone: 'UTC',
          serverTime: Date.now(),
          futuresType: 'U_MARGINED',
          rateLimits: [],
          exchangeFilters: [],
          assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
          symbols: engine.markets.filter((m) => m.kind === 'perp').map(binancePerpSymbol),
        });
      case 'GET /fapi/v1/time':
        return ok({ serverTime: Date.now() });
      case 'GET /fapi/v1/ticker/24hr': {
        const m = perp(engine, p);
        const last = engine.price(m.symbol);
        const now = Date.now();
        return ok({
          symbol: binanceId(m),
          priceChange: String(last * 0.01),
          priceChangePercent: '1.000',
          weightedAvgPrice: String(last),
          lastPrice: String(last),
          lastQty: '0.010',
          openPrice: String(last * 0.99),
          highPrice: String(last * 1.02),
          lowPrice: String(last * 0.97),
          volume: '1000.000',
          quoteVolume: String(1_000 * last),
          openTime: now - 86_400_000,
          closeTime: now,
          firstId: 1,
          lastId: 1000,
          count: 1000,
        });
      }
      case 'GET /fapi/v1/depth': {
        const m = perp(engine, p);
        const b = book(engine, m.symbol, num(p, 'limit') ?? 20);
        const side = (l: [number, number][]) => l.map(([px, sz]) => [String(px), String(sz)]);
        return ok({ lastUpdateId: 1, E: Date.now(), T: Date.now(), bids: side(b.bids), asks: side(b.asks) });
      }
      case 'GET /fapi/v1/klines': {
        const m = perp(engine, p);
        const tf = TIMEFRAMES[str(p, 'interval') ?? '1m'] ?? 60_000;
        return ok(
          candles(engine, m.symbol, tf, num(p, 'limit') ?? 500).map((c) => [
            c.ts,
            String(c.open),
            String(c.high),
            String(c.low),
            String(c.close),
            String(c.volume),
            c.ts + tf - 1,
            String(c.volume * c.close),
            100,
            '0',
            '0',
            '0',
          ]),
        );
      }
      case 'GET /fapi/v1/fundingRate': {
        const m = perp(engine, p);
        const rows = fundingHistory(num(p, 'limit') ?? 100).reverse();
        return ok(
          rows.map((f) => ({
            symbol: binanceId(m),
            fundingTime: f.ts,
            fundingRate: f.rate.toFixed(8),
            markPrice: String(engine.price(m.symbol)),
          })),
        );
      }
      case 'GET /fapi/v1/openInterest': {
        const m = perp(engine, p);
        const oi = openInterest(engine, m.symbol);
        return ok({ openInterest: oi.amount.toFixed(3), symbol: binanceId(m), time: oi.ts });
      }
      case 'GET /fapi/v1/aggTrades': {
        const m = perp(engine, p);
        const rows = trades(engine, m.symbol, num(p, 'limit') ?? 500).reverse();
        return ok(
          rows.map((t) => ({
            a: Number(t.id),
            p: String(t.price),
            q: String(t.size),
            f: Number(t.id),
            l: Number(t.id),
            T: t.ts,
            m: t.side === 'sell',
          })),
        );
      }
      default:
        return binanceTrading(req, engine);
    }
  },
};
