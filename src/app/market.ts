import { join, resolve } from 'node:path';
import { loadCandlesCsv } from '../adapters/market-data/csv-candles.js';
import { createCsvMarketData } from '../adapters/market-data/csv-market-data.js';
import { createSyntheticMarketData } from '../adapters/market-data/synthetic-market-data.js';
import { systemClock } from '../adapters/system/clock.js';
import { PaperVenue } from '../adapters/venues/paper/paper-venue.js';
import type { PaperMarketView } from '../core/paper/market-view.js';
import type { Clock } from '../ports/clock.js';
import type { MarketData } from '../ports/market-data.js';
import type { Store } from '../ports/store.js';
import type { Venue } from '../ports/venue.js';
import type { Settings } from './settings.js';

/** Synthetic prices are a deterministic function of (seed, time) from this epoch, so every process agrees. */
export const SYNTHETIC_EPOCH = Date.parse('2026-01-01T00:00:00Z');

/** Picks the market-data adapter from ARBITER_MARKET: `synthetic[:SEED]` (default) or `csv:PATH[,PATH]`. */
export async function createMarketData(settings: Settings, clock: Clock = systemClock): Promise<MarketData> {
  const src = settings.marketSource;
  if (src.startsWith('csv:')) {
    const paths = src
      .slice(4)
      .split(',')
      .map((p) => resolve(p.trim()));
    const series = await Promise.all(
      paths.map(async (p) => {
        const candles = await loadCandlesCsv(p);
        const base = /([A-Z]{2,10})_?USDT/i.exec(p)?.[1]?.toUpperCase() ?? 'BTC';
        return { base, candles };
      }),
    );
    return createCsvMarketData({ clock, name: `csv:${paths.join(',')}`, series, mapping: {} });
  }
  const seed = Number(src.split(':')[1] ?? 7);
  return createSyntheticMarketData({ clock, seed, timeframe: '1h', startTs: SYNTHETIC_EPOCH, warmupBars: 0 });
}

export interface Adapters {
  readonly market: MarketData;
  /** `startingCash`: what a new paper account starts with (the mandate's account funding). */
  readonly venues: (store: Store, startingCash: () => number) => ReadonlyMap<string, Venue>;
}

/**
 * Market data and venues for the configured venue: the paper exchange over synthetic or replayed candles
 * (default), Polymarket's CLOB for the configured prediction markets, or a ccxt venue (testnet, demo or live
 * endpoints; ARBITER_VENUE_URL points either at an emulator or proxy) with its own public market data.
 */
export async function createAdapters(settings: Settings, clock: Clock = systemClock): Promise<Adapters> {
  if (settings.venue === 'paper') {
    const market = await createMarketData(settings, clock);
    return {
      market,
      venues: (store, cash) => createVenues(market, store, cash, settings.broker, settings.paperLatencyMs),
    };
  }
  if (settings.venue === 'polymarket') {
    const { createPolymarketAdapters, loadPolymarketCredentials } = await import(
      '../adapters/venues/polymarket/index.js'
    );
    const { venue, marketData } = createPolymarketAdapters(
      {
        mode: settings.venueMode === 'live' ? 'live' : 'testnet',
        ...(settings.venueUrl ? { baseUrl: settings.venueUrl } : {}),
        markets: { ...settings.polymarketMarkets },
        orderIndexPath: join(settings.home, 'venues', 'polymarket', settings.account, 'orders.json'),
      },
      loadPolymarketCredentials(process.env, settings.secretsFile ?? undefined),
    );
    return { market: marketData, venues: () => new Map<string, Venue>([[settings.broker, venue]]) };
  }
  // ccxt is large: loaded only when a ccxt venue is configured, so the default paper path starts fast.
  const { createCcxtAdapters, loadVenueCredentials } = await import('../adapters/venues/ccxt/index.js');
  const creds = loadVenueCredentials(settings.venue, process.env, settings.secretsFile ?? undefined);
  const { venue, marketData } = createCcxtAdapters(
    {
      exchangeId: settings.venue,
      mode: settings.venueMode,
      ...(settings.venueUrl ? { baseUrl: settings.venueUrl } : {}),
      accountId: settings.account,
      symbols: ['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT'],
    },
    creds,
  );
  return { market: marketData, venues: () => new Map<string, Venue>([[settings.broker, venue]]) };
}

/**
 * The venues a process trades on, keyed by the broker key sessions use. Paper is the embedded default; live venues
 * are configured explicitly.
 */
export function createVenues(
  market: MarketData,
  store: Store,
  startingCash: () => number = () => 10_000,
  broker = 'paper',
  latencyMs = 0,
): ReadonlyMap<string, Venue> {
  const venues = new Map<string, Venue>();
  if (isPaperMarket(market))
    venues.set(broker, new PaperVenue({ store, market, startingCash: () => startingCash(), latencyMs }));
  return venues;
}

function isPaperMarket(m: MarketData): m is MarketData & PaperMarketView {
  return typeof (m as Partial<PaperMarketView>).marketTime === 'function';
}
