import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LISTING_TTL_MS,
  MarketListing,
  PolymarketClient,
  parsePolymarketConfig,
} from '../../src/adapters/venues/polymarket/index.js';
import { PM_MARKETS, PolymarketEmulator } from './polymarket.js';

const FED = PM_MARKETS[0]!;
const BTC = PM_MARKETS[1]!;

/** The configured markets' listing against the CLOB emulator, on a clock the test moves. */
describe('MarketListing (CLOB emulator)', () => {
  let emu: PolymarketEmulator;
  let client: PolymarketClient;
  beforeAll(async () => {
    emu = await PolymarketEmulator.start();
    client = new PolymarketClient(
      parsePolymarketConfig({
        mode: 'testnet',
        baseUrl: emu.url,
        markets: { 'FED-CUT': FED.condition_id },
        orderIndexPath: '-',
      }),
      null,
    );
  });
  afterAll(() => emu.close());

  const marketReads = () => emu.requests.filter((r) => r.path.startsWith('/markets/')).length;

  it('asks the CLOB once per market within its time to live, shared by callers at the same moment, and again after', async () => {
    let now = 1_000_000;
    expect(LISTING_TTL_MS, 'the README says 5 seconds').toBe(5_000);
    const markets = { 'FED-CUT': FED.condition_id, 'BTC-150K': BTC.condition_id };
    const listing = new MarketListing(client, markets, LISTING_TTL_MS, () => now);
    const before = marketReads();
    const [a, b] = await Promise.all([listing.list(), listing.list()]);
    expect(a).toBe(b);
    expect(a.map((m) => m.market_id)).toEqual(['FED-CUT', 'BTC-150K']);
    expect(marketReads() - before, 'one read per market for both callers').toBe(2);
    now += 4_999;
    await listing.list();
    expect(marketReads() - before, 'still cached').toBe(2);
    emu.resolveMarket(BTC.condition_id, 'No');
    now += 1;
    const fresh = await listing.list();
    expect(marketReads() - before, 'read again once the time to live has passed').toBe(4);
    expect(fresh[1]).toMatchObject({ status: 'resolved', outcome: 'NO', prices: { YES: 0, NO: 1 } });
  });

  it('throws a venue failure instead of listing nothing, and does not keep it', async () => {
    const listing = new MarketListing(client, { GONE: `0x${'0'.repeat(64)}` }, 60_000, () => 0);
    await expect(listing.list()).rejects.toThrow(/INVALID_ORDER: polymarket has no market 0x0+/);
    const before = marketReads();
    await expect(listing.list()).rejects.toThrow(/INVALID_ORDER/);
    expect(marketReads() - before, 'the failure was not cached').toBe(1);
  });

  it('a closed market is closed for the firewall too, and its book is not read', async () => {
    const { createPolymarketAdapters } = await import('../../src/adapters/venues/polymarket/index.js');
    const { marketData } = createPolymarketAdapters(
      { mode: 'testnet', baseUrl: emu.url, markets: { 'FED-CUT': FED.condition_id }, orderIndexPath: '-' },
      null,
    );
    expect((await marketData.prediction('FED-CUT-YES/USDC'))?.status).toBe('open');
    emu.closeMarket(FED.condition_id);
    const books = emu.requests.filter((r) => r.path === '/book').length;
    expect(await marketData.prediction('FED-CUT-YES/USDC')).toMatchObject({ status: 'closed', liquidity_usd: 0 });
    expect(emu.requests.filter((r) => r.path === '/book').length).toBe(books);
    emu.states.delete(FED.condition_id);
  });
});

/** After a market stops taking orders the CLOB drops its books: the adapter still reads the account. */
describe('a market whose books the CLOB dropped (CLOB emulator)', () => {
  it('keeps positions readable (a resolved market marked at 1 or 0), quotes nothing, and refuses a market order on the empty book', async () => {
    const { pmRig, FED_YES } = await import('./polymarket-rig.js');
    const r = await pmRig();
    try {
      const req = {
        accountId: 'acct-1',
        clientOrderId: 'pm-dropped-1',
        symbol: FED_YES,
        side: 'buy' as const,
        type: 'market' as const,
        quantity: 10,
        limitPrice: null,
        timeInForce: 'GTC' as const,
        reduceOnly: false,
        leverage: null,
      };
      const bought = await r.venue.placeOrder(req);
      expect(bought.status).toBe('filled');
      r.emu.resolveMarket(FED.condition_id, 'Yes');
      const held = (await r.venue.positions('acct-1')).find((p) => p.symbol === FED_YES);
      expect(held?.quantity).toBe(10);
      expect(held?.markPrice, 'no book, resolved YES: a YES share is worth 1').toBe(1);
      expect(held?.unrealizedPnl).toBeCloseTo((1 - held!.entryPrice) * 10, 9);
      r.emu.resolveMarket(FED.condition_id, 'No');
      const lost = (await r.venue.positions('acct-1')).find((p) => p.symbol === FED_YES);
      expect(lost?.markPrice, 'no book, resolved NO: a YES share is worth 0').toBe(0);
      const err = await r.venue.placeOrder({ ...req, clientOrderId: 'pm-dropped-2' }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(err?.message).toMatch(/INVALID_ORDER: not enough asks/);
    } finally {
      await r.close();
    }
  });
});
