import { bitgetContract, bitgetId, bitgetSpotSymbol, perp, reply } from './bitget-shapes.js';
import { bitgetTrading } from './bitget-trading.js';
import { EmuReject } from './engine.js';
import { book, candles, fundingHistory, openInterest, TIMEFRAMES, topOfBook, trades } from './feed.js';
import { fresh, header, hmacBase64, sameSignature } from './signing.js';
import { num, str, type VenueDialect } from './types.js';

/**
 * Bitget v2 classic account. Private requests carry ACCESS-KEY / -PASSPHRASE / -TIMESTAMP (ms) / -SIGN where
 * SIGN = base64 HMAC-SHA256(secret, timestamp + method + requestPath (+ ?queryString, not percent-encoded) + body).
 */

const GRANULARITY: Record<string, number> = { ...TIMEFRAMES, '1H': 3_600_000, '4H': 14_400_000, '1Dutc': 86_400_000 };

const ERRORS = {
  duplicate: ['40786', 'Duplicate clientOid'],
  insufficient: ['40762', 'The order amount exceeds the balance'],
  invalid: ['40808', 'Parameter verification exception'],
  not_found: ['40768', 'Order does not exist'],
  reduce_only: ['22002', 'No position to close'],
} as const;

export const bitgetDialect: VenueDialect = {
  id: 'bitget',
  isPrivate: (req) =>
    !req.path.includes('/market/') &&
    !req.path.includes('/public/') &&
    !req.path.startsWith('/api/v2/margin/currencies'),
  isOrderCreate: (req) => req.path === '/api/v2/mix/order/place-order',

  authenticate(req, creds) {
    const ts = header(req.headers, 'ACCESS-TIMESTAMP') ?? '';
    if (header(req.headers, 'ACCESS-KEY') !== creds.apiKey) return reply(null, '40006', 'Invalid ACCESS_KEY', 400);
    if (header(req.headers, 'ACCESS-PASSPHRASE') !== creds.passphrase) {
      return reply(null, '40012', 'apikey/password is incorrect', 400);
    }
    if (!fresh(Number(ts), 30_000)) return reply(null, '40008', 'Request timestamp expired', 400);
    const query = req.rawQuery ? `?${decodeURIComponent(req.rawQuery)}` : '';
    const expected = hmacBase64(creds.secret, `${ts}${req.method}${req.path}${query}${req.body}`);
    if (!sameSignature(expected, header(req.headers, 'ACCESS-SIGN')))
      return reply(null, '40009', 'sign signature error', 400);
    return null;
  },

  reject(err) {
    const [code, msg] = ERRORS[err.reason];
    return reply(null, code, msg, 400);
  },

  failure(kind) {
    if (kind === 'rate-limit') return reply(null, '429', 'Too Many Requests', 429);
    if (kind === 'insufficient-balance') return bitgetDialect.reject(new EmuReject('insufficient', ''));
    return { status: 503, body: '<html><body>503 Service Temporarily Unavailable</body></html>' };
  },

  handle(req, engine) {
    const p = req.params;
    switch (`${req.method} ${req.path}`) {
      case 'GET /api/v2/spot/public/symbols':
        return reply(engine.markets.filter((m) => m.kind === 'spot').map(bitgetSpotSymbol));
      case 'GET /api/v2/margin/currencies':
        return reply([]);
      case 'GET /api/v2/mix/market/contracts':
        return reply(
          str(p, 'productType') === 'USDT-FUTURES'
            ? engine.markets.filter((m) => m.kind === 'perp').map(bitgetContract)
            : [],
        );
      case 'GET /api/v2/public/time':
        return reply({ serverTime: String(Date.now()) });
      case 'GET /api/v2/mix/market/ticker': {
        const m = perp(engine, str(p, 'symbol'));
        const last = engine.price(m.symbol);
        const { bid, ask } = topOfBook(engine, m.symbol);
        return reply([
          {
            symbol: bitgetId(m),
            lastPr: String(last),
            askPr: String(ask),
            bidPr: String(bid),
            bidSz: '1.2',
            askSz: '0.8',
            high24h: String(last * 1.02),
            low24h: String(last * 0.97),
            ts: String(Date.now()),
            change24h: '0.01',
            baseVolume: '1000',
            quoteVolume: String(1_000 * last),
            usdtVolume: String(1_000 * last),
            openUtc: String(last),
            changeUtc24h: '0.01',
            indexPrice: String(last),
            fundingRate: '0.0001',
            holdingAmount: '52000',
            open24h: String(last * 0.99),
            markPrice: String(last),
          },
        ]);
      }
      case 'GET /api/v2/mix/market/candles': {
        const m = perp(engine, str(p, 'symbol'));
        const tf = GRANULARITY[str(p, 'granularity') ?? '1m'] ?? 60_000;
        const rows = candles(engine, m.symbol, tf, num(p, 'limit') ?? 100);
        return reply(rows.map((c) => [c.ts, c.open, c.high, c.low, c.close, c.volume, c.volume * c.close].map(String)));
      }
      case 'GET /api/v2/mix/market/merge-depth': {
        const m = perp(engine, str(p, 'symbol'));
        const b = book(engine, m.symbol, Math.min(num(p, 'limit') ?? 100, 100));
        return reply({
          asks: b.asks,
          bids: b.bids,
          precision: 'scale0',
          scale: String(m.tickSize),
          isMaxPrecision: 'NO',
          ts: String(Date.now()),
        });
      }
      case 'GET /api/v2/mix/market/history-fund-rate': {
        const m = perp(engine, str(p, 'symbol'));
        return reply(
          fundingHistory(num(p, 'pageSize') ?? 20).map((f) => ({
            symbol: bitgetId(m),
            fundingRate: String(f.rate),
            fundingTime: String(f.ts),
          })),
        );
      }
      case 'GET /api/v2/mix/market/open-interest': {
        const m = perp(engine, str(p, 'symbol'));
        const oi = openInterest(engine, m.symbol);
        return reply({ openInterestList: [{ symbol: bitgetId(m), size: String(oi.amount) }], ts: String(oi.ts) });
      }
      case 'GET /api/v2/mix/market/fills':
      case 'GET /api/v2/mix/market/fills-history': {
        const m = perp(engine, str(p, 'symbol'));
        const rows = trades(engine, m.symbol, num(p, 'limit') ?? 100);
        return reply(
          rows.map((t) => ({
            tradeId: t.id,
            price: String(t.price),
            size: String(t.size),
            side: t.side,
            ts: String(t.ts),
            symbol: bitgetId(m),
          })),
        );
      }
      default:
        return bitgetTrading(req, engine);
    }
  },
};
