import { join, resolve } from 'node:path';
import { loadCandlesCsv } from '../adapters/market-data/csv-candles.js';
import { createCsvMarketData } from '../adapters/market-data/csv-market-data.js';
import { syntheticOutcomeMarketAt } from '../adapters/market-data/prediction-market-data.js';
import { createSyntheticMarketData } from '../adapters/market-data/synthetic-market-data.js';
import { offsetClock } from '../adapters/system/clock.js';
import { type OutcomeMarkets, PaperVenue } from '../adapters/venues/paper/paper-venue.js';
import type { PaperMarketView } from '../core/paper/market-view.js';
import type { OutcomeSettlement } from '../core/prediction/paper-outcomes.js';
import type { Clock } from '../ports/clock.js';
import type { MarketData } from '../ports/market-data.js';
import type { Store } from '../ports/store.js';
import type { Venue } from '../ports/venue.js';
import type { Settings } from './settings.js';

/** The process's clock: the system's, moved by ARBITER_CLOCK_OFFSET_MS (paper and read-only only). */
export function clockFor(settings: Pick<Settings, 'clockOffsetMs'>): Clock {
  return offsetClock(settings.clockOffsetMs ?? 0);
}

/** Synthetic prices are a deterministic function of (seed, time) from this epoch, so every process agrees. */
export const SYNTHETIC_EPOCH = Date.parse('2026-01-01T00:00:00Z');

/** Picks the market-data adapter from ARBITER_MARKET: `synthetic[:SEED]` (default) or `csv:PATH[,PATH]`. */
export async function createMarketData(settings: Settings, clock: Clock = clockFor(settings)): Promise<MarketData> {
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

/** Where a paper venue's prediction-market settlements are recorded (the ledger and the audit log). */
export type SettlementSink = (settlements: readonly OutcomeSettlement[]) => Promise<void>;

export interface Adapters {
  readonly market: MarketData;
  /** `startingCash`: what a new paper account starts with (the mandate's account funding). */
  readonly venues: (store: Store, startingCash: () => number, settled?: SettlementSink) => ReadonlyMap<string, Venue>;
}

/**
 * The synthetic prediction markets (`list_markets`) as the paper venue trades them: outcome tokens are bought with
 * the account's cash and settled at resolution by the clock.
 */
export function syntheticOutcomes(clock: Clock, settled?: SettlementSink): OutcomeMarkets {
  return { now: () => clock.now(), at: syntheticOutcomeMarketAt, ...(settled ? { onSettled: settled } : {}) };
}

/**
 * Market data and venues for the configured venue: the paper exchange over synthetic or replayed candles
 * (default), Polymarket's CLOB for the configured prediction markets, or a ccxt venue (testnet, demo or live
 * endpoints; ARBITER_VENUE_URL points either at an emulator or proxy) with its own public market data.
 */
export async function createAdapters(settings: Settings, clock: Clock = clockFor(settings)): Promise<Adapters> {
  if (settings.venue === 'paper') {
    const market = await createMarketData(settings, clock);
    return {
      market,
      venues: (store, cash, settled) =>
        createVenues(market, store, cash, settings.broker, settings.paperLatencyMs, syntheticOutcomes(clock, settled)),
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
  const { createCcxtAdapters, loadVenueCredentials, profileOf } = await import('../adapters/venues/ccxt/index.js');
  const creds = loadVenueCredentials(settings.venue, process.env, settings.secretsFile ?? undefined);
  const { venue, marketData } = createCcxtAdapters(
    {
      exchangeId: settings.venue,
      mode: settings.venueMode,
      ...(settings.venueUrl ? { baseUrl: settings.venueUrl } : {}),
      accountId: settings.account,
      symbols: [...profileOf(settings.venue).defaultSymbols],
    },
    creds,
    () => clock.now(),
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
  outcomes?: OutcomeMarkets,
): ReadonlyMap<string, Venue> {
  const venues = new Map<string, Venue>();
  if (isPaperMarket(market))
    venues.set(
      broker,
      new PaperVenue({
        store,
        market,
        startingCash: () => startingCash(),
        latencyMs,
        ...(outcomes ? { outcomes } : {}),
      }),
    );
  return venues;
}

function isPaperMarket(m: MarketData): m is MarketData & PaperMarketView {
  return typeof (m as Partial<PaperMarketView>).marketTime === 'function';
}
