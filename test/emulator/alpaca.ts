import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NYSE_TZ, regularSession, sessionAt } from '../../src/core/market/calendar/session.js';
import { instantOf } from '../../src/core/market/calendar/zoned.js';
import {
  ALPACA_STOCKS,
  AlpacaEngine,
  type AlpacaOrder,
  AlpacaReject,
  type AlpacaStock,
  type AlpacaEngine as Engine,
} from './alpaca-engine.js';

export { ALPACA_STOCKS, AlpacaReject, type AlpacaStock } from './alpaca-engine.js';

/** Alpaca's key pair: the key id (`APCA-API-KEY-ID`) and the secret (`APCA-API-SECRET-KEY`). */
export interface AlpacaKeys {
  readonly apiKey: string;
  readonly secret: string;
}

export interface AlpacaEmulatorOptions {
  readonly keys?: AlpacaKeys;
  readonly cash?: number;
  readonly stocks?: readonly AlpacaStock[];
  /** The emulator's clock (session rules, timestamps, bars); share it with Arbiter's. */
  readonly now?: () => number;
}

export interface AlpacaRecorded {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly status: number;
}

interface Reply {
  readonly status: number;
  readonly body?: unknown;
}

const US_EQUITY = { kind: 'us_equity' } as const;
const BAR_MS: Readonly<Record<string, number>> = {
  '1Min': 60_000,
  '5Min': 300_000,
  '15Min': 900_000,
  '1Hour': 3_600_000,
  '4Hour': 14_400_000,
  '1Day': 86_400_000,
};
const MAX_BAR_STEPS = 20_000;

/**
 * A local emulator of Alpaca's trading API (`/v2/account`, `/v2/assets`, `/v2/orders` with lookup by client order
 * id, replace and cancel, `/v2/positions`, `/v2/clock`) and of the stock market data endpoints Arbiter calls
 * (`/v2/stocks/{symbol}/snapshot`, `/quotes/latest`, `/trades/latest`, `/bars`), on one origin. Every request must
 * carry the key pair in Alpaca's headers; a missing or wrong one is answered as Alpaca does (401, `40110000`).
 */
export class AlpacaEmulator {
  readonly engine: Engine;
  readonly keys: AlpacaKeys;
  readonly requests: AlpacaRecorded[] = [];
  private readonly server: Server;
  private port = 0;

  private constructor(opts: AlpacaEmulatorOptions) {
    this.keys = opts.keys ?? {
      apiKey: `PK${randomBytes(9).toString('hex').toUpperCase()}`,
      secret: randomBytes(20).toString('hex'),
    };
    this.engine = new AlpacaEngine(opts.stocks ?? ALPACA_STOCKS, opts.cash ?? 100_000, opts.now ?? Date.now);
    this.server = createServer((req, res) => void this.serve(req, res));
  }

  static async start(opts: AlpacaEmulatorOptions = {}): Promise<AlpacaEmulator> {
    const emu = new AlpacaEmulator(opts);
    await new Promise<void>((resolve) => emu.server.listen(0, '127.0.0.1', resolve));
    emu.port = (emu.server.address() as AddressInfo).port;
    return emu;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  setPrice(symbol: string, price: number): void {
    this.engine.setPrice(symbol, price);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = decodeURIComponent(q < 0 ? raw : raw.slice(0, q));
    const params: Record<string, unknown> = Object.fromEntries(new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)));
    const body = Buffer.concat(chunks).toString('utf8');
    let reply: Reply;
    try {
      if (body.length > 0) Object.assign(params, JSON.parse(body));
      reply = this.authorized(req) ? this.route(req.method ?? 'GET', path, params) : this.unauthorized();
    } catch (err) {
      if (err instanceof AlpacaReject) reply = { status: err.status, body: { code: err.code, message: err.message } };
      else if (err instanceof SyntaxError)
        reply = { status: 400, body: { code: 40010000, message: 'request body format is invalid' } };
      else throw err;
    }
    this.requests.push({ method: req.method ?? 'GET', path, params, headers: req.headers, status: reply.status });
    if (reply.body === undefined) {
      res.writeHead(reply.status);
      res.end();
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply.body));
  }

  private authorized(req: IncomingMessage): boolean {
    return (
      req.headers['apca-api-key-id'] === this.keys.apiKey && req.headers['apca-api-secret-key'] === this.keys.secret
    );
  }

  private unauthorized(): Reply {
    return { status: 401, body: { code: 40110000, message: 'request is not authorized' } };
  }

  private route(method: string, path: string, p: Record<string, unknown>): Reply {
    const e = this.engine;
    const ok = (body: unknown): Reply => ({ status: 200, body });
    if (method === 'GET' && path === '/v2/account') return ok(this.account());
    if (method === 'GET' && path === '/v2/assets')
      return ok(p.asset_class === 'us_equity' || p.asset_class === undefined ? e.stocks.map(asset) : []);
    if (method === 'GET' && path === '/v2/clock') return ok(this.clock());
    if (method === 'GET' && path === '/v2/positions') return ok(this.positions());
    if (method === 'POST' && path === '/v2/orders') return ok(orderJson(e.place(newOrder(p))));
    if (method === 'GET' && path === '/v2/orders') return ok(this.listOrders(p));
    if (method === 'DELETE' && path === '/v2/orders') {
      const open = e.open();
      for (const o of open) e.cancel(o);
      return { status: 207, body: open.map((o) => ({ id: o.id, status: 200, body: orderJson(o) })) };
    }
    if (method === 'GET' && path === '/v2/orders:by_client_order_id') {
      const o = e.orders.find((x) => x.client_order_id === p.client_order_id);
      return o ? ok(orderJson(o)) : notFound();
    }
    const byId = /^\/v2\/orders\/([^/]+)$/.exec(path);
    if (byId) {
      const o = e.find(byId[1]!);
      if (!o) return notFound();
      if (method === 'GET') return ok(orderJson(o));
      if (method === 'DELETE') {
        e.cancel(o);
        return { status: 204 };
      }
      if (method === 'PATCH') {
        const next = e.replace(o, {
          ...(p.qty !== undefined ? { qty: Number(p.qty) } : {}),
          ...(p.limit_price !== undefined ? { limit_price: Number(p.limit_price) } : {}),
          client_order_id: String(p.client_order_id ?? `replace-${o.id}`),
        });
        return ok(orderJson(next));
      }
    }
    const data = /^\/v2\/stocks\/([A-Z.]+)\/(snapshot|quotes\/latest|trades\/latest|bars)$/.exec(path);
    if (method === 'GET' && data) {
      const symbol = e.stock(data[1]!).symbol;
      const t = new Date(this.engine.now()).toISOString();
      const quote = { t, ax: 'V', ap: e.ask(symbol), as: 3, bx: 'V', bp: e.bid(symbol), bs: 2, c: ['R'], z: 'C' };
      const trade = { t, x: 'V', p: e.price(symbol), s: 100, c: ['@'], i: 1, z: 'C' };
      if (data[2] === 'snapshot') return ok({ symbol, latestQuote: quote, latestTrade: trade });
      if (data[2] === 'quotes/latest') return ok({ symbol, quote });
      if (data[2] === 'trades/latest') return ok({ symbol, trade });
      return ok(this.bars(symbol, p));
    }
    return { status: 404, body: { code: 40410000, message: 'endpoint not found' } };
  }

  private account(): Record<string, unknown> {
    const e = this.engine;
    const value = e.positions().reduce((s, p) => s + p.qty * e.price(p.symbol), 0);
    return {
      id: 'emu-account',
      account_number: 'PA0000EMU',
      status: 'ACTIVE',
      currency: 'USD',
      cash: String(e.cash),
      buying_power: String(e.buyingPower()),
      non_marginable_buying_power: String(e.buyingPower()),
      equity: String(e.cash + value),
      long_market_value: String(value),
      short_market_value: '0',
      position_market_value: String(value),
      multiplier: '1',
      shorting_enabled: false,
      pattern_day_trader: false,
      trading_blocked: false,
      account_blocked: false,
    };
  }

  private positions(): Record<string, unknown>[] {
    const e = this.engine;
    return e.positions().map((p) => {
      const price = e.price(p.symbol);
      return {
        asset_id: `asset-${p.symbol}`,
        symbol: p.symbol,
        exchange: 'NASDAQ',
        asset_class: 'us_equity',
        qty: String(p.qty),
        qty_available: String(p.qty),
        avg_entry_price: String(p.cost / p.qty),
        side: 'long',
        market_value: String(p.qty * price),
        cost_basis: String(p.cost),
        unrealized_pl: String(p.qty * price - p.cost),
        current_price: String(price),
      };
    });
  }

  private clock(): Record<string, unknown> {
    const now = this.engine.now();
    const s = sessionAt(US_EQUITY, now);
    const today = regularSession(US_EQUITY, s.date);
    const open = s.phase === 'regular';
    return {
      timestamp: new Date(now).toISOString(),
      is_open: open,
      next_open: s.next_open === null ? null : new Date(s.next_open).toISOString(),
      next_close: today && now < today.close ? new Date(today.close).toISOString() : null,
    };
  }

  private listOrders(p: Record<string, unknown>): Record<string, unknown>[] {
    const limit = Number(p.limit ?? 50);
    if (!(Number.isInteger(limit) && limit >= 1 && limit <= 500))
      throw new AlpacaReject(422, 40010001, 'limit must be between 1 and 500');
    const status = String(p.status ?? 'open');
    const symbols = p.symbols === undefined ? null : String(p.symbols).split(',');
    const open = (o: AlpacaOrder) => o.status === 'new' || o.status === 'partially_filled';
    const rows = this.engine.orders
      .filter((o) => (status === 'all' ? true : status === 'open' ? open(o) : !open(o)))
      .filter((o) => symbols === null || symbols.includes(o.symbol))
      .sort((a, b) => (p.direction === 'asc' ? a.created_at - b.created_at : b.created_at - a.created_at));
    return rows.slice(0, limit).map(orderJson);
  }

  /**
   * Bars of the regular session only (daily bars stamped at midnight New York), priced on a gentle deterministic
   * wave that ends at the current price; `sort=desc` with `limit` gives the newest.
   */
  private bars(symbol: string, p: Record<string, unknown>): Record<string, unknown> {
    const tf = BAR_MS[String(p.timeframe)];
    if (!tf) throw new AlpacaReject(422, 42210000, `invalid timeframe ${String(p.timeframe)}`);
    const end = Math.min(p.end ? Date.parse(String(p.end)) : this.engine.now(), this.engine.now());
    const start = p.start ? Date.parse(String(p.start)) : end - 86_400_000;
    const stamps: number[] = [];
    for (let t = Math.ceil(start / tf) * tf, i = 0; t <= end && i < MAX_BAR_STEPS; t += tf, i++) {
      const day = new Date(t);
      // A daily bar is stamped at midnight New York (05:00 or 04:00 UTC); it exists when noon New York trades.
      const stamp =
        tf === 86_400_000 ? instantOf(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), 0, NYSE_TZ) : t;
      const probe = tf === 86_400_000 ? stamp + 12 * 3_600_000 : t;
      if (stamp <= end && sessionAt(US_EQUITY, probe).phase === 'regular') stamps.push(stamp);
    }
    const last = this.engine.price(symbol);
    const bars = stamps.map((t, i) => {
      const k = stamps.length - 1 - i;
      const c = k === 0 ? last : last * (1 + 0.002 * Math.sin(k / 3));
      const o = last * (1 + 0.002 * Math.sin((k + 1) / 3));
      return {
        t: new Date(t).toISOString(),
        o,
        h: Math.max(o, c) * 1.0005,
        l: Math.min(o, c) * 0.9995,
        c,
        v: 1_000 + k,
        n: 10,
        vw: (o + c) / 2,
      };
    });
    const limit = Number(p.limit ?? 1_000);
    const out = p.sort === 'desc' ? bars.reverse().slice(0, limit) : bars.slice(0, limit);
    return { symbol, bars: out, next_page_token: null };
  }
}

function notFound(): Reply {
  return { status: 404, body: { code: 40410000, message: 'order not found' } };
}

function newOrder(p: Record<string, unknown>) {
  if (p.notional !== undefined) throw new AlpacaReject(422, 40010001, 'notional orders are not emulated');
  return {
    symbol: String(p.symbol ?? ''),
    side: String(p.side ?? ''),
    type: String(p.type ?? ''),
    qty: Number(p.qty),
    limit_price: p.limit_price === undefined || p.limit_price === null ? null : Number(p.limit_price),
    time_in_force: String(p.time_in_force ?? ''),
    extended_hours: p.extended_hours === true || p.extended_hours === 'true',
    client_order_id: String(p.client_order_id ?? randomBytes(8).toString('hex')),
  };
}

function asset(s: AlpacaStock): Record<string, unknown> {
  return {
    id: `asset-${s.symbol}`,
    class: 'us_equity',
    exchange: 'NASDAQ',
    symbol: s.symbol,
    name: `${s.symbol} Common Stock`,
    status: 'active',
    tradable: true,
    marginable: true,
    shortable: true,
    easy_to_borrow: true,
    fractionable: s.fractionable,
    maintenance_margin_requirement: 30,
    attributes: [],
  };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function orderJson(o: AlpacaOrder): Record<string, unknown> {
  return {
    id: o.id,
    client_order_id: o.client_order_id,
    created_at: iso(o.created_at),
    updated_at: iso(o.updated_at),
    submitted_at: iso(o.created_at),
    filled_at: iso(o.filled_at),
    expired_at: null,
    canceled_at: iso(o.canceled_at),
    failed_at: null,
    replaced_at: o.status === 'replaced' ? iso(o.updated_at) : null,
    replaced_by: o.replaced_by,
    replaces: o.replaces,
    asset_id: `asset-${o.symbol}`,
    symbol: o.symbol,
    asset_class: 'us_equity',
    notional: null,
    qty: String(o.qty),
    filled_qty: String(o.filled_qty),
    filled_avg_price: o.filled_avg_price === null ? null : String(o.filled_avg_price),
    order_class: '',
    order_type: o.type,
    type: o.type,
    side: o.side,
    time_in_force: o.time_in_force,
    limit_price: o.limit_price === null ? null : String(o.limit_price),
    stop_price: null,
    status: o.status,
    extended_hours: o.extended_hours,
    legs: null,
    trail_percent: null,
    trail_price: null,
    hwm: null,
  };
}
