import { CcxtClient } from '../../src/adapters/venues/ccxt/client.js';
import { parseVenueConfig, type VenueCredentials } from '../../src/adapters/venues/ccxt/config.js';
import { CcxtMarketData } from '../../src/adapters/venues/ccxt/market-data.js';
import { CcxtVenue } from '../../src/adapters/venues/ccxt/venue.js';
import { type HyperliquidStartOptions, startHyperliquidEmulator } from './hyperliquid.js';
import type { VenueEmulator } from './server.js';

export const HL_BTC = 'BTC/USDC:USDC';

export interface HyperliquidRig {
  readonly emu: VenueEmulator;
  readonly venue: CcxtVenue;
  readonly marketData: CcxtMarketData;
  readonly client: CcxtClient;
  /** A second adapter on the same account with an empty local order index, as after a restart. */
  readonly fresh: () => CcxtVenue;
  readonly close: () => Promise<void>;
}

export interface HyperliquidRigOptions extends HyperliquidStartOptions {
  /** What the adapter signs with (default: the emulator's wallet and its key). */
  readonly clientCredentials?: VenueCredentials;
  /** The adapter's mode (default testnet). */
  readonly mode?: 'testnet' | 'live';
  readonly marginMode?: 'cross' | 'isolated';
}

/** A Hyperliquid emulator and a ccxt adapter pointed at it (URLs overridden, no rate limiter). */
export async function hyperliquidRig(opts: HyperliquidRigOptions = {}): Promise<HyperliquidRig> {
  const emu = await startHyperliquidEmulator(opts);
  const config = parseVenueConfig({
    exchangeId: 'hyperliquid',
    mode: opts.mode ?? 'testnet',
    baseUrl: emu.url,
    symbols: [HL_BTC],
    marginMode: opts.marginMode ?? 'cross',
    timeoutMs: 5_000,
    enableRateLimit: false,
  });
  const creds = opts.clientCredentials ?? emu.options.credentials;
  const client = new CcxtClient(config, creds);
  return {
    emu,
    client,
    venue: new CcxtVenue(client),
    marketData: new CcxtMarketData(client),
    fresh: () => new CcxtVenue(new CcxtClient(config, creds)),
    close: () => emu.close(),
  };
}
