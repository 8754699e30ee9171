import { randomBytes } from 'node:crypto';
import { binanceDialect } from './binance.js';
import { bitgetDialect } from './bitget.js';
import { bybitDialect } from './bybit.js';
import { DEFAULT_MARKETS, type EmuMarket, TOKENIZED_STOCK_PERPS, withContractSizes } from './markets.js';
import { okxDialect } from './okx.js';
import { VenueEmulator } from './server.js';
import type { EmuCredentials, VenueDialect } from './types.js';

export { EmuEngine, EmuReject } from './engine.js';
export { type EmulatorOptions, type RecordedRequest, VenueEmulator } from './server.js';
export type { EmuCredentials, FailureKind } from './types.js';

export type EmulatedVenue = 'bybit' | 'binance' | 'okx' | 'bitget';

const DIALECTS: Record<EmulatedVenue, VenueDialect> = {
  bybit: bybitDialect,
  binance: binanceDialect,
  okx: okxDialect,
  bitget: bitgetDialect,
};

/** OKX counts perps in contracts of 0.01 BTC / 0.1 ETH; the others in base units. Bitget also lists the six tokenized stocks. */
const MARKETS: Record<EmulatedVenue, readonly EmuMarket[]> = {
  bybit: DEFAULT_MARKETS,
  binance: DEFAULT_MARKETS,
  okx: withContractSizes({ 'BTC/USDT:USDT': 0.01, 'ETH/USDT:USDT': 0.1 }),
  bitget: [...DEFAULT_MARKETS, ...TOKENIZED_STOCK_PERPS],
};

/** Fresh random credentials, shaped like the venue's (OKX / Bitget keys come with a passphrase). */
export function randomCredentials(venue: EmulatedVenue): EmuCredentials {
  const creds = { apiKey: `k${randomBytes(12).toString('hex')}`, secret: randomBytes(24).toString('hex') };
  return venue === 'okx' || venue === 'bitget' ? { ...creds, passphrase: `p${randomBytes(6).toString('hex')}` } : creds;
}

export interface StartOptions {
  readonly credentials?: EmuCredentials;
  readonly markets?: readonly EmuMarket[];
  readonly wallet?: number;
  readonly hangMs?: number;
}

/** Starts one venue's emulator on 127.0.0.1 (random port). */
export function startEmulator(venue: EmulatedVenue, opts: StartOptions = {}): Promise<VenueEmulator> {
  return VenueEmulator.start(DIALECTS[venue], {
    ...opts,
    markets: opts.markets ?? MARKETS[venue],
    credentials: opts.credentials ?? randomCredentials(venue),
  });
}

export { type HyperliquidOptions, hyperliquidDialect, randomWallet, startHyperliquidEmulator } from './hyperliquid.js';
export { HYPERLIQUID_MARKETS } from './hyperliquid-shapes.js';
