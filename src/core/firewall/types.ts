import type { MandateLoad } from '../mandate/types.js';
import type { Instrument, Quote } from '../market/types.js';
import type { Reason, ReasonCode } from './reasons.js';

export const DECISIONS = ['ALLOW', 'ALLOW_CAPPED', 'REJECT', 'PAUSE_FOR_REAUTH', 'PENDING_APPROVAL'] as const;
export type Decision = (typeof DECISIONS)[number];

export type Side = 'buy' | 'sell';
export type OrderType = 'market' | 'limit';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'PO';

/** An intent after gate 3: every field checked, symbol unified. Sizes may still be partly unset. */
export interface NormalizedIntent {
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly quantity: number | null;
  readonly notional: number | null;
  readonly limit_price: number | null;
  readonly reduce_only: boolean;
  readonly client_order_id: string | null;
  readonly leverage: number | null;
  readonly time_in_force: TimeInForce;
}

export interface PositionState {
  /** Signed base quantity: > 0 long, < 0 short. */
  readonly qty: number;
  readonly avg_price: number;
  /** Same-symbol quantity already committed to open reducing orders (unsigned). */
  readonly pending_reduce_qty: number;
}

/**
 * Everything evaluate() reads. Serializable, so a certificate can carry it and a verifier can re-run evaluate.
 * Nothing here comes from the caller: the store and the venue supply it.
 */
export interface EvaluationContext {
  readonly now: number;
  readonly agent_id: string;
  readonly account_id: string;
  readonly venue: string;
  readonly live: boolean;
  readonly mandate: MandateLoad;
  readonly halts: { readonly global: boolean; readonly venue: boolean; readonly agent: boolean };
  readonly quote: Quote | null;
  readonly instrument: Instrument | null;
  readonly account: {
    readonly equity: number;
    readonly peak_equity: number;
    readonly day_start_equity: number;
    /** Gross exposure: positions at mark plus reservations of open orders that add exposure (USD). */
    readonly gross_exposure: number;
    readonly daily_count: number;
    readonly position: PositionState;
    /** When the venue's view of the account (equity, positions) was last applied; null if never. */
    readonly synced_at?: number | null;
  };
  readonly throttle: { readonly last_second: number; readonly last_minute: number };
  /** An order with the same content from the same agent passed within the duplicate window. */
  readonly recent_duplicate: boolean;
  /** The intent's client order id is already bound to another order (other content) of the same agent. */
  readonly client_order_id_reused?: boolean;
  /** A human approved this exact order out of band (the approval id), so the approval gate is satisfied. */
  readonly approved_by_human?: string | null;
  /**
   * The broker's order-submission lock (Vibe-Trading's, around check → submit → count) could not be had for this
   * order, so the shared daily count cannot be trusted: the order is refused. Absent when held or not needed.
   */
  readonly order_lock_busy?: boolean;
  /** Inputs of the mandate's portfolio-risk limits; absent when it sets none. */
  readonly risk?: RiskContext;
  /** The order's prediction market as the venue reports it; present when the instrument is an outcome token. */
  readonly prediction?: PredictionContext;
  readonly market: {
    /** Highest reference price within the crash-breaker window (including now). */
    readonly window_high: number | null;
    /** The fleet-wide breaker was already tripped and not reset. */
    readonly breaker_tripped: boolean;
  };
}

/**
 * What the portfolio-risk limits (the mandate's `arbiter.risk`) judge on, read by the service from the venue and
 * the market and bound in the certificate like the rest of the context. Absent when the mandate sets no limits.
 */
export interface RiskContext {
  /** Open positions of the account, signed notional at mark in USD (long > 0), one entry per symbol. */
  readonly book: readonly { readonly symbol: string; readonly notional: number }[];
  /**
   * Per-period simple returns, oldest first, per symbol: the order's and every symbol of the book, aligned (the
   * same bars). A series that is missing or shorter than the mandate's lookback refuses the order.
   */
  readonly returns: Readonly<Record<string, readonly number[]>>;
  /** The agent's own per-period returns on equity, oldest first (for the Kelly cap); absent when unknown. */
  readonly track_record?: readonly number[];
}

/**
 * What the prediction-market checks judge on, read from the venue and bound in the certificate. Absent for every
 * other instrument; absent for an outcome token, the order is refused (PREDICTION_DATA_MISSING).
 */
export interface PredictionContext {
  readonly market_id: string;
  readonly outcome: 'YES' | 'NO';
  readonly status: 'open' | 'closed' | 'resolved';
  /** Epoch ms. */
  readonly resolves_at: number;
  /** Collateral resting in the outcome's book within 5 cents of the mid, both sides (USD). */
  readonly liquidity_usd: number;
  /** Collateral the account has paid into this market, YES and NO together, open orders included (USD). */
  readonly cost_basis_market: number;
  /** The same over every prediction market (USD). */
  readonly cost_basis_total: number;
}

export type GateName =
  | 'mandate'
  | 'halt'
  | 'intent'
  | 'reference_price'
  | 'universe'
  | 'collar'
  | 'duplicate'
  | 'throttle'
  | 'order_cap'
  | 'exposure'
  | 'daily_count'
  | 'loss_limits'
  | 'crash_breaker'
  | 'approval';

export type GateStatus = 'pass' | 'fail' | 'capped' | 'skipped';

export interface GateOutcome {
  readonly gate: GateName;
  readonly status: GateStatus;
  readonly code?: ReasonCode;
  readonly message?: string;
}

export interface Effective {
  /** Notional enforced by the caps (USD), after any capping. */
  readonly notional: number;
  readonly quantity: number;
  /** The price the order was sized at (the worse of quote and limit). */
  readonly price: number;
}

export interface Evaluation {
  readonly decision: Decision;
  readonly reasons: readonly Reason[];
  readonly gates: readonly GateOutcome[];
  readonly intent: NormalizedIntent | null;
  readonly requested: Effective | null;
  readonly effective: Effective | null;
  /** True when the order only reduces an existing position. */
  readonly reduces: boolean;
  /** Set when this evaluation found the crash breaker's condition (the store persists the trip). */
  readonly breaker_tripped: boolean;
  /** Set when a tripped breaker's price has recovered (the store clears the trip). */
  readonly breaker_cleared: boolean;
  readonly regime: 'normal' | 'crash';
}
