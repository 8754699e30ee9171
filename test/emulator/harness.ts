import { CcxtClient } from '../../src/adapters/venues/ccxt/client.js';
import { parseVenueConfig, type VenueCredentials } from '../../src/adapters/venues/ccxt/config.js';
import { CcxtMarketData } from '../../src/adapters/venues/ccxt/market-data.js';
import { CcxtVenue } from '../../src/adapters/venues/ccxt/venue.js';
import type { VenueOrderRequest } from '../../src/ports/venue.js';
import { type EmulatedVenue, type StartOptions, startEmulator } from './index.js';
import type { VenueEmulator } from './server.js';

export const VENUES: readonly EmulatedVenue[] = ['bybit', 'binance', 'okx', 'bitget'];
export const BTC_PERP = 'BTC/USDT:USDT';

/** The endpoint each venue places orders on (through ccxt). */
export const CREATE_PATH: Readonly<Record<EmulatedVenue, string>> = {
  bybit: '/v5/order/create',
  binance: '/fapi/v1/order',
  okx: '/api/v5/trade/batch-orders',
  bitget: '/api/v2/mix/order/place-order',
};

export interface Rig {
  readonly emu: VenueEmulator;
  readonly venue: CcxtVenue;
  readonly marketData: CcxtMarketData;
  /** A second adapter instance on the same account: an empty local order index, as after a restart. */
  readonly fresh: () => CcxtVenue;
  readonly close: () => Promise<void>;
}

export interface RigOptions extends StartOptions {
  /** Credentials the adapter uses (default: the emulator's own). */
  readonly clientCredentials?: VenueCredentials;
  readonly timeoutMs?: number;
  /** Symbols the adapter is configured with (default: the BTC perpetual). */
  readonly symbols?: readonly string[];
}

/** An emulator for `venue` and a ccxt adapter pointed at it (testnet mode, URLs overridden, no rate limiter). */
export async function rig(venue: EmulatedVenue, opts: RigOptions = {}): Promise<Rig> {
  const emu = await startEmulator(venue, opts);
  const config = parseVenueConfig({
    exchangeId: venue,
    mode: 'testnet',
    baseUrl: emu.url,
    symbols: [...(opts.symbols ?? [BTC_PERP])],
    timeoutMs: opts.timeoutMs ?? 5_000,
    enableRateLimit: false,
  });
  const creds = opts.clientCredentials ?? emu.options.credentials;
  const client = new CcxtClient(config, creds);
  return {
    emu,
    venue: new CcxtVenue(client),
    marketData: new CcxtMarketData(client),
    fresh: () => new CcxtVenue(new CcxtClient(config, creds)),
    close: () => emu.close(),
  };
}

let seq = 0;

export function order(over: Partial<VenueOrderRequest> = {}): VenueOrderRequest {
  seq += 1;
  return {
    accountId: 'acct-1',
    clientOrderId: `t${Date.now().toString(36)}${seq}`,
    symbol: BTC_PERP,
    side: 'buy',
    type: 'market',
    quantity: 0.01,
    limitPrice: null,
    timeInForce: 'GTC',
    reduceOnly: false,
    leverage: null,
    ...over,
  };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function failure(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error,
  );
}
