import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPolymarketAdapters, type PolymarketMarketData } from '../../src/adapters/venues/polymarket/index.js';
import { PolymarketEmulator } from './polymarket.js';
import { LEVEL_SIZE } from './polymarket-book.js';
import { BTC150, FED } from './polymarket-rig.js';

describe('Polymarket market data from the CLOB emulator (no wallet needed)', () => {
  let emu: PolymarketEmulator;
  let md: PolymarketMarketData;
  beforeEach(async () => {
    emu = await PolymarketEmulator.start();
    md = createPolymarketAdapters(
      {
        mode: 'testnet',
        baseUrl: emu.url,
        markets: { 'FED-CUT': FED.condition_id, 'BTC-150K': BTC150.condition_id },
        orderIndexPath: '/nonexistent/never-written.json',
      },
      null,
    ).marketData;
  });
  afterEach(() => emu.close());

  it('lists both outcome tokens of each configured market as prediction instruments on the market’s tick', async () => {
    const list = await md.instruments();
    expect(list.map((i) => i.symbol).sort()).toEqual([
      'BTC-150K-NO/USDC',
      'BTC-150K-YES/USDC',
      'FED-CUT-NO/USDC',
      'FED-CUT-YES/USDC',
    ]);
    const btc = await md.instrument('BTC-150K-YES/USDC');
    expect(btc).toMatchObject({ kind: 'prediction', quote: 'USDC', tickSize: 0.001, minQty: 5, maxLeverage: 1 });
    expect(await md.instrument('NOPE-YES/USDC')).toBeNull();
  });

  it('quotes the best bid and ask, and lists the book best first', async () => {
    expect(await md.quote('FED-CUT-YES/USDC')).toMatchObject({ bid: 0.49, ask: 0.51 });
    const book = await md.orderBook('FED-CUT-YES/USDC', 3);
    expect(book?.bids.map((l) => l.price)).toEqual([0.49, 0.48, 0.47]);
    expect(book?.asks.map((l) => l.price)).toEqual([0.51, 0.52, 0.53]);
  });

  it('gives the prediction gates the market’s state: open, its end date, and the collateral within 5 cents of the mid', async () => {
    const s = await md.prediction('FED-CUT-YES/USDC');
    // Levels 0.45–0.49 and 0.51–0.55 rest within 5 cents of 0.50.
    const near = [0.45, 0.46, 0.47, 0.48, 0.49, 0.51, 0.52, 0.53, 0.54, 0.55].reduce((a, p) => a + p * LEVEL_SIZE, 0);
    expect(s).toMatchObject({ market_id: 'FED-CUT', outcome: 'YES', status: 'open' });
    expect(s!.resolves_at).toBe(Date.parse(FED.end_date_iso));
    expect(s!.liquidity_usd).toBeCloseTo(near, 6);
    expect(await md.prediction('BTC/USDT')).toBeNull();
  });
});
