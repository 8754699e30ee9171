import type { ListedMarketView } from '../../../core/prediction/board.js';
import { type Outcome, outcomeSymbol, type PredictionStatus } from '../../../core/prediction/types.js';
import type { PolymarketClient } from './client.js';
import type { PmMarket } from './schemas.js';

/** How long a listing of the configured markets is reused before the CLOB is asked again. */
export const LISTING_TTL_MS = 5_000;

/**
 * A market's status from the CLOB's flags: `resolved` once a token is flagged the winner, `closed` when the CLOB
 * lists it closed, inactive or not accepting orders, else `open`.
 */
export function pmStatus(m: PmMarket): PredictionStatus {
  if (pmWinner(m)) return 'resolved';
  return m.closed || !m.active || !m.accepting_orders ? 'closed' : 'open';
}

/** The winning outcome once the CLOB flags one of the market's tokens `winner`; null before. */
export function pmWinner(m: PmMarket): Outcome | null {
  const w = m.tokens.find((t) => t.winner);
  const o = w?.outcome.toUpperCase();
  return o === 'YES' || o === 'NO' ? o : null;
}

/** The sentence of the market's rules that names its resolution source; null when none does. */
export function resolutionSource(description: string | null | undefined): string | null {
  const m = /[^.]*\bresolution source\b.*?(?:\.(?=\s|$)|$)/is.exec(description ?? '');
  return m ? m[0].trim() : null;
}

/** One configured market as list_markets shows it, from the CLOB's `GET /markets/{condition id}` answer. */
export function toListedView(marketId: string, m: PmMarket): ListedMarketView {
  const price = (o: Outcome) => {
    const p = m.tokens.find((t) => t.outcome.toUpperCase() === o)?.price;
    return p !== undefined && Number.isFinite(p) ? p : null;
  };
  const winner = pmWinner(m);
  const end = m.end_date_iso ? Date.parse(m.end_date_iso) : Number.NaN;
  return {
    market_id: marketId,
    question: m.question ?? '',
    resolves_at: Number.isFinite(end) ? new Date(end).toISOString() : null,
    resolution_source: resolutionSource(m.description),
    status: pmStatus(m),
    outcome: winner,
    prices: winner
      ? { YES: winner === 'YES' ? 1 : 0, NO: winner === 'NO' ? 1 : 0 }
      : { YES: price('YES'), NO: price('NO') },
    tokens: { YES: outcomeSymbol(marketId, 'YES'), NO: outcomeSymbol(marketId, 'NO') },
    tick_size: m.minimum_tick_size,
    ...(m.description ? { description: m.description } : {}),
  };
}

/**
 * The configured markets as the CLOB describes them, one `GET /markets/{condition id}` each, reused for `ttlMs` so
 * a listing does not hammer the venue; callers at the same moment share one round of requests. A failure is
 * thrown (never an empty list) and not kept.
 */
export class MarketListing {
  private cached: { at: number; views: Promise<readonly ListedMarketView[]> } | null = null;

  constructor(
    private readonly client: PolymarketClient,
    private readonly markets: Readonly<Record<string, string>>,
    private readonly ttlMs = LISTING_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  list(): Promise<readonly ListedMarketView[]> {
    const t = this.now();
    if (this.cached && t - this.cached.at < this.ttlMs) return this.cached.views;
    const views = Promise.all(
      Object.entries(this.markets).map(async ([id, conditionId]) =>
        toListedView(id, await this.client.market(conditionId)),
      ),
    );
    const entry = { at: t, views };
    this.cached = entry;
    views.catch(() => {
      if (this.cached === entry) this.cached = null;
    });
    return views;
  }
}
