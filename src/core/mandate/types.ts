/**
 * The Vibe-Trading mandate (schema_version 1), field for field, plus Arbiter's optional `arbiter` extension
 * block. Files written by either tool are read by the other unchanged.
 */
export const MANDATE_SCHEMA_VERSION = 1;
/** Every `allowed_instruments` value Vibe-Trading's model knows (`InstrumentType`). */
export const INSTRUMENT_TYPES = ['equity', 'etf', 'option', 'crypto', 'forex', 'cfd'] as const;
/** Every `universe.asset_classes` value Vibe-Trading's model knows (`AssetClass`). */
export const ASSET_CLASSES = ['us_equity', 'us_etf', 'hk_equity', 'cn_equity', 'in_equity', 'crypto', 'forex'] as const;
export const MARKET_KINDS = ['spot', 'perp', 'prediction'] as const;

/**
 * A value neither program knows yet (a newer Vibe-Trading's class, say) is kept as written: it matches no
 * instrument Arbiter can trade, so it allows nothing new, and the rest of the mandate still holds.
 */
export type InstrumentType = (typeof INSTRUMENT_TYPES)[number] | (string & {});
export type AssetClass = (typeof ASSET_CLASSES)[number] | (string & {});

export interface HardCaps {
  readonly account_funding_usd: number;
  readonly max_order_notional_usd: number;
  readonly max_total_exposure_usd: number;
  readonly max_leverage: number;
  readonly allowed_instruments: readonly InstrumentType[];
  readonly max_trades_per_day: number;
}

export interface UniverseConstraint {
  readonly asset_classes: readonly AssetClass[];
  readonly min_market_cap_usd: number | null;
  readonly min_avg_daily_volume_usd: number | null;
  readonly exclude_symbols: readonly string[];
}

export interface ConsentMeta {
  readonly created_at: string;
  readonly consent_token_sha256: string;
  readonly broker: string;
  readonly account_ref: string;
  readonly expires_at: string;
}

/** Arbiter's further controls. Every field has a safe default, so the block is optional. */
/**
 * Optional portfolio-risk limits (the `risk` object of the `arbiter` block). Each limit is off unless set; with
 * no `risk` object the firewall decides exactly as without this feature. Gate 10 checks them after the exposure
 * cap, on the order as capped so far; an order that only reduces its position is never held back by them.
 */
export interface RiskLimits {
  /** Post-trade |position in the order's symbol| at most this share of equity (percent). */
  readonly max_position_pct?: number;
  /**
   * Post-trade gaussian portfolio VaR (or ES) of the book at `confidence` over `horizon_periods` bars of
   * `timeframe`, as a loss, at most `max_loss_pct` of equity. An order that lowers the book's VaR passes.
   */
  readonly max_var?: {
    readonly measure: 'var' | 'es';
    readonly confidence: number;
    readonly horizon_periods: number;
    readonly max_loss_pct: number;
  };
  /**
   * A new position may not move with a position already held by more than this: for each other symbol held,
   * ρ(returns) × sign(new side) × sign(held side) ≤ max_correlation (a hedge has negative signed correlation).
   */
  readonly max_correlation?: number;
  /**
   * Post-trade gross exposure at most `multiplier` × continuous Kelly leverage (μ/σ² of the agent's own
   * per-period returns on equity) × equity; refused until the record has `min_periods` returns.
   */
  readonly kelly?: { readonly multiplier: number; readonly min_periods: number };
  /** Bar length of the return series the VaR and correlation limits use. */
  readonly timeframe: '1m' | '5m' | '15m' | '1h' | '4h' | '1d';
  /** Returns per series (bars − 1); fewer available is missing data, and the order is refused. */
  readonly lookback: number;
}

/**
 * Optional limits on binary prediction-market orders (the `prediction` object of the `arbiter` block). Each is off
 * unless set. Whatever is set, an outcome token trades only strictly inside (0, 1) and only while its market is open.
 */
export interface PredictionLimits {
  /** A limit price further than this from the mid (absolute cents of the 1-unit payout) is refused. */
  readonly collar_cents?: number;
  /** Collateral paid into one market (YES and NO together, fees excluded) at most this (USD). */
  readonly max_cost_basis_per_market_usd?: number;
  /** Collateral paid into all prediction markets at most this (USD). */
  readonly max_cost_basis_total_usd?: number;
  /** Collateral resting in the order's outcome book within 5 cents of the mid at least this (USD). */
  readonly min_liquidity_usd?: number;
  /** A new position needs at least this long before the market resolves (minutes). */
  readonly min_minutes_to_resolution?: number;
}

export interface ArbiterExtension {
  /** A limit price further than this from the reference price is refused (percent). */
  readonly collar_pct: number;
  /** A quote older than this is stale (ms). */
  readonly max_quote_age_ms: number;
  readonly throttle: { readonly per_second: number; readonly per_minute: number };
  /** The same order content from the same agent within this window is a duplicate (ms). */
  readonly duplicate_window_ms: number;
  /** Loss since the UTC day's starting equity beyond this (percent of funding) allows only reductions. */
  readonly max_daily_loss_pct: number;
  /** Equity more than this below its peak (percent) allows only reductions. */
  readonly max_drawdown_pct: number;
  /** The reference price falling more than drop_pct below its high within window_minutes trips the breaker. */
  readonly crash_breaker: { readonly drop_pct: number; readonly window_minutes: number };
  /** A passing order above this notional waits for a human (USD); null: no threshold. */
  readonly approval_threshold_usd: number | null;
  /** Every live order waits for a human. */
  readonly approve_all_live: boolean;
  /** Oversize orders are cut down to the cap (ALLOW_CAPPED) instead of paused. */
  readonly allow_capping: boolean;
  /**
   * `account_funding_usd` is a ceiling of its own, as in Vibe-Trading: a buy that would take post-trade gross
   * exposure above the funding pauses for the human, whatever the leverage cap allows.
   */
  readonly funding_ceiling: boolean;
  /** When non-empty, only these symbols may trade. */
  readonly allow_symbols: readonly string[];
  readonly market_kinds: readonly (typeof MARKET_KINDS)[number][];
  /** How long a certificate authorises execution (s). */
  readonly certificate_ttl_seconds: number;
  /** On a live venue, account state older than this (ms) refuses orders that add exposure. */
  readonly max_account_staleness_ms: number;
  /** Portfolio-risk limits; absent: none. */
  readonly risk?: RiskLimits;
  /**
   * Orders on a stock may also trade in the venue's extended hours (US equities: 04:00–09:30 and until four hours
   * after the close, New York time). Absent or false: the regular session only.
   */
  readonly extended_hours?: boolean;
  /** Limits on prediction-market orders (outcome tokens); absent: only the price range and market status. */
  readonly prediction?: PredictionLimits;
}

export interface Mandate {
  readonly schema_version: 1;
  readonly hard_caps: HardCaps;
  readonly universe: UniverseConstraint;
  readonly consent: ConsentMeta;
  readonly flatten_on_halt: boolean;
  readonly arbiter: ArbiterExtension;
}

export const DEFAULT_EXTENSION: ArbiterExtension = {
  collar_pct: 5,
  max_quote_age_ms: 5_000,
  throttle: { per_second: 5, per_minute: 60 },
  duplicate_window_ms: 3_000,
  max_daily_loss_pct: 5,
  max_drawdown_pct: 15,
  crash_breaker: { drop_pct: 7, window_minutes: 60 },
  approval_threshold_usd: null,
  approve_all_live: false,
  allow_capping: true,
  funding_ceiling: false,
  allow_symbols: [],
  market_kinds: ['spot', 'perp'],
  certificate_ttl_seconds: 300,
  max_account_staleness_ms: 30_000,
};

/**
 * A mandate without an `arbiter` block decides as Vibe-Trading's gate does wherever that gate decides: a
 * quantitative breach pauses instead of being capped, and the funding is a ceiling of its own. Arbiter's further
 * gates keep their defaults. Writing an `arbiter` block (even `{}`) opts into Arbiter's own behaviour.
 */
export const VIBE_TRADING_EXTENSION: ArbiterExtension = {
  ...DEFAULT_EXTENSION,
  allow_capping: false,
  funding_ceiling: true,
};

/** The outcome of loading a mandate: the firewall refuses everything unless `ok`. */
export type MandateLoad =
  | { readonly ok: true; readonly mandate: Mandate }
  | {
      readonly ok: false;
      readonly code: 'MANDATE_MISSING' | 'MANDATE_INVALID' | 'MANDATE_SCHEMA_UNSUPPORTED';
      readonly message: string;
    };
