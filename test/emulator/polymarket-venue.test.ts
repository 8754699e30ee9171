import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPolymarketVenue } from '../../src/adapters/venues/polymarket/index.js';
import { VenueError, type VenueOrderRequest } from '../../src/ports/venue.js';
import { takerFee } from './polymarket-book.js';
import { BTC150, FED_YES, FED_YES_TOKEN, type PmRig, pmRig } from './polymarket-rig.js';

let seq = 0;
function order(over: Partial<VenueOrderRequest> = {}): VenueOrderRequest {
  seq += 1;
  return {
    accountId: 'acct-1',
    clientOrderId: `pm-${Date.now().toString(36)}-${seq}`,
    symbol: FED_YES,
    side: 'buy',
    type: 'market',
    quantity: 10,
    limitPrice: null,
    timeInForce: 'GTC',
    reduceOnly: false,
    leverage: null,
    ...over,
  };
}

async function failure(p: Promise<unknown>): Promise<VenueError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'expected a VenueError').toBeInstanceOf(VenueError);
  return err as VenueError;
}

describe('Polymarket venue adapter against the CLOB emulator', () => {
  let r: PmRig;
  beforeEach(async () => {
    r = await pmRig();
  });
  afterEach(() => r.close());

  it('derives its L2 API key from the wallet once, then signs every trading call with it', async () => {
    await r.venue.balance('acct-1');
    await r.venue.placeOrder(order());
    const auth = r.emu.requests.filter((q) => q.path.startsWith('/auth/'));
    expect(auth.map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual(['POST /auth/api-key 200']);
    expect(r.emu.requests.filter((q) => q.status === 401)).toEqual([]);
  });

  it('finds an order by client order id after a restart (a new adapter on the same index file)', async () => {
    const o = await r.venue.placeOrder(order({ type: 'limit', limitPrice: 0.3 }));
    const after = r.fresh();
    const found = await after.orderByClientId('acct-1', o.clientOrderId);
    expect(found?.orderId).toBe(o.orderId);
    expect(found?.status).toBe('open');
    // …and never sends it twice: the repeated placement answers the same order.
    const again = await after.placeOrder(order({ clientOrderId: o.clientOrderId, type: 'limit', limitPrice: 0.3 }));
    expect(again.orderId).toBe(o.orderId);
    expect(r.emu.requests.filter((q) => q.method === 'POST' && q.path === '/order')).toHaveLength(1);
    expect(statSync(r.indexPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(r.indexPath, 'utf8')).not.toContain(r.credentials.privateKey.slice(2));
  });

  it('sees the orders another process on the same home placed since it started', async () => {
    const other = r.fresh();
    const o = await other.placeOrder(order({ type: 'limit', limitPrice: 0.3 }));
    expect((await r.venue.orderByClientId('acct-1', o.clientOrderId))?.orderId).toBe(o.orderId);
    const mine = await r.venue.placeOrder(order({ type: 'limit', limitPrice: 0.31 }));
    // Each write keeps the other's entries.
    expect((await other.orderByClientId('acct-1', mine.clientOrderId))?.orderId).toBe(mine.orderId);
    expect((await r.venue.orderHistory('acct-1', 10)).map((x) => x.orderId)).toEqual([mine.orderId, o.orderId]);
  });

  it('uses the order’s EIP-712 hash as its id, known before it is sent', async () => {
    const o = await r.venue.placeOrder(order());
    expect(o.orderId).toMatch(/^0x[0-9a-f]{64}$/);
    expect(r.emu.engine.orders.get(o.orderId)?.owner).toBeDefined();
  });

  it('refuses to sell tokens it does not hold with INSUFFICIENT_BALANCE (no shorting)', async () => {
    const err = await failure(r.venue.placeOrder(order({ side: 'sell', type: 'limit', limitPrice: 0.45 })));
    expect(err.code).toBe('INSUFFICIENT_BALANCE');
    expect(await r.venue.positions('acct-1')).toEqual([]);
  });

  it('frees a client order id the venue refused, so the same order can be sent once it can be afforded', async () => {
    const req = order({ quantity: 5_000, type: 'limit', limitPrice: 0.5 });
    expect((await failure(r.venue.placeOrder(req))).code).toBe('INSUFFICIENT_BALANCE');
    expect(await r.venue.orderByClientId('acct-1', req.clientOrderId)).toBeNull();
    r.emu.engine.fund(r.address, 1_000);
    const placed = await r.venue.placeOrder(req);
    expect(placed.clientOrderId).toBe(req.clientOrderId);
    expect(placed.filledQuantity).toBe(0);
  });

  it('sizes a reduce-only sell to the tokens held and refuses a reduce-only buy', async () => {
    await r.venue.placeOrder(order({ quantity: 7 }));
    const sell = await r.venue.placeOrder(order({ side: 'sell', quantity: 50, reduceOnly: true }));
    expect(sell.filledQuantity).toBe(7);
    expect((await failure(r.venue.placeOrder(order({ reduceOnly: true })))).code).toBe('INVALID_ORDER');
    const flat = await failure(r.venue.placeOrder(order({ side: 'sell', reduceOnly: true })));
    expect(flat.message).toMatch(/reduce-only sell of FED-CUT-YES\/USDC: none held/);
  });

  it('trades a neg-risk market with a fee: signed for the neg-risk exchange, taker fee base × min(p, 1−p) × size', async () => {
    const before = r.emu.engine.usdc(r.address);
    const o = await r.venue.placeOrder(order({ symbol: 'BTC-150K-YES/USDC', quantity: 20 }));
    expect(o.status).toBe('filled');
    const fill = o.fills[0]!;
    expect(fill.price).toBe(0.301);
    expect(fill.fee).toBeCloseTo(takerFee(BTC150.base_fee, 0.301, 20), 9);
    expect(fill.fee).toBeGreaterThan(0);
    expect(r.emu.engine.usdc(r.address)).toBeCloseTo(before - 0.301 * 20 - fill.fee, 6);
  });

  it('puts limit prices on the market’s tick, never worse for the trader', async () => {
    const buy = await r.venue.placeOrder(order({ type: 'limit', limitPrice: 0.4379 }));
    expect(buy.limitPrice).toBe(0.43);
    await r.venue.placeOrder(order({ quantity: 10 }));
    const sell = await r.venue.placeOrder(order({ side: 'sell', type: 'limit', limitPrice: 0.6111 }));
    expect(sell.limitPrice).toBe(0.62);
  });

  it('refuses prices outside (0, 1), leverage, stops and unknown markets with INVALID_ORDER naming the problem', async () => {
    const price = await failure(r.venue.placeOrder(order({ type: 'limit', limitPrice: 1.2 })));
    expect(price.code).toBe('INVALID_ORDER');
    expect(price.message).toMatch(/must lie in \[0\.01, 0\.99\]/);
    const lev = await failure(r.venue.placeOrder(order({ leverage: 3 })));
    expect(lev.message).toMatch(/without leverage/);
    const stop = await failure(r.venue.setTradingStop('acct-1', FED_YES, { stopLoss: 0.2 }));
    expect(stop.code).toBe('INVALID_ORDER');
    const unknown = await failure(r.venue.placeOrder(order({ symbol: 'NOPE-YES/USDC' })));
    expect(unknown.message).toMatch(/configured: FED-CUT-YES\/USDC, FED-CUT-NO\/USDC/);
  });

  it('fills an IOC limit as FAK (the rest cancelled) and refuses a FOK market order the book cannot fill', async () => {
    const ioc = await r.venue.placeOrder(
      order({ type: 'limit', limitPrice: 0.51, quantity: 1_500, timeInForce: 'IOC' }),
    );
    expect(ioc.filledQuantity).toBe(1_000);
    expect(ioc.status).toBe('cancelled');
    const fok = await failure(r.venue.placeOrder(order({ quantity: 100_000, timeInForce: 'FOK' })));
    expect(fok.code).toBe('INVALID_ORDER');
    // A FOK limit the book cannot fill in full is killed by the venue, and nothing trades.
    const fokLimit = await failure(
      r.venue.placeOrder(order({ type: 'limit', limitPrice: 0.52, quantity: 2_500, timeInForce: 'FOK' })),
    );
    expect(fokLimit.code).toBe('INVALID_ORDER');
    expect(fokLimit.message).toMatch(/FOK orders are fully filled or killed/);
    expect((await r.venue.positions('acct-1'))[0]!.quantity).toBe(1_000);
  });

  it('shows a position at its cost and the book’s midpoint, and counts it in the balance', async () => {
    await r.venue.placeOrder(order({ quantity: 10 }));
    r.emu.engine.setMid(FED_YES_TOKEN, 0.6);
    const [p] = await r.venue.positions('acct-1');
    expect(p).toMatchObject({ symbol: FED_YES, quantity: 10, entryPrice: 0.51, markPrice: 0.6, leverage: 1 });
    expect(p!.unrealizedPnl).toBeCloseTo(0.9, 9);
    const b = await r.venue.balance('acct-1');
    expect(b.currency).toBe('USDC');
    expect(b.total).toBeCloseTo(2_000, 6);
    expect(b.equity).toBeCloseTo(2_000.9, 6);
    expect(b.free).toBeCloseTo(2_000 - 5.1, 6);
    // An open buy reserves what it would pay: 20 shares at 0.40.
    await r.venue.placeOrder(order({ type: 'limit', limitPrice: 0.4, quantity: 20 }));
    const reserved = await r.venue.balance('acct-1');
    expect(reserved.free).toBeCloseTo(2_000 - 5.1 - 8, 6);
    expect(reserved.free + reserved.used).toBeCloseTo(reserved.total, 9);
  });

  it('fails with AUTH_FAILED on a wrong configured API secret, and the error carries no secret', async () => {
    const derived = await r.venue.balance('acct-1').then(() => r.emu.keys.values().next().value!);
    const bad = await pmRig({
      credentials: {
        privateKey: r.credentials.privateKey,
        apiKey: derived.key,
        secret: Buffer.from('a wrong secret of thirty-two b!!').toString('base64'),
        passphrase: derived.passphrase,
      },
    });
    try {
      const err = await failure(bad.venue.balance('acct-1'));
      expect(err.code).toBe('AUTH_FAILED');
      for (const s of [derived.passphrase, r.credentials.privateKey.slice(2), 'a wrong secret'])
        expect(err.message).not.toContain(s);
    } finally {
      await bad.close();
    }
  });

  it('rests a post-only buy below the ask and refuses one that would take liquidity', async () => {
    const rest = await r.venue.placeOrder(order({ type: 'limit', limitPrice: 0.45, timeInForce: 'PO' }));
    expect(rest.status).toBe('open');
    const cross = await failure(r.venue.placeOrder(order({ type: 'limit', limitPrice: 0.6, timeInForce: 'PO' })));
    expect(cross.code).toBe('INVALID_ORDER');
    expect(cross.message).toMatch(/post-only/);
  });

  it('refuses a configured condition id the CLOB does not list, naming it and the setting', async () => {
    const bad = createPolymarketVenue(
      {
        mode: 'testnet',
        baseUrl: r.emu.url,
        markets: { GHOST: `0x${'0'.repeat(64)}` },
        orderIndexPath: join(dirname(r.indexPath), 'ghost.json'),
      },
      r.credentials,
    );
    const err = await failure(bad.placeOrder(order({ symbol: 'GHOST-YES/USDC' })));
    expect(err.code).toBe('INVALID_ORDER');
    expect(err.message).toContain(`no market 0x${'0'.repeat(64)} (see ARBITER_POLYMARKET_MARKETS)`);
  });

  it('refuses to start on an order index file it cannot read, naming the file', () => {
    writeFileSync(r.indexPath, '{not json');
    expect(() => r.fresh()).toThrow(/POLYMARKET_ORDER_INDEX_UNREADABLE: .*orders\.json/);
  });

  it('answers EXCHANGE_DOWN when the CLOB cannot be reached', async () => {
    await r.emu.close();
    const err = await failure(r.venue.balance('acct-1'));
    expect(err.code).toBe('EXCHANGE_DOWN');
    expect(err.retryable).toBe(true);
  });
});

describe('Polymarket adapter when an answer is lost', () => {
  it('answers TIMEOUT, then finds the order by its client order id without sending it again', async () => {
    const r = await pmRig({ timeoutMs: 3_000 });
    try {
      await r.venue.balance('acct-1'); // the API key is derived before the lost answer
      r.emu.holdAnswers('POST', '/order');
      const req = order({ type: 'limit', limitPrice: 0.4 });
      const err = await failure(r.venue.placeOrder(req));
      expect(err.code).toBe('TIMEOUT');
      const found = await r.venue.orderByClientId('acct-1', req.clientOrderId);
      expect(found?.status).toBe('open');
      const again = await r.venue.placeOrder(req);
      expect(again.orderId).toBe(found?.orderId);
      expect(r.emu.requests.filter((q) => q.method === 'POST' && q.path === '/order')).toHaveLength(1);
    } finally {
      await r.close();
    }
  });
});
