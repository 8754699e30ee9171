import type { MarketKind } from '../market/types.js';

export interface FeeRates {
  /** Fraction of notional (0.001 = 10 bps). */
  readonly maker: number;
  readonly taker: number;
}

export interface PaperConfig {
  readonly fees: Readonly<Record<MarketKind, FeeRates>>;
  /** Maintenance margin as a fraction of position notional at mark. */
  readonly maintenanceMarginRate: number;
  /** Charged on the notional closed by a liquidation (never more than the equity left). */
  readonly liquidationFeeRate: number;
  /** Leverage of a perpetual until setLeverage says otherwise. */
  readonly defaultLeverage: number;
  readonly fundingIntervalMs: number;
}

export const DEFAULT_PAPER_CONFIG: PaperConfig = {
  // Never charged: this engine refuses outcome tokens (validateRequest); the prediction exchange (core/prediction)
  // has its own fee model. The entry is here because fees are kept per market kind.
  fees: {
    spot: { maker: 0.0008, taker: 0.001 },
    perp: { maker: 0.0002, taker: 0.00055 },
    prediction: { maker: 0, taker: 0.02 },
  },
  maintenanceMarginRate: 0.005,
  liquidationFeeRate: 0.005,
  defaultLeverage: 10,
  fundingIntervalMs: 8 * 3_600_000,
};

/** Quantities closer to zero than this are zero (float residue of partial closes). */
export const QTY_EPSILON = 1e-10;
