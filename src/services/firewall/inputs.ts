import { immutable } from '../../core/cert/canonical.js';
import type { NormalizedIntent, PredictionContext } from '../../core/firewall/types.js';
import { breakerWindowMs as sessionWindow } from '../../core/market/calendar/session.js';
import type { Instrument, Quote } from '../../core/market/types.js';
import { parseOutcomeSymbol } from '../../core/prediction/types.js';
import type { MarketData } from '../../ports/market-data.js';
import type { CostBasisRow } from '../../ports/store.js';
import type { Venue, VenuePosition } from '../../ports/venue.js';

export interface MarketInputs {
  readonly quote: Quote | null;
  readonly instrument: Instrument | null;
  /** Highest reference price within the crash-breaker window, including this quote's mid. */
  readonly windowHigh: number | null;
}

export type InstrumentInputs = Pick<MarketInputs, 'instrument' | 'windowHigh'>;

/** The test-only reference quote (`arbiter vet --quote`). */
export interface QuoteOverride {
  readonly bid: number;
  readonly ask: number;
  readonly ts?: number;
}

/**
 * What the firewall reads from the market for one intent: the reference quote, the instrument and the crash
 * breaker's window high. Instruments rarely change: each distinct one is kept as one immutable object, so its
 * canonical text (part of every certificate) is computed once.
 */
export class MarketInputReader {
  private readonly instruments = new Map<string, Instrument>();
  private readonly internedFrom = new WeakMap<Instrument, Instrument>();
  /** The interned instruments' keys in the order they came (a ring: the oldest is let go). */
  private readonly internOrder: (string | undefined)[] = new Array(256).fill(undefined);
  private internNext = 0;

  constructor(private readonly market: MarketData) {}

  /**
   * `override` is the test-only quote (`--quote`); without its own time it is stamped `receivedAt`. Every read
   * fails closed: no quote is QUOTE_MISSING, no instrument INSTRUMENT_UNKNOWN. `read` is `instrumentOf` then
   * `withQuote`; the firewall does its other reads between the two.
   */
  async read(
    intent: NormalizedIntent | null,
    breakerWindowMs: number,
    override: QuoteOverride | undefined,
    receivedAt: () => number,
  ): Promise<MarketInputs> {
    return this.withQuote(intent, await this.instrumentOf(intent, breakerWindowMs, receivedAt), override, receivedAt);
  }

  /** The instrument and the crash breaker's window high (without the quote's mid, which `withQuote` adds). */
  async instrumentOf(
    intent: NormalizedIntent | null,
    breakerWindowMs: number,
    receivedAt: () => number,
  ): Promise<InstrumentInputs> {
    if (!intent) return { instrument: null, windowHigh: null };
    const instrument = this.interned(await this.market.instrument(intent.symbol).catch(() => null));
    // A stock's window starts no earlier than today's trading: the overnight gap is not a crash.
    const windowMs = instrument?.calendar
      ? sessionWindow(instrument.calendar, receivedAt(), breakerWindowMs)
      : breakerWindowMs;
    const windowHigh = await this.market.windowHigh(intent.symbol, windowMs).catch(() => null);
    return { instrument, windowHigh };
  }

  /**
   * The reference quote, read last: the first read of a process can build its market data (a synthetic market
   * grows its bars up to now; under 50 processes at once that took 3–4 s), and no time spent on other reads may
   * count against the quote's age at the verdict.
   */
  async withQuote(
    intent: NormalizedIntent | null,
    read: InstrumentInputs,
    override: QuoteOverride | undefined,
    receivedAt: () => number,
  ): Promise<MarketInputs> {
    if (!intent) return { quote: null, instrument: null, windowHigh: null };
    const quote: Quote | null = override
      ? { symbol: intent.symbol, bid: override.bid, ask: override.ask, ts: override.ts ?? receivedAt() }
      : await this.market.quote(intent.symbol).catch(() => null);
    let windowHigh = read.windowHigh;
    if (quote && Number.isFinite(quote.bid) && Number.isFinite(quote.ask) && quote.bid > 0 && quote.ask > 0) {
      windowHigh = Math.max(windowHigh ?? 0, (quote.bid + quote.ask) / 2);
    }
    return { quote, instrument: read.instrument, windowHigh };
  }

  /**
   * An instrument object the market data handed over before (market data hands out readonly instruments, often
   * the same object for a while) is not serialised again to find its interned copy.
   */
  private interned(inst: Instrument | null): Instrument | null {
    if (!inst) return null;
    const known = this.internedFrom.get(inst);
    if (known) return known;
    const key = JSON.stringify(inst);
    let hit = this.instruments.get(key);
    if (!hit) {
      // Bounded (a replay's instruments change with every bar: their average daily volume does): the 256th
      // newest is let go. Unconditionally, so that no branch first taken by the 257th deoptimises vet().
      this.instruments.delete(this.internOrder[this.internNext] as string);
      this.internOrder[this.internNext] = key;
      this.internNext = (this.internNext + 1) % this.internOrder.length;
      hit = immutable({ ...inst });
      this.instruments.set(key, hit);
    }
    this.internedFrom.set(inst, hit);
    return hit;
  }
}

/**
 * The prediction gates' context for an outcome token: the market's state from the market data and the account's
 * cost basis (quantity × entry price of its outcome-token positions at the venue, this market's and all). Null
 * (the order is refused with PREDICTION_DATA_MISSING) when the market data knows no such market or the
 * positions cannot be read; undefined for any other instrument.
 */
export async function readPredictionContext(
  market: MarketData,
  venue: Pick<Venue, 'positions'> | undefined,
  accountId: string,
  instrument: Instrument | null,
): Promise<PredictionContext | null | undefined> {
  if (instrument?.kind !== 'prediction') return undefined;
  const state = await market.prediction?.(instrument.symbol).catch(() => null);
  if (!state) return null;
  let positions: readonly VenuePosition[];
  try {
    positions = venue ? await venue.positions(accountId) : [];
  } catch {
    return null;
  }
  let inMarket = 0;
  let total = 0;
  for (const p of positions) {
    const token = parseOutcomeSymbol(p.symbol);
    if (!token || p.quantity <= 0) continue;
    const cost = p.quantity * p.entryPrice;
    total += cost;
    if (token.marketId === state.market_id) inMarket += cost;
  }
  return { ...state, cost_basis_market: inMarket, cost_basis_total: total };
}

/**
 * The cost basis the caps are judged on, under the store's account lock: for this market and in total, the larger
 * of what the venue reported before the decision and what the store holds now (positions as the last venue view
 * or the store's own fills left them), plus every outcome buy of the account decided and not yet answered. An
 * order answered after the venue was read has moved from its reservation into the store's position in the same
 * transaction, so no buy is missed whichever process decided it; one both filled and still in flight counts
 * twice, which can only make the caps refuse sooner.
 */
export function lockedCostBasis(p: PredictionContext, rows: readonly CostBasisRow[]): PredictionContext {
  let heldMarket = 0;
  let heldTotal = 0;
  let reservedMarket = 0;
  let reservedTotal = 0;
  for (const r of rows) {
    const token = parseOutcomeSymbol(r.symbol);
    if (!token) continue;
    heldTotal += r.held;
    reservedTotal += r.reserved;
    if (token.marketId === p.market_id) {
      heldMarket += r.held;
      reservedMarket += r.reserved;
    }
  }
  return {
    ...p,
    cost_basis_market: Math.max(p.cost_basis_market, heldMarket) + reservedMarket,
    cost_basis_total: Math.max(p.cost_basis_total, heldTotal) + reservedTotal,
  };
}
