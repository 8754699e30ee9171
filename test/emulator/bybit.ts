import { bybitCategory, bybitId, bybitInstrument, bybitTicker, bybitWallet, marketOf, reply } from './bybit-shapes.js';
import { bybitTrading } from './bybit-trading.js';
import { book, candles, fundingHistory, openInterest, trades } from './feed.js';
import { fresh, header, hmacHex, sameSignature } from './signing.js';
import { num, str, type VenueDialect } from './types.js';

/**
 * Bybit v5. Private requests carry X-BAPI-API-KEY / -TIMESTAMP / -RECV-WINDOW / -SIGN where
 * SIGN = hex HMAC-SHA256(secret, timestamp + apiKey + recvWindow + (queryString | body)).
 */

const INTERVALS: Record<string, number> = {
  '1': 60_000,
  '5': 300_000,
  '15': 900_000,
  '60': 3_600_000,
  '240': 14_400_000,
  D: 86_400_000,
};

export const bybitDialect: VenueDialect = {
  id: 'bybit',
  isPrivate: (req) => !req.path.startsWith('/v5/market/'),
  isOrderCreate: (req) => req.path === '/v5/order/create',

  authenticate(req, creds) {
    const key = header(req.headers, 'X-BAPI-API-KEY');
    const ts = header(req.headers, 'X-BAPI-TIMESTAMP') ?? '';
    const recv = header(req.headers, 'X-BAPI-RECV-WINDOW') ?? '5000';
    if (key !== creds.apiKey) return reply({}, 10003, 'API key is invalid.', 401);
    if (!fresh(Number(ts), Number(recv))) {
      return reply({}, 10002, 'invalid request, please check your server timestamp or recv_window param');
    }
    const payload = `${ts}${key}${recv}${req.method === 'POST' ? req.body : req.rawQuery}`;
    if (!sameSignature(hmacHex(creds.secret, payload), header(req.headers, 'X-BAPI-SIGN'))) {
      // Bybit echoes the string it expected to be signed, api key included; clients must not surface it raw.
      return reply({}, 10004, `error sign! origin_string[${payload}]`);
    }
    return null;
  },

  reject(err) {
    const codes = { duplicate: 110072, insufficient: 110007, invalid: 10001, not_found: 110001, reduce_only: 110017 };
    const msgs = {
      duplicate: 'OrderLinkedID is duplicate',
      insufficient: 'ab not enough for new order',
      invalid: err.message,
      not_found: 'order not exists or too late to cancel',
      reduce_only: 'Reduce-only rule not satisfied',
    };
    return reply({}, codes[err.reason], msgs[err.reason]);
  },

  failure(kind) {
    if (kind === 'rate-limit') return reply({}, 10006, 'Too many visits!');
    if (kind === 'insufficient-balance') return reply({}, 110007, 'ab not enough for new order');
    return { status: 503, body: '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>' };
  },

  handle(req, engine) {
    const p = req.params;
    switch (`${req.method} ${req.path}`) {
      case 'GET /v5/market/time':
        return reply({ timeSecond: String(Math.floor(Date.now() / 1000)), timeNano: `${Date.now()}000000` });
      case 'GET /v5/market/instruments-info': {
        const category = str(p, 'category');
        const list =
          str(p, 'status') === 'PreLaunch' ? [] : engine.markets.filter((m) => bybitCategory(m) === category);
        return reply({ category, list: list.map(bybitInstrument), nextPageCursor: '' });
      }
      case 'GET /v5/market/tickers': {
        const m = marketOf(engine, p);
        return reply({ category: bybitCategory(m), list: [bybitTicker(engine, m)] });
      }
      case 'GET /v5/market/kline': {
        const m = marketOf(engine, p);
        const tf = INTERVALS[str(p, 'interval') ?? ''] ?? 60_000;
        const list = candles(engine, m.symbol, tf, num(p, 'limit') ?? 200)
          .reverse()
          .map((c) => [c.ts, c.open, c.high, c.low, c.close, c.volume, c.volume * c.close].map(String));
        return reply({ category: bybitCategory(m), symbol: bybitId(m), list });
      }
      case 'GET /v5/market/orderbook': {
        const m = marketOf(engine, p);
        const b = book(engine, m.symbol, Math.min(num(p, 'limit') ?? 25, 50));
        const side = (l: [number, number][]) => l.map(([px, sz]) => [String(px), String(sz)]);
        return reply({
          s: bybitId(m),
          b: side(b.bids),
          a: side(b.asks),
          ts: Date.now(),
          u: 1,
          seq: 1,
          cts: Date.now(),
        });
      }
      case 'GET /v5/market/recent-trade': {
        const m = marketOf(engine, p);
        const list = trades(engine, m.symbol, num(p, 'limit') ?? 60).map((t) => ({
          execId: t.id,
          symbol: bybitId(m),
          price: String(t.price),
          size: String(t.size),
          side: t.side === 'buy' ? 'Buy' : 'Sell',
          time: String(t.ts),
          isBlockTrade: false,
        }));
        return reply({ category: bybitCategory(m), list });
      }
      case 'GET /v5/market/funding/history': {
        const m = marketOf(engine, p);
        const list = fundingHistory(num(p, 'limit') ?? 200).map((f) => ({
          symbol: bybitId(m),
          fundingRate: String(f.rate),
          fundingRateTimestamp: String(f.ts),
        }));
        return reply({ category: 'linear', list });
      }
      case 'GET /v5/market/open-interest': {
        const m = marketOf(engine, p);
        const oi = openInterest(engine, m.symbol);
        const list = [{ openInterest: String(oi.amount), timestamp: String(oi.ts) }];
        return reply({ symbol: bybitId(m), category: 'linear', list, nextPageCursor: '' });
      }
      case 'GET /v5/user/query-api':
        return reply({
          id: '13770661',
          note: 'arbiter',
          apiKey: header(req.headers, 'X-BAPI-API-KEY'),
          readOnly: 0,
          permissions: { ContractTrade: ['Order', 'Position'], Spot: ['SpotTrade'], Wallet: ['AccountTransfer'] },
          ips: ['*'],
          type: 1,
          unified: 0,
          uta: 1,
        });
      case 'GET /v5/account/info':
        return reply({ unifiedMarginStatus: 6, marginMode: 'REGULAR_MARGIN', isMasterTrader: false, updatedTime: '0' });
      case 'GET /v5/account/wallet-balance':
        return reply(bybitWallet(engine));
      default:
        return bybitTrading(req, engine);
    }
  },
};
