import { AlpacaMarketData } from '../../src/adapters/venues/ccxt/alpaca/market-data.js';
import { AlpacaVenue } from '../../src/adapters/venues/ccxt/alpaca/venue.js';
import { CcxtClient } from '../../src/adapters/venues/ccxt/client.js';
import { parseVenueConfig } from '../../src/adapters/venues/ccxt/config.js';
import { AlpacaEmulator, type AlpacaEmulatorOptions, type AlpacaKeys } from './alpaca.js';

/** Wednesday 7 January 2026, 10:00 in New York (EST): the regular session. */
export const WEDNESDAY_10AM_NY = Date.UTC(2026, 0, 7, 15, 0);

/** One clock for the emulator and Arbiter's adapter: set `t`, or step it. */
export class TestClock {
  constructor(public t: number) {}
  readonly now = (): number => this.t;
}

export interface AlpacaRig {
  readonly emu: AlpacaEmulator;
  readonly clock: TestClock;
  readonly venue: AlpacaVenue;
  readonly marketData: AlpacaMarketData;
  readonly close: () => Promise<void>;
}

/** The Alpaca emulator and the adapter pointed at it (paper endpoint, URLs overridden), on one clock. */
export async function alpacaRig(
  opts: AlpacaEmulatorOptions & { start?: number; clientKeys?: AlpacaKeys } = {},
): Promise<AlpacaRig> {
  const clock = new TestClock(opts.start ?? WEDNESDAY_10AM_NY);
  const emu = await AlpacaEmulator.start({ ...opts, now: clock.now });
  const config = parseVenueConfig({
    exchangeId: 'alpaca',
    mode: 'testnet',
    baseUrl: emu.url,
    marketType: 'spot',
    settleCurrency: 'USD',
    timeoutMs: 5_000,
    enableRateLimit: false,
  });
  const client = new CcxtClient(config, opts.clientKeys ?? emu.keys);
  return {
    emu,
    clock,
    venue: new AlpacaVenue(client, clock.now),
    marketData: new AlpacaMarketData(client, clock.now),
    close: () => emu.close(),
  };
}
