import { EmuReject } from './engine.js';
import { book, candles, fundingHistory, openInterest, TIMEFRAMES, topOfBook, trades } from './feed.js';
import { marketOf, okxId, okxInstrument, okxSz, reply } from './okx-shapes.js';
import { okxTrading } from './okx-trading.js';
import { header, hmacBase64, sameSignature } from './signing.js';
import { num, str, type VenueDialect } from './types.js';

/**
 * OKX v5. Private requests carry OK-ACCESS-KEY / -PASSPHRASE / -TIMESTAMP (ISO) / -SIGN where
 * SIGN = base64 HMAC-SHA256(secret, timestamp + method + requestPath (+ ?query) + body).
 */

const BARS: Record<string, number> = { ...TIMEFRAMES, '1H': 3_600_000, '4H': 14_400_000, '1D': 86_400_000 };

const SCODES = {
  duplicate: ['51016', 'Duplicated clOrdId'],
  insufficient: ['51008', 'Order failed. Insufficient USDT margin in account'],
  invalid: ['51000', 'Parameter sz error'],
  not_found: ['51603', 'Order does not exist'],
  reduce_only: ['51169', "Order failed because you don't have any positions in this direction to reduce or close."],
} as const;

export const okxDialect: VenueDialect = {
  id: 'okx',
  isPrivate: (req) => !req.path.startsWith('/api/v5/public/') && !req.path.startsWith('/api/v5/market/'),
  isOrderCreate: (req) => req.path === '/api/v5/trade/order' || req.path === '/api/v5/trade/batch-orders',

  authenticate(req, creds) {
    const ts = header(req.headers, 'OK-ACCESS-TIMESTAMP') ?? '';
    if (header(req.headers, 'OK-ACCESS-KEY') !== creds.apiKey) return reply([], '50111', 'Invalid OK-ACCESS-KEY', 401);
    if (header(req.headers, 'OK-ACCESS-PASSPHRASE') !== creds.passphrase) {
      return reply([], '50105', 'Invalid OK-ACCESS-PASSPHRASE', 401);
    }
    if (!(Math.abs(Date.now() - Date.parse(ts)) <= 30_000)) return reply([], '50102', 'Timestamp request expired', 401);
    const path = req.rawQuery ? `${req.path}?${req.rawQuery}` : req.path;
    const expected = hmacBase64(creds.secret, `${ts}${req.method}${path}${req.body}`);
    if (!sameSignature(expected, header(req.headers, 'OK-ACCESS-SIGN'))) return reply([], '50113', 'Invalid Sign', 401);
    return null;
  },

  reject(err) {
    const [sCode, sMsg] = SCODES[err.reason];
    return reply([{ ordId: '', clOrdId: '', sCode, sMsg, ts: String(Date.now()) }], '1', 'All operations failed');
  },

  failure(kind) {
    if (kind === 'rate-limit') return reply([], '50011', 'Too Many Requests', 429);
    if (kind === 'insufficient-balance') return okxDialect.reject(new EmuReject('insufficient', ''));
    return { status: 503, body: '<html><body>503 Service Unavailable</body></html>' };
  },

  handle(req, engine) {
    const p = req.params;
    switch (`${req.method} ${req.path}`) {
      case 'GET /api/v5/public/instruments': {
        const kind = str(p, 'instType') === 'SPOT' ? 'spot' : str(p, 'instType') === 'SWAP' ? 'perp' : null;
        return reply(engine.markets.filter((m) => m.kind === kind).map(okxInstrument));
      }
      case 'GET /api/v5/public/time':
        return reply([{ ts: String(Date.now()) }]);
      case 'GET /api/v5/market/ticker': {
        const m = marketOf(engine, str(p, 'instId'));
        const last = engine.price(m.symbol);
        const { bid, ask } = topOfBook(engine, m.symbol);
        return reply([
          {
            instType: m.kind === 'spot' ? 'SPOT' : 'SWAP',
            instId: okxId(m),
            last: String(last),
            lastSz: '1',
            askPx: String(ask),
            askSz: '10',
            bidPx: String(bid),
            bidSz: '12',
            open24h: String(last * 0.99),
            high24h: String(last * 1.02),
            low24h: String(last * 0.97),
            volCcy24h: '1000',
            vol24h: '100000',
            sodUtc0: String(last),
            sodUtc8: String(last),
            ts: String(Date.now()),
          },
        ]);
      }
      case 'GET /api/v5/market/candles': {
        const m = marketOf(engine, str(p, 'instId'));
        const tf = BARS[str(p, 'bar') ?? '1m'] ?? 60_000;
        const rows = candles(engine, m.symbol, tf, num(p, 'limit') ?? 100).reverse();
        return reply(
          rows.map((c, i) =>
            [c.ts, c.open, c.high, c.low, c.close, c.volume, c.volume, c.volume * c.close, i === 0 ? '0' : '1'].map(
              String,
            ),
          ),
        );
      }
      case 'GET /api/v5/market/books': {
        const m = marketOf(engine, str(p, 'instId'));
        const b = book(engine, m.symbol, num(p, 'sz') ?? 20);
        const side = (l: [number, number][]) => l.map(([px, sz]) => [String(px), okxSz(m, sz), '0', '1']);
        return reply([{ asks: side(b.asks), bids: side(b.bids), ts: String(Date.now()) }]);
      }
      case 'GET /api/v5/market/trades': {
        const m = marketOf(engine, str(p, 'instId'));
        const rows = trades(engine, m.symbol, num(p, 'limit') ?? 100);
        return reply(
          rows.map((t) => ({
            instId: okxId(m),
            side: t.side,
            sz: okxSz(m, t.size),
            px: String(t.price),
            source: '0',
            tradeId: t.id,
            ts: String(t.ts),
          })),
        );
      }
      case 'GET /api/v5/public/funding-rate-history': {
        const m = marketOf(engine, str(p, 'instId'));
        const rows = fundingHistory(num(p, 'limit') ?? 100);
        return reply(
          rows.map((f) => ({
            instType: 'SWAP',
            instId: okxId(m),
            formulaType: 'withRate',
            fundingRate: String(f.rate),
            realizedRate: String(f.rate),
            fundingTime: String(f.ts),
            method: 'current_period',
          })),
        );
      }
      case 'GET /api/v5/public/open-interest': {
        const m = marketOf(engine, str(p, 'instId'));
        const oi = openInterest(engine, m.symbol);
        return reply([
          {
            instType: 'SWAP',
            instId: okxId(m),
            oi: okxSz(m, oi.amount),
            oiCcy: String(oi.amount),
            oiUsd: String(oi.value),
            ts: String(oi.ts),
          },
        ]);
      }
      default:
        return okxTrading(req, engine);
    }
  },
};
