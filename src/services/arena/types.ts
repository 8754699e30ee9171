import type { DecisionNote, MarketFrame } from '../../core/arena/index.js';
import type { Quote } from '../../core/market/types.js';
import type { PaperAccount } from '../../core/paper/types.js';
import type { Clock } from '../../ports/clock.js';
import type { ServiceDeps } from '../deps.js';
import type { FirewallService } from '../firewall-service.js';
import type { LedgerService } from '../ledger-service.js';
import type { ScopedIdGen } from './scoped-ids.js';

/** A clock the arena moves bar by bar (the ManualClock). */
export interface SteppedClock extends Clock {
  set(ms: number): void;
}

/** The market as the arena drives it: the bars as typed arrays, the replay's clock mapping and its quotes. */
export interface ArenaMarket {
  readonly frame: MarketFrame;
  clockTimeOfBar(index: number): number;
  quote(symbol: string): Promise<Quote | null>;
}

/** The paper venue's raw accounts. */
export interface AccountSource {
  /** The account caught up to the market's now (the venue works resting orders, funding, liquidation). */
  account(accountId: string): Promise<PaperAccount>;
  /** The account as the venue last stored it, without catching up (right after the venue handled a call). */
  peek(accountId: string): Promise<PaperAccount>;
}

/**
 * Everything an arena run is assembled from. `deps` is the same ServiceDeps the MCP path uses; only the clock
 * (stepped), the ids (scoped) and the venue instance (a paper venue over the replay) differ.
 */
export interface ArenaParts {
  readonly deps: ServiceDeps;
  readonly firewall: FirewallService;
  readonly ledger: LedgerService;
  readonly clock: SteppedClock;
  readonly ids: ScopedIdGen;
  readonly market: ArenaMarket;
  readonly venue: AccountSource;
  /** The venue's maintenance margin rate (for the liquidation guard that decides which accounts to visit). */
  readonly maintenanceMarginRate: number;
  /** The venue's key in `deps.venues` and the mandate's venue. */
  readonly venueName: string;
}

export interface ArenaConfig {
  /** Names this run's documents in the store (`arena` namespace). */
  readonly runId: string;
  readonly capital: number;
  /** First bar traded (bars before it are history every agent sees) and one past the last. */
  readonly startBar: number;
  readonly endBar: number;
  /** Sign a ledger checkpoint after about this many decisions (0: only at the end). */
  readonly checkpointEvery: number;
  /** Persist the state atomically after every bar, so a killed run resumes (live mode). */
  readonly persist: boolean;
  /** Agents whose `prepare` (a model call) runs at the same time, at most (default 8). */
  readonly concurrency?: number;
}

/** One fill, as written to trades.jsonl. */
export interface TradeRecord {
  readonly agent: string;
  readonly bar: number;
  readonly ts: number;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  readonly price: number;
  readonly notional: number;
  readonly fee: number;
  readonly realized_pnl: number;
  /** The fill reduced (or closed) a position: a closed trade, whole or part. */
  readonly closes: boolean;
  readonly order_id: string;
  readonly client_order_id: string;
}

/** One decision that produced an intent, as written to decisions.jsonl. */
export interface TraceRecord {
  readonly agent: string;
  readonly bar: number;
  readonly ts: number;
  readonly reason: string | null;
  readonly inputs: DecisionNote['inputs'] | null;
  readonly intent: unknown;
  readonly verdict_id: string;
  readonly decision: string;
  readonly reasons: readonly string[];
  readonly order_status: string | null;
  readonly filled_quantity: number;
  readonly avg_price: number | null;
  readonly error: string | null;
}

/** What one bar produced (also the per-bar document a live run persists). */
export interface BarRecord {
  readonly bar: number;
  /** Equity of every agent (roster order) at this bar's open, before its trades; empty on the first bar. */
  readonly equity: readonly number[];
  readonly trades: readonly TradeRecord[];
  readonly traces: readonly TraceRecord[];
}
