import ccxt from 'ccxt';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VenueError } from '../../../ports/venue.js';
import { parseVenueConfig } from './config.js';
import { walletAndEquity } from './equity.js';
import { createExchange } from './exchange.js';
import { hyperliquidCloid, hyperliquidWallet } from './hyperliquid.js';

const VENUE_FORM = /^0x[0-9a-f]{32}$/;

describe('Hyperliquid client order ids', () => {
  it('maps every Arbiter id to 0x + 32 hex digits, the same one every time', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 80 }), (id) => {
        const cloid = hyperliquidCloid(id);
        expect(cloid).toMatch(VENUE_FORM);
        expect(hyperliquidCloid(id)).toBe(cloid);
      }),
    );
  });

  it('gives different ids different venue ids, and leaves an id already in the venue’s form as it is', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        fc.pre(a !== b);
        expect(hyperliquidCloid(a)).not.toBe(hyperliquidCloid(b));
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const id = `0x${Buffer.from(bytes).toString('hex')}`;
        expect(hyperliquidCloid(id)).toBe(id);
      }),
    );
  });
});

describe('Hyperliquid credentials', () => {
  it('refuses any malformed private key as AUTH_FAILED without echoing it', () => {
    const address = `0x${'ab'.repeat(20)}`;
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 100 }), (secret) => {
        fc.pre(!/^(0x)?[0-9a-fA-F]{64}$/.test(secret));
        let err: unknown = null;
        try {
          hyperliquidWallet({ apiKey: address, secret });
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(VenueError);
        expect((err as VenueError).code).toBe('AUTH_FAILED');
        expect((err as VenueError).message).not.toContain(secret);
      }),
    );
  });

  it('accepts a key with or without 0x and a checksummed address', () => {
    const key = 'a'.repeat(64);
    const address = `0x${'AbCd'.repeat(10)}`;
    expect(hyperliquidWallet({ apiKey: address, secret: key })).toEqual({
      walletAddress: address.toLowerCase(),
      privateKey: `0x${key}`,
    });
    expect(hyperliquidWallet({ apiKey: address, secret: `0x${key}` }).privateKey).toBe(`0x${key}`);
  });
});

describe('Hyperliquid endpoints by mode', () => {
  it('uses the testnet for testnet, mainnet for live, and refuses demo (the venue has none)', () => {
    const api = (mode: 'testnet' | 'live') =>
      JSON.stringify(createExchange(parseVenueConfig({ exchangeId: 'hyperliquid', mode })).urls.api);
    expect(api('testnet')).toContain('https://api.hyperliquid-testnet.xyz');
    expect(api('live')).not.toContain('testnet');
    expect(() => createExchange(parseVenueConfig({ exchangeId: 'hyperliquid', mode: 'demo' }))).toThrow(
      /hyperliquid has no demo endpoints: use ARBITER_VENUE_MODE=testnet .* or live/,
    );
  });
});

describe('Hyperliquid equity from clearinghouseState', () => {
  it('equity is the account value, and cash plus unrealised P&L is equity, for any positions', () => {
    const usd = fc.double({ min: -1e6, max: 1e7, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e8, noNaN: true }), fc.array(usd, { maxLength: 8 }), (value, upnls) => {
        const info = {
          marginSummary: { accountValue: String(value) },
          assetPositions: upnls.map((u) => ({ position: { unrealizedPnl: String(u) } })),
        };
        const r = walletAndEquity('hyperliquid', info, 'USDC')!;
        const upnl = upnls.reduce((t, u) => t + u, 0);
        expect(r.equity).toBe(value);
        expect(r.wallet + upnl).toBeCloseTo(r.equity, 3);
      }),
    );
    expect(walletAndEquity('hyperliquid', { marginSummary: {} }, 'USDC')).toBeNull();
  });
});

describe('the market-order bound ccxt signs for the mid the adapter passes', () => {
  const ex = new ccxt.hyperliquid({});
  ex.setMarkets([ex.parseMarket({ name: 'BTC', szDecimals: 5, maxLeverage: 40, markPx: '60000', baseId: 0 })]);
  const build = ex as unknown as {
    createOrderRequest(s: string, t: string, side: string, a: number, p: string, o: object): { p: string };
  };

  // The venue's price grid: 5 significant figures (all integer digits kept), at most 6 − szDecimals decimals.
  it('is mid × 1.05 for a buy and mid × 0.95 for a sell, within one step of the venue’s price grid', () => {
    fc.assert(
      fc.property(fc.double({ min: 1_000, max: 500_000, noNaN: true }), fc.boolean(), (mid, buy) => {
        const midText = mid.toFixed(2);
        const px = Number(
          build.createOrderRequest('BTC/USDC:USDC', 'market', buy ? 'buy' : 'sell', 0.01, midText, { slippage: '0.05' })
            .p,
        );
        const bound = Number(midText) * (buy ? 1.05 : 0.95);
        // BTC (szDecimals 5): whole dollars from 10,000 up (5 significant figures, or more integer digits), else 0.1.
        const grid = (x: number) => (x >= 10_000 ? 1 : 0.1);
        expect(Math.abs(px - bound)).toBeLessThanOrEqual(Math.max(grid(px), grid(bound)) + 1e-9);
        expect(Math.abs(px / grid(px) - Math.round(px / grid(px)))).toBeLessThan(1e-6);
      }),
      { numRuns: 2_000 },
    );
  });
});
