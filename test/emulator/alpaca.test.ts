import { afterEach, describe, expect, it } from 'vitest';
import { AlpacaVenue } from '../../src/adapters/venues/ccxt/alpaca/venue.js';
import { CcxtClient } from '../../src/adapters/venues/ccxt/client.js';
import { parseVenueConfig } from '../../src/adapters/venues/ccxt/config.js';
import { createExchange } from '../../src/adapters/venues/ccxt/exchange.js';
import { checkVenueCredentials, createCcxtAdapters } from '../../src/adapters/venues/ccxt/index.js';
import { sessionAt } from '../../src/core/market/calendar/index.js';
import type { VenueError, VenueOrderRequest } from '../../src/ports/venue.js';
import { type AlpacaRig, alpacaRig, WEDNESDAY_10AM_NY } from './alpaca-rig.js';
import { failure } from './harness.js';

const AAPL = 'AAPL/USD';
/** Wednesday 7 January 2026, 7:00 in New York: Alpaca's pre-market (extended hours). */
const WEDNESDAY_7AM_NY = Date.UTC(2026, 0, 7, 12, 0);
/** Saturday 10 January 2026, noon in New York. */
const SATURDAY_NOON_NY = Date.UTC(2026, 0, 10, 17, 0);
/** Monday 19 January 2026, 11:00 in New York: Martin Luther King Jr. Day, the NYSE is closed. */
const MLK_DAY_11AM_NY = Date.UTC(2026, 0, 19, 16, 0);

let seq = 0;
function order(over: Partial<VenueOrderRequest> = {}): VenueOrderRequest {
  seq += 1;
  return {
    accountId: 'acct-1',
    clientOrderId: `alp-${seq}`,
    symbol: AAPL,
    side: 'buy',
    type: 'market',
    quantity: 1,
    limitPrice: null,
    timeInForce: 'GTC',
    reduceOnly: false,
    leverage: null,
    ...over,
  };
}

const orderPosts = (r: AlpacaRig) => r.emu.requests.filter((q) => q.method === 'POST' && q.path === '/v2/orders');

describe('Alpaca endpoints by venue mode', () => {
  it('paper keys trade on paper-api.alpaca.markets, live on api.alpaca.markets; stock data on data.alpaca.markets', () => {
    const urls = (mode: 'testnet' | 'live') => {
      const ex = createExchange(parseVenueConfig({ exchangeId: 'alpaca', mode, marketType: 'spot' }));
      const api = ex.urls.api as Record<string, string>;
      return Object.fromEntries(Object.entries(api).map(([k, v]) => [k, ex.implodeHostname(v)]));
    };
    expect(urls('testnet').trader).toBe('https://paper-api.alpaca.markets');
    expect(urls('live').trader).toBe('https://api.alpaca.markets');
    expect(urls('testnet').market).toBe('https://data.alpaca.markets');
    expect(urls('live').market).toBe('https://data.alpaca.markets');
  });

  it('names the venue alpaca when live and alpaca-paper otherwise', () => {
    const live = createCcxtAdapters({ exchangeId: 'alpaca', mode: 'live' }, { apiKey: 'k', secret: 's' });
    const paper = createCcxtAdapters({ exchangeId: 'alpaca', mode: 'testnet' }, { apiKey: 'k', secret: 's' });
    expect([live.venue.name, live.venue.live]).toEqual(['alpaca', true]);
    expect([paper.venue.name, paper.venue.live]).toEqual(['alpaca-paper', false]);
  });
});

describe('US stocks on the Alpaca emulator, through ccxt', () => {
  let r: AlpacaRig;
  afterEach(async () => {
    await r?.close();
  });

  it('lists each tradable stock as AAPL/USD: a US equity on the NYSE calendar, in fractions only where fractionable', async () => {
    r = await alpacaRig();
    const all = await r.marketData.instruments();
    expect(all.map((i) => i.symbol).sort()).toEqual(
      ['AAPL', 'GME', 'GOOGL', 'META', 'MSFT', 'NVDA', 'TSLA'].map((s) => `${s}/USD`),
    );
    expect(all.find((i) => i.symbol === AAPL)).toEqual({
      symbol: AAPL,
      base: 'AAPL',
      quote: 'USD',
      kind: 'spot',
      instrumentType: 'equity',
      assetClass: 'us_equity',
      tickSize: 0.01,
      stepSize: 1e-9,
      minQty: 1e-9,
      minNotional: 1,
      maxLeverage: 1,
      calendar: { kind: 'us_equity' },
    });
    expect(all.find((i) => i.symbol === 'GME/USD')).toMatchObject({ stepSize: 1, minQty: 1 });
    expect((await r.marketData.instrument('AAPL'))?.symbol, "Alpaca's own name maps to the unified one").toBe(AAPL);
    const assets = r.emu.requests.find((q) => q.path === '/v2/assets');
    expect(assets?.params, 'the stock list, not ccxt’s crypto list').toMatchObject({ asset_class: 'us_equity' });
  });

  it('reads the latest quote and trade, and closed bars, from the data API with the key headers', async () => {
    r = await alpacaRig();
    const q = await r.marketData.quote(AAPL);
    expect(q).toEqual({ symbol: AAPL, bid: 229.99, ask: 230.01, last: 230, ts: WEDNESDAY_10AM_NY });
    const m1 = await r.marketData.candles(AAPL, '1m', 3);
    expect(m1.map((c) => c.ts)).toEqual([-3, -2, -1].map((k) => WEDNESDAY_10AM_NY + k * 60_000));
    expect(await r.marketData.recentTrades(AAPL, 10)).toEqual([
      { ts: WEDNESDAY_10AM_NY, price: 230, size: 100, side: 'buy' },
    ]);
    const book = await r.marketData.orderBook(AAPL, 5);
    expect(book).toMatchObject({ bids: [{ price: 229.99, size: 2 }], asks: [{ price: 230.01, size: 3 }] });
    const data = r.emu.requests.filter((x) => x.path.startsWith('/v2/stocks/AAPL/'));
    expect(new Set(data.map((x) => x.path))).toEqual(
      new Set(['snapshot', 'trades/latest', 'bars', 'quotes/latest'].map((x) => `/v2/stocks/AAPL/${x}`)),
    );
    for (const x of data) {
      expect(x.headers['apca-api-key-id']).toBe(r.emu.keys.apiKey);
      expect(x.headers['apca-api-secret-key']).toBe(r.emu.keys.secret);
      expect(x.status).toBe(200);
    }
  });

  it('daily bars skip the weekend and the holiday: the bar before MLK Day is Friday’s', async () => {
    r = await alpacaRig({ start: Date.UTC(2026, 0, 20, 15, 0) });
    const days = await r.marketData.candles(AAPL, '1d', 3);
    expect(days.map((c) => new Date(c.ts).toISOString().slice(0, 10))).toEqual([
      '2026-01-14',
      '2026-01-15',
      '2026-01-16',
    ]);
  });

  it('refuses a wrong key as Alpaca does (401) with AUTH_FAILED, and the error carries no secret', async () => {
    r = await alpacaRig({ clientKeys: { apiKey: 'PKWRONGKEY0000', secret: 'wrong-secret-value-123' } });
    const err = (await failure(r.venue.balance('acct-1'))) as VenueError;
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.message).not.toContain('wrong-secret-value-123');
    expect(err.message).not.toContain('PKWRONGKEY0000');
    expect(r.emu.requests.at(-1)?.status).toBe(401);
  });

  it('venues check --venue alpaca reads the account with the keys from the environment, and reports a wrong key', async () => {
    r = await alpacaRig();
    const env = { ARBITER_ALPACA_API_KEY: r.emu.keys.apiKey, ARBITER_ALPACA_API_SECRET: r.emu.keys.secret };
    const opts = { venues: ['alpaca'], baseUrls: { alpaca: r.emu.url }, timeoutMs: 5_000 };
    const [good] = await checkVenueCredentials(env, undefined, opts);
    expect(good).toMatchObject({ venue: 'alpaca', mode: 'testnet', read: true, error: null });
    expect(good!.present).toMatchObject({ apiKey: true, secret: true, source: 'env' });
    const [bad] = await checkVenueCredentials({ ...env, ARBITER_ALPACA_API_SECRET: 'not-it' }, undefined, opts);
    expect(bad).toMatchObject({ read: false, trade: false, error: 'AUTH_FAILED' });
    expect(JSON.stringify([good, bad])).not.toContain(r.emu.keys.secret);
  });

  it('fills a market buy at the ask as a DAY order, and a fresh adapter finds it by client order id', async () => {
    r = await alpacaRig();
    const o = await r.venue.placeOrder(order({ quantity: 0.25 }));
    expect(o).toMatchObject({ status: 'filled', filledQuantity: 0.25, avgFillPrice: 230.01 });
    expect(orderPosts(r).at(-1)?.params).toMatchObject({
      symbol: 'AAPL',
      qty: '0.25',
      time_in_force: 'day',
      client_order_id: o.clientOrderId,
    });
    const { config } = (r.venue as unknown as { client: CcxtClient }).client;
    const fresh = new AlpacaVenue(new CcxtClient(config, r.emu.keys), r.clock.now);
    expect((await fresh.orderByClientId('acct-1', o.clientOrderId))?.orderId).toBe(o.orderId);
    expect(r.emu.requests.at(-1)?.path).toBe('/v2/orders:by_client_order_id');
  });

  it('answers a repeated client order id with the order already sent, even once the position it closed is gone', async () => {
    r = await alpacaRig();
    await r.venue.placeOrder(order({ quantity: 2 }));
    const close = order({ side: 'sell', quantity: 2, reduceOnly: true });
    const first = await r.venue.placeOrder(close);
    const posts = orderPosts(r).length;
    expect(await r.venue.placeOrder(close)).toMatchObject({ orderId: first.orderId, status: 'filled' });
    expect(orderPosts(r), 'nothing sent again').toHaveLength(posts);
    const reused = (await failure(r.venue.placeOrder({ ...close, side: 'buy', reduceOnly: false }))) as VenueError;
    expect(reused.message).toContain(`client order id ${close.clientOrderId} is already used by another order`);
  });

  it('never goes short: a sell beyond the shares held is refused before it reaches Alpaca', async () => {
    r = await alpacaRig();
    await r.venue.placeOrder(order({ quantity: 2 }));
    const posts = orderPosts(r).length;
    const err = (await failure(r.venue.placeOrder(order({ side: 'sell', quantity: 3 })))) as VenueError;
    expect(err.code).toBe('INVALID_ORDER');
    expect(err.message).toMatch(/would go short \(2 held\); Arbiter trades alpaca stocks long only/);
    expect(orderPosts(r)).toHaveLength(posts);
    const cut = await r.venue.placeOrder(order({ side: 'sell', quantity: 3, reduceOnly: true }));
    expect(cut.filledQuantity, 'a reduce-only sell is cut to the shares held').toBe(2);
    expect(await r.venue.positions('acct-1')).toEqual([]);
  });

  it('trades whole shares of a stock that is not fractionable, and refuses a fraction of it before ccxt rounds it', async () => {
    r = await alpacaRig();
    const err = (await failure(r.venue.placeOrder(order({ symbol: 'GME/USD', quantity: 1.5 })))) as VenueError;
    expect(err.code).toBe('INVALID_ORDER');
    expect(err.message).toContain('GME/USD trades in whole shares only on alpaca, not 1.5');
    const whole = await r.venue.placeOrder(order({ symbol: 'GME/USD', quantity: 2, type: 'limit', limitPrice: 25 }));
    expect(whole).toMatchObject({ status: 'filled', filledQuantity: 2 });
    expect(orderPosts(r).at(-1)?.params, 'a whole-share limit order keeps its GTC').toMatchObject({
      qty: '2',
      time_in_force: 'gtc',
    });
  });

  it('in the pre-market sends a limit order as DAY with extended_hours, and refuses a market order', async () => {
    r = await alpacaRig({ start: WEDNESDAY_7AM_NY });
    expect(sessionAt({ kind: 'us_equity' }, WEDNESDAY_7AM_NY).phase).toBe('extended');
    const o = await r.venue.placeOrder(order({ type: 'limit', limitPrice: 231 }));
    expect(o).toMatchObject({ status: 'filled', avgFillPrice: 230.01 });
    expect(orderPosts(r).at(-1)?.params).toMatchObject({ time_in_force: 'day', extended_hours: true });
    const err = (await failure(r.venue.placeOrder(order()))) as VenueError;
    expect(err.code).toBe('INVALID_ORDER');
    expect(err.message).toContain('alpaca takes only limit DAY orders in extended hours');
  });

  it('the emulator refuses orders when the market is closed, at the weekend and on a holiday: INVALID_ORDER, not retried', async () => {
    for (const start of [SATURDAY_NOON_NY, MLK_DAY_11AM_NY]) {
      r = await alpacaRig({ start });
      const err = (await failure(r.venue.placeOrder(order({ type: 'limit', limitPrice: 231 })))) as VenueError;
      expect([err.code, err.retryable], 'a refusal, not an outage').toEqual(['INVALID_ORDER', false]);
      expect(err.message).toContain('market is closed');
      expect(orderPosts(r).at(-1)?.status).toBe(403);
      const clock = (await (await fetch(`${r.emu.url}/v2/clock`, { headers: keyHeaders(r) })).json()) as Record<
        string,
        unknown
      >;
      expect(clock.is_open).toBe(false);
      await r.close();
    }
  });

  it('amends by Alpaca’s replace: a new order id and client id, the old order cancelled', async () => {
    r = await alpacaRig();
    const o = await r.venue.placeOrder(order({ type: 'limit', limitPrice: 200, quantity: 2 }));
    const a = await r.venue.amendOrder('acct-1', o.orderId, { limitPrice: 199 });
    expect(a).toMatchObject({ status: 'open', limitPrice: 199, quantity: 2 });
    expect(a.orderId).not.toBe(o.orderId);
    expect(a.clientOrderId).toMatch(new RegExp(`^${o.clientOrderId}-r`));
    expect((await r.venue.orderByClientId('acct-1', o.clientOrderId))?.status).toBe('cancelled');
    expect((await r.venue.openOrders('acct-1')).map((x) => x.orderId)).toEqual([a.orderId]);
  });

  it('reads an order history longer than Alpaca’s 500-order page as its newest 500', async () => {
    r = await alpacaRig();
    await r.venue.placeOrder(order());
    expect(await r.venue.orderHistory('acct-1', 10_000)).toHaveLength(1);
    expect(r.emu.requests.at(-1)).toMatchObject({ path: '/v2/orders', status: 200, params: { limit: '500' } });
  });

  it('lists every open order, past Alpaca’s default page of 50', async () => {
    r = await alpacaRig();
    for (let i = 0; i < 51; i++) await r.venue.placeOrder(order({ type: 'limit', limitPrice: 100 + i / 100 }));
    expect(await r.venue.openOrders('acct-1')).toHaveLength(51);
    expect(await r.venue.openOrders('acct-1', AAPL)).toHaveLength(51);
  });

  it('counts as free only what the account can still buy with: cash less what open buy orders hold', async () => {
    r = await alpacaRig({ cash: 10_000 });
    await r.venue.placeOrder(order({ type: 'limit', limitPrice: 200, quantity: 10 }));
    const b = await r.venue.balance('acct-1');
    expect(b).toMatchObject({ currency: 'USD', total: 10_000, equity: 10_000, free: 8_000, used: 2_000 });
  });

  it('refuses post-only (Alpaca has none) and leverage other than 1', async () => {
    r = await alpacaRig();
    const po = (await failure(
      r.venue.placeOrder(order({ type: 'limit', limitPrice: 200, timeInForce: 'PO' })),
    )) as VenueError;
    expect(po.message).toContain('alpaca has no post-only orders');
    await r.venue.setLeverage('acct-1', AAPL, 1);
    expect(((await failure(r.venue.setLeverage('acct-1', AAPL, 2))) as VenueError).code).toBe('INVALID_ORDER');
    expect(((await failure(r.venue.placeOrder(order({ symbol: 'ZZZZ/USD' })))) as VenueError).message).toContain(
      'alpaca lists no tradable stock ZZZZ/USD',
    );
  });
});

function keyHeaders(r: AlpacaRig): Record<string, string> {
  return { 'APCA-API-KEY-ID': r.emu.keys.apiKey, 'APCA-API-SECRET-KEY': r.emu.keys.secret };
}
